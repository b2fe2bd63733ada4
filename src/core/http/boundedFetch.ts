/**
 * Every GET/DELETE/POST the core sends to a feed goes through boundedFetch: the body is read as a
 * stream and the request is aborted as soon as it exceeds its cap (an endless or 700 MB answer
 * costs at most the cap), the whole request has a deadline besides undici's idle timeouts (a
 * server trickling one byte every 20 s cannot keep it alive), and every failure becomes an NP
 * error that names the URL without credentials. Each request goes through the network's
 * dispatcher for its URL (network.ts: proxy, certificates) with the product's user agent.
 */
import { fetch, type Response } from 'undici';
import { NuGetPublisherError } from '../errors';
import { displayUrl } from '../secrets/scrubber';
import { dispatcherFor, explainNetworkFailure, userAgent } from './network';
import { assertCredentialsMayGo, carriesCredentials } from './keySafety';

const MB = 1024 * 1024;

/** Caps per kind of document (nuget.org's largest registration pages are ~1 MB). */
export const BODY_CAPS = {
  serviceIndex: 8 * MB,
  registration: 16 * MB,
  search: 16 * MB,
  json: 16 * MB,
  /** Error answers and the bodies of push/unlist answers: only read to explain a status. */
  error: 64 * 1024,
} as const;

export const DEFAULT_DEADLINE_MS = 60_000;

export interface BoundedRequest {
  readonly method?: 'GET' | 'POST' | 'DELETE' | 'PUT';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Credentials present: redirects are returned, never followed (whatever this says). */
  readonly followRedirects?: boolean;
  /**
   * The origin the credentials in the headers (Authorization, X-NuGet-ApiKey) belong to: the
   * request is refused unless that origin may receive them (keySafety.ts). Required with credentials.
   */
  readonly credentialOrigin?: string;
  readonly maxBytes: number;
  /** The whole request, body included. */
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
  /** NP codes for an unreachable host (or deadline) and for an oversized body. */
  readonly codes?: { readonly unreachable: string; readonly tooLarge: string };
}

export interface BoundedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Response['headers'];
  readonly body: string;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

export async function boundedFetch(url: string, request: BoundedRequest): Promise<BoundedResponse> {
  const codes = request.codes ?? { unreachable: 'NP4001', tooLarge: 'NP4002' };
  const deadlineMs = request.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const deadline = AbortSignal.timeout(deadlineMs);
  const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
  const shown = displayUrl(url);
  // The door's own check: credentials go only to their origin (or its named pair), over HTTPS.
  const withCredentials = carriesCredentials(request.headers);
  if (withCredentials) {
    assertCredentialsMayGo(url, request.credentialOrigin);
  }
  const unreachable = async (error: unknown): Promise<NuGetPublisherError> => {
    if (request.signal?.aborted) {
      return new NuGetPublisherError('NP4009', `The request to ${shown} was cancelled.`, '');
    }
    const explained = await explainNetworkFailure(error, url, shown);
    if (explained) {
      return explained;
    }
    return deadline.aborted
      ? new NuGetPublisherError(codes.unreachable, `${shown} did not answer completely within ${Math.round(deadlineMs / 1000)} s.`, 'The server is too slow or sends without end; try again later, or check the feed URL.')
      : new NuGetPublisherError(codes.unreachable, `${shown} cannot be reached (${causeOf(error)}).`, 'Check the URL and the network.');
  };
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method ?? 'GET',
      headers: { 'user-agent': userAgent(), ...request.headers },
      dispatcher: dispatcherFor(url),
      body: request.body,
      redirect: request.followRedirects && !withCredentials ? 'follow' : 'manual',
      signal,
    });
  } catch (error) {
    throw await unreachable(error);
  }
  const body = await readCapped(response, request.maxBytes, shown, codes.tooLarge).catch(async (error: unknown) => {
    throw error instanceof NuGetPublisherError ? error : await unreachable(error);
  });
  return { status: response.status, statusText: response.statusText, headers: response.headers, body };
}

/** Reads a body as UTF-8, aborting the transfer the moment it passes maxBytes. */
export async function readCapped(response: Response, maxBytes: number, shownUrl: string, tooLargeCode = 'NP4002'): Promise<string> {
  if (!response.body) {
    return '';
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  const reader = response.body.getReader();
  if (declared > maxBytes) {
    await reader.cancel().catch(() => undefined);
    throw tooLarge(shownUrl, maxBytes, tooLargeCode);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(shownUrl, maxBytes, tooLargeCode);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function tooLarge(shownUrl: string, maxBytes: number, code: string): NuGetPublisherError {
  const limit = maxBytes >= MB ? `${Math.round(maxBytes / MB)} MB` : `${Math.round(maxBytes / 1024)} KB`;
  return new NuGetPublisherError(code, `${shownUrl} sent more than ${limit}; the transfer was stopped there.`, 'The feed answered with an unexpectedly large document: check the URL, or tell the feed\'s owner.');
}
