/**
 * Publishing many packages (publish-plan and Publish Folder share src/core/plan): parallel in
 * dependency waves, resumable from a journal, verified by SHA-512 against the feed's copy, rate
 * limits waited out or stopped at, a nuget.org preflight of the key, and the parity messages.
 * Against the V3 test server (with latency, scripted quota answers, a 409 after a timeout) and,
 * for the parity cases, the real `dotnet nuget push` in the same test.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { FeedClient } from '../../src/core/feeds/feedClient';
import type { Feed } from '../../src/core/feeds/feed';
import { sha512OfFile } from '../../src/core/plan/journal';
import { publishPlanEntry } from '../../src/core/plan/publishEntry';
import { buildPlan, runPlan, type PlanEntry } from '../../src/core/plan/publishPlan';
import { runCliAsync } from '../helpers/cli';
import { dotnetEnv } from '../helpers/dotnetFixtures';
import { makePackage } from '../helpers/makePackage';
import { tempDir } from '../helpers/temp';
import { startV3Server, type V3Server } from '../servers/v3Server';

const KEY = 'oy2-plan-key-0000000000000000000001';
const run = promisify(execFile);

/** The PUTs of packages the server received, in arrival order, as "Id Version" (from the pushed nuspec). */
async function pushedIds(server: V3Server): Promise<{ name: string; receivedAt: number; answeredAt: number; status?: number }[]> {
  const { Catalog } = await import('../servers/v3Catalog');
  const pushes = server.requests.filter((request) => request.method === 'PUT' && request.url.replace(/\/$/, '') === '/api/v2/package');
  return Promise.all(pushes.map(async (request) => {
    const identity = await Catalog.identity(request.parts[0].data);
    return { name: `${identity?.id} ${identity?.version}`, receivedAt: request.receivedAt!, answeredAt: request.answeredAt! };
  }));
}

function v3(server: V3Server, kind: Feed['kind'] = 'v3'): Feed {
  return { name: 'Test feed', source: server.index, kind };
}

describe('publish plans: parallel waves', () => {
  it('at most N pushes at once, each package only after its in-plan dependencies were accepted; one progress display', async () => {
    const server = await startV3Server({ latencyMs: 50 });
    try {
      const folder = tempDir('np-waves-');
      makePackage(folder, 'Wave.Base', '1.0.0');
      makePackage(folder, 'Wave.Mid', '1.0.0', { dependencies: { 'Wave.Base': '1.0.0' } });
      makePackage(folder, 'Wave.Top', '1.0.0', { dependencies: { 'Wave.Mid': '1.0.0', 'Wave.Base': '1.0.0' } });
      makePackage(folder, 'Wave.Base', '1.1.0');
      for (let index = 0; index < 9; index++) {
        makePackage(folder, `Wave.Free${index}`, '1.0.0');
      }
      const result = await runCliAsync(['publish-plan', folder, '--source', server.index, '--parallel', '4'], { NUGET_API_KEY: KEY });
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const pushes = await pushedIds(server);
      assert.equal(pushes.length, 13);
      assert.ok(server.maxConcurrentPushes() <= 4, `at most 4 at once (saw ${server.maxConcurrentPushes()})`);
      assert.ok(server.maxConcurrentPushes() >= 2, `pushes overlapped (saw ${server.maxConcurrentPushes()})`);
      const at = (name: string): { receivedAt: number; answeredAt: number } => pushes.find((push) => push.name === name)!;
      // A dependent arrives only after its dependencies were answered; versions of one id go oldest first.
      for (const [dependent, dependency] of [['Wave.Mid 1.0.0', 'Wave.Base 1.0.0'], ['Wave.Top 1.0.0', 'Wave.Mid 1.0.0'], ['Wave.Top 1.0.0', 'Wave.Base 1.1.0'], ['Wave.Base 1.1.0', 'Wave.Base 1.0.0']]) {
        assert.ok(at(dependent).receivedAt >= at(dependency).answeredAt, `${dependent} after ${dependency}`);
      }
      // One progress line per push: done of total, megabytes, what is in flight.
      const progress = result.stderr.split('\n').filter((line) => /^\[\d+\/13, [\d.]+ MB of [\d.]+ MB\]/.test(line));
      assert.equal(progress.length, 13, result.stderr);
      assert.ok(progress.some((line) => /; in flight: /.test(line)), 'in-flight pushes are named');
    } finally {
      await server.close();
    }
  });

  it('a failed dependency: its dependents are not run; with --continue-on-error the rest still goes', async () => {
    const server = await startV3Server();
    try {
      const folder = tempDir('np-waves-');
      makePackage(folder, 'Fail.Base', '1.0.0');
      makePackage(folder, 'Fail.Child', '1.0.0', { dependencies: { 'Fail.Base': '1.0.0' } });
      makePackage(folder, 'Fail.Other', '1.0.0');
      const plan = await buildPlan({ client: new FeedClient(v3(server)), packages: [join(folder, 'Fail.Base.1.0.0.nupkg'), join(folder, 'Fail.Child.1.0.0.nupkg'), join(folder, 'Fail.Other.1.0.0.nupkg')] });
      const results = await runPlan(plan, {
        continueOnError: true, parallel: 3,
        publishOne: async (entry) => {
          if (entry.id === 'Fail.Base') {
            throw new Error('refused');
          }
          return 'created';
        },
      });
      assert.deepEqual(results.map((result) => `${result.entry.id}: ${result.outcome}`), ['Fail.Base: failed', 'Fail.Other: published', 'Fail.Child: not-run']);
      assert.match(results[2].message ?? '', /a dependency \(Fail\.Base\) failed/);
    } finally {
      await server.close();
    }
  });
});

describe('publish plans: resumable', () => {
  it('a plan cut short (a 403 at package 4 of 6) resumes from its state file, also on a V2 push URL that cannot be read', async () => {
    const server = await startV3Server({ mode: 'v2' });
    try {
      const folder = tempDir('np-resume-');
      for (let index = 1; index <= 6; index++) {
        makePackage(folder, `Resume.P${index}`, '1.0.0');
      }
      const state = join(tempDir(), 'plan-state.json');
      const source = `${server.base}/api/v2/package`;
      // Pushes 1-3 are accepted, the 4th refused; one at a time so the cut is at a known place.
      server.script.push({ status: 201 }, { status: 201 }, { status: 201 }, { status: 403, statusText: 'Forbidden' });
      const first = await runCliAsync(['publish-plan', folder, '--source', source, '--parallel', '1', '--state', state], { NUGET_API_KEY: KEY });
      assert.equal(first.code, 2, first.stdout + first.stderr);
      const journal = JSON.parse(readFileSync(state, 'utf8')) as { feed: string; accepted: { id: string; sha512: string }[] };
      assert.equal(journal.feed, source);
      assert.deepEqual(journal.accepted.map((entry) => entry.id), ['Resume.P1', 'Resume.P2', 'Resume.P3']);
      assert.equal(journal.accepted[0].sha512, await sha512OfFile(join(folder, 'Resume.P1.1.0.0.nupkg')));
      // Without --resume an existing state file is not silently reused.
      const refused = await runCliAsync(['publish-plan', folder, '--source', source, '--state', state], { NUGET_API_KEY: KEY });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /holds an earlier run \(3 accepted pushes\): add --resume/);
      server.requests.length = 0;
      const resumed = await runCliAsync(['publish-plan', folder, '--source', source, '--state', state, '--resume'], { NUGET_API_KEY: KEY });
      assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
      assert.match(resumed.stderr, /resuming: 3 packages published by the earlier run are not pushed again/);
      assert.deepEqual((await pushedIds(server)).map((push) => push.name).sort(), ['Resume.P4 1.0.0', 'Resume.P5 1.0.0', 'Resume.P6 1.0.0']);
      assert.deepEqual((JSON.parse(readFileSync(state, 'utf8')) as { accepted: unknown[] }).accepted.length, 6);
      // A file changed since it was journaled is not taken as published.
      makePackage(folder, 'Resume.P1', '1.0.0', { description: 'rebuilt' });
      const changed = await runCliAsync(['publish-plan', folder, '--source', source, '--state', state, '--resume', '--dry-run'], { NUGET_API_KEY: KEY });
      assert.match(changed.stderr, /resuming: 5 packages/);
    } finally {
      await server.close();
    }
  });

  it('a state file that is not one is refused before any work', async () => {
    const state = join(tempDir(), 'broken.json');
    writeFileSync(state, '{"not": "a journal"}');
    const result = await runCliAsync(['publish-plan', tempDir(), '--source', 'https://127.0.0.1:9/v3/index.json', '--state', state, '--resume'], { NUGET_API_KEY: KEY });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /NP5010: .*broken\.json is not a publish plan's state file/);
  });
});

describe('publish plans: verified against the feed\'s copy', () => {
  async function planFor(server: V3Server, path: string): Promise<PlanEntry> {
    const plan = await buildPlan({ client: new FeedClient(v3(server)), packages: [path] });
    assert.equal(plan.entries[0].action, 'publish');
    return plan.entries[0];
  }

  it('a 409 for a version the plan found missing: the same file is "already there, identical", another file an error naming both hashes', async () => {
    const server = await startV3Server();
    try {
      const path = makePackage(tempDir(), 'Verify.Same', '1.0.0');
      const entry = await planFor(server, path);
      // Meanwhile the version arrives (an earlier try of ours landed): the same bytes.
      server.catalog.add('Verify.Same', [{ version: '1.0.0', content: readFileSync(path) }]);
      assert.equal(await publishPlanEntry(entry, { feed: v3(server), client: new FeedClient(v3(server)), credential: { apiKey: KEY } }), 'already there, identical');
      const other = makePackage(tempDir(), 'Verify.Other', '1.0.0');
      const otherEntry = await planFor(server, other);
      server.catalog.add('Verify.Other', [{ version: '1.0.0', content: readFileSync(makePackage(tempDir(), 'Verify.Other', '1.0.0', { description: 'another build' })) }]);
      await assert.rejects(publishPlanEntry(otherEntry, { feed: v3(server), client: new FeedClient(v3(server)), credential: { apiKey: KEY } }), (error: Error) => /^NP5020|already has Verify\.Other 1\.0\.0, but a different file: ours has SHA-512 [A-Za-z0-9+/=]{88}, the feed's [A-Za-z0-9+/=]{88}/.test(error.message));
    } finally {
      await server.close();
    }
  });

  it('a timeout: the feed\'s copy decides (the same file counts as success)', async () => {
    const server = await startV3Server();
    try {
      const path = makePackage(tempDir(), 'Verify.Slow', '1.0.0');
      const entry = await planFor(server, path);
      // The server takes the package but never answers; the version is there all the same.
      server.script.push({ action: 'stall' });
      server.catalog.add('Verify.Slow', [{ version: '1.0.0', content: readFileSync(path) }]);
      assert.equal(await publishPlanEntry(entry, { feed: v3(server), client: new FeedClient(v3(server)), credential: { apiKey: KEY }, timeoutMs: 500 }), 'already there, identical');
    } finally {
      await server.close();
    }
  });

  it('--skip-duplicate reports "skipped, identical" or "skipped, different" where the feed can be read, and a V2 duplicate says "skipped"', async () => {
    const server = await startV3Server();
    const v2 = await startV3Server({ mode: 'v2' });
    try {
      const folder = tempDir('np-skip-');
      const same = makePackage(folder, 'Skip.Same', '1.0.0');
      makePackage(folder, 'Skip.Diff', '1.0.0');
      const plan = await buildPlan({ client: new FeedClient(v3(server)), packages: [join(folder, 'Skip.Diff.1.0.0.nupkg'), same] });
      server.catalog.add('Skip.Same', [{ version: '1.0.0', content: readFileSync(same) }]);
      server.catalog.add('Skip.Diff', [{ version: '1.0.0', content: readFileSync(makePackage(tempDir(), 'Skip.Diff', '1.0.0', { description: 'other' })) }]);
      const results = await runPlan(plan, { continueOnError: true, publishOne: (entry) => publishPlanEntry(entry, { feed: v3(server), client: new FeedClient(v3(server)), credential: { apiKey: KEY }, skipDuplicate: true }) });
      assert.deepEqual(results.map((result) => [result.entry.id, result.outcome, result.message?.replace(/: ours .*/, ': …')]), [['Skip.Diff', 'skipped', 'different from the feed\'s copy: …'], ['Skip.Same', 'skipped', 'identical to the feed\'s copy']]);
      assert.match(results[0].message ?? '', /ours [A-Za-z0-9+/]{16}…, the feed's [A-Za-z0-9+/]{16}…$/);
      // A V2 push URL: the plan cannot read it, the server answers 409; the CLI says "skipped".
      v2.script.push({ status: 409 });
      const cli = await runCliAsync(['publish-plan', folder, '--source', `${v2.base}/api/v2/package`, '--skip-duplicate', '--parallel', '1'], { NUGET_API_KEY: KEY });
      assert.equal(cli.code, 0, cli.stdout + cli.stderr);
      assert.match(cli.stdout, /Skip\.Diff 1\.0\.0 → \S+: publish \(a V2 push URL cannot be read first; publishing will tell\)/);
      assert.match(cli.stdout, /^Skip\.Diff 1\.0\.0: skipped \(\S+ already has it; this feed cannot be read to compare the copies\)$/m);
      assert.doesNotMatch(cli.stdout, /published \(skipped/);
    } finally {
      await server.close();
      await v2.close();
    }
  });
});

describe('publish plans: rate limits', () => {
  it('a 429 is waited out with a countdown, then the push goes on', async () => {
    const server = await startV3Server();
    try {
      const path = makePackage(tempDir(), 'Rate.Wait', '1.0.0');
      const plan = await buildPlan({ client: new FeedClient(v3(server)), packages: [path] });
      server.script.push({ status: 429, body: '{"statusCode":429,"message":"Rate limit is exceeded. Try again in 2 seconds."}' });
      const ticks: number[] = [];
      const outcome = await publishPlanEntry(plan.entries[0], { feed: v3(server), credential: { apiKey: KEY }, onWait: (_entry, left) => ticks.push(left) });
      assert.equal(outcome, 'created');
      assert.deepEqual(ticks, [2, 1], 'a countdown, second by second');
      assert.equal((await pushedIds(server)).length, 2);
    } finally {
      await server.close();
    }
  });

  it('a spent quota (403 Quota exceeded) stops the whole plan, even with --continue-on-error, saying when to resume', async () => {
    const server = await startV3Server();
    try {
      const folder = tempDir('np-quota-');
      for (let index = 1; index <= 4; index++) {
        makePackage(folder, `Quota.P${index}`, '1.0.0');
      }
      server.script.push({ status: 201 }, { status: 403, statusText: 'Forbidden', body: '{"statusCode":403,"message":"Quota exceeded."}' });
      const result = await runCliAsync(['publish-plan', folder, '--source', server.index, '--parallel', '1', '--continue-on-error'], { NUGET_API_KEY: KEY });
      assert.equal(result.code, 2);
      assert.match(result.stdout, /Quota\.P1 1\.0\.0: published/);
      assert.match(result.stdout, /Quota\.P2 1\.0\.0: failed \(NP2430: .*push quota is spent.*Resume after \d\d:\d\d UTC \(about an hour\)/);
      assert.match(result.stdout, /Quota\.P3 1\.0\.0: not-run \(not run: the plan stopped at Quota\.P2 1\.0\.0/);
      assert.equal((await pushedIds(server)).length, 2, 'nothing after the quota answer');
    } finally {
      await server.close();
    }
  });
});

describe('publish plans: nuget.org preflight', () => {
  it('before the first push, every id the key cannot push is named and nothing is pushed', async () => {
    const server = await startV3Server({ validKeys: [KEY], ownedIds: ['Pre.Owned'] });
    try {
      server.catalog.add('Pre.Owned', ['1.0.0']);
      server.catalog.add('Pre.Foreign', ['1.0.0']);
      const folder = tempDir('np-preflight-');
      makePackage(folder, 'Pre.Owned', '2.0.0');
      makePackage(folder, 'Pre.Foreign', '2.0.0');
      makePackage(folder, 'Pre.New', '1.0.0');
      const result = await runCliAsync(['publish-plan', folder, '--source', server.index, '--kind', 'nuget.org'], { NUGET_API_KEY: KEY });
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(result.stderr, /NP5030: the key cannot push 1 of the plan's ids, so nothing was pushed:\n {2}Pre\.Foreign: The key is valid but may not push Pre\.Foreign \(403\)/);
      assert.match(result.stderr, /preflight: Pre\.New not checked \(new on the feed/);
      assert.equal((await pushedIds(server)).length, 0);
    } finally {
      await server.close();
    }
  });
});

describe('publish plans and push: parity and messages', () => {
  it('push sends the .snupkg beside the package by default, as dotnet does (--no-symbols skips it)', async () => {
    const folder = tempDir('np-symbols-');
    const pkg = makePackage(folder, 'Sym.Pkg', '1.0.0');
    writeFileSync(join(folder, 'Sym.Pkg.1.0.0.snupkg'), readFileSync(makePackage(tempDir(), 'Sym.Pkg', '1.0.0', { files: { 'lib/net8.0/Lib.pdb': 'pdb' } })));
    const endings: string[][] = [];
    for (const side of ['dotnet', 'ours', 'ours --no-symbols']) {
      const server = await startV3Server();
      try {
        if (side === 'dotnet') {
          const home = tempDir('np-sym-home-');
          writeFileSync(join(home, 'NuGet.Config'), `<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="test" value="${server.index}" allowInsecureConnections="true" /></packageSources></configuration>`);
          await run('dotnet', ['nuget', 'push', pkg, '-s', 'test', '-k', KEY, '--configfile', join(home, 'NuGet.Config')], { env: dotnetEnv(join(home, 'h')), cwd: home, timeout: 180_000 });
        } else {
          const result = await runCliAsync(['push', pkg, '--source', server.index, ...(side.endsWith('--no-symbols') ? ['--no-symbols'] : [])], { NUGET_API_KEY: KEY });
          assert.equal(result.code, 0, result.stderr);
        }
        endings.push(server.requests.filter((request) => request.method === 'PUT').map((request) => request.url.replace(/\/$/, '')));
      } finally {
        await server.close();
      }
    }
    assert.deepEqual(endings[0], ['/api/v2/package', '/api/v2/symbolpackage'], 'dotnet sends both');
    assert.deepEqual(endings[1], endings[0], 'so do we');
    assert.deepEqual(endings[2], ['/api/v2/package']);
  });

  it('a lone .snupkg whose package is not on the feed says exactly that, at once', async () => {
    const server = await startV3Server({ symbolStatus: 404 });
    try {
      const folder = tempDir('np-lone-');
      const snupkg = join(folder, 'Lone.Pkg.1.0.0.snupkg');
      writeFileSync(snupkg, readFileSync(makePackage(tempDir(), 'Lone.Pkg', '1.0.0', { files: { 'lib/net8.0/Lib.pdb': 'pdb' } })));
      const started = Date.now();
      const result = await runCliAsync(['push', snupkg, '--source', server.index], { NUGET_API_KEY: KEY });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /NP2052: Test feed has no Lone\.Pkg 1\.0\.0|NP2052: .* has no Lone\.Pkg 1\.0\.0, so its symbol server refused the symbol package \(404\)/);
      assert.equal(server.requests.filter((request) => request.method === 'PUT').length, 1, 'one try, not three');
      assert.ok(Date.now() - started < 10_000, 'without the retries\' waits');
    } finally {
      await server.close();
    }
  });

  it('a .snupkg refused after its .nupkg was accepted is named as the symbol package (NP2051)', async () => {
    const server = await startV3Server({ symbolStatus: 400 });
    try {
      const folder = tempDir('np-symfail-');
      const pkg = makePackage(folder, 'SymFail.Pkg', '1.0.0');
      writeFileSync(join(folder, 'SymFail.Pkg.1.0.0.snupkg'), readFileSync(makePackage(tempDir(), 'SymFail.Pkg', '1.0.0', { files: { 'lib/net8.0/Lib.pdb': 'pdb' } })));
      const result = await runCliAsync(['push', pkg, '--source', server.index], { NUGET_API_KEY: KEY });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /NP2051: SymFail\.Pkg 1\.0\.0 was published \(created\), but its symbol package \(\.snupkg\) was not: NP2400/);
    } finally {
      await server.close();
    }
  });

  it('an unlist through a V2 push URL says what is known: the server took it, the outcome is not confirmed', async () => {
    const server = await startV3Server({ mode: 'v2', deleteRemoves: true });
    try {
      const result = await runCliAsync(['unlist', 'Gone.Pkg', '1.0.0', '--source', `${server.base}/api/v2/package`], { NUGET_API_KEY: KEY });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Gone\.Pkg 1\.0\.0 taken by the server, outcome not confirmed \(the server answered 204; a V2 push URL cannot be read, so whether it unlisted or deleted the version is not known\)/);
    } finally {
      await server.close();
    }
  });

  it('publish-plan --dry-run against a feed that is not running fails once, with exit 2', async () => {
    const server = await startV3Server();
    const index = server.index;
    await server.close();
    const folder = tempDir('np-dead-');
    makePackage(folder, 'Dead.A', '1.0.0');
    makePackage(folder, 'Dead.B', '1.0.0');
    const result = await runCliAsync(['publish-plan', folder, '--source', index, '--dry-run'], { NUGET_API_KEY: KEY });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '', 'no plan lines');
    assert.equal(result.stderr.trim().split('\n').filter((line) => /NP\d{4}/.test(line)).length, 1, result.stderr);
    assert.ok(!existsSync(join(folder, 'out')));
  });
});
