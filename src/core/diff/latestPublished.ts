/**
 * The latest version of a package a feed already has (other than the one about to be published),
 * as a local file: a folder feed's own file, or a download from the flat container.
 */
import { existsSync } from 'node:fs';
import { folderPath } from '../feeds/feed';
import type { FeedClient } from '../feeds/feedClient';
import { downloadPath, folderFeedLocation } from '../feeds/packagePaths';
import { sameVersion } from '../feeds/feedReads';
import { newestFirst } from '../version';

function newest(versions: readonly string[], excluding: string): string | undefined {
  return newestFirst(versions.filter((version) => !sameVersion(version, excluding)))[0];
}

export async function latestPublished(options: { client: FeedClient; id: string; excludingVersion: string; downloadFolder: string; signal?: AbortSignal }): Promise<{ version: string; path: string } | undefined> {
  const { client, id } = options;
  const { feed } = client;
  const version = newest(await client.versions(id, options.signal), options.excludingVersion);
  if (!version) {
    return undefined;
  }
  if (feed.kind === 'folder') {
    const { nupkg: path } = await folderFeedLocation(folderPath(feed.source), id, version);
    return existsSync(path) ? { version, path } : undefined;
  }
  // The version comes from the feed: checked, and kept inside the downloads folder.
  const path = downloadPath(options.downloadFolder, id, version);
  await client.download(id, version, path, options.signal);
  return { version, path };
}
