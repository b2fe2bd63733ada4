/**
 * Follows pushed versions through what a client can observe (nuget-facts.md): Pushed →
 * Validating → Downloadable (flat container lists it) → Metadata live (registration) →
 * Searchable (search returns it). One poller for all tracked packages: a single timer set for the
 * earliest due check, nothing at all when nothing is tracked; each package backs off (15 s → 30 s
 * → 1 min → 2 min) while nothing changes and starts again at 15 s after progress. The state is
 * plain data saved after every change, so tracking resumes after a reload.
 */
import { describeError, NuGetPublisherError } from '../errors';
import { displayUrl } from '../secrets/scrubber';
import { flatVersions, packageDetailsUrl, registrationHas, sameVersion, searchHas } from '../feeds/feedReads';
import { hasResource, parseServiceIndex, type ServiceIndex } from '../feeds/serviceIndex';
import { normalizeVersion, parseVersion } from '../version';
import type { ConditionalFetcher } from '../http/conditionalFetch';

export type StageName = 'downloadable' | 'metadata' | 'searchable';
export const STAGES: readonly StageName[] = ['downloadable', 'metadata', 'searchable'];
export const STAGE_LABELS: Readonly<Record<StageName | 'pushed', string>> = {
  pushed: 'Pushed',
  downloadable: 'Downloadable',
  metadata: 'Metadata live',
  searchable: 'Searchable',
};

export interface TrackedPackage {
  readonly key: string;
  readonly id: string;
  readonly version: string;
  readonly feedName: string;
  /** The feed's service index URL. */
  readonly source: string;
  readonly pushedAt: number;
  readonly reached: Partial<Record<StageName, number>>;
  readonly checks: number;
  /** Checks since the last progress (drives the backoff). */
  readonly idleChecks: number;
  readonly nextCheckAt: number;
  readonly lastCheckAt?: number;
  readonly lastError?: string;
  readonly gaveUpAt?: number;
  readonly packageUrl?: string;
}

export type TrackerEvent =
  | { readonly type: 'stage'; readonly pkg: TrackedPackage; readonly stage: StageName }
  | { readonly type: 'gave-up'; readonly pkg: TrackedPackage }
  | { readonly type: 'changed' };

export interface TrackerStore {
  load(): readonly TrackedPackage[];
  save(packages: readonly TrackedPackage[]): void | Promise<void>;
}

export interface TrackerOptions {
  readonly store: TrackerStore;
  readonly fetcher: ConditionalFetcher;
  readonly onEvent: (event: TrackerEvent) => void;
  readonly giveUpMs: () => number;
  /** The backoff steps (read before each scheduling, so a settings change applies at once). */
  readonly intervalsMs?: readonly number[] | (() => readonly number[]);
  /** The clock (tests pass a fake one). */
  readonly now?: () => number;
  /** The timers (tests pass a manual scheduler driven by the fake clock). */
  readonly scheduler?: Scheduler;
  /** What the feed shows of a package; by default read from the feed (flat container, registration, search). */
  readonly observe?: (pkg: TrackedPackage) => Promise<Observation>;
  readonly log?: (message: string) => void;
}

export interface Scheduler {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The stages a check saw, and the package's web page if the feed has one. */
export interface Observation {
  readonly seen: ReadonlySet<StageName>;
  readonly packageUrl?: string;
}

const REAL_TIMERS: Scheduler = { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) };

export const DEFAULT_INTERVALS_MS = [15_000, 30_000, 60_000, 120_000];

export function trackingKey(source: string, id: string, version: string): string {
  const parsed = parseVersion(version);
  return `${source}|${id.toLowerCase()}|${(parsed ? normalizeVersion(parsed) : version).toLowerCase()}`;
}

export function isComplete(pkg: TrackedPackage): boolean {
  return pkg.reached.searchable !== undefined;
}

/** The current state in a few words: "validating", "downloadable", "metadata live", "searchable". */
export function currentStage(pkg: TrackedPackage): StageName | 'validating' {
  return [...STAGES].reverse().find((stage) => pkg.reached[stage] !== undefined) ?? 'validating';
}

export class Tracker {
  private packages: TrackedPackage[];
  private timer: unknown;
  private running = false;
  private current: Promise<void> | undefined;
  private disposed = false;
  private readonly now: () => number;
  private readonly timers: Scheduler;

  public constructor(private readonly options: TrackerOptions) {
    this.now = options.now ?? Date.now;
    this.timers = options.scheduler ?? REAL_TIMERS;
    // After a reload: resume every unfinished package at once.
    this.packages = options.store.load().map((pkg) => (isComplete(pkg) || pkg.gaveUpAt ? pkg : { ...pkg, nextCheckAt: Math.min(pkg.nextCheckAt, this.now()) }));
    this.schedule();
  }

  public list(): readonly TrackedPackage[] {
    return this.packages;
  }

  /** Active: not complete and not given up. */
  public active(): TrackedPackage[] {
    return this.packages.filter((pkg) => !isComplete(pkg) && pkg.gaveUpAt === undefined);
  }

  public track(entry: { id: string; version: string; feedName: string; source: string; pushedAt?: number }): TrackedPackage {
    const key = trackingKey(entry.source, entry.id, entry.version);
    const pkg: TrackedPackage = { key, id: entry.id, version: entry.version, feedName: entry.feedName, source: entry.source, pushedAt: entry.pushedAt ?? this.now(), reached: {}, checks: 0, idleChecks: 0, nextCheckAt: this.now() };
    this.packages = [...this.packages.filter((candidate) => candidate.key !== key), pkg];
    this.changed();
    this.schedule();
    return pkg;
  }

  public stop(key: string): void {
    this.packages = this.packages.filter((pkg) => pkg.key !== key);
    this.changed();
    this.schedule();
  }

  /** Forget finished and given-up entries. */
  public clearDone(): void {
    this.packages = this.active();
    this.changed();
  }

  /** Resolves when no check is running (tests on a fake clock wait for this, not for time). */
  public async whenIdle(): Promise<void> {
    while (this.current) {
      await this.current;
    }
  }

  /** Checks every active package now (e.g. "Refresh"). */
  public async checkNow(): Promise<void> {
    this.packages = this.packages.map((pkg) => (isComplete(pkg) || pkg.gaveUpAt ? pkg : { ...pkg, nextCheckAt: this.now() }));
    await this.tick();
  }

  public dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
    }
  }

  private changed(): void {
    void this.options.store.save(this.packages);
    this.options.onEvent({ type: 'changed' });
  }

  /** One timer for the earliest due check; none when nothing is active. */
  private schedule(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    const active = this.active();
    if (this.disposed || active.length === 0 || this.running) {
      return;
    }
    const due = Math.min(...active.map((pkg) => pkg.nextCheckAt));
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, Math.max(0, due - this.now()));
  }

  private tick(): Promise<void> {
    if (this.running || this.disposed) {
      return this.current ?? Promise.resolve();
    }
    const run = this.checkDue().finally(() => {
      if (this.current === run) {
        this.current = undefined;
      }
    });
    this.current = run;
    return run;
  }

  private async checkDue(): Promise<void> {
    this.running = true;
    try {
      const due = this.active().filter((pkg) => pkg.nextCheckAt <= this.now());
      for (const pkg of due) {
        const updated = await this.check(pkg);
        this.packages = this.packages.map((candidate) => (candidate.key === pkg.key ? updated : candidate));
      }
      if (due.length > 0) {
        this.changed();
      }
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  /** Reads the feed: flat container, then registration, then search. */
  private async observeFeed(pkg: TrackedPackage): Promise<Observation> {
    // The index through the tracker's fetcher: it carries the feed's read credentials (private
    // feeds want them even for the index) and a 304 costs nothing.
    const document = await this.options.fetcher.json<unknown>(pkg.source);
    if (document === undefined) {
      throw new NuGetPublisherError('NP3007', `${displayUrl(pkg.source)} answered 404: it is not a service index (any more).`, 'Check the feed URL.');
    }
    const index = parseServiceIndex(pkg.source, JSON.stringify(document));
    return { seen: await this.observeIndex(pkg, index), packageUrl: packageDetailsUrl(index, pkg.id, pkg.version) };
  }

  private async observeIndex(pkg: TrackedPackage, index: ServiceIndex): Promise<Set<StageName>> {
    const seen = new Set<StageName>();
    const { fetcher } = this.options;
    if (pkg.reached.downloadable !== undefined || (hasResource(index, 'packageBase') && (await flatVersions(fetcher, index, pkg.id)).some((version) => sameVersion(version, pkg.version)))) {
      seen.add('downloadable');
    }
    if (pkg.reached.metadata !== undefined || (await registrationHas(fetcher, index, pkg.id, pkg.version))) {
      seen.add('metadata');
    }
    if (await searchHas(fetcher, index, pkg.id, pkg.version)) {
      seen.add('searchable');
    }
    // A feed without a resource passes through that stage (there is nothing to wait for).
    if (!hasResource(index, 'packageBase') && seen.size > 0) {
      seen.add('downloadable');
    }
    if (!hasResource(index, 'registrations') && seen.has('downloadable')) {
      seen.add('metadata');
    }
    if (!hasResource(index, 'search') && seen.has('metadata')) {
      seen.add('searchable');
    }
    return seen;
  }

  private async check(pkg: TrackedPackage): Promise<TrackedPackage> {
    const now = this.now();
    let next: TrackedPackage = { ...pkg, checks: pkg.checks + 1, lastCheckAt: now };
    try {
      const { seen, packageUrl } = await (this.options.observe ?? ((candidate: TrackedPackage) => this.observeFeed(candidate)))(pkg);
      const reached = { ...pkg.reached };
      let progressed = false;
      // Stages are ordered: seeing a later one means the earlier ones happened too.
      const last = Math.max(-1, ...STAGES.map((stage, position) => (seen.has(stage) ? position : -1)));
      STAGES.forEach((stage, position) => {
        if (position <= last && reached[stage] === undefined) {
          reached[stage] = now;
          progressed = true;
        }
      });
      next = { ...next, reached, lastError: undefined, packageUrl: pkg.packageUrl ?? packageUrl, idleChecks: progressed ? 0 : pkg.idleChecks + 1 };
      for (const stage of STAGES) {
        if (reached[stage] !== undefined && pkg.reached[stage] === undefined) {
          this.options.onEvent({ type: 'stage', pkg: next, stage });
        }
      }
    } catch (error) {
      next = { ...next, lastError: describeError(error), idleChecks: pkg.idleChecks + 1 };
      this.options.log?.(`tracking ${pkg.id} ${pkg.version}: ${describeError(error)}`);
    }
    if (!isComplete(next) && now - pkg.pushedAt >= this.options.giveUpMs()) {
      next = { ...next, gaveUpAt: now };
      this.options.onEvent({ type: 'gave-up', pkg: next });
      return next;
    }
    const steps = typeof this.options.intervalsMs === 'function' ? this.options.intervalsMs() : this.options.intervalsMs ?? DEFAULT_INTERVALS_MS;
    const interval = steps[Math.min(next.idleChecks, steps.length - 1)];
    return { ...next, nextCheckAt: now + interval };
  }
}
