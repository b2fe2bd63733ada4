/**
 * The validation and indexing tracker against the V3 test server (scripted delays per view, and
 * "never" for a failed validation) and against the real nuget-server (instant, un-normalized
 * versions, array @type, 200 {"versions":[]} for unknown ids). Time is simulated: the tracker and
 * the test server share a fake clock, and each step waits for the tracker to be idle (its reads
 * answered), never for a delay.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { publish } from '../../src/core/publish/publish';
import { ConditionalFetcher } from '../../src/core/http/conditionalFetch';
import { Tracker, isComplete, type TrackerEvent } from '../../src/core/track/tracker';
import { dotnetFixtures } from '../helpers/dotnetFixtures';
import { FakeClock } from '../helpers/fakeClock';
import { memoryStore } from '../helpers/memoryTrackerStore';
import { startNugetServer, type NugetServer } from '../servers/nugetServer';
import { startV3Server, type V3Server } from '../servers/v3Server';

/** A tracker on the fake clock; `advance` moves time and waits for every check it started. */
function onClock(clock: FakeClock, options: Omit<ConstructorParameters<typeof Tracker>[0], 'now' | 'scheduler'>): { tracker: Tracker; advance(ms: number): Promise<void> } {
  const tracker = new Tracker({ ...options, now: clock.now, scheduler: clock });
  return { tracker, advance: (ms) => clock.advance(ms, () => tracker.whenIdle()) };
}

describe('tracker against the V3 test server', () => {
  let server: V3Server;
  let clock: FakeClock;
  before(async () => {
    server = await startV3Server();
  });
  beforeEach(() => {
    clock = new FakeClock(Date.now());
    server.catalog.now = clock.now;
  });
  after(async () => server?.close());

  it('reports Downloadable, Metadata live and Searchable in order, when each view shows the version, with conditional polling', async () => {
    server.catalog.availability = { flatMs: 40_000, registrationMs: 100_000, searchMs: 400_000 };
    const pushedAt = clock.now();
    await publish({ feed: { name: 'test', source: server.index, kind: 'v3' }, packagePath: dotnetFixtures().utils, credential: { apiKey: 'k-1234' } });
    const events: TrackerEvent[] = [];
    const fetcher = new ConditionalFetcher();
    const { tracker, advance } = onClock(clock, { store: memoryStore(), fetcher, onEvent: (event) => events.push(event), giveUpMs: () => 60 * 60_000 });
    try {
      tracker.track({ id: 'Contoso.Utils', version: '1.2.3-beta.1+build.5', feedName: 'test', source: server.index, pushedAt });
      await advance(10 * 60_000);
      assert.ok(tracker.list().every(isComplete));
      const stages = events.filter((event): event is Extract<TrackerEvent, { type: 'stage' }> => event.type === 'stage');
      assert.deepEqual(stages.map((event) => event.stage), ['downloadable', 'metadata', 'searchable']);
      const { reached } = tracker.list()[0];
      // The checks (30 s, 60 s apart, then 15 s after progress...) that first saw each view.
      assert.deepEqual([reached.downloadable! - pushedAt, reached.metadata! - pushedAt, reached.searchable! - pushedAt], [90_000, 105_000, 450_000]);
      assert.equal(tracker.list()[0].packageUrl, `${server.base}/packages/Contoso.Utils/1.2.3-beta.1%2Bbuild.5`);
      assert.ok(server.catalog.reads.some((read) => read.status === 304), 'unchanged documents came back as 304');
      assert.ok(fetcher.notModified > 0);
      const requests = fetcher.requests;
      assert.equal(clock.timers, 0, 'no timer once everything is done');
      await advance(60 * 60_000);
      assert.equal(fetcher.requests, requests, 'no polling once everything is done');
    } finally {
      tracker.dispose();
    }
  });

  it('gives up at the configured time when a version never appears (failed validation), and then stops polling', async () => {
    server.catalog.availability = { flatMs: null, registrationMs: null, searchMs: null };
    await publish({ feed: { name: 'test', source: server.index, kind: 'v3' }, packagePath: dotnetFixtures().core, credential: { apiKey: 'k-1234' } });
    const events: TrackerEvent[] = [];
    const fetcher = new ConditionalFetcher();
    const { tracker, advance } = onClock(clock, { store: memoryStore(), fetcher, onEvent: (event) => events.push(event), giveUpMs: () => 10 * 60_000 });
    try {
      tracker.track({ id: 'Contoso.Core', version: '2.0.0', feedName: 'test', source: server.index });
      await advance(30 * 60_000);
      assert.equal(events.filter((event) => event.type === 'gave-up').length, 1);
      assert.equal(events.filter((event) => event.type === 'stage').length, 0);
      assert.equal(tracker.active().length, 0);
      assert.ok(tracker.list()[0].gaveUpAt);
      const requests = fetcher.requests;
      await advance(60 * 60_000);
      assert.equal(fetcher.requests, requests, 'no polling after giving up');
    } finally {
      tracker.dispose();
    }
  });

  it('resumes after a restart from the saved state, without repeating stages already reported', async () => {
    server.catalog.add('Contoso.Resume', [{ version: '3.0.0', flatAt: 0, registrationAt: clock.now() + 20 * 60_000, searchAt: clock.now() + 25 * 60_000 }]);
    const store = memoryStore();
    const first: TrackerEvent[] = [];
    const before = onClock(clock, { store, fetcher: new ConditionalFetcher(), onEvent: (event) => first.push(event), giveUpMs: () => 60 * 60_000 });
    before.tracker.track({ id: 'Contoso.Resume', version: '3.0.0', feedName: 'test', source: server.index });
    await before.advance(60_000);
    assert.deepEqual(first.filter((event) => event.type === 'stage').map((event) => (event as { stage: string }).stage), ['downloadable']);
    before.tracker.dispose(); // the window reloads
    assert.equal(store.saved[0].reached.searchable, undefined);
    await clock.advance(30 * 60_000);
    const second: TrackerEvent[] = [];
    const after = onClock(clock, { store, fetcher: new ConditionalFetcher(), onEvent: (event) => second.push(event), giveUpMs: () => 60 * 60_000 });
    try {
      await after.advance(0);
      assert.ok(after.tracker.list().every(isComplete));
      assert.deepEqual(second.filter((event) => event.type === 'stage').map((event) => (event as { stage: string }).stage), ['metadata', 'searchable']);
    } finally {
      after.tracker.dispose();
    }
  });
});

describe('tracker against the real nuget-server 1.11.0', () => {
  let server: NugetServer;
  before(async () => {
    server = await startNugetServer({ users: [{ username: 'alice', password: 'Alice-Pass-1', role: 'publish' }] });
  });
  after(async () => server?.stop());

  it('passes through every stage at once (instant feed), with the un-normalized version it stores', async () => {
    await publish({ feed: { name: 'ns', source: server.base, kind: 'nuget-server' }, packagePath: dotnetFixtures().utils, credential: { basic: { username: 'alice', password: 'Alice-Pass-1' } } });
    const flat = (await (await fetch(`${server.base}/v3/package/contoso.utils/index.json`)).json()) as { versions: string[] };
    assert.deepEqual(flat.versions, ['1.2.3-beta.1+build.5'], 'nuget-server keeps the version as pushed');
    const events: TrackerEvent[] = [];
    const { tracker, advance } = onClock(new FakeClock(), { store: memoryStore(), fetcher: new ConditionalFetcher(), onEvent: (event) => events.push(event), giveUpMs: () => 60 * 60_000 });
    try {
      tracker.track({ id: 'Contoso.Utils', version: '1.2.3-beta.1', feedName: 'ns', source: server.index });
      await advance(0);
      assert.ok(tracker.list().every(isComplete));
      assert.equal(tracker.list()[0].checks, 1, 'one check was enough');
      assert.deepEqual(events.filter((event) => event.type === 'stage').map((event) => (event as { stage: string }).stage), ['downloadable', 'metadata', 'searchable']);
    } finally {
      tracker.dispose();
    }
  });

  it('an id the server does not know (200 {"versions":[]}) stays validating', async () => {
    const { tracker, advance } = onClock(new FakeClock(), { store: memoryStore(), fetcher: new ConditionalFetcher(), onEvent: () => undefined, giveUpMs: () => 60 * 60_000 });
    try {
      tracker.track({ id: 'Nobody.Pushed.This', version: '1.0.0', feedName: 'ns', source: server.index });
      await advance(60_000);
      assert.ok(tracker.list()[0].checks >= 2);
      assert.deepEqual(tracker.list()[0].reached, {});
      assert.equal(tracker.list()[0].lastError, undefined);
    } finally {
      tracker.dispose();
    }
  });
});
