/**
 * GET with conditional requests: remembers each URL's ETag / Last-Modified and body, sends
 * If-None-Match / If-Modified-Since, and reuses the body on 304. Used by the tracker and the feed
 * explorer so that polling costs the server (and nuget.org's CDN) as little as possible.
 * Credentials are added only for URLs of the origin they belong to; redirects are not followed
 * with them.
 */
import { boundedFetch, BODY_CAPS } from '../http/boundedFetch';
import { displayUrl } from '../secrets/scrubber';
import { NuGetPublisherError } from '../errors';
import { originOf } from './keySafety';

export interface FetchResult {
  readonly status: number;
  readonly body: string;
  /** true when the server answered 304 and the remembered body was used. */
  readonly notModified: boolean;
}

/** Authorization for an origin, if the user stored credentials for it (reads on GitHub/Azure need them). */
export type AuthFor = (origin: string) => Promise<string | undefined> | string | undefined;

export class ConditionalFetcher {
  private readonly remembered = new Map<string, { etag?: string; lastModified?: string; body: string }>();
  public requests = 0;
  public notModified = 0;

  public constructor(private readonly authFor?: AuthFor, private readonly timeoutMs = 30_000, private readonly maxBytes: number = BODY_CAPS.json) {}

  public async get(url: string, signal?: AbortSignal): Promise<FetchResult> {
    const known = this.remembered.get(url);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (known?.etag) {
      headers['if-none-match'] = known.etag;
    }
    if (known?.lastModified) {
      headers['if-modified-since'] = known.lastModified;
    }
    const authorization = await this.authFor?.(originOf(url));
    if (authorization) {
      headers.authorization = authorization;
    }
    this.requests++;
    const response = await boundedFetch(url, {
      headers,
      ...(authorization ? { credentialOrigin: originOf(url) } : {}),
      followRedirects: !authorization,
      signal,
      deadlineMs: this.timeoutMs,
      maxBytes: this.maxBytes,
      codes: { unreachable: 'NP4001', tooLarge: 'NP4002' },
    });
    if (response.status === 304 && known) {
      this.notModified++;
      return { status: 200, body: known.body, notModified: true };
    }
    const body = response.body;
    if (response.status >= 200 && response.status < 300) {
      const etag = response.headers.get('etag') ?? undefined;
      const lastModified = response.headers.get('last-modified') ?? undefined;
      if (etag || lastModified) {
        this.remembered.set(url, { etag, lastModified, body });
      }
    }
    return { status: response.status, body, notModified: false };
  }

  /** GET and parse JSON; undefined for 404 (the usual "not there yet"). */
  public async json<T>(url: string, signal?: AbortSignal): Promise<T | undefined> {
    const result = await this.get(url, signal);
    if (result.status === 404) {
      return undefined;
    }
    if (result.status === 401 || result.status === 403) {
      throw new NuGetPublisherError('NP4003', `${originOf(url)} wants credentials to read (${result.status}).`, 'Store a key for this feed (NuGet: Add Key…).');
    }
    if (result.status < 200 || result.status >= 300) {
      throw new NuGetPublisherError('NP4004', `${displayUrl(url)} answered ${result.status}.`, 'The feed may be having trouble; it will be tried again.');
    }
    try {
      return JSON.parse(result.body) as T;
    } catch {
      throw new NuGetPublisherError('NP4005', `${displayUrl(url)} did not return JSON.`, 'Check the feed URL.');
    }
  }
}
