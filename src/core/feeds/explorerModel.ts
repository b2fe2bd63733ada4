/**
 * What the feed explorer lists, without VS Code: the packages of a feed (an owner's packages on
 * nuget.org, search pages on other V3 feeds, the folders of a folder feed) and the versions of a
 * package (registration metadata where the feed has it, else the flat container), newest first.
 * Large lists are produced in slices that yield to the event loop, so 10,000 versions never block
 * the extension host in one long step.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConditionalFetcher } from '../http/conditionalFetch';
import { compareVersions, isSemVer2, normalizeVersion, parseVersion, type NuGetVersion } from '../version';
import { folderPath, type Feed } from './feed';
import { checkPackageId } from './packagePaths';
import { readRegularFile } from '../fsSafe';
import { MAX_NUSPEC_BYTES } from '../nuspec/parse';
import { flatVersions, registrationVersions, search, type SearchHit } from './feedReads';
import { hasResource, type ServiceIndex } from './serviceIndex';

export interface PackageInfo {
  readonly id: string;
  readonly latest?: string;
  readonly description?: string;
  readonly totalDownloads?: number;
  readonly verified: boolean;
  readonly owners: readonly string[];
}

export interface VersionInfo {
  readonly version: string;
  readonly listed: boolean;
  readonly published?: string;
  readonly deprecated?: string;
  readonly semVer2: boolean;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Where the next page starts, or undefined when this was the last one. */
  readonly next?: number;
  readonly total?: number;
}

export const PAGE_SIZE = 100;

/** Lets other work run between slices of a long loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function fromHit(hit: SearchHit): PackageInfo {
  return { id: hit.id, latest: hit.version || undefined, description: hit.description, totalDownloads: hit.totalDownloads, verified: hit.verified, owners: hit.owners };
}

/** A page of a URL feed's packages: each configured owner's on nuget.org (`owner:NAME`), else all. */
export async function feedPackages(fetcher: ConditionalFetcher, index: ServiceIndex, query: string, skip: number, signal?: AbortSignal): Promise<Page<PackageInfo>> {
  if (!hasResource(index, 'search')) {
    return { items: [] };
  }
  const result = await search(fetcher, index, { q: query, skip, take: PAGE_SIZE }, signal);
  const next = skip + result.data.length;
  return { items: result.data.map(fromHit), next: result.data.length > 0 && next < result.totalHits ? next : undefined, total: result.totalHits };
}

/** The package folders of a folder feed (hierarchical: {lowerid}/{version}/; flat: files). */
export async function folderPackages(feed: Feed): Promise<PackageInfo[]> {
  const root = folderPath(feed.source);
  const entries = await readdir(root, { withFileTypes: true });
  const ids = new Set<string>();
  for (const entry of entries) {
    if (entry.isDirectory() && !entry.name.startsWith('.')) {
      ids.add(entry.name);
    } else if (entry.isFile() && /\.nupkg$/i.test(entry.name)) {
      const match = /^(.+?)\.(\d+\.\d+.*)\.nupkg$/i.exec(entry.name);
      if (match) {
        ids.add(match[1].toLowerCase());
      }
    }
  }
  const packages: PackageInfo[] = [];
  for (const lowerId of [...ids].sort()) {
    // The id as written, from any version's .nuspec (folders are lower-case).
    const versions = await readdir(join(root, lowerId)).catch(() => [] as string[]);
    const nuspec = versions.length ? (await readRegularFile(join(root, lowerId, versions[0], `${lowerId}.nuspec`), MAX_NUSPEC_BYTES).catch(() => Buffer.alloc(0))).toString('utf8') : '';
    packages.push({ id: /<id>([^<]+)<\/id>/.exec(nuspec)?.[1]?.trim() ?? lowerId, verified: false, owners: [] });
  }
  return packages;
}

type Keyed<T> = { item: T; parsed: NuGetVersion | undefined };

function newerFirst<T extends { version: string }>(a: Keyed<T>, b: Keyed<T>): number {
  return a.parsed && b.parsed ? compareVersions(b.parsed, a.parsed) : b.item.version.localeCompare(a.item.version);
}

const SLICE = 1000;

/**
 * Sorts versions newest first, parsing each once. Large lists are sorted in slices of 1,000 and
 * merged, yielding to the event loop between slices: 10,000 versions never block for long.
 */
export async function sortNewestFirst<T extends { version: string }>(items: readonly T[]): Promise<T[]> {
  return (await sortKeyed(items)).map((entry) => entry.item);
}

async function sortKeyed<T extends { version: string }>(items: readonly T[]): Promise<Keyed<T>[]> {
  let runs: Keyed<T>[][] = [];
  for (let start = 0; start < items.length; start += SLICE) {
    runs.push(items.slice(start, start + SLICE).map((item) => ({ item, parsed: parseVersion(item.version) })).sort(newerFirst));
    await yieldToEventLoop();
  }
  while (runs.length > 1) {
    const merged: Keyed<T>[][] = [];
    for (let pair = 0; pair < runs.length; pair += 2) {
      const [left, right = []] = [runs[pair], runs[pair + 1]];
      const out: Keyed<T>[] = [];
      let i = 0;
      let j = 0;
      while (i < left.length || j < right.length) {
        out.push(j >= right.length || (i < left.length && newerFirst(left[i], right[j]) <= 0) ? left[i++] : right[j++]);
        if (out.length % (SLICE * 4) === 0) {
          await yieldToEventLoop();
        }
      }
      merged.push(out);
    }
    runs = merged;
  }
  return runs[0] ?? [];
}

type VersionFacts = Omit<VersionInfo, 'semVer2'>;

/** Sorted newest first and described (SemVer 2.0.0 from the versions parsed once for sorting). */
async function describeVersions(entries: readonly VersionFacts[]): Promise<VersionInfo[]> {
  const sorted = await sortKeyed(entries);
  const described: VersionInfo[] = [];
  for (const [position, { item, parsed }] of sorted.entries()) {
    described.push({ ...item, semVer2: parsed ? isSemVer2(parsed) : false });
    if (position % (SLICE * 2) === SLICE * 2 - 1) {
      await yieldToEventLoop();
    }
  }
  return described;
}

/** Every version of a package on a URL feed, newest first, with listed/deprecated where known. */
export async function packageVersions(fetcher: ConditionalFetcher, index: ServiceIndex, id: string, signal?: AbortSignal): Promise<VersionInfo[]> {
  const registration = await registrationVersions(fetcher, index, id, signal).catch(() => undefined);
  if (registration && registration.length > 0) {
    return describeVersions(registration.map((entry) => ({ version: entry.version, listed: entry.listed, published: entry.published, deprecated: entry.deprecated })));
  }
  if (!hasResource(index, 'packageBase')) {
    return [];
  }
  return describeVersions((await flatVersions(fetcher, index, id, signal)).map((version) => ({ version, listed: true })));
}

export async function folderVersions(feed: Feed, id: string): Promise<VersionInfo[]> {
  // The id names a folder: checked first, so ".." or "a/../b" never lists outside the feed.
  const entries = await readdir(join(folderPath(feed.source), checkPackageId(id).toLowerCase()), { withFileTypes: true }).catch(() => []);
  return describeVersions(entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => ({ version: entry.name, listed: true })));
}

export function normalizedLower(version: string): string {
  const parsed = parseVersion(version);
  return (parsed ? normalizeVersion(parsed) : version).toLowerCase();
}
