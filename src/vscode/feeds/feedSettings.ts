/**
 * The `nugetPublisher.feeds` setting. Feeds the user adds go to the user settings. A workspace
 * may define feeds too, but keys bind to origins, so a workspace feed named like a user's feed
 * never receives that feed's key unless it points at the same origin. In untrusted workspaces
 * the workspace value is ignored altogether (restrictedConfigurations in package.json).
 */
import * as vscode from 'vscode';
import { NuGetPublisherError } from '../../core/errors';
import { parseFeedSetting, type Feed, type FeedProblem } from '../../core/feeds/feed';
import type { Log } from '../log';
import { readSettings, userFeedsValue, writeUserFeeds } from '../config';

export function readFeeds(log?: Log): { feeds: Feed[]; problems: FeedProblem[] } {
  const result = parseFeedSetting(readSettings().feeds);
  result.problems.forEach((problem) => log?.warn('feeds', problem.message));
  return result;
}

/** "There is no feed named X", as an NP error. */
export function noSuchFeed(name: string): NuGetPublisherError {
  return new NuGetPublisherError('NP3020', `There is no feed named "${name}".`, 'Check the setting nugetPublisher.feeds, or add it with NuGet: Add Feed….');
}

export function findFeed(name: string): Feed | undefined {
  return readFeeds().feeds.find((feed) => feed.name.toLowerCase() === name.toLowerCase());
}

export async function addUserFeed(feed: Feed): Promise<void> {
  const list = userFeedsValue().filter((entry) => String((entry as { name?: unknown })?.name ?? '').toLowerCase() !== feed.name.toLowerCase());
  list.push({ name: feed.name, source: feed.source, kind: feed.kind, ...(feed.owners ? { owners: feed.owners } : {}) });
  await writeUserFeeds(list);
}

export async function removeUserFeed(name: string): Promise<boolean> {
  const list = userFeedsValue();
  const kept = list.filter((entry) => String((entry as { name?: unknown })?.name ?? '').toLowerCase() !== name.toLowerCase());
  if (kept.length === list.length) {
    return false;
  }
  await writeUserFeeds(kept);
  return true;
}

/** Lets the user choose a feed (all, or only those a filter accepts). */
export async function pickFeed(title: string, filter: (feed: Feed) => boolean = () => true): Promise<Feed | undefined> {
  const feeds = readFeeds().feeds.filter(filter);
  if (feeds.length === 0) {
    const choice = await vscode.window.showWarningMessage('No suitable feed is configured.', 'Add Feed…');
    if (choice) {
      await vscode.commands.executeCommand('nugetPublisher.addFeed');
    }
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(feeds.map((feed) => ({
    label: feed.name,
    description: feed.kind,
    detail: feed.source,
    iconPath: new vscode.ThemeIcon(feed.kind === 'folder' ? 'folder' : 'globe'),
    feed,
  })), { title, placeHolder: 'Choose a feed', matchOnDetail: true });
  return picked?.feed;
}
