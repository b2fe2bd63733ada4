/**
 * Publishing many packages at once: find the .nupkg files, order them so that dependencies go
 * before their dependents (a cycle is a clear error), check each against the nuget.org rules,
 * find out which versions the feed already has (those are skipped), and only then publish, one
 * by one, stopping or continuing on error. Building the plan only reads from the feed, so it is
 * also the dry run.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { NuGetPublisherError, describeError } from '../errors';
import { folderPath, type Feed } from '../feeds/feed';
import { discoverFeed, type ReadCredentials } from '../feeds/feedAccess';
import { folderVersions } from '../feeds/explorerModel';
import { flatVersions, sameVersion } from '../feeds/feedReads';
import { hasResource } from '../feeds/serviceIndex';
import { inspectPackageFile } from '../inspect';
import type { ConditionalFetcher } from '../track/conditionalFetch';
import { compareVersions, normalizeVersion, parseVersion } from '../version';

export interface PlanEntry {
  readonly path: string;
  readonly id: string;
  readonly version: string;
  /** Ids of other packages in the plan this one depends on. */
  readonly dependsOn: readonly string[];
  readonly errors: readonly string[];
  readonly action: 'publish' | 'skip-existing' | 'blocked';
  readonly reason?: string;
  readonly keyLabel?: string;
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
export async function feedHasVersion(feed: Feed, fetcher: ConditionalFetcher, id: string, version: string, credentials?: ReadCredentials): Promise<boolean> {
  if (feed.kind === 'folder') {
    return (await folderVersions({ ...feed, source: folderPath(feed.source) }, id)).some((candidate) => sameVersion(candidate.version, version));
  }
  const index = await discoverFeed(feed, credentials);
  if (!hasResource(index, 'packageBase')) {
    return false;
  }
  return (await flatVersions(fetcher, index, id)).some((candidate) => sameVersion(candidate, version));
}

/** Reads every package, orders them, and checks rules and the feed. Makes no request that writes. */
export async function buildPlan(options: { feed: Feed; packages: readonly string[]; fetcher: ConditionalFetcher; keyFor?: (id: string) => string | undefined; credentials?: ReadCredentials }): Promise<Plan> {
  const read: { path: string; id: string; version: string; dependsOn: string[]; errors: string[] }[] = [];
  for (const path of options.packages) {
    const inspection = await inspectPackageFile(path);
    try {
      const m = inspection.pkg.nuspec.nuspec.metadata;
      const dependsOn = [...new Set(m.dependencyGroups.flatMap((group) => group.dependencies.map((dependency) => dependency.id)))];
      read.push({ path, id: m.id, version: m.version, dependsOn, errors: inspection.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => `${diagnostic.code}: ${diagnostic.message}`) });
    } finally {
      await inspection.pkg.close();
    }
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
    if (entry.errors.length > 0 && options.feed.kind === 'nuget.org') {
      action = 'blocked';
      reason = `${entry.errors.length} rule error${entry.errors.length === 1 ? '' : 's'}: ${entry.errors[0]}`;
    } else if (entry.dependsOn.some((id) => blockedIds.has(id.toLowerCase()))) {
      action = 'blocked';
      reason = `depends on ${entry.dependsOn.filter((id) => blockedIds.has(id.toLowerCase())).join(', ')}, which cannot be published`;
    } else {
      try {
        if (await feedHasVersion(options.feed, options.fetcher, entry.id, entry.version, options.credentials)) {
          action = 'skip-existing';
          reason = `${options.feed.name} already has ${entry.id} ${version}`;
        }
      } catch (error) {
        reason = `could not check the feed (${describeError(error)}); publishing will tell`;
      }
    }
    if (action === 'blocked') {
      blockedIds.add(entry.id.toLowerCase());
    }
    entries.push({ path: entry.path, id: entry.id, version, dependsOn: entry.dependsOn.filter((id) => read.some((other) => other.id.toLowerCase() === id.toLowerCase())), errors: entry.errors, action, reason, keyLabel: options.keyFor?.(entry.id) });
  }
  return { feed: options.feed, entries };
}

export function describePlan(plan: Plan): string[] {
  return plan.entries.map((entry, index) => {
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
