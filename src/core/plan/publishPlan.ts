/**
 * Publishing many packages at once: find the .nupkg files, order them so that dependencies go
 * before their dependents (a cycle is a clear error), check each against the nuget.org rules,
 * find out which versions the feed already has (those are skipped), and only then publish, one
 * by one, stopping or continuing on error. Building the plan only reads from the feed, so it is
 * also the dry run.
 */
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NuGetPublisherError, describeError } from '../errors';
import type { Feed } from '../feeds/feed';
import type { FeedClient } from '../feeds/feedClient';
import { mayPublish, preparePublish, type PreparedPackage } from '../publish/prepare';
import { compareVersions, normalizeVersion, parseVersion } from '../version';

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

/** Does the feed already have this version (listed or not)? Reads only. */
/**
 * Reads every package once, orders them, and checks rules and the feed. Makes no request that
 * writes. A file that cannot be read as a package is listed as unreadable (with its reason) and
 * the rest is planned. `override` is the CLI's --no-checks: rule errors then block nothing.
 */
export async function buildPlan(options: { client: FeedClient; packages: readonly string[]; keyFor?: (id: string) => string | undefined; override?: boolean }): Promise<Plan> {
  const feed = options.client.feed;
  const read: { path: string; id: string; version: string; dependsOn: readonly string[]; errors: string[]; refusedByRules: boolean; prepared: PreparedPackage }[] = [];
  const unreadable: PlanEntry[] = [];
  for (const path of options.packages) {
    let prepared: PreparedPackage;
    try {
      prepared = await preparePublish(path);
    } catch (error) {
      unreadable.push({ path, id: basename(path), version: '', dependsOn: [], errors: [], action: 'unreadable', reason: describeError(error) });
      continue;
    }
    const gate = mayPublish(feed, prepared.findings, { override: options.override });
    read.push({ path, id: prepared.id, version: prepared.version, dependsOn: prepared.dependsOn, prepared, errors: gate.errors.map((diagnostic) => `${diagnostic.code}: ${diagnostic.message}`), refusedByRules: gate.verdict === 'no' });
  }
  const key = (entry: { id: string; version: string }): string => `${entry.id.toLowerCase()} ${(parseVersion(entry.version) ? normalizeVersion(parseVersion(entry.version)!) : entry.version).toLowerCase()}`;
  const duplicates = read.filter((entry, index) => read.findIndex((other) => key(other) === key(entry)) !== index);
  if (duplicates.length > 0) {
    throw new NuGetPublisherError('NP5002', `The folder holds ${[...new Set(duplicates.map((entry) => `${entry.id} ${entry.version}`))].join(', ')} twice.`, 'Keep one file of each version in the folder.');
  }
  const entries: PlanEntry[] = [];
  const blockedIds = new Set<string>();
  for (const entry of orderVersions(read)) {
    const parsed = parseVersion(entry.version);
    const version = parsed ? normalizeVersion(parsed) : entry.version;
    let action: PlanEntry['action'] = 'publish';
    let reason: string | undefined;
    if (entry.refusedByRules) {
      action = 'blocked';
      reason = `${entry.errors.length} rule error${entry.errors.length === 1 ? '' : 's'}: ${entry.errors[0]}`;
    } else if (entry.dependsOn.some((id) => blockedIds.has(id.toLowerCase()))) {
      action = 'blocked';
      reason = `depends on ${entry.dependsOn.filter((id) => blockedIds.has(id.toLowerCase())).join(', ')}, which cannot be published`;
    } else {
      try {
        if (await options.client.hasVersion(entry.id, entry.version)) {
          action = 'skip-existing';
          reason = `${feed.name} already has ${entry.id} ${version}`;
        }
      } catch (error) {
        reason = `could not check the feed (${describeError(error)}); publishing will tell`;
      }
    }
    if (action === 'blocked') {
      blockedIds.add(entry.id.toLowerCase());
    }
    entries.push({ path: entry.path, id: entry.id, version, dependsOn: entry.dependsOn.filter((id) => read.some((other) => other.id.toLowerCase() === id.toLowerCase())), errors: entry.errors, action, reason, keyLabel: options.keyFor?.(entry.id), prepared: entry.prepared });
  }
  return { feed, entries: [...entries, ...unreadable] };
}

export function describePlan(plan: Plan): string[] {
  return plan.entries.map((entry, index) => {
    if (entry.action === 'unreadable') {
      return `${index + 1}. ${entry.path} → not published: it cannot be read as a package (${entry.reason})`;
    }
    const what = entry.action === 'publish' ? `publish${entry.keyLabel ? ` with key "${entry.keyLabel}"` : ''}` : entry.action === 'skip-existing' ? 'skip (already there)' : 'BLOCKED';
    const after = entry.dependsOn.length ? `, after ${entry.dependsOn.join(', ')}` : '';
    return `${index + 1}. ${entry.id} ${entry.version} → ${plan.feed.name}: ${what}${after}${entry.reason && entry.action !== 'skip-existing' ? ` (${entry.reason})` : ''}`;
  });
}

export interface PlanResult {
  readonly entry: PlanEntry;
  readonly outcome: 'published' | 'skipped' | 'failed' | 'not-run';
  readonly message?: string;
}

/** Publishes the plan in order. On an error: stop (the rest is "not-run") or go on with the rest. */
export async function runPlan(plan: Plan, options: { publishOne: (entry: PlanEntry) => Promise<string>; continueOnError: boolean; onStep?: (index: number, entry: PlanEntry) => void; signal?: AbortSignal }): Promise<PlanResult[]> {
  const results: PlanResult[] = [];
  let stopped = false;
  const failedIds = new Set<string>();
  for (const [index, entry] of plan.entries.entries()) {
    if (stopped || options.signal?.aborted) {
      results.push({ entry, outcome: 'not-run', message: options.signal?.aborted ? 'cancelled' : 'stopped after an earlier error' });
      continue;
    }
    if (entry.action !== 'publish') {
      results.push({ entry, outcome: entry.action === 'skip-existing' ? 'skipped' : 'failed', message: entry.reason });
      continue;
    }
    if (entry.dependsOn.some((id) => failedIds.has(id.toLowerCase()))) {
      failedIds.add(entry.id.toLowerCase());
      results.push({ entry, outcome: 'not-run', message: `a dependency (${entry.dependsOn.filter((id) => failedIds.has(id.toLowerCase())).join(', ')}) failed` });
      continue;
    }
    options.onStep?.(index, entry);
    try {
      results.push({ entry, outcome: 'published', message: await options.publishOne(entry) });
    } catch (error) {
      failedIds.add(entry.id.toLowerCase());
      results.push({ entry, outcome: 'failed', message: describeError(error) });
      stopped = !options.continueOnError;
    }
  }
  return results;
}
