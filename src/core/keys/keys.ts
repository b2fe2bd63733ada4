/**
 * API keys and credentials, without their values: the metadata kept beside a secret, the presets
 * that tell the user what to paste for each kind of feed, glob matching of package ids, expiry.
 * A key is bound to an origin (scheme + host + port), never to a feed name: renaming a feed or a
 * workspace setting pointing a feed name elsewhere cannot send a key to another host.
 */
import type { Feed } from '../feeds/feed';

import type { AuthScheme, KeyScope, KeyTestRecord } from './types';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

export function basicAuthorization(credentials: BasicCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

export type { AuthScheme, KeyScope, KeyTestRecord };

export const KEY_SCOPES: readonly KeyScope[] = ['push', 'pushversion', 'unlist'];
export const SCOPE_LABELS: Readonly<Record<KeyScope, string>> = {
  push: 'Push new packages and versions',
  pushversion: 'Push new versions only',
  unlist: 'Unlist and relist',
};

/** Everything about a key except its value (that lives only in SecretStorage). */
export interface KeyRecord {
  readonly label: string;
  /** The only place this key's value may be sent. */
  readonly origin: string;
  /** The feed it was added for (informational: binding is by origin). */
  readonly feedName: string;
  readonly scheme: AuthScheme;
  /** For Basic: the user name (not secret). */
  readonly username?: string;
  readonly owner?: string;
  readonly scopes: readonly KeyScope[];
  /** nuget.org glob(s), comma-separated: "*", "Contoso.*". */
  readonly glob: string;
  /** ISO date (yyyy-mm-dd) or undefined for keys that do not expire. */
  readonly expires?: string;
  readonly created: string;
  readonly lastUsed?: string;
  readonly lastTest?: KeyTestRecord;
}

/** What a request carries: an X-NuGet-ApiKey, Basic credentials, or both (Azure Artifacts). */
export interface Credential {
  readonly apiKey?: string;
  readonly basic?: BasicCredentials;
}

export function authorizationOf(credential: Credential | undefined): string | undefined {
  return credential?.basic ? basicAuthorization(credential.basic) : undefined;
}

/** The SecretStorage name of a key: origin plus label. */
export function secretName(origin: string, label: string): string {
  return `nugetPublisher.key ${origin} ${label}`;
}

export interface KeyPreset {
  readonly scheme: AuthScheme;
  /** What the user should paste, in one or two sentences. */
  readonly hint: string;
  readonly secretPrompt: string;
  readonly usernamePrompt?: string;
  /** X-NuGet-ApiKey sent with Basic credentials: "secret" sends the secret itself. */
  readonly apiKeyWithBasic?: 'secret' | string;
  /** Keys of this feed expire after at most this many days. */
  readonly maxDays?: number;
  readonly keysPage?: string;
  readonly hasScopes: boolean;
}

function hostOf(feed: Feed): string {
  try {
    return new URL(feed.source).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** Per-feed guidance on what to paste. */
export function presetFor(feed: Feed): KeyPreset {
  const host = hostOf(feed);
  if (feed.kind === 'nuget.org') {
    return { scheme: 'apikey', hint: 'Create a key at nuget.org → API Keys with the Push scope and a glob pattern that covers your package ids. It is shown only once and lasts at most 365 days.', secretPrompt: 'Paste the nuget.org API key', maxDays: 365, keysPage: 'https://www.nuget.org/account/apikeys', hasScopes: true };
  }
  if (feed.kind === 'nuget-server') {
    return { scheme: 'basic', hint: 'nuget-server uses your user name and an API password created in its web UI (Publish permission needed).', usernamePrompt: 'nuget-server user name', secretPrompt: 'Paste the API password', hasScopes: false };
  }
  if (host === 'nuget.pkg.github.com') {
    return { scheme: 'basic', hint: 'GitHub Packages: a personal access token (classic) with write:packages (read:packages to browse). Reads need it too.', usernamePrompt: 'GitHub user name', secretPrompt: 'Paste the personal access token', apiKeyWithBasic: 'secret', keysPage: 'https://github.com/settings/tokens', hasScopes: false };
  }
  if (host === 'pkgs.dev.azure.com' || host.endsWith('.pkgs.visualstudio.com')) {
    return { scheme: 'basic', hint: 'Azure Artifacts: a personal access token with Packaging (Read & write) is the password; any user name works. The API key sent is the placeholder "az".', usernamePrompt: 'User name (any value, e.g. your e-mail)', secretPrompt: 'Paste the Azure DevOps personal access token', apiKeyWithBasic: 'az', hasScopes: false };
  }
  if (host.includes('jfrog') || feed.source.includes('/artifactory/')) {
    return { scheme: 'apikey', hint: 'Artifactory: the API key is "user:password" (or user:identity-token).', secretPrompt: 'Paste user:password', hasScopes: false };
  }
  if (host.endsWith('myget.org')) {
    return { scheme: 'apikey', hint: 'MyGet: the API key from your feed\'s Feed Details page.', secretPrompt: 'Paste the MyGet API key', hasScopes: false };
  }
  return { scheme: 'apikey', hint: 'Store the API key the server gave you: ProGet, Nexus, BaGet and most V3 servers take it as X-NuGet-ApiKey.', secretPrompt: 'Paste the API key', hasScopes: false };
}

/** The credential a request carries for a key of this preset. */
export function credentialFor(record: KeyRecord, secret: string, preset: KeyPreset): Credential {
  if (record.scheme === 'basic') {
    const apiKey = preset.apiKeyWithBasic === 'secret' ? secret : preset.apiKeyWithBasic;
    return { basic: { username: record.username ?? '', password: secret }, ...(apiKey ? { apiKey } : {}) };
  }
  return { apiKey: secret };
}

/**
 * The credential a push carries with Basic credentials from a credential provider plugin: the
 * feed's API key convention (GitHub Packages: the token itself; otherwise the placeholder "az"
 * that Azure Artifacts documents for `dotnet nuget push`, which such servers ignore).
 */
export function providerCredential(basic: BasicCredentials, preset: KeyPreset): Credential {
  return { basic, apiKey: preset.apiKeyWithBasic === 'secret' ? basic.password : preset.apiKeyWithBasic ?? 'az' };
}

function globPartToRegExp(glob: string): RegExp {
  const escaped = glob.trim().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** nuget.org glob semantics: "*" is any run of characters, matching is case-insensitive. */
export function globMatches(glob: string, packageId: string): boolean {
  return glob.split(',').map((part) => part.trim()).filter(Boolean).some((part) => globPartToRegExp(part).test(packageId));
}

/** How specific the best matching part of a glob is for an id (longer literal = more specific). */
function specificity(glob: string, packageId: string): number {
  return Math.max(-1, ...glob.split(',').map((part) => part.trim()).filter((part) => part && globPartToRegExp(part).test(packageId)).map((part) => part.replace(/\*/g, '').length));
}

export type KeyPurpose = 'push' | 'unlist';

function coversPurpose(record: KeyRecord, purpose: KeyPurpose): boolean {
  if (record.scopes.length === 0) {
    return true;
  }
  return purpose === 'unlist' ? record.scopes.includes('unlist') : record.scopes.includes('push') || record.scopes.includes('pushversion');
}

/** Keys that may be used for this id at this origin, most specific glob first. */
export function keysFor(records: readonly KeyRecord[], origin: string, packageId: string | undefined, purpose: KeyPurpose = 'push'): KeyRecord[] {
  return records
    .filter((record) => record.origin === origin && coversPurpose(record, purpose) && (packageId === undefined || globMatches(record.glob, packageId)))
    .sort((a, b) => (packageId === undefined ? 0 : specificity(b.glob, packageId) - specificity(a.glob, packageId)) || a.label.localeCompare(b.label));
}

/** Whole days from `now` until the expiry date (negative when expired). */
export function daysUntilExpiry(record: Pick<KeyRecord, 'expires'>, now: Date = new Date()): number | undefined {
  if (!record.expires) {
    return undefined;
  }
  const end = Date.parse(`${record.expires}T23:59:59Z`);
  return Number.isNaN(end) ? undefined : Math.floor((end - now.getTime()) / 86_400_000);
}

/** Validates an expiry typed by the user: yyyy-mm-dd, in the future, within the preset's maximum. */
export function checkExpiry(text: string, preset: KeyPreset, now: Date = new Date()): string | undefined {
  if (!text.trim()) {
    return undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text.trim()) || Number.isNaN(Date.parse(`${text.trim()}T00:00:00Z`))) {
    return 'Use the form yyyy-mm-dd, e.g. 2027-11-23.';
  }
  const days = daysUntilExpiry({ expires: text.trim() }, now) ?? 0;
  if (days < 0) {
    return 'That date has passed: the key would already be expired.';
  }
  if (preset.maxDays !== undefined && days > preset.maxDays) {
    return `Keys of this feed last at most ${preset.maxDays} days.`;
  }
  return undefined;
}

/** A label must be unique per origin and printable. */
export function checkLabel(label: string, existing: readonly KeyRecord[], origin: string): string | undefined {
  if (!label.trim()) {
    return 'Give the key a name, e.g. "CI push key".';
  }
  if (label.length > 80 || /[\u0000-\u001f]/.test(label)) {
    return 'Use a short name (at most 80 characters, no control characters).';
  }
  if (existing.some((record) => record.origin === origin && record.label.toLowerCase() === label.trim().toLowerCase())) {
    return 'A key with this name exists for this feed; choose another name or use Replace Key.';
  }
  return undefined;
}

export function checkGlob(glob: string): string | undefined {
  const parts = glob.split(',').map((part) => part.trim());
  if (parts.some((part) => !part)) {
    return 'Give a pattern such as * or Contoso.* (several separated by commas).';
  }
  if (parts.some((part) => !/^[A-Za-z0-9_.*-]+$/.test(part))) {
    return 'Package id patterns use letters, digits, . _ - and *.';
  }
  return undefined;
}

/**
 * Package ids to test a key with, best first: the workspace's packages the key's glob covers, then
 * the literal (wildcard-free) parts of the glob. nuget.org checks a key against an id it owns.
 */
export function probeIds(glob: string, workspaceIds: readonly string[]): string[] {
  const covered = workspaceIds.filter((id) => globMatches(glob, id));
  const literals = glob.split(',').map((part) => part.trim()).filter((part) => part && !part.includes('*'));
  const seen = new Set<string>();
  return [...covered, ...literals].filter((id) => !seen.has(id.toLowerCase()) && seen.add(id.toLowerCase()) !== undefined);
}
