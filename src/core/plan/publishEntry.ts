/**
 * One push of a publish plan, as the CLI's publish-plan and VS Code's Publish Folder both do it:
 * - verified: after a timeout, or a 409 on a version the plan found missing (so it is this run's
 *   own earlier try, or someone else's), the feed's copy (flat container) is compared with the
 *   local file by SHA-512: the same file is "already there, identical" (a success), another file
 *   an error naming both hashes. Skip-duplicate reports "skipped, identical" or "skipped, different"
 *   wherever the feed can be read;
 * - rate limits: a 429 waits the time the feed names (with a countdown through `onWait`) and tries
 *   again; a spent quota, or a wait longer than `maxWaitSeconds`, stops the plan, saying when to
 *   resume;
 * - journaled: each accepted push goes into the plan's journal at once (journal.ts).
 */
import { join } from 'node:path';
import { describeError, NuGetPublisherError } from '../errors';
import type { FeedClient } from '../feeds/feedClient';
import { publish, type PublishOptions, type PublishReport } from '../publish/publish';
import { RateLimitError } from '../publish/pushErrors';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { forgetTemp, trackTemp } from '../tempFiles';
import { sha512OfFile, type JournalWriter } from './journal';
import { PlanStop, type PlanEntry, type SkippedPush } from './publishPlan';

/** What the feed holds for a version, compared with the local file. */
export type FeedCopy =
  | { readonly verdict: 'identical'; readonly sha512: string }
  | { readonly verdict: 'different'; readonly ours: string; readonly theirs: string }
  | { readonly verdict: 'unknown'; readonly reason: string };

/** Downloads the feed's .nupkg (flat container) and compares its SHA-512 with the local file's. */
export async function compareWithFeed(client: FeedClient, id: string, version: string, localPath: string, signal?: AbortSignal): Promise<FeedCopy> {
  if (client.feed.kind === 'v2') {
    return { verdict: 'unknown', reason: 'a V2 push URL cannot be read to compare the copies' };
  }
  const folder = await mkdtemp(join(tmpdir(), 'np-verify-'));
  trackTemp(folder); // removed on exit or deactivation even if this is cut short
  try {
    const target = join(folder, 'feed-copy.nupkg');
    await client.download(id, version, target, signal);
    const [ours, theirs] = await Promise.all([sha512OfFile(localPath), sha512OfFile(target)]);
    return ours === theirs ? { verdict: 'identical', sha512: ours } : { verdict: 'different', ours, theirs };
  } catch (error) {
    return { verdict: 'unknown', reason: describeError(error) };
  } finally {
    await rm(folder, { recursive: true, force: true });
    forgetTemp(folder);
  }
}

/** The push options of publish() that every entry of a plan shares. */
type SharedPublishOptions = Pick<PublishOptions, 'feed' | 'credential' | 'skipDuplicate' | 'symbols' | 'symbolSource' | 'noServiceEndpoint' | 'signal' | 'timeoutMs'>;

export interface EntryContext extends SharedPublishOptions {
  /** Reads the feed (verification); none for a feed that cannot be read. */
  readonly client?: FeedClient;
  readonly journal?: JournalWriter;
  /** The longest rate-limit wait taken in place (default 120 s); longer stops the plan. */
  readonly maxWaitSeconds?: number;
  /** How often one package waits for a rate limit before the plan stops (default 5). */
  readonly maxWaits?: number;
  /** A countdown: called once a second while waiting for a rate limit. */
  readonly onWait?: (entry: PlanEntry, secondsLeft: number, why: string) => void;
  /** The journal could not be written (the push itself succeeded). */
  readonly onJournalError?: (entry: PlanEntry, error: unknown) => void;
  readonly onReport?: (report: PublishReport) => void;
}

/** Waits `seconds`, calling `tick` every second with what is left; cancellable. */
async function countdown(seconds: number, tick: (left: number) => void, signal?: AbortSignal): Promise<void> {
  for (let left = Math.ceil(seconds); left > 0; left--) {
    tick(left);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, 1000);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new NuGetPublisherError('NP2010', 'The plan was cancelled while waiting for the rate limit.', ''));
      }, { once: true });
    });
  }
}

function short(hash: string): string {
  return `${hash.slice(0, 16)}…`;
}

/** Publishes one entry; resolves with the outcome to show ("created", "already there, identical", …), or a skip. */
export async function publishPlanEntry(entry: PlanEntry, context: EntryContext): Promise<string | SkippedPush> {
  const maxWaitSeconds = context.maxWaitSeconds ?? 120;
  for (let waits = 0; ; waits++) {
    let report: PublishReport;
    try {
      const { feed, credential, skipDuplicate, symbols, symbolSource, noServiceEndpoint, signal, timeoutMs } = context;
      report = await publish({ feed, credential, skipDuplicate, symbols, symbolSource, noServiceEndpoint, signal, timeoutMs, packagePath: entry.path, prepared: entry.prepared });
    } catch (error) {
      if (error instanceof RateLimitError) {
        const wait = error.waitSeconds ?? 60;
        if (error.quota || wait > maxWaitSeconds || waits >= (context.maxWaits ?? 5)) {
          const when = new Date(Date.now() + (error.quota ? 3600 : wait) * 1000);
          throw new PlanStop(error.code, `${describeError(error)} The plan stopped at ${entry.id} ${entry.version}; what was accepted is kept.`, `Resume after ${when.toISOString().slice(11, 16)} UTC${error.quota ? ' (about an hour)' : ''}: run the plan again (CLI: --state FILE --resume; VS Code: Publish Folder offers Resume).`);
        }
        await countdown(wait, (left) => context.onWait?.(entry, left, error.code === 'NP2429' ? 'rate limited (429)' : 'rate limited'), context.signal);
        continue;
      }
      // A timeout, or a 409 for a version the plan found missing: whose copy is on the feed now?
      const code = error instanceof NuGetPublisherError ? error.code : '';
      if ((code === 'NP2011' || code === 'NP2409') && context.client) {
        const copy = await compareWithFeed(context.client, entry.id, entry.version, entry.path, context.signal);
        if (copy.verdict === 'identical') {
          await journal(entry, context);
          return 'already there, identical';
        }
        if (copy.verdict === 'different') {
          throw anotherFile(context, entry, copy);
        }
      }
      throw error;
    }
    context.onReport?.(report);
    if (report.symbols?.outcome === 'failed') {
      throw new NuGetPublisherError('NP2051', `${report.id} ${report.version} was published (${report.outcome}) but its symbol package (.snupkg) was not: ${report.symbols.reason}`, 'Push the .snupkg again once the cause is fixed.');
    }
    if (report.outcome === 'skipped-duplicate' || report.outcome === 'landed-on-earlier-try') {
      const copy = context.client ? await compareWithFeed(context.client, entry.id, entry.version, entry.path, context.signal) : { verdict: 'unknown' as const, reason: 'this feed cannot be read to compare the copies' };
      if (report.outcome === 'landed-on-earlier-try') {
        if (copy.verdict === 'different') {
          throw anotherFile(context, entry, copy);
        }
        await journal(entry, context);
        return copy.verdict === 'identical' ? 'already there, identical (an earlier try landed)' : 'landed on an earlier try';
      }
      // Reported as "skipped (identical to the feed's copy)" and so on.
      return { skipped: copy.verdict === 'identical' ? 'identical to the feed\'s copy' : copy.verdict === 'different' ? `different from the feed's copy: ours ${short(copy.ours)}, the feed's ${short(copy.theirs)}` : `${context.feed.name} already has it; ${copy.reason}` };
    }
    await journal(entry, context);
    return report.outcome;
  }
}

/** NP5020: the feed holds this version, but from another file (both hashes named). */
function anotherFile(context: EntryContext, entry: PlanEntry, copy: Extract<FeedCopy, { verdict: 'different' }>): NuGetPublisherError {
  return new NuGetPublisherError('NP5020', `${context.feed.name} already has ${entry.id} ${entry.version}, but a different file: ours has SHA-512 ${copy.ours}, the feed's ${copy.theirs}.`, 'This version was pushed from another build; bump the version and pack again.');
}

async function journal(entry: PlanEntry, context: EntryContext): Promise<void> {
  await context.journal?.record(entry).catch((error: unknown) => context.onJournalError?.(entry, error));
}
