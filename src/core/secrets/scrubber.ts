/**
 * One scrubber for every output: CLI stdout/stderr, errors, warnings, the extension's log,
 * notifications and webview messages. It replaces every secret it was told about (API keys,
 * passwords, and the Basic credentials built from them, also base64- and URL-encoded, because
 * servers echo headers back in all of these forms) by "***", and removes the user-info part of
 * any URL ("https://user:pass@host/" is shown as "https://host/").
 */

/** Shorter values (a placeholder key such as "az") would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;
/** scheme://user:pass@ — up to the last "@" before the path (passwords are often written with a raw "@"). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#'"<>]*@/gi;

export class SecretScrubber {
  private readonly secrets = new Set<string>();

  /** Registers a secret; every later scrub replaces it (and its usual encodings). */
  public protect(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) {
      return;
    }
    for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret, 'utf8').toString('base64')]) {
      this.secrets.add(form);
    }
  }

  /** Registers Basic credentials: the password and the header value built from user:password. */
  public protectBasic(username: string, password: string): void {
    this.protect(password);
    this.protect(Buffer.from(`${username}:${password}`, 'utf8').toString('base64'));
  }

  public scrub(text: string): string {
    let result = text.replace(URL_USERINFO, '$1');
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (result.includes(secret)) {
        result = result.split(secret).join('***');
      }
    }
    return result;
  }
}

/** A URL as shown to people: without user-info (credentials), never throws. */
export function displayUrl(url: string): string {
  return url.replace(URL_USERINFO, '$1');
}

/**
 * Makes untrusted text safe for a terminal: C0/C1 control characters (ESC, BEL, CR, backspace…)
 * become visible escapes such as \x1b, so a package cannot move the cursor, recolour or forge
 * lines. With `keepNewlines`, "\n" and "\t" pass (for whole outputs whose lines are ours).
 */
export function escapeControl(text: string, keepNewlines = false): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (ch) => {
    if (keepNewlines && (ch === '\n' || ch === '\t')) {
      return ch;
    }
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** A copy of a message (for a webview) with every string in it scrubbed. */
export function scrubDeep<T>(value: T, scrub: (text: string) => string): T {
  if (typeof value === 'string') {
    return scrub(value) as T;
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown) => scrubDeep(item, scrub)) as T;
  }
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, scrubDeep(item, scrub)])) as T;
  }
  return value;
}
