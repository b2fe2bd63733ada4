/** Key types shared with the webview (no Node imports here: the webview bundle type-checks this file). */
export type AuthScheme = 'apikey' | 'basic';
export type KeyScope = 'push' | 'pushversion' | 'unlist';

export interface KeyTestRecord {
  readonly at: string;
  /** undefined: the feed offers no way to check without pushing. */
  readonly ok: boolean | undefined;
  readonly message: string;
}
