/**
 * Push and unlist parity with the real `dotnet nuget push/delete`: for each case the same kind of
 * server is started twice, dotnet runs against one and our CLI against the other, and both must
 * end the same way (both succeed, or both fail) with the same requests reaching the server.
 * Cases: a lone .snupkg, a symbol server that keeps answering 404, V2 push URLs (given, and a bare
 * host that gets api/v2/package), V2 delete, no key, skip-duplicate with symbols, a server that
 * deletes on DELETE, and a folder holding two versions of one id.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { runCliAsync } from '../helpers/cli';
import { dotnetEnv, dotnetFixtures } from '../helpers/dotnetFixtures';
import { makePackage } from '../helpers/makePackage';
import { tempDir } from '../helpers/temp';
import { startV3Server, type V3Server, type V3ServerOptions } from '../servers/v3Server';

const KEY = 'oy2-parity-key-0123456789abcdef';
const run = promisify(execFile);

interface Ending {
  readonly ok: boolean;
  readonly output: string;
  readonly requests: string[];
}

/** The requests that change something (reads of the index and flat container left out). */
function writes(server: V3Server): string[] {
  return server.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.url.replace(/\/$/, '')}`);
}

/**
 * dotnet nuget push/delete against `source` (a NuGet.Config names it, allowing loopback http).
 * dotnet is the reference: when it cannot run (not installed, killed, out of time) the test
 * fails with that cause; only dotnet's own non-zero exit is an ending to compare with ours.
 */
async function dotnet(server: V3Server, source: (server: V3Server) => string, args: string[], key: string | null = KEY): Promise<Ending> {
  const home = tempDir('np-parity-');
  mkdirSync(join(home, 'h'));
  writeFileSync(join(home, 'NuGet.Config'), `<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="test" value="${source(server)}" allowInsecureConnections="true" /></packageSources></configuration>`);
  const full = [...args, '-s', 'test', ...(key ? ['-k', key] : []), ...(args[1] === 'delete' ? ['--non-interactive'] : ['--configfile', join(home, 'NuGet.Config')])];
  try {
    const { stdout, stderr } = await run('dotnet', full, { env: dotnetEnv(join(home, 'h')), cwd: home, timeout: 180_000 });
    return { ok: true, output: stdout + stderr, requests: writes(server) };
  } catch (error) {
    const failed = error as { code?: unknown; killed?: boolean; signal?: string | null; message?: string; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number' || failed.killed || failed.signal) {
      throw new Error(`the reference tool did not run to its own end (dotnet ${full.join(' ')}): ${failed.message ?? String(error)}. This is a failure of the test, not of the command under test: install the .NET SDK (see README).`);
    }
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`, requests: writes(server) };
  }
}

async function ours(server: V3Server, args: string[], key: string | null = KEY): Promise<Ending> {
  const result = await runCliAsync(args, key ? { NUGET_API_KEY: key } : {});
  return { ok: result.code === 0, output: result.stdout + result.stderr, requests: writes(server) };
}

/** Runs both against fresh servers of the same kind and checks they end alike. */
async function both(options: V3ServerOptions, dotnetRun: (server: V3Server) => Promise<Ending>, ourRun: (server: V3Server) => Promise<Ending>, prepare?: (server: V3Server) => Promise<void>): Promise<{ theirs: Ending; mine: Ending }> {
  const endings: Ending[] = [];
  for (const side of [dotnetRun, ourRun]) {
    const server = await startV3Server(options);
    try {
      await prepare?.(server);
      server.requests.length = 0;
      endings.push(await side(server));
    } finally {
      await server.close();
    }
  }
  const [theirs, mine] = endings;
  assert.equal(mine.ok, theirs.ok, `dotnet ${theirs.ok ? 'succeeded' : 'failed'} but we ${mine.ok ? 'succeeded' : 'failed'}:\n--- dotnet (${theirs.requests.join(', ')})\n${theirs.output}\n--- ours (${mine.requests.join(', ')})\n${mine.output}`);
  return { theirs, mine };
}

function loneSymbols(): string {
  const folder = tempDir('np-snupkg-');
  const path = join(folder, basename(dotnetFixtures().coreSymbols));
  copyFileSync(dotnetFixtures().coreSymbols, path);
  return path;
}

describe('push and unlist parity with dotnet nuget push/delete', () => {
  it('a .snupkg on its own goes to the symbol endpoint, never to PackagePublish', async () => {
    const symbols = loneSymbols();
    const { theirs, mine } = await both({}, (server) => dotnet(server, (s) => s.index, ['nuget', 'push', symbols]), (server) => ours(server, ['push', symbols, '--source', server.index]));
    assert.deepEqual(mine.requests, ['PUT /api/v2/symbolpackage']);
    assert.deepEqual(mine.requests, theirs.requests);
  });

  it('a lone .snupkg to a feed without a symbol server is refused before anything is sent', async () => {
    const result = await runCliAsync(['push', loneSymbols(), '--source', tempDir()]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^NP2050: .*symbol package/m);
  });

  it('symbols the server keeps answering 404: both fail, ours within three tries', async () => {
    const { theirs, mine } = await both({ symbolStatus: 404 }, (server) => dotnet(server, (s) => s.index, ['nuget', 'push', dotnetFixtures().core]), (server) => ours(server, ['push', dotnetFixtures().core, '--source', server.index, '--symbols']));
    assert.equal(theirs.ok, false, 'dotnet failed too');
    // The same requests as dotnet in the same order. The one difference is on purpose: a symbol
    // server answers 404 while it does not know the package yet (nuget-facts.md), so we try the
    // symbol PUT three times where dotnet tries once.
    const collapse = (requests: string[]): string[] => requests.filter((request, index) => request !== requests[index - 1]);
    assert.deepEqual(theirs.requests, ['PUT /api/v2/package', 'PUT /api/v2/symbolpackage']);
    assert.deepEqual(collapse(mine.requests), theirs.requests);
    assert.equal(mine.requests.filter((request) => request === 'PUT /api/v2/symbolpackage').length, 3);
    assert.match(mine.output, /Contoso\.Core 2\.0\.0: created \(201\)/);
    assert.match(mine.output, /NP2404/);
  });

  it('skip-duplicate on an existing version skips its symbols too', async () => {
    const existing = async (server: V3Server): Promise<void> => {
      server.catalog.add('Contoso.Core', ['2.0.0']);
    };
    const { theirs, mine } = await both({}, (server) => dotnet(server, (s) => s.index, ['nuget', 'push', dotnetFixtures().core, '--skip-duplicate']), (server) => ours(server, ['push', dotnetFixtures().core, '--source', server.index, '--symbols', '--skip-duplicate']), existing);
    assert.deepEqual(mine.requests, ['PUT /api/v2/package'], mine.output);
    assert.deepEqual(mine.requests, theirs.requests);
    assert.match(mine.output, /Contoso\.Core 2\.0\.0: skipped \(the feed already has it, 409\)[\s\S]*symbols: skipped/);
  });

  for (const [name, source] of [['a V2 push URL', (server: V3Server) => `${server.base}/api/v2/package`], ['a bare host (api/v2/package appended)', (server: V3Server) => `${server.base}/`]] as const) {
    it(`${name}: pushed with a PUT there, as dotnet does`, async () => {
      const { theirs, mine } = await both({ mode: 'v2' }, (server) => dotnet(server, source, ['nuget', 'push', dotnetFixtures().utils]), (server) => ours(server, ['push', dotnetFixtures().utils, '--source', source(server)]));
      assert.deepEqual(mine.requests, ['PUT /api/v2/package']);
      assert.deepEqual(mine.requests, theirs.requests);
    });
  }

  it('unlist on a V2 push URL: DELETE {source}/{id}/{version}', async () => {
    const source = (server: V3Server): string => `${server.base}/api/v2/package`;
    const { theirs, mine } = await both({ mode: 'v2' }, (server) => dotnet(server, source, ['nuget', 'delete', 'Contoso.Core', '2.0.0']), (server) => ours(server, ['unlist', 'Contoso.Core', '2.0.0', '--source', source(server)]));
    assert.deepEqual(mine.requests, ['DELETE /api/v2/package/Contoso.Core/2.0.0']);
    assert.deepEqual(mine.requests, theirs.requests);
  });

  it('no key for a server that wants one: both fail, and ours says no key was provided', async () => {
    const { theirs, mine } = await both({ validKeys: [KEY] }, (server) => dotnet(server, (s) => s.index, ['nuget', 'push', dotnetFixtures().utils], null), (server) => ours(server, ['push', dotnetFixtures().utils, '--source', server.index], null));
    assert.equal(theirs.ok, false, 'dotnet failed too');
    assert.deepEqual(mine.requests, theirs.requests, 'the same requests as dotnet');
    assert.match(mine.output, /NP2401: .*none was provided.*No API key was provided: set NUGET_API_KEY/s);
    assert.doesNotMatch(mine.output, /glob pattern/, 'nuget.org advice only for nuget.org');
  });

  it('a server that deletes on DELETE is reported as deleting, not unlisting', async () => {
    const server = await startV3Server({ deleteRemoves: true });
    try {
      server.catalog.add('Contoso.Gone', ['1.0.0']);
      const result = await ours(server, ['unlist', 'Contoso.Gone', '1.0.0', '--source', server.index]);
      assert.ok(result.ok, result.output);
      assert.match(result.output, /Contoso\.Gone 1\.0\.0 deleted by the server/);
      server.catalog.add('Contoso.Kept', ['1.0.0']);
      await server.close();
    } finally {
      await server.close().catch(() => undefined);
    }
    const unlisting = await startV3Server();
    try {
      unlisting.catalog.add('Contoso.Kept', ['1.0.0']);
      const result = await ours(unlisting, ['unlist', 'Contoso.Kept', '1.0.0', '--source', unlisting.index]);
      assert.match(result.output, /Contoso\.Kept 1\.0\.0 unlisted/);
    } finally {
      await unlisting.close();
    }
  });

  it('publish-plan pushes several versions of one id, oldest first, dependencies still first', async () => {
    const folder = tempDir();
    makePackage(folder, 'Plan.Lib', '1.1.0');
    makePackage(folder, 'Plan.Lib', '1.0.0');
    makePackage(folder, 'Plan.App', '1.0.0', { dependencies: { 'Plan.Lib': '1.0.0' } });
    const server = await startV3Server();
    try {
      const result = await runCliAsync(['publish-plan', folder, '--source', server.index], { NUGET_API_KEY: KEY });
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /1\. Plan\.Lib 1\.0\.0.*\n.*2\. Plan\.Lib 1\.1\.0.*\n.*3\. Plan\.App 1\.0\.0/);
      assert.deepEqual(writes(server), ['PUT /api/v2/package', 'PUT /api/v2/package', 'PUT /api/v2/package']);
    } finally {
      await server.close();
    }
  });
});
