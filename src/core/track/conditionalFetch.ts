/**
 * GET with conditional requests: remembers each URL's ETag / Last-Modified and body, sends
 * If-None-Match / If-Modified-Since, and reuses the body on 304. Used by the tracker and the feed
 * explorer so that polling costs the server (and nuget.org's CDN) as little as possible.
 * Credentials are added only for URLs of the origin they belong to; redirects are not followed
 * with them.
 */
import { fetch } from 'undici';
import { NuGetPublisherError } from '../errors';
import { assertKeyMayGo, originOf } from '../publish/keySafety';

export interface FetchResult {
  readonly status: number;
  readonly body: string;
  /** true when the server answered 304 and the remembered body was used. */
  readonly notModified: boolean;
}

/** Authorization for an origin, if the user stored credentials for it (reads on GitHub/Azure need them). */
export type AuthFor = (origin: string) => Promise<string | undefined> | string | undefined;

const MAX_BODY_CHARS = 32 * 1024 * 1024;

export class ConditionalFetcher {
  private readonly remembered = new Map<string, { etag?: string; lastModified?: string; body: string }>();
  public requests = 0;
  public notModified = 0;

  public constructor(private readonly authFor?: AuthFor, private readonly timeoutMs = 30_000) {}

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
      assertKeyMayGo(url, originOf(url));
      headers.authorization = authorization;
    }
    this.requests++;
    let response;
    try {
      response = await fetch(url, { headers, redirect: authorization ? 'manual' : 'follow', signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]) : AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      if (signal?.aborted) {
        throw error;
      }
      const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
      throw new NuGetPublisherError('NP4001', `${originOf(url)} cannot be reached (${cause?.code ?? (error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message}).`, 'Check the network; it will be tried again.');
    }
    if (response.status === 304 && known) {
      await response.body?.cancel();
      this.notModified++;
      return { status: 200, body: known.body, notModified: true };
    }
    const body = await response.text();
    if (body.length > MAX_BODY_CHARS) {
      throw new NuGetPublisherError('NP4002', `${url} returned more than 32 MB.`, 'The feed answered with an unexpectedly large document.');
    }
    if (response.ok) {
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
      throw new NuGetPublisherError('NP4004', `${url} answered ${result.status}.`, 'The feed may be having trouble; it will be tried again.');
    }
    try {
      return JSON.parse(result.body) as T;
    } catch {
      throw new NuGetPublisherError('NP4005', `${url} did not return JSON.`, 'Check the feed URL.');
    }
  }
}
