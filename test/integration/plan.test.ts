/** Release diff and the multi-package publish plan (ordering, cycles, skip existing, dry run), core and CLI. */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { diffPackages, describeDiff, snapshot, withApi } from '../../src/core/diff/packageDiff';
import { diffApiFiles } from '../../src/core/api/apiDiff';
import { buildPlan, orderByDependencies, runPlan } from '../../src/core/plan/publishPlan';
import { publish } from '../../src/core/publish/publish';
import { FeedClient } from '../../src/core/feeds/feedClient';
import { makePackage } from '../helpers/makePackage';
import { tempDir } from '../helpers/temp';
import { runCliAsync } from '../helpers/cli';
import { startV3Server, type V3Server } from '../servers/v3Server';


const cli = runCliAsync;

describe('release diff', () => {
  it('names metadata, dependency, file, framework, license and readme changes; a dropped framework is breaking', async () => {
    const folder = tempDir();
    const older = makePackage(folder, 'Contoso.Diff', '1.0.0', { dependencies: { 'Contoso.Core': '[1.0.0, )', 'Old.Dep': '2.0.0' }, files: { 'lib/net8.0/Contoso.Diff.dll': 'a'.repeat(100), 'lib/netstandard2.0/Contoso.Diff.dll': 'b'.repeat(100) } });
    const newer = makePackage(folder, 'Contoso.Diff', '2.0.0', { dependencies: { 'Contoso.Core': '[2.0.0, )', 'New.Dep': '1.0.0' }, files: { 'lib/net8.0/Contoso.Diff.dll': 'a'.repeat(150), 'lib/net9.0/Contoso.Diff.dll': 'c'.repeat(100) }, description: 'A better library', license: 'Apache-2.0' });
    const diff = diffPackages(await snapshot(older), await snapshot(newer));
    assert.deepEqual(diff.droppedFrameworks, ['netstandard2.0']);
    assert.deepEqual(diff.addedFrameworks, ['net9.0']);
    assert.deepEqual(diff.metadata, [{ field: 'description', before: 'Contoso.Diff library', after: 'A better library' }]);
    assert.deepEqual(diff.license, { field: 'license', before: 'expression: MIT', after: 'expression: Apache-2.0' });
    assert.deepEqual(diff.dependencies.map((change) => `${change.change} ${change.id}`), ['changed Contoso.Core', 'added New.Dep', 'removed Old.Dep']);
    assert.deepEqual(diff.files.map((file) => `${file.change} ${file.path}`), ['changed lib/net8.0/Contoso.Diff.dll', 'added lib/net9.0/Contoso.Diff.dll', 'removed lib/netstandard2.0/Contoso.Diff.dll']);
    assert.equal(diff.readme, undefined, 'the readme did not change');
    assert.match(diff.breaking.join('\n'), /Target framework netstandard2\.0 is dropped/);
    // The CLI adds the API diff: the dropped framework (PKV006), and these stand-in .dll files are not .NET assemblies.
    const text = describeDiff(withApi(diff, await diffApiFiles(older, newer))).join('\n');
    assert.match(text, /BREAKING:\n {2}! Target framework netstandard2\.0 is dropped/);
    assert.match(text, /\nAPI: needs a major version: 1 breaking change\.\n {2}PKV006 \.NETStandard,Version=v2\.0\n {2}\(not read: lib\/net8\.0\/Contoso\.Diff\.dll\)\n/);
    const viaCli = await cli(['diff', older, newer]);
    assert.equal(viaCli.code, 0, viaCli.stderr);
    assert.equal(viaCli.stdout.trim(), text);
  });
});

describe('publish plan', () => {
  let server: V3Server;
  let folder: string;
  before(async () => {
    server = await startV3Server();
    folder = tempDir();
    mkdirSync(join(folder, 'nested'));
    // C depends on B, B depends on A; the folder order is not the dependency order.
    makePackage(folder, 'Contoso.A', '1.0.0');
    makePackage(join(folder, 'nested'), 'Contoso.B', '1.0.0', { dependencies: { 'Contoso.A': '1.0.0' } });
    makePackage(folder, 'Contoso.C', '1.0.0', { dependencies: { 'Contoso.B': '1.0.0', 'Newtonsoft.Json': '13.0.1' } });
    server.catalog.add('Contoso.A', ['1.0.0']); // already on the feed: skipped
  });
  after(async () => server?.close());

  it('orders dependencies first, and names a cycle', () => {
    const nodes = [{ id: 'C', dependsOn: ['B'] }, { id: 'A', dependsOn: [] }, { id: 'B', dependsOn: ['A', 'External'] }, { id: 'D', dependsOn: [] }];
    assert.deepEqual(orderByDependencies(nodes).map((node) => node.id), ['A', 'D', 'B', 'C']);
    assert.throws(() => orderByDependencies([{ id: 'Contoso.A', dependsOn: ['Contoso.B'] }, { id: 'Contoso.B', dependsOn: ['Contoso.C'] }, { id: 'Contoso.C', dependsOn: ['Contoso.A'] }, { id: 'Free', dependsOn: [] }]),
      (error: { code?: string; message?: string }) => error.code === 'NP5001' && /in a cycle: Contoso\.A → Contoso\.B → Contoso\.C → Contoso\.A\./.test(error.message ?? ''));
  });

  it('the dry run plans A (skip: exists), B, C in order and writes nothing; the run then publishes B and C in order', async () => {
    server.requests.length = 0;
    const dry = await cli(['publish-plan', folder, '--source', server.index, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /1\. Contoso\.A 1\.0\.0 → .*: skip \(already there\)\n {2}2\. Contoso\.B 1\.0\.0 → .*: publish, after Contoso\.A\n {2}3\. Contoso\.C 1\.0\.0 → .*: publish, after Contoso\.B/);
    assert.equal(server.requests.length, 0, `the dry run sent no request that writes: ${server.requests.map((request) => `${request.method} ${request.url}`).join(', ')}`);
    assert.ok(server.catalog.reads.length > 0, 'it did read the feed');
    const real = await cli(['publish-plan', folder, '--source', server.index], { NUGET_API_KEY: 'plan-key-123' });
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /Contoso\.A 1\.0\.0: skipped.*\nContoso\.B 1\.0\.0: published.*\nContoso\.C 1\.0\.0: published/);
    assert.deepEqual(server.requests.map((request) => request.method), ['PUT', 'PUT']);
    // The catalog records pushes in arrival order (A was there before): B arrived before C.
    assert.deepEqual([...server.catalog.packages.keys()].filter((id) => id.startsWith('contoso.')), ['contoso.a', 'contoso.b', 'contoso.c']);
  });

  it('stops at the first error by default, or goes on with what does not depend on the failure', async () => {
    const failing = tempDir();
    makePackage(failing, 'Fail.Base', '1.0.0');
    makePackage(failing, 'Fail.Child', '1.0.0', { dependencies: { 'Fail.Base': '1.0.0' } });
    makePackage(failing, 'Other.Free', '1.0.0');
    const feed = { name: 'Gallery', source: server.index, kind: 'v3' as const };
    const plan = await buildPlan({ client: new FeedClient(feed), packages: [join(failing, 'Fail.Base.1.0.0.nupkg'), join(failing, 'Fail.Child.1.0.0.nupkg'), join(failing, 'Other.Free.1.0.0.nupkg')] });
    assert.deepEqual(plan.entries.map((entry) => entry.id), ['Fail.Base', 'Other.Free', 'Fail.Child']);
    const publishOne = async (entry: { path: string }): Promise<string> => (await publish({ feed, packagePath: entry.path, credential: { apiKey: 'k-1234' }, backoffMs: 1 })).outcome;
    server.script.push({ status: 500 }, { status: 500 }, { status: 500 });
    const stopped = await runPlan(plan, { publishOne, continueOnError: false });
    assert.deepEqual(stopped.map((result) => `${result.entry.id}: ${result.outcome}`), ['Fail.Base: failed', 'Other.Free: not-run', 'Fail.Child: not-run']);
    server.script.push({ status: 500 }, { status: 500 }, { status: 500 });
    const goOn = await runPlan(plan, { publishOne, continueOnError: true });
    assert.deepEqual(goOn.map((result) => `${result.entry.id}: ${result.outcome}`), ['Fail.Base: failed', 'Other.Free: published', 'Fail.Child: not-run']);
    assert.match(goOn[2].message ?? '', /a dependency \(Fail\.Base\) failed/);
  });
});

describe('one publish preparation and one rule gate (CLI push and publish-plan)', () => {
  let server: V3Server;
  before(async () => {
    server = await startV3Server();
  });
  after(async () => server?.close());

  it('a package that cannot be read is listed as not published, by file name and reason; the rest is planned and published', async () => {
    const folder = tempDir();
    makePackage(folder, 'Readable.One', '1.0.0');
    const broken = join(folder, 'Broken.1.0.0.nupkg');
    writeFileSync(broken, 'this is not a zip archive');
    server.requests.length = 0;
    const dry = await cli(['publish-plan', folder, '--source', server.index, '--dry-run']);
    assert.equal(dry.code, 2, 'a dry run with an unreadable package exits non-zero');
    assert.match(dry.stdout, /1\. Readable\.One 1\.0\.0 → .*: publish/);
    assert.ok(dry.stdout.includes(`2. ${broken} → not published: it cannot be read as a package (`), dry.stdout);
    assert.equal(server.requests.length, 0);
    const real = await cli(['publish-plan', folder, '--source', server.index], { NUGET_API_KEY: 'plan-key-456' });
    assert.equal(real.code, 2, 'the run exits non-zero: one file was not published');
    assert.match(real.stdout, /Readable\.One 1\.0\.0: published/);
    assert.match(real.stdout, /Broken\.1\.0\.0\.nupkg: failed \(.+\)/);
    assert.deepEqual(server.requests.map((request) => request.method), ['PUT'], 'the readable package went out');
  });

  it('CLI push to nuget.org stops a package that fails the rules before sending anything; --no-checks pushes it and says so', async () => {
    const folder = tempDir();
    const refused = makePackage(folder, 'Gate.Refused', '1.0.0', { license: 'NOT A LICENSE(' });
    server.requests.length = 0;
    const stopped = await cli(['push', refused, '--source', server.index, '--kind', 'nuget.org'], { NUGET_API_KEY: 'gate-key-789' });
    assert.equal(stopped.code, 2, stopped.stderr);
    assert.match(stopped.stderr, /NP2060: Gate\.Refused 1\.0\.0 cannot go to .*: 1 check failed \(NP0035\); nuget\.org would refuse it and nothing was sent/);
    assert.match(stopped.stderr, /--no-checks/);
    assert.equal(server.requests.length, 0, 'nothing was sent');
    const forced = await cli(['push', refused, '--source', server.index, '--kind', 'nuget.org', '--no-checks'], { NUGET_API_KEY: 'gate-key-789' });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /rule checks overridden \(--no-checks\): 1 check failed \(NP0035\)/);
    assert.deepEqual(server.requests.map((request) => request.method), ['PUT']);
  });

  it('another feed may take such a package: the CLI warns and pushes; the plan to nuget.org blocks it unless --no-checks', async () => {
    const folder = tempDir();
    const refused = makePackage(folder, 'Gate.Elsewhere', '1.0.0', { license: 'NOT A LICENSE(' });
    server.requests.length = 0;
    const pushed = await cli(['push', refused, '--source', server.index], { NUGET_API_KEY: 'gate-key-789' });
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stderr, /warning: Gate\.Elsewhere 1\.0\.0 does not pass nuget\.org's rules: 1 check failed \(NP0035\); .* may accept it/);
    const blocked = await cli(['publish-plan', folder, '--source', server.index, '--kind', 'nuget.org', '--dry-run']);
    assert.equal(blocked.code, 2);
    assert.match(blocked.stdout, /Gate\.Elsewhere 1\.0\.0 → .*: BLOCKED \(1 rule error: NP0035/);
    const overridden = await cli(['publish-plan', folder, '--source', server.index, '--kind', 'nuget.org', '--dry-run', '--no-checks']);
    assert.match(overridden.stderr, /rule checks overridden \(--no-checks\)/);
    assert.match(overridden.stdout, /Gate\.Elsewhere 1\.0\.0 → .*: skip \(already there\)/, 'the version pushed above is seen on the feed');
  });
});
