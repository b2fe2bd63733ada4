/**
 * Pushes a package the way `dotnet nuget push` does: PUT multipart/form-data with one part named
 * "package" (filename package.nupkg, application/octet-stream) streamed from disk with chunked
 * transfer, X-NuGet-ApiKey and X-NuGet-Protocol-Version: 4.1.0. 5xx answers and dropped
 * connections are retried with backoff (3 tries in all, as the official client); a 409 after a
 * lost answer means the earlier try landed. Redirects are followed only within the key's origin.
 * The key never appears in errors or progress text.
 */
import { explainNetworkFailure } from '../http/network';
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { NuGetPublisherError } from '../errors';
import { assertKeyMayGo, originOf } from '../http/keySafety';
import { TIMEOUT_CODE, upload, type HttpAnswer, type UploadBody } from '../http/httpUpload';
import { pushError } from './pushErrors';
import { SecretScrubber } from '../secrets/scrubber';

export type PushOutcome = 'created' | 'accepted' | 'skipped-duplicate' | 'landed-on-earlier-try';

export interface PushOptions {
  readonly packagePath: string;
  /** The PackagePublish (or SymbolPackagePublish) resource URL. */
  readonly url: string;
  readonly apiKey?: string;
  /** An Authorization header value (Basic credentials), bound to the key origin like the key. */
  readonly authorization?: string;
  /** The origin the key was stored for; defaults to the URL's own origin. */
  readonly keyOrigin?: string;
  /** For messages: "Contoso.Utils 1.2.3" and the feed's name. */
  readonly id: string;
  readonly version: string;
  readonly feedName: string;
  readonly skipDuplicate?: boolean;
  readonly attempts?: number;
  /** Idle timeout of one try. */
  readonly timeoutMs?: number;
  /** Overall deadline of one try (default: proportional to the size, see uploadDeadlineMs). */
  readonly deadlineMs?: number;
  /** How long the answer's body may take after its status (default 10 s). */
  readonly bodyWaitMs?: number;
  readonly backoffMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (sent: number, total: number) => void;
  /** For advice that fits the feed (nuget.org's key rules only for nuget.org). */
  readonly nugetOrg?: boolean;
}

export interface PushResult {
  readonly outcome: PushOutcome;
  readonly status: number;
  readonly attempts: number;
  /** X-NuGet-Warning headers. */
  readonly warnings: readonly string[];
  readonly notes: readonly string[];
}

const RETRYABLE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ECONNABORTED']);

function multipartBody(path: string, boundary: string, total: number, onProgress?: (sent: number, total: number) => void): UploadBody {
  return {
    head: Buffer.from(`--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; name=package; filename=package.nupkg; filename*=utf-8''package.nupkg\r\n\r\n`),
    path,
    tail: Buffer.from(`\r\n--${boundary}--\r\n`),
    total,
    onProgress,
  };
}
export async function pushPackage(options: PushOptions): Promise<PushResult> {
  const total = (await stat(options.packagePath)).size;
  const attempts = options.attempts ?? 3;
  const keyOrigin = options.keyOrigin ?? originOf(options.url);
  const notes: string[] = [];
  const scrubber = new SecretScrubber();
  scrubber.protect(options.apiKey);
  scrubber.protect(options.authorization?.replace(/^Basic /i, ''));
  let url = options.url;
  let redirects = 0;
  for (let attempt = 1; ; attempt++) {
    const secret = options.apiKey !== undefined || options.authorization !== undefined;
    if (secret) {
      assertKeyMayGo(url, keyOrigin);
    }
    const boundary = randomUUID();
    let answer: HttpAnswer;
    try {
      answer = await upload('PUT', url, {
        'content-type': `multipart/form-data; boundary="${boundary}"`,
        'x-nuget-protocol-version': '4.1.0',
        ...(options.apiKey !== undefined ? { 'x-nuget-apikey': options.apiKey } : {}),
        ...(options.authorization !== undefined ? { authorization: options.authorization } : {}),
      }, multipartBody(options.packagePath, boundary, total, options.onProgress), { idleMs: options.timeoutMs ?? 300_000, deadlineMs: options.deadlineMs, bodyWaitMs: options.bodyWaitMs, signal: options.signal, credentialOrigin: keyOrigin });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (options.signal?.aborted) {
        throw new NuGetPublisherError('NP2010', `The push of ${options.id} ${options.version} was cancelled; the server may or may not have received it.`, 'Check the feed before pushing again.');
      }
      if (code === TIMEOUT_CODE) {
        throw new NuGetPublisherError('NP2011', `${options.feedName} did not take the package and answer in time (${(error as Error).message}).`, 'The push may still land: check the feed, then try again (skip-duplicate avoids a 409).');
      }
      // A proxy that wants credentials, or a certificate not trusted: said as such, never retried.
      const explained = await explainNetworkFailure(error, url, originOf(url));
      if (explained) {
        throw explained;
      }
      if (RETRYABLE_CODES.has(code) && attempt < attempts) {
        notes.push(`Try ${attempt} failed (${code}); trying again.`);
        await new Promise((resolve) => setTimeout(resolve, (options.backoffMs ?? 1000) * attempt));
        continue;
      }
      throw new NuGetPublisherError('NP2012', `The connection to ${originOf(url)} failed (${code || (error as Error).message}) after ${attempt} tr${attempt === 1 ? 'y' : 'ies'}.`, 'Check the network and the feed URL, then try again.');
    }
    const { status } = answer;
    // A server may echo the key (reason, body, warning headers): removed before any text leaves here.
    const body = scrubber.scrub(answer.body);
    const warnings = answer.headers['x-nuget-warning'] === undefined ? [] : [answer.headers['x-nuget-warning']].flat().map((warning) => scrubber.scrub(warning));
    const location = answer.headers.location;
    if (status >= 300 && status < 400 && location && redirects < 5) {
      const target = new URL(location, url).toString();
      if (originOf(target) !== keyOrigin && secret) {
        throw new NuGetPublisherError('NP2003', `${options.feedName} redirected the push to ${originOf(target)}; the API key belongs to ${keyOrigin}, so it was not sent there.`, 'Use the feed URL the redirect points to, if you trust it, and store a key for it.');
      }
      redirects++;
      url = target;
      attempt--;
      continue;
    }
    if (status >= 500 && attempt < attempts) {
      notes.push(`Try ${attempt} got ${status}; trying again.`);
      await new Promise((resolve) => setTimeout(resolve, (options.backoffMs ?? 1000) * attempt));
      continue;
    }
    if (status === 200 || status === 201 || status === 202) {
      return { outcome: status === 202 ? 'accepted' : 'created', status, attempts: attempt, warnings, notes };
    }
    if (status === 409 && attempt > 1) {
      notes.push('The server reports the version exists after a retry: the earlier try landed.');
      return { outcome: 'landed-on-earlier-try', status, attempts: attempt, warnings, notes };
    }
    if (status === 409 && options.skipDuplicate) {
      return { outcome: 'skipped-duplicate', status, attempts: attempt, warnings, notes };
    }
    // nuget.org often puts the reason only in the status line.
    throw pushError({ status, reason: scrubber.scrub(answer.statusText), body, retryAfter: answer.headers['retry-after'] ? String(answer.headers['retry-after']) : undefined }, options.id, options.version, options.feedName, { nugetOrg: options.nugetOrg, keyProvided: secret });
  }
}
