/**
 * Messages between the extension and the "Manage Keys and Owners" webview. No `vscode`, no DOM.
 * A key's value is never part of any of these messages: the webview only ever sees metadata, and
 * values are typed into VS Code's own password box.
 */
import type { KeyScope, KeyTestRecord } from '../core/keys/types';

export type ExpiryState = 'none' | 'ok' | 'soon' | 'expired';

export interface KeyRow {
  readonly label: string;
  readonly origin: string;
  readonly feedName: string;
  readonly owner?: string;
  readonly scopes: readonly KeyScope[];
  readonly glob: string;
  readonly expires?: string;
  readonly daysLeft?: number;
  readonly expiryState: ExpiryState;
  /** "expires in 12 days", "expired 3 days ago", "no expiry". */
  readonly expiryText: string;
  readonly lastUsed?: string;
  readonly lastTest?: KeyTestRecord;
  readonly scheme: 'apikey' | 'basic';
  readonly username?: string;
}

export interface FeedRow {
  readonly name: string;
  readonly kind: string;
  readonly origin?: string;
  readonly keysPage?: string;
  readonly hasScopes: boolean;
  readonly maxDays?: number;
}

export interface GlobMatch {
  readonly feedName: string;
  readonly origin: string;
  /** Keys that would be offered, the chosen one first (most specific glob). */
  readonly labels: readonly string[];
}

export interface OwnedPackage {
  readonly id: string;
  readonly version?: string;
  readonly owners: readonly string[];
  readonly verified: boolean;
  readonly totalDownloads?: number;
  readonly manageUrl?: string;
  readonly pageUrl?: string;
}

export interface OwnersFeed {
  readonly feedName: string;
  /** Owner names configured for the feed (nuget.org) and found in search results. */
  readonly owners: readonly { readonly name: string; readonly pageUrl?: string; readonly packages: readonly string[] }[];
  readonly packages: readonly OwnedPackage[];
  /** Set when the feed has no owner concept or no owners are configured. */
  readonly note?: string;
  readonly error?: string;
}

export type ToKeysWebview =
  | { readonly type: 'state'; readonly keys: readonly KeyRow[]; readonly feeds: readonly FeedRow[]; readonly reminderDays: number }
  | { readonly type: 'globResult'; readonly packageId: string; readonly matches: readonly GlobMatch[]; readonly problem?: string }
  | { readonly type: 'owners'; readonly feeds: readonly OwnersFeed[] }
  | { readonly type: 'busy'; readonly what?: string };

export type KeyEdit = {
  readonly glob?: string;
  readonly owner?: string;
  readonly scopes?: readonly KeyScope[];
  readonly expires?: string;
};

export type FromKeysWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'addKey'; readonly feed?: string }
  | { readonly type: 'replaceKey'; readonly origin: string; readonly label: string }
  | { readonly type: 'editKey'; readonly origin: string; readonly label: string; readonly changes: KeyEdit }
  | { readonly type: 'testKey'; readonly origin: string; readonly label: string }
  | { readonly type: 'removeKey'; readonly origin: string; readonly label: string }
  | { readonly type: 'openKeysPage'; readonly feed?: string }
  | { readonly type: 'testGlob'; readonly packageId: string }
  | { readonly type: 'loadOwners' }
  | { readonly type: 'openUrl'; readonly url: string };

const KEY_MESSAGES = new Set(['replaceKey', 'editKey', 'testKey', 'removeKey']);

/** Checks a message from the webview before anything acts on it. */
export function isFromKeysWebview(value: unknown): value is FromKeysWebview {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'loadOwners':
      return true;
    case 'addKey':
    case 'openKeysPage':
      return message.feed === undefined || typeof message.feed === 'string';
    case 'testGlob':
      return typeof message.packageId === 'string' && message.packageId.length <= 200;
    case 'openUrl':
      return typeof message.url === 'string' && /^https?:\/\//.test(message.url);
    default:
      if (!KEY_MESSAGES.has(String(message.type)) || typeof message.origin !== 'string' || typeof message.label !== 'string') {
        return false;
      }
      return message.type !== 'editKey' || (typeof message.changes === 'object' && message.changes !== null);
  }
}

export function isToKeysWebview(value: unknown): value is ToKeysWebview {
  return typeof value === 'object' && value !== null && ['state', 'globResult', 'owners', 'busy'].includes(String((value as { type?: unknown }).type));
}
