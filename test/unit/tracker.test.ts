/**
 * The tracker's logic on a fake clock with a scripted feed: stage order, timings, backoff, give-up,
 * no timers when idle, and resuming from the saved state, in simulated minutes. No server and no
 * real time (the same tracker against real servers is in test/integration/tracker.test.ts).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ConditionalFetcher } from '../../src/core/http/conditionalFetch';
import { Tracker, isComplete, type Observation, type StageName, type TrackedPackage, type TrackerEvent } from '../../src/core/track/tracker';
import { FakeClock } from '../helpers/fakeClock';
import { memoryStore } from '../helpers/memoryTrackerStore';
import { tempDir } from '../helpers/temp';
import { fileTrackerStore } from '../../src/core/track/trackerFile';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MINUTE = 60_000;

/** A feed whose views show the version from a given time on (null: never), and the checks it saw. */
function scriptedFeed(clock: FakeClock, pushedAt: number, availableAfter: Record<StageName, number | null>): { observe: (pkg: TrackedPackage) => Promise<Observation>; checks: number[] } {
  const checks: number[] = [];
  return {
    checks,
    observe: async () => {
      checks.push(clock.now() - pushedAt);
      const seen = new Set<StageName>((Object.keys(availableAfter) as StageName[]).filter((stage) => availableAfter[stage] !== null && clock.now() - pushedAt >= availableAfter[stage]!));
      return { seen, packageUrl: 'https://www.nuget.org/packages/Contoso.Utils/1.0.0' };
    },
  };
}

function stagesOf(events: readonly TrackerEvent[]): string[] {
  return events.filter((event): event is Extract<TrackerEvent, { type: 'stage' }> => event.type === 'stage').map((event) => event.stage);
}

function tracker(clock: FakeClock, observe: (pkg: TrackedPackage) => Promise<Observation>, events: TrackerEvent[], options: { giveUpMs?: number; store?: ReturnType<typeof memoryStore> } = {}): Tracker {
  return new Tracker({ store: options.store ?? memoryStore(), fetcher: new ConditionalFetcher(), onEvent: (event) => events.push(event), giveUpMs: () => options.giveUpMs ?? 60 * MINUTE, now: clock.now, scheduler: clock, observe });
}

describe('tracker on a fake clock', () => {
  it('reports downloadable, metadata live and searchable in order, at the checks that saw them', async () => {
    const clock = new FakeClock();
    const pushedAt = clock.now();
    const feed = scriptedFeed(clock, pushedAt, { downloadable: 40_000, metadata: 100_000, searchable: 400_000 });
    const events: TrackerEvent[] = [];
    const subject = tracker(clock, feed.observe, events);
    subject.track({ id: 'Contoso.Utils', version: '1.0.0', feedName: 'nuget.org', source: 'https://api.nuget.org/v3/index.json', pushedAt });
    await clock.advance(10 * MINUTE);
    assert.deepEqual(stagesOf(events), ['downloadable', 'metadata', 'searchable']);
    const { reached, packageUrl } = subject.list()[0];
    // Checks come 15 s apart after progress and back off (30 s, 60 s, then 120 s) while nothing changes.
    assert.deepEqual(feed.checks, [0, 30_000, 90_000, 105_000, 120_000, 150_000, 210_000, 330_000, 450_000]);
    assert.deepEqual([reached.downloadable! - pushedAt, reached.metadata! - pushedAt, reached.searchable! - pushedAt], [90_000, 105_000, 450_000]);
    assert.equal(packageUrl, 'https://www.nuget.org/packages/Contoso.Utils/1.0.0');
    assert.equal(clock.timers, 0, 'no timer once everything is done');
    subject.dispose();
  });

  it('gives up at the configured time when a version never appears, reports it once, and stops', async () => {
    const clock = new FakeClock();
    const pushedAt = clock.now();
    const feed = scriptedFeed(clock, pushedAt, { downloadable: null, metadata: null, searchable: null });
    const events: TrackerEvent[] = [];
    const subject = tracker(clock, feed.observe, events, { giveUpMs: 10 * MINUTE });
    subject.track({ id: 'Contoso.Never', version: '1.0.0', feedName: 'nuget.org', source: 'https://api.nuget.org/v3/index.json', pushedAt });
    await clock.advance(30 * MINUTE);
    assert.equal(events.filter((event) => event.type === 'gave-up').length, 1);
    assert.deepEqual(stagesOf(events), []);
    assert.equal(subject.active().length, 0);
    assert.ok(subject.list()[0].gaveUpAt! - pushedAt >= 10 * MINUTE);
    assert.equal(clock.timers, 0);
    const checks = feed.checks.length;
    await clock.advance(60 * MINUTE);
    assert.equal(feed.checks.length, checks, 'no checks after giving up');
    subject.dispose();
  });

  it('sets no timer at all when nothing is tracked', async () => {
    const clock = new FakeClock();
    const events: TrackerEvent[] = [];
    const subject = tracker(clock, () => assert.fail('nothing should be observed'), events);
    await clock.advance(60 * MINUTE);
    assert.equal(clock.timers, 0);
    assert.deepEqual(events, []);
    subject.dispose();
  });

  it('resumes after a restart from the saved state, checking at once, without repeating stages', async () => {
    const clock = new FakeClock();
    const pushedAt = clock.now();
    const store = memoryStore();
    const feed = scriptedFeed(clock, pushedAt, { downloadable: 0, metadata: 20 * MINUTE, searchable: 25 * MINUTE });
    const first: TrackerEvent[] = [];
    const before = tracker(clock, feed.observe, first, { store });
    before.track({ id: 'Contoso.Resume', version: '3.0.0', feedName: 'nuget.org', source: 'https://api.nuget.org/v3/index.json', pushedAt });
    await clock.advance(MINUTE);
    assert.deepEqual(stagesOf(first), ['downloadable']);
    before.dispose(); // the window reloads
    assert.equal(clock.timers, 0, 'the disposed tracker left no timer');
    await clock.advance(30 * MINUTE);
    const second: TrackerEvent[] = [];
    const after = tracker(clock, feed.observe, second, { store });
    assert.equal(clock.nextAt, clock.now(), 'a resumed package is checked at once');
    await clock.advance(0);
    assert.ok(after.list().every(isComplete));
    assert.deepEqual(stagesOf(second), ['metadata', 'searchable']);
    after.dispose();
  });

  it('keeps tracking through failed checks, recording the cause and backing off', async () => {
    const clock = new FakeClock();
    let fail = true;
    const events: TrackerEvent[] = [];
    const subject = tracker(clock, async () => {
      if (fail) {
        throw new Error('ECONNRESET');
      }
      return { seen: new Set<StageName>(['downloadable', 'metadata', 'searchable']) };
    }, events);
    subject.track({ id: 'Contoso.Flaky', version: '1.0.0', feedName: 'nuget.org', source: 'https://api.nuget.org/v3/index.json' });
    await clock.advance(2 * MINUTE);
    const state = subject.list()[0];
    assert.match(state.lastError ?? '', /ECONNRESET/);
    assert.ok(state.idleChecks >= 3);
    fail = false;
    await clock.advance(5 * MINUTE);
    assert.ok(isComplete(subject.list()[0]));
    assert.equal(subject.list()[0].lastError, undefined);
    subject.dispose();
  });
});

describe('tracker state file', () => {
  it('is written atomically at every change and read back by the next tracker (a reload)', async () => {
    const path = join(tempDir(), 'state', 'tracked.json');
    const fallbackSaves: number[] = [];
    const store = fileTrackerStore(path, { load: () => [], save: (list) => void fallbackSaves.push(list.length) });
    const clock = new FakeClock();
    const events: TrackerEvent[] = [];
    const first = tracker(clock, async () => ({ seen: new Set<StageName>() }), events, { store: store as ReturnType<typeof memoryStore> });
    first.track({ id: 'Contoso.Saved', version: '1.0.0', feedName: 'nuget.org', source: 'https://api.nuget.org/v3/index.json' });
    first.dispose();
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')).map((pkg: TrackedPackage) => pkg.id), ['Contoso.Saved'], 'on disk as soon as track() returns');
    assert.deepEqual(readdirSync(join(path, '..')), ['tracked.json'], 'no temporary file left');
    assert.ok(fallbackSaves.length > 0, 'globalState still gets the list');
    const second = tracker(clock, async () => ({ seen: new Set<StageName>() }), events, { store: store as ReturnType<typeof memoryStore> });
    assert.deepEqual(second.list().map((pkg) => pkg.id), ['Contoso.Saved']);
    second.dispose();
  });

  it('falls back to the older globalState list when there is no file yet', () => {
    const saved = [{ key: 'k', id: 'Contoso.Old' } as TrackedPackage];
    assert.deepEqual(fileTrackerStore(join(tempDir(), 'none.json'), { load: () => saved, save: () => undefined }).load(), saved);
  });
});
