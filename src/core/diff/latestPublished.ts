/**
 * The latest version of a package a feed already has (other than the one about to be published),
 * as a local file: a folder feed's own file, or a download from the flat container.
 */
import { existsSync } from 'node:fs';
import { folderPath, type Feed } from '../feeds/feed';
import { discoverFeed } from '../feeds/feedAccess';
import { downloadVersion } from '../feeds/download';
import { folderVersions } from '../feeds/explorerModel';
import { downloadPath, folderFeedLocation } from '../feeds/packagePaths';
import { flatVersions, sameVersion } from '../feeds/feedReads';
import { hasResource } from '../feeds/serviceIndex';
import type { ConditionalFetcher } from '../track/conditionalFetch';
import { compareVersions, parseVersion } from '../version';

function newest(versions: readonly string[], excluding: string): string | undefined {
  return versions
    .filter((version) => !sameVersion(version, excluding) && parseVersion(version))
    .sort((a, b) => compareVersions(parseVersion(b)!, parseVersion(a)!))[0];
}

export async function latestPublished(options: { feed: Feed; id: string; excludingVersion: string; fetcher: ConditionalFetcher; downloadFolder: string; authorization?: string }): Promise<{ version: string; path: string } | undefined> {
  const { feed, id } = options;
  if (feed.kind === 'folder') {
    const version = newest((await folderVersions(feed, id)).map((entry) => entry.version), options.excludingVersion);
    if (!version) {
      return undefined;
    }
    const { nupkg: path } = await folderFeedLocation(folderPath(feed.source), id, version);
    return existsSync(path) ? { version, path } : undefined;
  }
  const index = await discoverFeed(feed, options.authorization ? () => options.authorization : undefined);
  if (!hasResource(index, 'packageBase')) {
    return undefined;
  }
  const version = newest(await flatVersions(options.fetcher, index, id), options.excludingVersion);
  if (!version) {
    return undefined;
  }
  // The version comes from the feed: checked, and kept inside the downloads folder.
  const path = downloadPath(options.downloadFolder, id, version);
  await downloadVersion(index, id, version, path, { feedOrigin: new URL(feed.source).origin, authorization: options.authorization });
  return { version, path };
}
