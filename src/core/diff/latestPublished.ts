/**
 * The published version of a package to compare a release with (chooseBaseline), as a local
 * file: a folder feed's own file, or a download from the flat container.
 */
import { existsSync } from 'node:fs';
import { folderPath } from '../feeds/feed';
import type { FeedClient } from '../feeds/feedClient';
import { downloadPath, folderFeedLocation } from '../feeds/packagePaths';
import { sameVersion } from '../feeds/feedReads';
import { compareVersions, newestFirst, parseVersion } from '../version';

/** The version a release is compared with, and why that one (said to the user). */
export interface Baseline {
  readonly version: string;
  readonly why: string;
}

/**
 * The published version to compare a release with: the nearest lower version on the same track
 * (a stable release against the previous stable one; a prerelease against the nearest lower
 * version of any kind). When the feed has only higher versions, the lowest of them, said to be a
 * downgrade. The highest version overall is not the baseline: a 12.0.1 patch compared with a
 * 14.0.1-beta2 reported that beta's changes as its own.
 */
export function chooseBaseline(versions: readonly string[], target: string): Baseline | undefined {
  const wanted = parseVersion(target);
  const others = newestFirst(versions.filter((version) => !sameVersion(version, target)));
  if (!wanted) {
    return others[0] ? { version: others[0], why: 'the newest version on the feed' } : undefined;
  }
  const parsed = others.map((version) => ({ version, parsed: parseVersion(version) })).filter((entry) => entry.parsed);
  const lower = parsed.filter((entry) => compareVersions(entry.parsed!, wanted) < 0);
  const stable = wanted.release.length === 0;
  const sameTrack = stable ? lower.filter((entry) => entry.parsed!.release.length === 0) : lower;
  if (sameTrack[0]) {
    return { version: sameTrack[0].version, why: stable ? 'the nearest lower stable version' : 'the nearest lower version' };
  }
  if (lower[0]) {
    return { version: lower[0].version, why: 'the nearest lower version (a prerelease: the feed has no lower stable version)' };
  }
  const higher = [...parsed].reverse()[0];
  return higher ? { version: higher.version, why: `the lowest version on the feed, which is higher: ${target} would be a downgrade` } : undefined;
}

export async function latestPublished(options: { client: FeedClient; id: string; excludingVersion: string; downloadFolder: string; signal?: AbortSignal }): Promise<{ version: string; path: string; why: string } | undefined> {
  const { client, id } = options;
  const { feed } = client;
  const baseline = chooseBaseline(await client.versions(id, options.signal), options.excludingVersion);
  if (!baseline) {
    return undefined;
  }
  const { version, why } = baseline;
  if (feed.kind === 'folder') {
    const { nupkg: path } = await folderFeedLocation(folderPath(feed.source), id, version);
    return existsSync(path) ? { version, path, why } : undefined;
  }
  // The version comes from the feed: checked, and kept inside the downloads folder.
  const path = downloadPath(options.downloadFolder, id, version);
  await client.download(id, version, path, options.signal);
  return { version, path, why };
}
