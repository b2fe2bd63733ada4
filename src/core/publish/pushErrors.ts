/** Push answers mapped to a plain cause and fix (nuget.org semantics; other servers agree mostly). */
import { NuGetPublisherError } from '../errors';

export interface PushAnswer {
  readonly status: number;
  readonly reason: string;
  readonly body: string;
  readonly retryAfter?: string;
}

function detail(answer: PushAnswer): string {
  const text = [answer.reason, answer.body.replace(/\s+/g, ' ').trim().slice(0, 300)].filter(Boolean).join(' — ');
  return text ? ` The server said: "${text}".` : '';
}

/** Who is asking, so that the advice fits the feed: nuget.org's key rules apply only to nuget.org. */
export interface PushContext {
  readonly nugetOrg?: boolean;
  /** Was a key or credential sent at all? */
  readonly keyProvided?: boolean;
}

/**
 * A rate limit: nuget.org answers 429 ("Rate limit is exceeded. Try again in 56 seconds.", in
 * the body, no Retry-After) while a key pushes too fast, and 403 "Quota exceeded." once its
 * hourly quota is spent (not a key problem). `waitSeconds` is when to try again, when known.
 */
export class RateLimitError extends NuGetPublisherError {
  public constructor(code: string, cause: string, fix: string, public readonly waitSeconds: number | undefined, public readonly quota: boolean) {
    super(code, cause, fix);
  }
}

/** Seconds to wait: a Retry-After header (seconds or a date), else "try again in N seconds" in the body. */
export function waitSecondsOf(answer: PushAnswer, now = Date.now()): number | undefined {
  if (answer.retryAfter !== undefined) {
    const seconds = Number(answer.retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) {
      return seconds;
    }
    const date = Date.parse(answer.retryAfter);
    if (Number.isFinite(date)) {
      return Math.max(0, Math.ceil((date - now) / 1000));
    }
  }
  const inBody = /try again in (\d+) seconds?/i.exec(answer.body);
  return inBody ? Number(inBody[1]) : undefined;
}

/** nuget.org's answer once a key's hourly push quota is spent. */
function isQuotaExceeded(answer: PushAnswer): boolean {
  return /quota exceeded/i.test(`${answer.reason} ${answer.body}`);
}

const NO_KEY_FIX = 'No API key was provided: set NUGET_API_KEY (or name another variable with --api-key-env); in VS Code, NuGet: Add Key….';

export function pushError(answer: PushAnswer, id: string, version: string, feed: string, context: PushContext = {}): NuGetPublisherError {
  const what = `${id} ${version}`;
  const keyless = context.keyProvided === false;
  switch (answer.status) {
    case 400:
      return new NuGetPublisherError('NP2400', `${feed} refused ${what} as invalid (400).${detail(answer)}`, 'Fix what the server names (the inspector\'s checks show most of these) and pack again.');
    case 401:
      if (keyless) {
        return new NuGetPublisherError('NP2401', `${feed} wants an API key for ${what}, and none was provided (401).${detail(answer)}`, NO_KEY_FIX);
      }
      return new NuGetPublisherError('NP2401', `${feed} did not accept the key for ${what} (401).${detail(answer)}`, context.nugetOrg
        ? 'On nuget.org this usually means the key\'s glob pattern or owner does not cover this package id: create a key whose glob matches it (nuget.org → API Keys).'
        : 'The server did not accept these credentials: check the key (or user name and password/token) stored for this feed, and that it may push (NuGet: Replace Key).');
    case 403:
      if (isQuotaExceeded(answer)) {
        return new RateLimitError('NP2430', `${feed} refused ${what}: the key's push quota is spent (403 Quota exceeded).${detail(answer)}`, 'nuget.org allows 350 pushes per hour per key: resume the plan in about an hour (the CLI: --state FILE --resume; VS Code: Publish Folder offers Resume).', waitSecondsOf(answer), true);
      }
      if (keyless) {
        return new NuGetPublisherError('NP2403', `${feed} refused ${what} without an API key (403).${detail(answer)}`, NO_KEY_FIX);
      }
      return new NuGetPublisherError('NP2403', `${feed} refused the key for ${what} (403).${detail(answer)}`, context.nugetOrg
        ? 'The key is unknown or expired, lacks the push scope, or the package is locked: replace the key (NuGet: Replace Key) or check the package on the website.'
        : 'The credentials are known but may not do this (no push permission, or expired): check them on the server and replace the key (NuGet: Replace Key).');
    case 409:
      return new NuGetPublisherError('NP2409', `${feed} already has ${what}${context.nugetOrg ? ', or the id is under a prefix reserved by another owner' : ''} (409).${detail(answer)}`, `Bump the version${context.nugetOrg ? ' (a version that ever existed, even unlisted, cannot be pushed again)' : ''}, or turn on skip-duplicate.`);
    case 413:
      return new NuGetPublisherError('NP2413', `${what} is larger than ${feed} accepts (413).${detail(answer)}`, 'Make the package smaller (nuget.org: 250 MB at most).');
    case 429: {
      const wait = waitSecondsOf(answer);
      return new RateLimitError('NP2429', `${feed} is rate-limiting pushes (429)${wait !== undefined ? `; try again in ${wait} s` : ''}.${detail(answer)}`, 'Wait and push again (nuget.org allows 350 pushes per hour per key).', wait, false);
    }
    default:
      return new NuGetPublisherError(`NP2${String(answer.status).padStart(3, '0').slice(-3)}`, `${feed} answered ${answer.status} to the push of ${what}.${detail(answer)}`, answer.status >= 500 ? 'The server failed; try again later or check its status page.' : 'Check the feed URL and the key.');
  }
}
