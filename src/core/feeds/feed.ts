/**
 * Feeds as the user configures them (setting `nugetPublisher.feeds`): a name, a source (a V3
 * service index URL or a folder path) and a kind. Parsing is forgiving about shape and strict
 * about meaning: every entry that cannot be used is reported with its cause, never dropped
 * silently.
 */
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

export type FeedKind = 'nuget.org' | 'v3' | 'folder' | 'nuget-server';

export const FEED_KINDS: readonly FeedKind[] = ['nuget.org', 'v3', 'folder', 'nuget-server'];

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
export function feedOrigin(feed: Feed): string | undefined {
  return feed.kind === 'folder' ? undefined : new URL(feed.source).origin;
}

/** nuget-server is configured by its base URL; accept its /v3/index.json too. */
export function nugetServerBase(source: string): string {
  return source.replace(/\/+$/, '').replace(/\/v3\/index\.json$/i, '').replace(/\/v3$/i, '');
}

/** The V3 service index of a URL feed. */
export function serviceIndexUrl(feed: Feed): string {
  return feed.kind === 'nuget-server' ? `${nugetServerBase(feed.source)}/v3/index.json` : feed.source;
}

/** A best guess of the kind from the source alone (Add Feed and NuGet.Config import). */
export function guessKind(source: string): FeedKind {
  if (!isUrlSource(source)) {
    return 'folder';
  }
  const url = new URL(source);
  if (url.hostname.toLowerCase() === 'api.nuget.org') {
    return 'nuget.org';
  }
  return 'v3';
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
