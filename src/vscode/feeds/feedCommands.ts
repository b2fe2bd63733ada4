/** "NuGet: Add Feed…", "NuGet: Import Feeds from NuGet.Config", "NuGet: Remove Feed…". */
import { readFile, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { describeError, NuGetPublisherError } from '../../core/errors';
import { asFeedKind, guessKind, isUrlSource, parseFeedSetting, serviceIndexUrl, type Feed, type FeedKind } from '../../core/feeds/feed';
import { CONFIG_FILE_NAMES, configSearchFolders, readNuGetConfigs, type ConfigFile, type ConfigSource } from '../../core/feeds/nugetConfig';
import { discover, hasResource } from '../../core/feeds/serviceIndex';
import { isLoopback } from '../../core/http/keySafety';
import { presetFor, type KeyRecord } from '../../core/keys/keys';
import { notify } from '../log';
import { confirmModal, pickMany } from '../dialogs';
import type { Services } from '../services';
import { addUserFeed, pickFeed, readFeeds, removeUserFeed } from './feedSettings';

export interface AddFeedArgs {
  readonly name?: string;
  readonly source?: string;
  readonly kind?: FeedKind;
}

function uniqueName(wanted: string, taken: readonly Feed[]): string {
  let name = wanted;
  for (let n = 2; taken.some((feed) => feed.name.toLowerCase() === name.toLowerCase()); n++) {
    name = `${wanted} (${n})`;
  }
  return name;
}

function checkUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    if (url.protocol === 'https:') {
      return undefined;
    }
    if (url.protocol === 'http:') {
      return isLoopback(url.hostname) ? undefined : 'Plain http:// is only allowed for this machine (127.0.0.1, localhost): keys are never sent unencrypted. Use https://.';
    }
  } catch {
    // fall through
  }
  return 'Enter an https:// URL, e.g. https://api.nuget.org/v3/index.json';
}

/** Probes a URL feed's service index; returns a warning to show (or undefined when all is well). */
async function probe(feed: Feed): Promise<string | undefined> {
  try {
    const index = await discover(serviceIndexUrl(feed), { maxAgeMs: 0 });
    return hasResource(index, 'publish') || feed.kind === 'nuget-server' ? undefined : `${feed.name} has no PackagePublish resource: it is read-only through the NuGet protocol, so you can browse it but not publish to it.`;
  } catch (error) {
    if (error instanceof NuGetPublisherError && error.code === 'NP3006') {
      return undefined; // needs credentials to read: add a key next
    }
    return describeError(error);
  }
}

export async function addFeed(services: Services, raw: unknown = {}): Promise<Feed | undefined> {
  // From the Feeds view's "+" VS Code passes the focused tree row ({ kind: 'feed', … }): that is
  // not a feed kind, so only the fields of AddFeedArgs that hold what they should are taken.
  const given = (raw ?? {}) as Record<string, unknown>;
  const args: AddFeedArgs = {
    name: typeof given.name === 'string' ? given.name : undefined,
    source: typeof given.source === 'string' ? given.source : undefined,
    kind: asFeedKind(given.kind),
  };
  let kind = args.kind;
  if (!kind && !args.source) {
    const picked = await vscode.window.showQuickPick([
      { label: '$(globe) NuGet V3 server', detail: 'nuget.org, Azure Artifacts, GitHub Packages, MyGet, ProGet, Nexus, Artifactory, BaGet… (a service index URL)', feedKind: 'v3' as FeedKind },
      { label: '$(folder) Local folder', detail: 'A folder in the hierarchical layout dotnet restore reads; needs no key', feedKind: 'folder' as FeedKind },
      { label: '$(cloud-upload) NuGet V2 push URL', detail: 'Push-only (no browsing): a V2 endpoint such as https://packages.example.com/api/v2/package, as older servers and CI scripts use', feedKind: 'v2' as FeedKind },
      { label: '$(server) nuget-server', detail: 'The nuget-server npm package (publishes through /api/publish with a user name and API password)', feedKind: 'nuget-server' as FeedKind },
    ], { title: 'Add Feed (1/3): what kind of feed?' });
    if (!picked) {
      return undefined;
    }
    kind = picked.feedKind;
  }
  let source = args.source;
  if (!source && kind === 'folder') {
    source = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use as Feed', title: 'Add Feed: choose the folder' }))?.[0]?.fsPath;
  } else if (!source) {
    source = (await vscode.window.showInputBox({
      title: 'Add Feed (2/3): URL', prompt: kind === 'nuget-server' ? 'The server\'s base URL, e.g. https://packages.example.com' : kind === 'v2' ? 'The V2 push URL (a URL with no path gets api/v2/package)' : 'The service index URL (it ends in index.json)',
      placeHolder: kind === 'nuget-server' ? 'https://packages.example.com' : 'https://pkgs.dev.azure.com/ORG/_packaging/FEED/nuget/v3/index.json',
      ignoreFocusOut: true, validateInput: checkUrl,
    }))?.trim();
  }
  if (!source) {
    return undefined;
  }
  const resolvedKind: FeedKind = kind === 'v3' || kind === undefined ? guessKind(source) : kind;
  const { feeds } = readFeeds();
  const suggested = uniqueName(isUrlSource(source) ? new URL(source).host : basename(source), feeds);
  const name = args.name ?? (await vscode.window.showInputBox({
    title: 'Add Feed (3/3): name', prompt: 'A short name for the feed', value: suggested, ignoreFocusOut: true,
    validateInput: (value) => (!value.trim() ? 'Give the feed a name.' : feeds.some((feed) => feed.name.toLowerCase() === value.trim().toLowerCase()) ? 'A feed with this name exists.' : undefined),
  }))?.trim();
  if (!name) {
    return undefined;
  }
  const parsed = parseFeedSetting([{ name, source, kind: resolvedKind }]);
  if (parsed.problems.length > 0 || parsed.feeds.length === 0) {
    throw new NuGetPublisherError('NP3023', parsed.problems.map((problem) => problem.message).join(' ') || 'The feed is not valid.', 'Check the URL or folder and try again.');
  }
  const feed = parsed.feeds[0];
  // A V2 push endpoint has no index to probe (a push is the only way to reach it).
  if (feed.kind !== 'folder' && feed.kind !== 'v2') {
    const warning = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking ${feed.source}…` }, () => probe(feed));
    if (warning) {
      const choice = await confirmModal('warning', warning, undefined, 'Add Anyway');
      if (choice !== 'Add Anyway') {
        return undefined;
      }
      services.log.warn('feeds', `added ${feed.name} despite: ${warning}`);
    }
  }
  await addUserFeed(feed);
  services.log.info('feeds', `added feed ${feed.name} (${feed.kind}) ${feed.source}`);
  if (feed.kind !== 'folder' && !args.name) {
    const choice = await notify(services.log, 'info', `Added the feed "${feed.name}". ${presetFor(feed).hint}`, 'Add Key…');
    if (choice) {
      await vscode.commands.executeCommand('nugetPublisher.addKey', { feed: feed.name });
    }
  }
  return feed;
}

export async function removeFeed(services: Services, arg?: unknown): Promise<boolean> {
  const name = typeof arg === 'string' ? arg : typeof (arg as { name?: unknown })?.name === 'string' ? (arg as { name: string }).name : (await pickFeed('Remove which feed?'))?.name;
  if (!name) {
    return false;
  }
  const choice = await confirmModal('warning', `Remove the feed "${name}" from your settings?`, 'Stored keys are kept (they belong to the feed\'s address); remove them with NuGet: Remove Key… if you no longer need them.', 'Remove');
  if (choice !== 'Remove') {
    return false;
  }
  const removed = await removeUserFeed(name);
  if (!removed) {
    void notify(services.log, 'warning', `"${name}" is not in your user settings (it may come from the workspace settings or be the default).`);
  }
  return removed;
}

/** nuget.org user and organization names: letters, digits, '.', '-' and '_'. */
function checkOwnerNames(value: string): string | undefined {
  const names = value.split(/[,\s]+/).filter(Boolean);
  if (names.length === 0) {
    return 'Enter at least one user or organization name.';
  }
  const bad = names.find((name) => !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name));
  return bad ? `"${bad}" is not a nuget.org user or organization name.` : undefined;
}

/**
 * "Set Owner Names…": the nuget.org users and organizations whose packages a feed lists (the
 * `owners` of the feed in the user settings), asked in an input box rather than in settings JSON.
 */
export async function setFeedOwners(services: Services, arg?: unknown): Promise<readonly string[] | undefined> {
  const given = (arg ?? {}) as { feed?: unknown; name?: unknown; owners?: unknown };
  const name = typeof arg === 'string' ? arg : typeof given.feed === 'string' ? given.feed : typeof given.name === 'string' ? given.name : (await pickFeed('Set owner names for which feed?', (feed) => feed.kind === 'nuget.org'))?.name;
  const feed = name ? readFeeds().feeds.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase()) : undefined;
  if (!feed) {
    return undefined;
  }
  const value = typeof given.owners === 'string' ? given.owners : await vscode.window.showInputBox({
    title: `${feed.name}: whose packages to list`,
    prompt: 'Your nuget.org user name and the organizations you publish under, separated by commas.',
    value: feed.owners?.join(', ') ?? '', placeHolder: 'e.g. contoso, contoso-labs', ignoreFocusOut: true, validateInput: checkOwnerNames,
  });
  if (value === undefined) {
    return undefined;
  }
  const problem = checkOwnerNames(value);
  if (problem) {
    throw new NuGetPublisherError('NP3023', problem, 'Use the names shown on your nuget.org profile and organizations pages.');
  }
  const owners = [...new Set(value.split(/[,\s]+/).filter(Boolean))];
  await addUserFeed({ ...feed, owners });
  services.log.info('feeds', `${feed.name} lists the packages of ${owners.join(', ')}`);
  return owners;
}

/** Every NuGet.Config that applies to the workspace, lowest priority first. */
async function configFiles(): Promise<ConfigFile[]> {
  // An untrusted workspace's files are not read: only the user-level file.
  const workspace = vscode.workspace.isTrusted ? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath : undefined;
  const files: ConfigFile[] = [];
  const seen = new Set<string>();
  for (const folder of configSearchFolders(workspace, homedir())) {
    for (const name of CONFIG_FILE_NAMES) {
      const path = join(folder, name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) {
        continue;
      }
      const real = await realpath(path);
      if (!seen.has(real)) {
        seen.add(real);
        files.push({ path, text: await readFile(path, 'utf8') });
      }
      break; // NuGet reads one config file per folder
    }
  }
  return files;
}

function credentialNote(source: ConfigSource): string {
  if (source.credentials?.password !== undefined) {
    return 'user name + clear-text password: moves to the secret storage';
  }
  if (source.credentials?.encrypted) {
    return 'encrypted password: Windows-only (DPAPI), cannot be read here; add the key by hand';
  }
  return source.encryptedApiKey ? 'encrypted API key: Windows-only (DPAPI); add the key by hand' : '';
}

export interface ImportArgs {
  /** Config files to read instead of the user's and the workspace's (scripted use); what to import is always the user's choice. */
  readonly files?: readonly string[];
}

export interface ImportResult {
  readonly feeds: readonly Feed[];
  readonly credentials: number;
  readonly encrypted: readonly string[];
}

export async function importFeeds(services: Services, args: ImportArgs = {}): Promise<ImportResult | undefined> {
  const files = args.files ? await Promise.all(args.files.map(async (path) => ({ path, text: await readFile(path, 'utf8') }))) : await configFiles();
  if (files.length === 0) {
    void notify(services.log, 'info', 'No NuGet.Config was found (user-level or in the workspace folders).');
    return undefined;
  }
  const sources = readNuGetConfigs(files);
  const { feeds } = readFeeds();
  const fresh = sources.filter((source) => !feeds.some((feed) => feed.source.replace(/\/$/, '').toLowerCase() === source.source.replace(/\/$/, '').toLowerCase()));
  if (fresh.length === 0) {
    void notify(services.log, 'info', `Every source in ${files.map((file) => file.path).join(', ')} is already configured.`);
    return { feeds: [], credentials: 0, encrypted: [] };
  }
  const picked = await pickMany(fresh.map((source) => ({
    label: source.name, description: `${source.enabled ? '' : '(disabled) '}${credentialNote(source)}`, detail: `${source.source} — from ${source.file}`, picked: source.enabled, source,
  })), { title: 'Import which feeds from NuGet.Config?', matchOnDetail: true });
  if (!picked || picked.length === 0) {
    return undefined;
  }
  const chosen = picked.map((item) => item.source);
  const added: Feed[] = [];
  let credentials = 0;
  const encrypted: string[] = [];
  for (const source of chosen) {
    const kind = guessKind(source.source);
    const parsed = parseFeedSetting([{ name: uniqueName(source.name, [...feeds, ...added]), source: source.source, kind }]);
    if (parsed.feeds.length === 0) {
      services.log.warn('feeds', `not imported ${source.name}: ${parsed.problems.map((problem) => problem.message).join(' ')}`);
      continue;
    }
    const feed = parsed.feeds[0];
    await addUserFeed(feed);
    added.push(feed);
    if (source.credentials?.password !== undefined && kind !== 'folder') {
      const origin = new URL(feed.source).origin;
      const label = uniqueName('NuGet.Config', services.keys.list().filter((record) => record.origin === origin).map((record) => ({ name: record.label, source: '', kind: 'v3' })));
      const record: KeyRecord = { label, origin, feedName: feed.name, scheme: 'basic', username: source.credentials.username ?? '', scopes: [], glob: '*', created: new Date().toISOString() };
      await services.keys.add(record, source.credentials.password);
      credentials++;
    } else if (source.credentials?.encrypted || source.encryptedApiKey) {
      encrypted.push(feed.name);
    }
  }
  services.log.info('feeds', `imported ${added.length} feed(s) from ${files.map((file) => file.path).join(', ')}; ${credentials} credential(s) stored`);
  const parts = [`Imported ${added.length} feed${added.length === 1 ? '' : 's'}.`];
  if (credentials > 0) {
    parts.push(`${credentials} clear-text password${credentials === 1 ? ' is' : 's are'} now in VS Code's secret storage; you may delete ${credentials === 1 ? 'it' : 'them'} from NuGet.Config.`);
  }
  if (encrypted.length > 0) {
    parts.push(`${encrypted.join(', ')} ${encrypted.length === 1 ? 'has' : 'have'} an encrypted password or key: those are Windows-only (DPAPI) and cannot be read here. Add the key with NuGet: Add Key….`);
  }
  void notify(services.log, encrypted.length > 0 ? 'warning' : 'info', parts.join(' '));
  return { feeds: added, credentials, encrypted };
}
