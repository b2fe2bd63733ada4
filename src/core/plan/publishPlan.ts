/**
 * Publishing many packages at once: find the .nupkg files, order them so that dependencies go
 * before their dependents (a cycle is a clear error), check each against the nuget.org rules,
 * find out which versions the feed already has (those are skipped), and only then publish, one
 * by one, stopping or continuing on error. Building the plan only reads from the feed, so it is
 * also the dry run.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NuGetPublisherError, describeError } from '../errors';
import type { Feed } from '../feeds/feed';
import type { FeedClient } from '../feeds/feedClient';
import { mayPublish, preparePublish, type PreparedPackage } from '../publish/prepare';
import { compareVersions, normalizeVersion, parseVersion } from '../version';
import { readApiDiff } from '../api/apiDiff';
import { versionBumpProblem, type ApiVerdict } from '../api/packageApi';
import { chooseBaseline, latestPublished } from '../diff/latestPublished';
import { sameVersion } from '../feeds/feedReads';

export interface PlanEntry {
  readonly path: string;
  readonly id: string;
  readonly version: string;
  /** Ids of other packages in the plan this one depends on. */
  readonly dependsOn: readonly string[];
  readonly errors: readonly string[];
  /** 'unreadable': the file could not be read as a package (the reason names why); never published. */
  readonly action: 'publish' | 'skip-existing' | 'blocked' | 'unreadable';
  readonly reason?: string;
  readonly keyLabel?: string;
  /** The package as preparePublish read it, so that publishing does not open it again. */
  readonly prepared?: PreparedPackage;
  /** The .nupkg's size in bytes (for the progress display). */
  readonly size?: number;
  /** The public API against the feed's nearest lower version, when the plan compared them. */
  readonly api?: PlanApi;
}

export interface PlanApi {
  readonly baseline: string;
  readonly verdict: ApiVerdict;
  readonly breaking: number;
  /** When the version number is smaller than the API change needs. */
  readonly problem?: string;
}

export interface Plan {
  readonly feed: Feed;
  readonly entries: readonly PlanEntry[];
}

/** Every .nupkg under a folder (not .symbols.nupkg, not in node_modules), sorted. */
export async function findPackages(folder: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < 8 && entry.name !== 'node_modules' && !entry.name.startsWith('.')) {
        await walk(path, depth + 1);
      } else if (entry.isFile() && /\.nupkg$/i.test(entry.name) && !/\.symbols\.nupkg$/i.test(entry.name)) {
        found.push(path);
      }
    }
  };
  await walk(folder, 0);
  return found.sort();
}

/**
 * Orders nodes so that every node comes after the nodes it depends on (Kahn's algorithm, ties by
 * id for a stable order). A cycle throws, naming it: "A → B → A".
 */
export function orderByDependencies<T extends { id: string; dependsOn: readonly string[] }>(nodes: readonly T[]): T[] {
  const byId = new Map(nodes.map((node) => [node.id.toLowerCase(), node]));
  const remaining = new Map(nodes.map((node) => [node.id.toLowerCase(), new Set(node.dependsOn.map((id) => id.toLowerCase()).filter((id) => byId.has(id) && id !== node.id.toLowerCase()))]));
  const ordered: T[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.entries()].filter(([, deps]) => deps.size === 0).map(([id]) => id).sort();
    if (ready.length === 0) {
      throw new NuGetPublisherError('NP5001', `The packages depend on each other in a cycle: ${findCycle(remaining, byId)}. No order can publish a dependency before its dependent.`, 'Break the cycle (a package cannot depend, even indirectly, on itself), pack again and retry.');
    }
    for (const id of ready) {
      ordered.push(byId.get(id)!);
      remaining.delete(id);
      for (const deps of remaining.values()) {
        deps.delete(id);
      }
    }
  }
  return ordered;
}

/**
 * Several versions of one id (pack output folders often hold them): the ids are ordered by their
 * dependencies, and each id's versions go oldest first, as pushing them one by one would.
 */
export function orderVersions<T extends { id: string; version: string; dependsOn: readonly string[] }>(entries: readonly T[]): T[] {
  const byId = new Map<string, T[]>();
  for (const entry of entries) {
    byId.set(entry.id.toLowerCase(), [...(byId.get(entry.id.toLowerCase()) ?? []), entry]);
  }
  const nodes = [...byId.values()].map((versions) => ({ id: versions[0].id, dependsOn: [...new Set(versions.flatMap((version) => version.dependsOn))], versions }));
  return orderByDependencies(nodes).flatMap((node) => [...node.versions].sort((a, b) => {
    const [pa, pb] = [parseVersion(a.version), parseVersion(b.version)];
    return pa && pb ? compareVersions(pa, pb) : a.version.localeCompare(b.version);
  }));
}

function findCycle(remaining: ReadonlyMap<string, ReadonlySet<string>>, byId: ReadonlyMap<string, { id: string }>): string {
  const start = [...remaining.keys()].sort()[0];
  const path: string[] = [start];
  const seen = new Set([start]);
  let current = start;
  for (;;) {
    const next = [...(remaining.get(current) ?? [])].sort()[0];
    if (next === undefined) {
      return path.map((id) => byId.get(id)?.id ?? id).join(' → ');
    }
    if (seen.has(next)) {
      const cycle = [...path.slice(path.indexOf(next)), next];
      return cycle.map((id) => byId.get(id)?.id ?? id).join(' → ');
    }
    path.push(next);
    seen.add(next);
    current = next;
  }
}

/** Reads of the feed a plan makes at once while planning: as many as NuGet itself makes to one source (maxHttpRequestsPerSource, 64 outside Windows). */
const PLAN_READS = 64;

/** `work` over every item, at most `limit` at once; results in the items' order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Reads every package once, orders them, and checks rules and the feed. Makes no request that
 * writes. A file that cannot be read as a package is listed as unreadable (with its reason) and
 * the rest is planned. `override` is the CLI's --no-checks: rule errors then block nothing.
 */
/**
 * Reads every package and the feed, and says what would happen to each. With `apiDownloads` (a
 * folder for the published versions it downloads), each package to publish is also compared with
 * the feed's nearest lower version: the API verdict, and a version number too small for it.
 */
export async function buildPlan(options: { client: FeedClient; packages: readonly string[]; keyFor?: (id: string) => string | undefined; override?: boolean; apiDownloads?: string }): Promise<Plan> {
  const feed = options.client.feed;
  // A feed that cannot be reached or read fails the plan once, instead of on every package's
  // line. One that wants credentials to read may still take pushes: each line says so. The index
  // is fetched while the packages are being read; their feed reads wait for it (and then use it
  // from the cache).
  const indexRead = feed.kind === 'v2' || feed.kind === 'folder' ? Promise.resolve() : options.client.serviceIndex().then(() => undefined, (error: unknown): void => {
    if (!(error instanceof NuGetPublisherError && (error.code === 'NP3006' || error.code === 'NP4003'))) {
      throw error;
    }
  });
  indexRead.catch(() => undefined); // awaited below; a failure must not count as unhandled meanwhile
  // Each package is read, and the feed asked whether it has that version, as one step; up to
  // PLAN_READS steps run at once (against a distant feed the reads were most of a plan's time).
  type Read = { path: string; id: string; version: string; dependsOn: readonly string[]; errors: string[]; refusedByRules: boolean; prepared: PreparedPackage; size: number; onFeed: boolean | string | undefined; feedVersions: readonly string[] };
  const steps = await mapBounded(options.packages, PLAN_READS, async (path): Promise<Read | PlanEntry> => {
    let prepared: PreparedPackage;
    try {
      prepared = await preparePublish(path);
    } catch (error) {
      return { path, id: basename(path), version: '', dependsOn: [], errors: [], action: 'unreadable', reason: describeError(error) };
    }
    const gate = mayPublish(feed, prepared.findings, { override: options.override });
    const refusedByRules = gate.verdict === 'no';
    let onFeed: boolean | string | undefined;
    let feedVersions: readonly string[] = [];
    await indexRead;
    if (!refusedByRules && feed.kind !== 'v2') {
      // One read of the feed's versions: whether it has this one, and what to compare the API with.
      try {
        feedVersions = await options.client.versions(prepared.id);
        onFeed = feedVersions.some((candidate) => sameVersion(candidate, prepared.version));
      } catch (error) {
        onFeed = describeError(error);
      }
    }
    return { path, id: prepared.id, version: prepared.version, dependsOn: prepared.dependsOn, prepared, size: (await stat(path)).size, errors: gate.errors.map((diagnostic) => `${diagnostic.code}: ${diagnostic.message}`), refusedByRules, onFeed, feedVersions };
  });
  await indexRead; // a plan of unreadable files still fails on an unreachable feed
  const read = steps.filter((step): step is Read => !('action' in step));
  const unreadable = steps.filter((step): step is PlanEntry => 'action' in step);
  const key = (entry: { id: string; version: string }): string => `${entry.id.toLowerCase()} ${(parseVersion(entry.version) ? normalizeVersion(parseVersion(entry.version)!) : entry.version).toLowerCase()}`;
  const duplicates = read.filter((entry, index) => read.findIndex((other) => key(other) === key(entry)) !== index);
  if (duplicates.length > 0) {
    throw new NuGetPublisherError('NP5002', `The folder holds ${[...new Set(duplicates.map((entry) => `${entry.id} ${entry.version}`))].join(', ')} twice.`, 'Keep one file of each version in the folder.');
  }
  const ordered = orderVersions(read);
  const entries: PlanEntry[] = [];
  const blockedIds = new Set<string>();
  for (const entry of ordered) {
    const parsed = parseVersion(entry.version);
    const version = parsed ? normalizeVersion(parsed) : entry.version;
    let action: PlanEntry['action'] = 'publish';
    let reason: string | undefined;
    const there = entry.onFeed;
    if (entry.refusedByRules) {
      action = 'blocked';
      reason = `${entry.errors.length} rule error${entry.errors.length === 1 ? '' : 's'}: ${entry.errors[0]}`;
    } else if (entry.dependsOn.some((id) => blockedIds.has(id.toLowerCase()))) {
      action = 'blocked';
      reason = `depends on ${entry.dependsOn.filter((id) => blockedIds.has(id.toLowerCase())).join(', ')}, which cannot be published`;
    } else if (feed.kind === 'v2') {
      reason = 'a V2 push URL cannot be read first; publishing will tell';
    } else if (typeof there === 'string') {
      reason = `could not check the feed (${there}); publishing will tell`;
    } else if (there === true) {
      action = 'skip-existing';
      reason = `${feed.name} already has ${entry.id} ${version}`;
    }
    if (action === 'blocked') {
      blockedIds.add(entry.id.toLowerCase());
    }
    entries.push({ path: entry.path, id: entry.id, version, dependsOn: entry.dependsOn.filter((id) => read.some((other) => other.id.toLowerCase() === id.toLowerCase())), errors: entry.errors, action, reason, keyLabel: options.keyFor?.(entry.id), prepared: entry.prepared, size: entry.size });
  }
  if (options.apiDownloads !== undefined) {
    const versionsOf = new Map(read.map((entry) => [entry.path, entry.feedVersions]));
    const compared = await mapBounded(entries, PLAN_API_COMPARISONS, (entry) => (entry.action === 'publish' ? planApi(options.client, entry, versionsOf.get(entry.path) ?? [], options.apiDownloads!) : Promise.resolve(undefined)));
    entries.forEach((entry, index) => {
      if (compared[index]) {
        entries[index] = { ...entry, api: compared[index] };
      }
    });
  }
  return { feed, entries: [...entries, ...unreadable] };
}

/** How many API comparisons a plan runs at once (each may download a published version). */
const PLAN_API_COMPARISONS = 4;

/** One package against the feed's nearest lower version; undefined when there is none or it cannot be read. */
async function planApi(client: FeedClient, entry: PlanEntry, feedVersions: readonly string[], downloads: string): Promise<PlanApi | undefined> {
  const baseline = chooseBaseline(feedVersions, entry.version);
  if (!baseline || baseline.why.includes('downgrade')) {
    return undefined;
  }
  try {
    const found = await latestPublished({ client, id: entry.id, excludingVersion: entry.version, downloadFolder: downloads });
    if (!found) {
      return undefined;
    }
    const api = await readApiDiff(found.path, entry.path);
    const problem = versionBumpProblem(found.version, entry.version, api.verdict);
    return { baseline: found.version, verdict: api.verdict, breaking: api.breaking.length, ...(problem ? { problem } : {}) };
  } catch {
    return undefined; // the plan goes on without it; the publish confirmation and Compare say more
  }
}

export function describePlan(plan: Plan): string[] {
  return plan.entries.map((entry, index) => {
    if (entry.action === 'unreadable') {
      return `${index + 1}. ${entry.path} → not published: it cannot be read as a package (${entry.reason})`;
    }
    const what = entry.action === 'publish' ? `publish${entry.keyLabel ? ` with key "${entry.keyLabel}"` : ''}` : entry.action === 'skip-existing' ? 'skip (already there)' : 'BLOCKED';
    const after = entry.dependsOn.length ? `, after ${entry.dependsOn.join(', ')}` : '';
    const api = entry.api ? `; API against ${entry.api.baseline}: ${entry.api.verdict}${entry.api.breaking > 0 ? ` (${entry.api.breaking} breaking)` : ''}${entry.api.problem ? `. ! ${entry.api.problem}` : ''}` : '';
    return `${index + 1}. ${entry.id} ${entry.version} → ${plan.feed.name}: ${what}${after}${entry.reason && entry.action !== 'skip-existing' ? ` (${entry.reason})` : ''}${api}`;
  });
}

export interface PlanResult {
  readonly entry: PlanEntry;
  readonly outcome: 'published' | 'skipped' | 'failed' | 'not-run';
  readonly message?: string;
}

/** Thrown by a push to stop the whole plan (a spent quota, a wait too long): the rest is not run, even with continue-on-error. */
export class PlanStop extends NuGetPublisherError {}

/** Where a running plan stands: for one progress display. */
export interface PlanProgress {
  /** Entries finished (published, skipped, failed or not run) of all entries. */
  readonly done: number;
  readonly total: number;
  /** Bytes of the packages finished pushing, of all the packages to push. */
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** "Id Version" of each push in flight. */
  readonly inFlight: readonly string[];
  /** The entry whose state just changed, and its result when it has one. */
  readonly entry: PlanEntry;
  readonly result?: PlanResult;
}

/** A push that found the version already there (skip-duplicate): reported as skipped, and it satisfies its dependents. */
export interface SkippedPush {
  readonly skipped: string;
}

export interface RunPlanOptions {
  /** Pushes one entry: the outcome in words, or a SkippedPush. */
  readonly publishOne: (entry: PlanEntry) => Promise<string | SkippedPush>;
  readonly continueOnError: boolean;
  /** How many pushes may run at once (default 1: one after another). */
  readonly parallel?: number;
  /** The package's size in bytes, for the progress display (default: the entry's size). */
  readonly sizeOf?: (entry: PlanEntry) => number;
  readonly onStep?: (index: number, entry: PlanEntry) => void;
  readonly onProgress?: (progress: PlanProgress) => void;
  readonly signal?: AbortSignal;
}

const lower = (id: string): string => id.toLowerCase();

/**
 * Publishes the plan in dependency waves, at most `parallel` pushes at once. A package starts
 * only when every package of the plan it depends on has been accepted (published, or found there
 * by skip-duplicate); one whose
 * dependency failed is not run. The versions of one id go one after another, oldest first. On an
 * error: stop starting new pushes (those in flight finish; the rest is "not-run"), or go on.
 * Results come back in plan order.
 */
export async function runPlan(plan: Plan, options: RunPlanOptions): Promise<PlanResult[]> {
  const parallel = Math.max(1, Math.floor(options.parallel ?? 1));
  const entries = plan.entries;
  // Filled, not sparse: every() and filter() must see each slot.
  const results: (PlanResult | undefined)[] = entries.map(() => undefined);
  const sizeOf = (entry: PlanEntry): number => options.sizeOf?.(entry) ?? entry.size ?? 0;
  const toPush = entries.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.action === 'publish');
  const bytesTotal = toPush.reduce((sum, { entry }) => sum + sizeOf(entry), 0);
  let bytesDone = 0;
  const inFlight = new Map<number, string>();
  const report = (entry: PlanEntry, result?: PlanResult): void => options.onProgress?.({
    done: results.filter((result) => result !== undefined).length, total: entries.length, bytesDone, bytesTotal, inFlight: [...inFlight.values()], entry, result,
  });
  const finish = (index: number, result: PlanResult): void => {
    results[index] = result;
    report(result.entry, result);
  };
  for (const [index, entry] of entries.entries()) {
    if (entry.action !== 'publish') {
      finish(index, { entry, outcome: entry.action === 'skip-existing' ? 'skipped' : 'failed', message: entry.reason });
    }
  }
  // What each push waits for: the earlier versions of its own id (finished, in any way) and every
  // entry of the ids it depends on (accepted). The plan is in dependency order, so both are earlier.
  const waitsFor = new Map(toPush.map(({ entry, index }) => [index, {
    sameId: toPush.filter((other) => other.index < index && lower(other.entry.id) === lower(entry.id)).map((other) => other.index),
    dependencies: toPush.filter((other) => other.index < index && entry.dependsOn.some((id) => lower(id) === lower(other.entry.id))).map((other) => other.index),
  }]));
  let stopped = false;
  let stopReason = 'stopped after an earlier error';
  const running = new Set<Promise<void>>();
  for (;;) {
    let progressed = false;
    for (const { entry, index } of toPush) {
      if (results[index] || inFlight.has(index)) {
        continue;
      }
      if (stopped || options.signal?.aborted) {
        finish(index, { entry, outcome: 'not-run', message: options.signal?.aborted ? 'cancelled' : stopReason });
        progressed = true;
        continue;
      }
      const { sameId, dependencies } = waitsFor.get(index)!;
      const accepted = (other: number): boolean => results[other]?.outcome === 'published' || results[other]?.outcome === 'skipped';
      const failedDependencies = dependencies.filter((other) => results[other] && !accepted(other));
      if (failedDependencies.length > 0) {
        const ids = [...new Set(failedDependencies.map((other) => entries[other].id))];
        finish(index, { entry, outcome: 'not-run', message: `a dependency (${ids.join(', ')}) failed` });
        progressed = true;
        continue;
      }
      const ready = sameId.every((other) => results[other]) && dependencies.every(accepted);
      if (!ready || inFlight.size >= parallel) {
        continue;
      }
      inFlight.set(index, `${entry.id} ${entry.version}`);
      options.onStep?.(index, entry);
      report(entry);
      progressed = true;
      const push = options.publishOne(entry).then(
        (value): PlanResult & { stop?: boolean } => (typeof value === 'string' ? { entry, outcome: 'published', message: value } : { entry, outcome: 'skipped', message: value.skipped }),
        (error: unknown) => ({ entry, outcome: 'failed' as const, message: describeError(error), stop: error instanceof PlanStop }),
      ).then(({ stop, ...result }: PlanResult & { stop?: boolean }) => {
        inFlight.delete(index);
        bytesDone += sizeOf(entry);
        if (stop || (result.outcome === 'failed' && !options.continueOnError)) {
          stopped = true;
          if (stop) {
            stopReason = `not run: the plan stopped at ${entry.id} ${entry.version} (${result.message?.split('. ')[0] ?? 'rate limit'})`;
          }
        }
        finish(index, result);
      });
      const tracked: Promise<void> = push.finally(() => running.delete(tracked));
      running.add(tracked);
    }
    if (results.every((result) => result !== undefined)) {
      break;
    }
    if (!progressed) {
      if (running.size === 0) {
        throw new Error('publish plan: nothing can run and nothing is running (a bug in the plan order)');
      }
      await Promise.race(running);
    }
  }
  return results as PlanResult[];
}
