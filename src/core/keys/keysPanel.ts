/**
 * The logic of "Manage Keys and Owners", without VS Code: key rows (never values), the glob
 * tester, the owners view, and the handling of every message from the webview. The VS Code side
 * supplies a host (password box, confirmations, search, browser) and posts what this returns.
 */
import { feedOrigin, type Feed } from '../feeds/feed';
import type { SearchHit } from '../feeds/feedReads';
import type { FeedRow, FromKeysWebview, GlobMatch, KeyEdit, KeyRow, OwnedPackage, OwnersFeed, ToKeysWebview } from '../../shared/keysProtocol';
import { checkExpiry, checkGlob, daysUntilExpiry, KEY_SCOPES, keysFor, presetFor, type KeyRecord } from './keys';

export function expiryText(days: number | undefined): string {
  if (days === undefined) {
    return 'no expiry';
  }
  if (days < 0) {
    return `expired ${-days} day${days === -1 ? '' : 's'} ago`;
  }
  return days === 0 ? 'expires today' : `expires in ${days} day${days === 1 ? '' : 's'}`;
}

export function keyRows(records: readonly KeyRecord[], reminderDays: number, now: Date = new Date()): KeyRow[] {
  return records.map((record): KeyRow => {
    const days = daysUntilExpiry(record, now);
    return {
      label: record.label, origin: record.origin, feedName: record.feedName, owner: record.owner, scopes: record.scopes, glob: record.glob,
      expires: record.expires, daysLeft: days, expiryState: days === undefined ? 'none' : days < 0 ? 'expired' : days <= reminderDays ? 'soon' : 'ok',
      expiryText: expiryText(days), lastUsed: record.lastUsed, lastTest: record.lastTest, scheme: record.scheme, username: record.username,
    };
  }).sort((a, b) => a.feedName.localeCompare(b.feedName) || a.label.localeCompare(b.label));
}

export function feedRows(feeds: readonly Feed[]): FeedRow[] {
  return feeds.map((feed) => {
    const preset = feed.kind === 'folder' ? undefined : presetFor(feed);
    return { name: feed.name, kind: feed.kind, origin: feedOrigin(feed), keysPage: preset?.keysPage, hasScopes: preset?.hasScopes ?? false, maxDays: preset?.maxDays };
  });
}

/** For a package id: per feed origin, the keys that would be offered (the chosen one first). */
export function testGlob(records: readonly KeyRecord[], feeds: readonly Feed[], packageId: string): { matches: GlobMatch[]; problem?: string } {
  const id = packageId.trim();
  if (!/^[A-Za-z0-9_]+([.-][A-Za-z0-9_]+)*$/.test(id)) {
    return { matches: [], problem: id ? `"${id}" is not a valid package id.` : 'Type a package id.' };
  }
  const matches: GlobMatch[] = [];
  const seen = new Set<string>();
  for (const feed of feeds) {
    const origin = feedOrigin(feed);
    if (!origin || seen.has(origin)) {
      continue;
    }
    seen.add(origin);
    const labels = keysFor(records, origin, id).map((record) => record.label);
    if (records.some((record) => record.origin === origin)) {
      matches.push({ feedName: feed.name, origin, labels });
    }
  }
  return { matches };
}

/** Validates metadata edits typed in the webview. */
export function checkEdit(changes: KeyEdit, feed: Feed | undefined): string | undefined {
  if (changes.glob !== undefined) {
    const problem = checkGlob(changes.glob);
    if (problem) {
      return problem;
    }
  }
  if (changes.expires !== undefined && feed && feed.kind !== 'folder') {
    const problem = checkExpiry(changes.expires, presetFor(feed));
    if (problem) {
      return problem;
    }
  }
  if (changes.scopes !== undefined && (!Array.isArray(changes.scopes) || changes.scopes.some((scope) => !KEY_SCOPES.includes(scope)))) {
    return `Scopes are ${KEY_SCOPES.join(', ')}.`;
  }
  if (changes.owner !== undefined && (typeof changes.owner !== 'string' || changes.owner.length > 100)) {
    return 'The owner is a user or organization name (at most 100 characters).';
  }
  return undefined;
}

export const OWNERSHIP_STEPS = {
  add: 'On the package\'s Manage page, open Owners, enter the nuget.org user or organization name and select Add. The new owner must accept the invitation e-mail before it counts.',
  remove: 'On the Manage page, under Owners, select the remove (×) button next to the owner. A package always keeps at least one owner.',
  transfer: 'Add the new owner, wait until they accept the invitation, then remove yourself (or your organization) under Owners.',
};

function manageUrl(feed: Feed, pageUrl: string | undefined, id: string): string | undefined {
  if (feed.kind !== 'nuget.org') {
    return undefined;
  }
  return pageUrl ? `${pageUrl.replace(/\/+$/, '')}/Manage` : `https://www.nuget.org/packages/${encodeURIComponent(id)}/Manage`;
}

/** Builds one feed's owners view from `owner:NAME` search results. */
export function ownersFeed(feed: Feed, hitsByOwner: ReadonlyMap<string, readonly SearchHit[]>, links: { packagePage: (id: string) => string | undefined; ownerPage: (owner: string) => string | undefined }): OwnersFeed {
  const packages = new Map<string, OwnedPackage>();
  const owners = new Map<string, Set<string>>();
  for (const [owner, hits] of hitsByOwner) {
    owners.set(owner, owners.get(owner) ?? new Set());
    for (const hit of hits) {
      const pageUrl = links.packagePage(hit.id);
      packages.set(hit.id.toLowerCase(), { id: hit.id, version: hit.version || undefined, owners: hit.owners, verified: hit.verified, totalDownloads: hit.totalDownloads, pageUrl, manageUrl: manageUrl(feed, pageUrl, hit.id) });
      for (const name of hit.owners.length ? hit.owners : [owner]) {
        const set = owners.get(name) ?? new Set<string>();
        set.add(hit.id);
        owners.set(name, set);
      }
    }
  }
  return {
    feedName: feed.name,
    owners: [...owners.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, ids]) => ({ name, pageUrl: links.ownerPage(name), packages: [...ids].sort() })),
    packages: [...packages.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}

export interface KeysPanelHost {
  records(): readonly KeyRecord[];
  feeds(): readonly Feed[];
  reminderDays(): number;
  post(message: ToKeysWebview): void;
  /** The extension's own commands: the value is typed into VS Code's password box. */
  addKey(feed?: string): Promise<unknown>;
  replaceKey(record: KeyRecord): Promise<unknown>;
  testKey(record: KeyRecord): Promise<unknown>;
  /** Asks for confirmation in VS Code, then removes. */
  removeKey(record: KeyRecord): Promise<unknown>;
  updateKey(record: KeyRecord, changes: Partial<KeyRecord>): Promise<unknown>;
  openExternal(url: string): Promise<unknown>;
  owners(): Promise<OwnersFeed[]>;
  showError(message: string): void;
}

export class KeysPanelController {
  public constructor(private readonly host: KeysPanelHost) {}

  public state(): ToKeysWebview {
    return { type: 'state', keys: keyRows(this.host.records(), this.host.reminderDays()), feeds: feedRows(this.host.feeds()), reminderDays: this.host.reminderDays() };
  }

  private find(origin: string, label: string): KeyRecord | undefined {
    return this.host.records().find((record) => record.origin === origin && record.label === label);
  }

  /** Handles one (already validated) message; every path ends by posting the fresh state or a result. */
  public async handle(message: FromKeysWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.host.post(this.state());
        return;
      case 'addKey':
        await this.host.addKey(message.feed);
        break;
      case 'testGlob': {
        const result = testGlob(this.host.records(), this.host.feeds(), message.packageId);
        this.host.post({ type: 'globResult', packageId: message.packageId, ...result });
        return;
      }
      case 'openKeysPage': {
        const feed = this.host.feeds().find((candidate) => candidate.name === message.feed) ?? this.host.feeds().find((candidate) => candidate.kind === 'nuget.org');
        await this.host.openExternal((feed && feed.kind !== 'folder' ? presetFor(feed).keysPage : undefined) ?? 'https://www.nuget.org/account/apikeys');
        return;
      }
      case 'openUrl':
        await this.host.openExternal(message.url);
        return;
      case 'loadOwners':
        this.host.post({ type: 'busy', what: 'owners' });
        this.host.post({ type: 'owners', feeds: await this.host.owners() });
        return;
      default: {
        const record = this.find(message.origin, message.label);
        if (!record) {
          this.host.showError(`The key "${message.label}" no longer exists.`);
          break;
        }
        if (message.type === 'replaceKey') {
          await this.host.replaceKey(record);
        } else if (message.type === 'testKey') {
          this.host.post({ type: 'busy', what: `test:${record.origin} ${record.label}` });
          await this.host.testKey(record);
        } else if (message.type === 'removeKey') {
          await this.host.removeKey(record);
        } else {
          const feed = this.host.feeds().find((candidate) => feedOrigin(candidate) === record.origin);
          const problem = checkEdit(message.changes, feed);
          if (problem) {
            this.host.showError(problem);
            break;
          }
          const { glob, owner, scopes, expires } = message.changes;
          await this.host.updateKey(record, {
            ...(glob !== undefined ? { glob: glob.trim() } : {}),
            ...(owner !== undefined ? { owner: owner.trim() || undefined } : {}),
            ...(scopes !== undefined ? { scopes } : {}),
            ...(expires !== undefined ? { expires: expires.trim() || undefined } : {}),
          });
        }
      }
    }
    this.host.post(this.state());
  }
}
