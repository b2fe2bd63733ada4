/** Actions of the feed explorer and the tracker: on feed, package and version nodes, or from the palette. */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { noSuchFeed } from '../feeds/feedSettings';
import { NuGetPublisherError } from '../../core/errors';
import { openExternalSafely } from '../openExternal';
import { dotnetAddPackage, folderPath, type Feed } from '../../core/feeds/feed';
import { downloadPath, folderFeedLocation } from '../../core/feeds/packagePaths';
import { parseVersion } from '../../core/version';
import { findFeed, pickFeed } from '../feeds/feedSettings';
import { INSPECTOR_VIEW_TYPE } from '../inspector/inspectorEditor';
import { notify } from '../log';
import type { Services } from '../services';
import type { TreeNode } from './feedTree';

/** { feed, id, version } from a tree node or from scripted arguments. */
interface Target {
  readonly feed?: string;
  readonly id?: string;
  readonly version?: string;
}

function targetOf(arg: unknown): Target {
  const node = (arg ?? {}) as Partial<TreeNode> & Target & { info?: { latest?: string } };
  return { feed: node.feed, id: node.id, version: node.version ?? (node.kind === 'package' ? node.info?.latest : undefined) };
}

function requireFeed(name: string | undefined): Feed {
  const feed = name ? findFeed(name) : undefined;
  if (!feed) {
    throw name ? noSuchFeed(name) : new NuGetPublisherError('NP3021', 'This action needs a feed.', 'Run it from the Feeds view.');
  }
  return feed;
}

export function packageReference(id: string, version: string): string {
  return `<PackageReference Include="${id}" Version="${version}" />`;
}

export async function copyInstall(services: Services, arg: unknown, form: 'command' | 'reference'): Promise<string | undefined> {
  const { feed: name, id, version } = targetOf(arg);
  if (!id || !version) {
    return undefined;
  }
  const text = form === 'command' ? dotnetAddPackage(id, version, name ? findFeed(name) : undefined) : packageReference(id, version);
  await vscode.env.clipboard.writeText(text);
  services.log.info('explorer', `copied: ${text}`);
  vscode.window.setStatusBarMessage(`Copied: ${text}`, 4000);
  return text;
}

export async function openOnGallery(services: Services, arg: unknown): Promise<string | undefined> {
  const { feed: name, id, version } = targetOf(arg);
  const feed = requireFeed(name);
  if (!id || feed.kind === 'folder') {
    return undefined;
  }
  const url = await services.keys.clientFor(feed).detailsUrl(id, version);
  if (!url) {
    throw new NuGetPublisherError('NP3022', `${feed.name} has no package pages (no PackageDetailsUriTemplate/5.1.0).`, 'Browse the feed in its own web UI.');
  }
  await openExternalSafely(url);
  return url;
}

export async function downloadAndInspect(services: Services, arg: unknown): Promise<vscode.Uri | undefined> {
  const { feed: name, id, version } = targetOf(arg);
  const feed = requireFeed(name);
  if (!id || !version) {
    return undefined;
  }
  let file: vscode.Uri;
  if (feed.kind === 'folder') {
    // id and version come from the tree (folder names) or a command argument: contained in the feed.
    file = vscode.Uri.file((await folderFeedLocation(folderPath(feed.source), id, version)).nupkg);
  } else {
    // The id and version come from the feed: checked, and the file kept inside the downloads folder.
    const target = vscode.Uri.file(downloadPath(join(services.context.globalStorageUri.fsPath, 'downloads'), id, version));
    const url = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Downloading ${id} ${version}…`, cancellable: true }, async (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return services.keys.clientFor(feed).download(id, version, target.fsPath, controller.signal);
    });
    services.log.info('explorer', `downloaded ${url} to ${target.fsPath}`);
    file = target;
  }
  await vscode.commands.executeCommand('vscode.openWith', file, INSPECTOR_VIEW_TYPE);
  return file;
}

/** "NuGet: Track Package Version…", or Track on a version node. */
export async function trackVersion(services: Services, arg: unknown): Promise<string | undefined> {
  const target = targetOf(arg);
  const name = target.feed;
  let { id, version } = target;
  const feed = name ? requireFeed(name) : await pickFeed('Track a version: on which feed?', (candidate) => candidate.kind !== 'folder');
  if (!feed) {
    return undefined;
  }
  if (feed.kind === 'folder') {
    void notify(services.log, 'info', `${feed.name} is a folder feed: a version is available as soon as it is written.`);
    return undefined;
  }
  id ??= (await vscode.window.showInputBox({ title: 'Track Package Version (1/2): package id', ignoreFocusOut: true, validateInput: (value) => (/^[A-Za-z0-9_]+([.-][A-Za-z0-9_]+)*$/.test(value.trim()) ? undefined : 'Enter a package id such as Contoso.Utils.') }))?.trim();
  version ??= id ? (await vscode.window.showInputBox({ title: `Track Package Version (2/2): version of ${id}`, ignoreFocusOut: true, validateInput: (value) => (parseVersion(value.trim()) ? undefined : 'Enter a version such as 1.2.3.') }))?.trim() : undefined;
  if (!id || !version) {
    return undefined;
  }
  return services.tracker.track(feed, id, version)?.key;
}
