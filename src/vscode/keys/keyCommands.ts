/**
 * Key commands: Add, Replace (rotation), Remove, Test; and the choice of a key for a package
 * (the one whose glob matches the id; the user is asked when several do). Key values are typed
 * only into VS Code's password input box.
 */
import * as vscode from 'vscode';
import { noSuchFeed } from '../feeds/feedSettings';
import { NuGetPublisherError } from '../../core/errors';
import { describeError } from '../../core/errors';
import { feedOrigin, type Feed } from '../../core/feeds/feed';
import { checkExpiry, checkGlob, checkLabel, credentialFor, daysUntilExpiry, keysFor, presetFor, probeIds, providerCredential, SCOPE_LABELS, KEY_SCOPES, type Credential, type KeyPurpose, type KeyRecord, type KeyScope } from '../../core/keys/keys';
import { testCredential, type KeyCheck } from '../../core/keys/testKey';
import { findFeed, pickFeed, readFeeds } from '../feeds/feedSettings';
import { notify, recordShown } from '../log';
import { confirmModal } from '../dialogs';
import type { Services } from '../services';
import { workspacePackages } from '../workspacePicks';
import { openPackage } from '../../core/nupkg/package';
import { newestFirst } from '../../core/version';

/** Arguments for scripted use (tests, other commands); every missing value is asked for. */
export interface AddKeyArgs {
  readonly feed?: string;
  readonly label?: string;
  readonly username?: string;
  readonly glob?: string;
  readonly scopes?: readonly KeyScope[];
  readonly owner?: string;
  readonly expires?: string;
  /** Why the key is asked for (e.g. a publish found none): shown above the first question. */
  readonly reason?: string;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function step(feed: Feed, n: number, of: number): string {
  return `Add Key for ${feed.name} (${n}/${of})`;
}

/** Asks for everything about a new key, the value last-but-one in a password box. */
export async function addKey(services: Services, args: AddKeyArgs = {}): Promise<KeyRecord | undefined> {
  const feed = args.feed ? findFeed(args.feed) : await pickFeed('Add Key: for which feed?', (candidate) => candidate.kind !== 'folder');
  if (!feed) {
    if (args.feed) {
      throw noSuchFeed(args.feed);
    }
    return undefined;
  }
  const origin = feedOrigin(feed);
  if (!origin) {
    void notify(services.log, 'info', `${feed.name} is a folder feed: it needs no key.`);
    return undefined;
  }
  const preset = presetFor(feed);
  // label, [user name], value, glob, [scopes], expiry: every question carries its number.
  const steps = 4 + (preset.scheme === 'basic' ? 1 : 0) + (preset.hasScopes && !args.scopes ? 1 : 0);
  const existing = services.keys.list();
  if (args.reason) {
    recordShown('prompt', services.log.scrub(args.reason));
  }
  const label = args.label ?? (await vscode.window.showInputBox({
    title: step(feed, 1, steps), prompt: `${args.reason ? `${services.log.scrub(args.reason)} ` : ''}A name for this key. ${preset.hint}`, value: existing.some((record) => record.origin === origin) ? '' : `${feed.name} key`,
    ignoreFocusOut: true, validateInput: (value) => checkLabel(value, existing, origin),
  }))?.trim();
  if (!label) {
    return undefined;
  }
  const labelProblem = checkLabel(label, existing, origin);
  if (labelProblem) {
    throw new NuGetPublisherError('NP2040', labelProblem, 'Choose another label.');
  }
  let username: string | undefined;
  if (preset.scheme === 'basic') {
    username = args.username ?? (await vscode.window.showInputBox({ title: step(feed, 2, steps), prompt: preset.usernamePrompt, ignoreFocusOut: true, validateInput: (value) => (value.trim() ? undefined : 'A user name is needed.') }))?.trim();
    if (!username) {
      return undefined;
    }
  }
  const secret = await vscode.window.showInputBox({
    title: step(feed, preset.scheme === 'basic' ? 3 : 2, steps), prompt: `${preset.secretPrompt}. It is kept only in VS Code's secret storage and sent only to ${origin}.`,
    password: true, ignoreFocusOut: true,
    validateInput: (value) => (!value.trim() ? 'Paste the value.' : /\s/.test(value.trim()) ? 'The value contains white space; paste it again.' : undefined),
  });
  if (!secret?.trim()) {
    return undefined;
  }
  services.log.protect(secret.trim());
  const glob = args.glob ?? (await vscode.window.showInputBox({
    title: step(feed, preset.scheme === 'basic' ? 4 : 3, steps), prompt: 'Package ids this key may push (glob, as on nuget.org): * for all, Contoso.* for a prefix; several separated by commas.',
    value: '*', ignoreFocusOut: true, validateInput: checkGlob,
  }))?.trim();
  if (!glob || checkGlob(glob)) {
    return undefined;
  }
  let scopes: readonly KeyScope[] = args.scopes ?? [];
  if (!args.scopes && preset.hasScopes) {
    const picked = await vscode.window.showQuickPick(KEY_SCOPES.map((scope) => ({ label: SCOPE_LABELS[scope], description: `package:${scope}`, picked: scope !== 'pushversion', scope })), {
      title: `${step(feed, steps - 1, steps)}: the scopes you gave it on the website`, canPickMany: true, ignoreFocusOut: true,
    });
    if (!picked || picked.length === 0) {
      return undefined;
    }
    scopes = picked.map((item) => item.scope);
  }
  const defaultExpiry = preset.maxDays ? isoDate(new Date(Date.now() + preset.maxDays * 86_400_000)) : '';
  const expires = args.expires ?? (await vscode.window.showInputBox({
    title: step(feed, steps, steps), prompt: preset.maxDays ? `Expiry date as shown on the keys page (yyyy-mm-dd); ${feed.name} keys last at most ${preset.maxDays} days.` : 'Expiry date (yyyy-mm-dd), or leave empty if the key does not expire.',
    value: defaultExpiry, ignoreFocusOut: true, validateInput: (value) => checkExpiry(value, preset),
  }));
  if (expires === undefined) {
    return undefined;
  }
  const record: KeyRecord = {
    label, origin, feedName: feed.name, scheme: preset.scheme, username,
    owner: args.owner, scopes, glob,
    expires: expires.trim() || undefined, created: new Date().toISOString(),
  };
  await services.keys.add(record, secret.trim());
  void notify(services.log, 'info', `Stored the key "${label}" for ${feed.name}. It is sent only to ${origin}.`);
  return record;
}

function describeKey(record: KeyRecord): string {
  const days = daysUntilExpiry(record);
  const expiry = days === undefined ? 'no expiry' : days < 0 ? 'EXPIRED' : `expires in ${days} day${days === 1 ? '' : 's'}`;
  return `${record.glob} · ${expiry}${record.scopes.length ? ` · ${record.scopes.join(', ')}` : ''}`;
}

/** Lets the user pick one stored key (optionally only those of an origin). */
export async function pickKey(services: Services, title: string, origin?: string): Promise<KeyRecord | undefined> {
  const records = services.keys.list().filter((record) => origin === undefined || record.origin === origin);
  if (records.length === 0) {
    const choice = await notify(services.log, 'info', 'No key is stored yet.', 'Add Key…');
    if (choice) {
      await vscode.commands.executeCommand('nugetPublisher.addKey');
    }
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(records.map((record) => ({ label: record.label, description: record.feedName, detail: `${record.origin} · ${describeKey(record)}`, record })), { title, matchOnDescription: true });
  return picked?.record;
}

export interface ChosenKey {
  readonly record?: KeyRecord;
  readonly credential?: Credential;
}

/**
 * The key for publishing (or unlisting) `packageId` on `feed`: the one whose glob matches; asks
 * when several do; offers to add one when none does. Folder feeds need none.
 */
export async function chooseKey(services: Services, feed: Feed, packageId: string, purpose: KeyPurpose, preferredLabel?: string): Promise<ChosenKey | undefined> {
  const origin = feedOrigin(feed);
  if (!origin) {
    return {};
  }
  let candidates = keysFor(services.keys.list(), origin, packageId, purpose);
  if (preferredLabel) {
    candidates = candidates.filter((record) => record.label === preferredLabel);
  }
  if (candidates.length === 0) {
    const others = services.keys.list().filter((record) => record.origin === origin);
    // As dotnet nuget push does: with no key of the user's own, an installed credential provider
    // (Azure Artifacts' CredentialProvider.Microsoft) may have credentials for this feed.
    const provided = others.length === 0 && feed.kind !== 'nuget.org' ? await services.keys.providerCredentials(feed) : undefined;
    if (provided?.credentials) {
      services.log.info('keys', `no key is stored for ${feed.name}: using credentials from ${provided.plugin}`);
      return { credential: providerCredential(provided.credentials, presetFor(feed)) };
    }
    const why = others.length === 0
      ? `No key is stored for ${feed.name} (${origin})${provided?.why ? `, and ${provided.why}` : ''}.`
      : `None of the keys for ${feed.name} covers ${packageId}${purpose === 'unlist' ? ' with the unlist scope' : ''} (${others.map((record) => `"${record.label}": ${record.glob}`).join('; ')}).`;
    // The user chose this feed a moment ago: ask for the key right here, with the reason on top,
    // rather than in a toast that VS Code hides after a few seconds.
    services.log.info('keys', `asking for a key: ${why}`);
    const added = await addKey(services, { feed: feed.name, reason: why });
    if (!added) {
      services.log.info('keys', 'no key added (the questions were cancelled)');
    }
    if (!added || keysFor([added], origin, packageId, purpose).length === 0) {
      if (added) {
        void notify(services.log, 'warning', `The new key's pattern ${added.glob} does not cover ${packageId}.`);
      }
      return undefined;
    }
    candidates = [added];
  }
  let record = candidates[0];
  if (candidates.length > 1) {
    const picked = await vscode.window.showQuickPick(candidates.map((candidate) => ({ label: candidate.label, description: describeKey(candidate), candidate })), { title: `Several keys cover ${packageId}: which one?` });
    if (!picked) {
      return undefined;
    }
    record = picked.candidate;
  }
  const days = daysUntilExpiry(record);
  if (days !== undefined && days < 0) {
    const choice = await notify(services.log, 'warning', `The key "${record.label}" expired on ${record.expires}; ${feed.name} will probably refuse it.`, 'Use It Anyway', 'Replace Key…');
    if (choice === 'Replace Key…') {
      await vscode.commands.executeCommand('nugetPublisher.replaceKey', { origin: record.origin, label: record.label });
      return undefined;
    }
    if (choice !== 'Use It Anyway') {
      return undefined;
    }
  }
  const secret = await services.keys.secret(record);
  if (secret === undefined) {
    throw new NuGetPublisherError('NP2041', `The value of the key "${record.label}" is missing from VS Code's secret storage (it is not synced between machines).`, 'Use "NuGet: Replace Key…" to enter it again.');
  }
  return { record, credential: credentialFor(record, secret, presetFor(feed)) };
}

/** The configured feed a key belongs to: its own feed name if it still points at the origin. */
function feedForKey(record: KeyRecord): Feed | undefined {
  const feeds = readFeeds().feeds.filter((feed) => feedOrigin(feed) === record.origin);
  return feeds.find((feed) => feed.name === record.feedName) ?? feeds[0];
}

export interface KeyRef {
  readonly origin: string;
  readonly label: string;
}

function refOf(arg: unknown): KeyRef | undefined {
  const { origin, label } = (arg ?? {}) as Partial<KeyRef>;
  return typeof origin === 'string' && typeof label === 'string' ? { origin, label } : undefined;
}

export async function replaceKey(services: Services, arg?: unknown): Promise<KeyRecord | undefined> {
  const ref = refOf(arg);
  const record = ref ? services.keys.find(ref.origin, ref.label) : await pickKey(services, 'Replace which key\'s value?');
  if (!record) {
    return undefined;
  }
  const feed = feedForKey(record);
  const preset = feed ? presetFor(feed) : undefined;
  const secret = await vscode.window.showInputBox({
    title: `Replace Key "${record.label}"`, prompt: `${preset?.secretPrompt ?? 'Paste the new value'} (the new value replaces the old one; it is sent only to ${record.origin}).`,
    password: true, ignoreFocusOut: true, validateInput: (value) => (!value.trim() ? 'Paste the value.' : /\s/.test(value.trim()) ? 'The value contains white space.' : undefined),
  });
  if (!secret?.trim()) {
    return undefined;
  }
  services.log.protect(secret.trim());
  const defaultExpiry = preset?.maxDays ? isoDate(new Date(Date.now() + preset.maxDays * 86_400_000)) : record.expires ?? '';
  const expires = await vscode.window.showInputBox({
    title: `Replace Key "${record.label}": expiry`, prompt: 'Expiry date of the new value (yyyy-mm-dd), or empty if it does not expire.',
    value: defaultExpiry, ignoreFocusOut: true, validateInput: (value) => (preset ? checkExpiry(value, preset) : undefined),
  });
  if (expires === undefined) {
    return undefined;
  }
  await services.keys.replace(record, secret.trim(), { expires: expires.trim() || undefined });
  void notify(services.log, 'info', `Replaced the value of "${record.label}".`);
  return services.keys.find(record.origin, record.label);
}

export async function removeKey(services: Services, arg?: unknown): Promise<boolean> {
  const ref = refOf(arg);
  const record = ref ? services.keys.find(ref.origin, ref.label) : await pickKey(services, 'Remove which key?');
  if (!record) {
    return false;
  }
  const choice = await confirmModal('warning', `Remove the key "${record.label}" for ${record.feedName}?`, `Its value is deleted from VS Code's secret storage. The key itself stays valid on ${record.origin} until you revoke it there.`, 'Remove');
  if (choice !== 'Remove') {
    return false;
  }
  await services.keys.remove(record);
  void notify(services.log, 'info', `Removed the key "${record.label}".`);
  return true;
}

export interface TestKeyArgs extends Partial<KeyRef> {
  readonly packageId?: string;
  readonly version?: string;
}

const OTHER = '$(edit) Another…';

/** The id to test a key with: the workspace's packages the glob covers, then its literal ids, or typed. */
async function askProbeId(record: KeyRecord): Promise<string | undefined> {
  const workspaceIds: string[] = [];
  for (const uri of (await workspacePackages()).slice(0, 50)) {
    const pkg = await openPackage(uri.fsPath).catch(() => undefined);
    if (pkg) {
      workspaceIds.push(pkg.nuspec.nuspec.metadata.id);
      await pkg.close();
    }
  }
  const candidates = probeIds(record.glob, workspaceIds);
  const title = `Test "${record.label}": which package id? (nuget.org checks a key against a package it may push)`;
  if (candidates.length > 0) {
    const picked = await vscode.window.showQuickPick([...candidates, OTHER], { title, ignoreFocusOut: true });
    if (picked !== OTHER) {
      return picked;
    }
  }
  return (await vscode.window.showInputBox({ title, prompt: 'The id of a package this key may push', value: candidates[0] ?? '', ignoreFocusOut: true }))?.trim() || undefined;
}

/** An existing version of `id`: the feed's own versions, newest first, or typed. */
async function askProbeVersion(services: Services, feed: Feed, record: KeyRecord, id: string): Promise<string | undefined> {
  const title = `Test "${record.label}": which version of ${id}? (one the feed already has)`;
  const versions = await services.keys.clientFor(feed).versions(id).catch(() => [] as string[]);
  const newest = newestFirst(versions);
  if (newest.length > 0) {
    const picked = await vscode.window.showQuickPick([...newest, OTHER], { title, ignoreFocusOut: true });
    if (picked !== OTHER) {
      return picked;
    }
  }
  return (await vscode.window.showInputBox({ title, prompt: newest.length ? `An existing version of ${id}` : `${feed.name} lists no version of ${id}: type one it has`, ignoreFocusOut: true }))?.trim() || undefined;
}

export async function testKey(services: Services, arg?: unknown): Promise<KeyCheck | undefined> {
  const args = (arg ?? {}) as TestKeyArgs;
  const ref = refOf(arg);
  const record = ref ? services.keys.find(ref.origin, ref.label) : await pickKey(services, 'Test which key?');
  if (!record) {
    return undefined;
  }
  const feed = feedForKey(record);
  if (!feed) {
    throw new NuGetPublisherError('NP2042', `No configured feed points at ${record.origin}, so the key "${record.label}" cannot be tested.`, 'Add the feed again (NuGet: Add Feed…).');
  }
  const secret = await services.keys.secret(record);
  if (secret === undefined) {
    throw new NuGetPublisherError('NP2041', `The value of "${record.label}" is missing from the secret storage.`, 'Use NuGet: Replace Key.');
  }
  let probe: { id?: string; version?: string } = { id: args.packageId, version: args.version };
  if (feed.kind === 'nuget.org' && (!probe.id || !probe.version)) {
    const id = probe.id ?? (await askProbeId(record));
    const version = id ? probe.version ?? (await askProbeVersion(services, feed, record, id)) : undefined;
    if (!id || !version) {
      return undefined;
    }
    probe = { id, version };
  }
  const check = async (): Promise<KeyCheck> => {
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing "${record.label}" against ${feed.name}…` }, () => testCredential(feed, credentialFor(record, secret, presetFor(feed)), probe));
    } catch (error) {
      return { ok: false, message: describeError(error) };
    }
  };
  let result = await check();
  // Any gallery-style V3 feed (not only nuget.org) checks a key only against a package it has:
  // ask for one, as for nuget.org, and check again.
  if (result.needsProbe && (!probe.id || !probe.version)) {
    const id = probe.id ?? (await askProbeId(record));
    const version = id ? probe.version ?? (await askProbeVersion(services, feed, record, id)) : undefined;
    if (!id || !version) {
      return undefined;
    }
    probe = { id, version };
    result = await check();
  }
  await services.keys.update(record, { lastTest: { at: new Date().toISOString(), ok: result.ok, message: result.message } });
  services.log.info('keys', `test of "${record.label}" (${record.origin}): ${result.ok === undefined ? 'cannot tell' : result.ok ? 'ok' : 'refused'}: ${result.message}`);
  void notify(services.log, result.ok === false ? 'error' : result.ok ? 'info' : 'warning', `Key "${record.label}": ${result.message}`);
  return result;
}
