/**
 * "NuGet: Unlist Version…" (DELETE) and "NuGet: Relist Version…" (POST) on {PackagePublish}/{id}/{version},
 * with the key chosen by glob (unlist scope) and a confirmation.
 */
import * as vscode from 'vscode';
import { noSuchFeed } from '../feeds/feedSettings';
import { NuGetPublisherError } from '../../core/errors';
import { describeError } from '../../core/errors';
import type { FeedClient } from '../../core/feeds/feedClient';
import { authorizationOf } from '../../core/keys/keys';
import { changeListing } from '../../core/publish/listing';
import { compareVersions, normalizeVersion, parseVersion } from '../../core/version';
import { findFeed, pickFeed } from '../feeds/feedSettings';
import { chooseKey } from '../keys/keyCommands';
import { notify, showError } from '../log';
import { requireTrust } from '../pack/packCommon';
import type { Services } from '../services';
import { isNugetOrgHost } from '../../core/feeds/feed';
import { confirmModal } from '../dialogs';

export interface ListingArgs {
  readonly feed?: string;
  readonly id?: string;
  readonly version?: string;
  readonly key?: string;
}

/** Versions from the feed's client, newest first (undefined when the feed does not say). */
async function knownVersions(client: FeedClient, id: string): Promise<string[] | undefined> {
  if (client.feed.kind === 'v2') {
    return undefined; // a V2 push endpoint cannot be browsed
  }
  try {
    const versions = await client.versions(id);
    return versions.sort((a, b) => {
      const [pa, pb] = [parseVersion(a), parseVersion(b)];
      return pa && pb ? compareVersions(pb, pa) : b.localeCompare(a);
    });
  } catch {
    return undefined;
  }
}

export async function setListedCommand(services: Services, listed: boolean, arg?: unknown): Promise<number | undefined> {
  const args = (arg ?? {}) as ListingArgs;
  const verb = listed ? 'Relist' : 'Unlist';
  if (!requireTrust(`${verb.toLowerCase()} packages`)) {
    return undefined;
  }
  const feed = args.feed ? findFeed(args.feed) : await pickFeed(`${verb} a version: on which feed?`, (candidate) => candidate.kind !== 'folder');
  if (!feed) {
    if (args.feed) {
      throw noSuchFeed(args.feed);
    }
    return undefined;
  }
  if (feed.kind === 'folder') {
    throw new NuGetPublisherError('NP2027', `${feed.name} is a folder feed: it has no unlisting.`, 'Delete the version\'s folder to remove it.');
  }
  if (feed.kind === 'nuget-server') {
    throw new NuGetPublisherError('NP2028', `nuget-server offers no ${verb.toLowerCase()} through the NuGet protocol.`, 'Use its web UI.');
  }
  const id = args.id ?? (await vscode.window.showInputBox({ title: `${verb} Version (1/2): package id`, prompt: `The id of the package to ${verb.toLowerCase()} on ${feed.name}`, ignoreFocusOut: true, validateInput: (value) => (/^[A-Za-z0-9_]+([.-][A-Za-z0-9_]+)*$/.test(value.trim()) ? undefined : 'Enter a package id such as Contoso.Utils.') }))?.trim();
  if (!id) {
    return undefined;
  }
  const key = await chooseKey(services, feed, id, 'unlist', args.key);
  if (!key) {
    return undefined;
  }
  const authorization = authorizationOf(key.credential);
  let version = args.version;
  if (!version) {
    const versions = await knownVersions(services.keys.clientFor(feed), id);
    version = versions && versions.length > 0
      ? (await vscode.window.showQuickPick(versions, { title: `${verb} Version (2/2): which version of ${id}?` }))
      : (await vscode.window.showInputBox({ title: `${verb} Version (2/2): version`, prompt: `The version of ${id}`, ignoreFocusOut: true, validateInput: (value) => (parseVersion(value.trim()) ? undefined : 'Enter a version such as 1.2.3.') }))?.trim();
  }
  if (!version) {
    return undefined;
  }
  const parsed = parseVersion(version);
  const shown = parsed ? normalizeVersion(parsed) : version;
  // Always confirmed by the user, whoever ran the command (no argument skips it).
  const detail = listed
    ? `${id} ${shown} shows up in search again and becomes the default choice when it is the newest.`
    : `${id} ${shown} disappears from search and from "latest" choices; projects that already use it can still restore it.${feed.kind === 'nuget.org' || isNugetOrgHost(feed.source) ? ' On nuget.org the version can never be deleted or reused.' : ''}`;
  if ((await confirmModal('warning', `${verb} ${id} ${shown} on ${feed.name}?`, detail, verb)) !== verb) {
    return undefined;
  }
  try {
    const result = await changeListing({ feed, id, version: shown, listed, apiKey: key.credential?.apiKey, authorization });
    services.log.info('listing', `${verb.toLowerCase()} ${id} ${shown} on ${feed.name}: ${result.outcome} (${result.status})`);
    // Say what the feed shows now: some servers delete on DELETE instead of unlisting.
    void notify(services.log, result.outcome === 'deleted' || result.outcome === 'unconfirmed' ? 'warning' : 'info', result.outcome === 'deleted'
      ? `${feed.name} deleted ${id} ${shown} instead of unlisting it: the version is gone from the feed.`
      : result.outcome === 'unconfirmed'
        ? `${feed.name} took the ${verb.toLowerCase()} of ${id} ${shown}, but ${result.note ?? 'the outcome cannot be confirmed'}.`
        : `${verb}ed ${id} ${shown} on ${feed.name}.${result.note ? ` (${result.note})` : ''}`);
    return result.status;
  } catch (error) {
    services.log.error('listing', `${verb} ${id} ${shown} on ${feed.name} failed: ${describeError(error)}`);
    void showError(services.log, `${verb} of ${id} ${shown} on ${feed.name} failed. ${describeError(error)}`);
    return undefined;
  }
}
