/**
 * Feeds as the user configures them (setting `nugetPublisher.feeds`): a name, a source (a V3
 * service index URL or a folder path) and a kind. Parsing is forgiving about shape and strict
 * about meaning: every entry that cannot be used is reported with its cause, never dropped
 * silently.
 */
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NuGetPublisherError } from '../errors';

/**
 * nuget.org and v3: a V3 service index. v2: a V2 push endpoint (push, unlist and relist only; no
 * browsing), as NuGet treats any http(s) source that is not a .json index. folder: a local folder.
 * nuget-server: its own publish API.
 */
export type FeedKind = 'nuget.org' | 'v3' | 'v2' | 'folder' | 'nuget-server';

export const FEED_KINDS: readonly FeedKind[] = ['nuget.org', 'v3', 'v2', 'folder', 'nuget-server'];

export interface Feed {
  readonly name: string;
  /** A service index URL (nuget.org, v3), a server base URL (nuget-server) or a folder path. */
  readonly source: string;
  readonly kind: FeedKind;
  /** nuget.org: the owner names (users or organizations) whose packages the explorer lists. */
  readonly owners?: readonly string[];
}

export const NUGET_ORG_SOURCE = 'https://api.nuget.org/v3/index.json';
export const NUGET_ORG_FEED: Feed = { name: 'nuget.org', source: NUGET_ORG_SOURCE, kind: 'nuget.org' };

export function isUrlSource(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** A folder feed's path: accepts a path or a file: URI. */
export function folderPath(source: string): string {
  return /^file:/i.test(source) ? fileURLToPath(source) : source;
}

/** The origin keys for this feed are bound to, or undefined for folder feeds. */
/** A feed kind, or undefined for anything else (a tree row, a typo): never trusted as given. */
export function asFeedKind(value: unknown): FeedKind | undefined {
  return typeof value === 'string' && (FEED_KINDS as readonly string[]).includes(value) ? (value as FeedKind) : undefined;
}

export function feedOrigin(feed: Feed): string | undefined {
  return feed.kind === 'folder' ? undefined : new URL(feed.source).origin;
}

/** nuget-server is configured by its base URL; accept its /v3/index.json too. */
export function nugetServerBase(source: string): string {
  return source.replace(/\/+$/, '').replace(/\/v3\/index\.json$/i, '').replace(/\/v3$/i, '');
}

/** The V3 service index of a URL feed (a V2 push endpoint has none: NP3011). */
export function serviceIndexUrl(feed: Feed): string {
  if (feed.kind === 'v2') {
    throw new NuGetPublisherError('NP3011', `${feed.name} is a V2 push endpoint (${feed.source}): it can take pushes, unlists and relists, but it has no V3 service index to browse or check.`, 'Add the feed\'s V3 index.json URL as another feed to browse it.');
  }
  return feed.kind === 'nuget-server' ? `${nugetServerBase(feed.source)}/v3/index.json` : feed.source;
}

/**
 * The kind NuGet gives a source: a URL ending in ".json" is a V3 service index (api.nuget.org:
 * nuget.org), any other http(s) URL a V2 push endpoint, anything else a folder.
 */
export function guessKind(source: string): FeedKind {
  if (!isUrlSource(source)) {
    return 'folder';
  }
  const url = new URL(source);
  if (!url.pathname.toLowerCase().endsWith('.json')) {
    return 'v2';
  }
  return url.hostname.toLowerCase() === 'api.nuget.org' ? 'nuget.org' : 'v3';
}

/**
 * Where a V2 source takes pushes, as dotnet nuget push decides: the URL as given, or with
 * "api/v2/package" appended when it has no path (unless noServiceEndpoint).
 */
export function v2PushUrl(source: string, noServiceEndpoint = false): string {
  const url = new URL(source);
  if (!noServiceEndpoint && (url.pathname === '' || url.pathname === '/')) {
    url.pathname = '/api/v2/package';
  }
  return url.toString().replace(/\/+$/, '');
}

/** nuget.org's symbol endpoint, used for nuget.org sources (V2 and V3) when no symbol source is given. */
export const NUGET_ORG_SYMBOL_PUSH = 'https://www.nuget.org/api/v2/symbolpackage';

export function isNugetOrgHost(source: string): boolean {
  return isUrlSource(source) && /(^|\.)nuget\.org$/i.test(new URL(source).hostname);
}

export interface FeedProblem {
  readonly index: number;
  readonly message: string;
}

/** Validates the raw setting value (its default lists nuget.org). */
export function parseFeedSetting(raw: unknown): { feeds: Feed[]; problems: FeedProblem[] } {
  const feeds: Feed[] = [];
  const problems: FeedProblem[] = [];
  const entries = Array.isArray(raw) ? raw : [];
  if (raw !== undefined && !Array.isArray(raw)) {
    problems.push({ index: -1, message: 'nugetPublisher.feeds must be a list of { name, source, kind }.' });
  }
  entries.forEach((entry: unknown, index) => {
    const { name, source, kind, owners } = (entry ?? {}) as Record<string, unknown>;
    const label = typeof name === 'string' && name.trim() ? name.trim() : `entry ${index + 1}`;
    if (typeof name !== 'string' || !name.trim()) {
      problems.push({ index, message: `Feed ${label} has no name.` });
      return;
    }
    if (typeof source !== 'string' || !source.trim()) {
      problems.push({ index, message: `Feed "${label}" has no source (a service index URL or a folder path).` });
      return;
    }
    const trimmed = source.trim();
    const resolvedKind = typeof kind === 'string' && (FEED_KINDS as readonly string[]).includes(kind) ? (kind as FeedKind) : guessKind(trimmed);
    if (kind !== undefined && resolvedKind !== kind) {
      problems.push({ index, message: `Feed "${label}" has an unknown kind "${String(kind)}" (use ${FEED_KINDS.join(', ')}); treated as ${resolvedKind}.` });
    }
    if (resolvedKind === 'folder') {
      if (isUrlSource(trimmed)) {
        problems.push({ index, message: `Feed "${label}" is a folder feed but its source is a URL.` });
        return;
      }
      if (!isAbsolute(folderPath(trimmed))) {
        problems.push({ index, message: `Feed "${label}": the folder ${trimmed} must be an absolute path.` });
        return;
      }
    } else {
      try {
        const url = new URL(trimmed);
        if (url.protocol !== 'https:' && url.protocol !== 'http:') {
          throw new Error('scheme');
        }
      } catch {
        problems.push({ index, message: `Feed "${label}": ${trimmed} is not an http(s) URL.` });
        return;
      }
    }
    if (feeds.some((feed) => feed.name.toLowerCase() === label.toLowerCase())) {
      problems.push({ index, message: `Feed name "${label}" is used twice; the second one is ignored.` });
      return;
    }
    const ownerNames = Array.isArray(owners) ? owners.filter((owner): owner is string => typeof owner === 'string' && owner.trim() !== '').map((owner) => owner.trim()) : [];
    feeds.push({ name: label, source: trimmed, kind: resolvedKind, ...(ownerNames.length ? { owners: ownerNames } : {}) });
  });
  return { feeds, problems };
}

/** A value for a shell command line: quoted when it holds anything but safe characters. */
function shellArgument(value: string): string {
  return /^[\w@%+=:,./\\-]+$/.test(value) ? value : `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
}

/**
 * `dotnet add package ID --version V`, with `--source` for any feed that is not nuget.org: with a
 * NuGet.Config that has `<clear/>` (or lacks the feed) the command would otherwise fail (NU1100).
 * `source` is the feed's restore source: a folder path, or a V3 service index URL.
 */
export function dotnetAddPackage(id: string, version: string, feed?: Pick<Feed, 'kind' | 'source'>): string {
  const command = `dotnet add package ${id} --version ${version}`;
  if (!feed || feed.kind === 'nuget.org' || isNugetOrgHost(feed.source)) {
    return command;
  }
  const source = feed.kind === 'folder' ? folderPath(feed.source) : feed.kind === 'nuget-server' ? `${nugetServerBase(feed.source)}/v3/index.json` : feed.source;
  return `${command} --source ${shellArgument(source)}`;
}
