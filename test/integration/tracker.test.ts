/**
 * The validation and indexing tracker against the V3 test server (scripted delays per view, and
 * "never" for a failed validation) and against the real nuget-server (instant, un-normalized
 * versions, array @type, 200 {"versions":[]} for unknown ids).
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { publish } from '../../src/core/publish/publish';
import { ConditionalFetcher } from '../../src/core/track/conditionalFetch';
import { Tracker, isComplete, type TrackedPackage, type TrackerEvent } from '../../src/core/track/tracker';
import { dotnetFixtures } from '../helpers/dotnetFixtures';
import { startNugetServer, type NugetServer } from '../servers/nugetServer';
import { startV3Server, type V3Server } from '../servers/v3Server';

function memoryStore(initial: readonly TrackedPackage[] = []): { load(): readonly TrackedPackage[]; save(list: readonly TrackedPackage[]): void; saved: readonly TrackedPackage[] } {
  const store = { saved: initial, load: () => store.saved, save: (list: readonly TrackedPackage[]) => { store.saved = list; } };
  return store;
}

async function until(what: string, probe: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('tracker against the V3 test server', () => {
  let server: V3Server;
  before(async () => {
    server = await startV3Server();
  });
  after(async () => server.close());

  it('reports Downloadable, Metadata live and Searchable in order, at the scripted times, with conditional polling', async () => {
    server.catalog.availability = { flatMs: 300, registrationMs: 700, searchMs: 1100 };
    const pushedAt = Date.now();
    await publish({ feed: { name: 'test', source: server.index, kind: 'v3' }, packagePath: dotnetFixtures().utils, credential: { apiKey: 'k-1234' } });
    const events: TrackerEvent[] = [];
    const fetcher = new ConditionalFetcher();
    const tracker = new Tracker({ store: memoryStore(), fetcher, onEvent: (event) => events.push(event), giveUpMs: () => 60_000, intervalsMs: [50, 100, 200] });
    try {
      tracker.track({ id: 'Contoso.Utils', version: '1.2.3-beta.1+build.5', feedName: 'test', source: server.index, pushedAt });
      await until('searchable', () => tracker.list().every(isComplete));
      const stages = events.filter((event): event is Extract<TrackerEvent, { type: 'stage' }> => event.type === 'stage');
      assert.deepEqual(stages.map((event) => event.stage), ['downloadable', 'metadata', 'searchable']);
      const { reached } = tracker.list()[0];
      assert.ok(reached.downloadable! - pushedAt >= 300 && reached.downloadable! - pushedAt < 1000, `downloadable after ${reached.downloadable! - pushedAt} ms`);
      assert.ok(reached.metadata! - pushedAt >= 700 && reached.metadata! >= reached.downloadable!);
      assert.ok(reached.searchable! - pushedAt >= 1100 && reached.searchable! >= reached.metadata!);
      assert.equal(tracker.list()[0].packageUrl, `${server.base}/packages/Contoso.Utils/1.2.3-beta.1%2Bbuild.5`);
      assert.ok(server.catalog.reads.some((read) => read.status === 304), 'unchanged documents came back as 304');
      assert.ok(fetcher.notModified > 0);
      const requests = fetcher.requests;
      await new Promise((resolve) => setTimeout(resolve, 400));
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
    const tracker = new Tracker({ store: memoryStore(), fetcher, onEvent: (event) => events.push(event), giveUpMs: () => 500, intervalsMs: [50, 100] });
    try {
      tracker.track({ id: 'Contoso.Core', version: '2.0.0', feedName: 'test', source: server.index });
      await until('give up', () => events.some((event) => event.type === 'gave-up'));
      assert.equal(events.filter((event) => event.type === 'stage').length, 0);
      assert.equal(tracker.active().length, 0);
      assert.ok(tracker.list()[0].gaveUpAt);
      const requests = fetcher.requests;
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(fetcher.requests, requests, 'no polling after giving up');
    } finally {
      tracker.dispose();
    }
  });

  it('resumes after a restart from the saved state, without repeating stages already reported', async () => {
    server.catalog.add('Contoso.Resume', [{ version: '3.0.0', flatAt: 0, registrationAt: Date.now() + 400, searchAt: Date.now() + 600 }]);
    const store = memoryStore();
    const first: TrackerEvent[] = [];
    const before = new Tracker({ store, fetcher: new ConditionalFetcher(), onEvent: (event) => first.push(event), giveUpMs: () => 60_000, intervalsMs: [50] });
    before.track({ id: 'Contoso.Resume', version: '3.0.0', feedName: 'test', source: server.index });
    await until('downloadable', () => first.some((event) => event.type === 'stage'));
    before.dispose(); // the window reloads
    assert.equal(store.saved[0].reached.searchable, undefined);
    const second: TrackerEvent[] = [];
    const after = new Tracker({ store, fetcher: new ConditionalFetcher(), onEvent: (event) => second.push(event), giveUpMs: () => 60_000, intervalsMs: [50] });
    try {
      await until('searchable after the restart', () => after.list().every(isComplete));
      assert.deepEqual(second.filter((event) => event.type === 'stage').map((event) => (event as { stage: string }).stage), ['metadata', 'searchable']);
    } finally {
      after.dispose();
    }
  });

  it('does no work at all when nothing is tracked', async () => {
    const fetcher = new ConditionalFetcher();
    const tracker = new Tracker({ store: memoryStore(), fetcher, onEvent: () => undefined, giveUpMs: () => 60_000, intervalsMs: [10] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(fetcher.requests, 0);
    tracker.dispose();
  });
});

describe('tracker against the real nuget-server 1.11.0', () => {
  let server: NugetServer;
  before(async () => {
    server = await startNugetServer({ users: [{ username: 'alice', password: 'Alice-Pass-1', role: 'publish' }] });
  });
  after(async () => server.stop());

  it('passes through every stage at once (instant feed), with the un-normalized version it stores', async () => {
    await publish({ feed: { name: 'ns', source: server.base, kind: 'nuget-server' }, packagePath: dotnetFixtures().utils, credential: { basic: { username: 'alice', password: 'Alice-Pass-1' } } });
    const flat = (await (await fetch(`${server.base}/v3/package/contoso.utils/index.json`)).json()) as { versions: string[] };
    assert.deepEqual(flat.versions, ['1.2.3-beta.1+build.5'], 'nuget-server keeps the version as pushed');
    const events: TrackerEvent[] = [];
    const tracker = new Tracker({ store: memoryStore(), fetcher: new ConditionalFetcher(), onEvent: (event) => events.push(event), giveUpMs: () => 60_000, intervalsMs: [50] });
    try {
      tracker.track({ id: 'Contoso.Utils', version: '1.2.3-beta.1', feedName: 'ns', source: server.index });
      await until('searchable', () => tracker.list().every(isComplete));
      assert.equal(tracker.list()[0].checks, 1, 'one check was enough');
      assert.deepEqual(events.filter((event) => event.type === 'stage').map((event) => (event as { stage: string }).stage), ['downloadable', 'metadata', 'searchable']);
    } finally {
      tracker.dispose();
    }
  });

  it('an id the server does not know (200 {"versions":[]}) stays validating', async () => {
    const tracker = new Tracker({ store: memoryStore(), fetcher: new ConditionalFetcher(), onEvent: () => undefined, giveUpMs: () => 60_000, intervalsMs: [50] });
    try {
      tracker.track({ id: 'Nobody.Pushed.This', version: '1.0.0', feedName: 'ns', source: server.index });
      await until('two checks', () => tracker.list()[0].checks >= 2);
      assert.deepEqual(tracker.list()[0].reached, {});
      assert.equal(tracker.list()[0].lastError, undefined);
    } finally {
      tracker.dispose();
    }
  });
});
