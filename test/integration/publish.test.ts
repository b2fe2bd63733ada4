/** The publish orchestrator shared by the CLI and the "Publish package" command, per feed kind. */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { publish, publishFailed } from '../../src/core/publish/publish';
import { REPO_ROOT, dotnetFixtures } from '../helpers/dotnetFixtures';
import { tempDir } from '../helpers/temp';
import { startNugetServer, type NugetServer } from '../servers/nugetServer';
import { startV3Server, type V3Server } from '../servers/v3Server';

const run = promisify(execFile);

describe('publish to a V3 feed with symbols', () => {
  let server: V3Server;
  before(async () => {
    server = await startV3Server();
  });
  after(async () => server?.close());

  it('pushes the package, then the .snupkg; a symbol 404 (package not known yet) is retried until 201', async () => {
    server.requests.length = 0;
    server.script.push({ status: 201 }, { status: 404, statusText: 'Not Found' }, { status: 201 });
    const progress: string[] = [];
    const report = await publish({
      feed: { name: 'test', source: server.index, kind: 'v3' }, packagePath: dotnetFixtures().core, credential: { apiKey: 'key-1234' }, symbols: true, symbolDelayMs: 10,
      onProgress: ({ what, sent, total }) => {
        if (sent === total) {
          progress.push(what);
        }
      },
    });
    assert.equal(report.outcome, 'created');
    assert.deepEqual(report.symbols, { outcome: 'created', status: 201 });
    assert.deepEqual(server.requests.map((request) => `${request.method} ${request.url}`), ['PUT /api/v2/package', 'PUT /api/v2/symbolpackage', 'PUT /api/v2/symbolpackage']);
    assert.match(report.notes.join('\n'), /does not know Contoso\.Core 2\.0\.0 yet \(404\)/);
    assert.deepEqual([...new Set(progress)], ['package', 'symbols']);
  });

  it('a symbol refusal does not hide that the package itself was published, and fails the publish', async () => {
    server.script.push({ status: 201 }, { status: 409, statusText: 'Conflict' });
    const report = await publish({ feed: { name: 'test', source: server.index, kind: 'v3' }, packagePath: dotnetFixtures().core, credential: { apiKey: 'key-1234' }, symbols: true, symbolDelayMs: 10 });
    assert.equal(report.outcome, 'created');
    assert.equal(report.symbols?.outcome, 'failed');
    assert.match(report.symbols?.reason ?? '', /409/);
    assert.equal(publishFailed(report), true, 'a failed part fails the whole publish (CLI exit code)');
  });

  it('without symbols: true, the .snupkg stays home', async () => {
    server.catalog.packages.clear(); // the earlier tests pushed this version: the server would answer 409
    server.requests.length = 0;
    await publish({ feed: { name: 'test', source: server.index, kind: 'v3' }, packagePath: dotnetFixtures().core, credential: { apiKey: 'key-1234' } });
    assert.deepEqual(server.requests.map((request) => request.url), ['/api/v2/package']);
  });
});

// Separate suites: a folder feed needs no server, so a missing nuget-server fails only its own tests.
describe('publish to folder feeds', () => {
  it('a folder feed gets the hierarchical layout; symbols are named as not sent', async () => {
    const folder = tempDir();
    const report = await publish({ feed: { name: 'local', source: folder, kind: 'folder' }, packagePath: dotnetFixtures().core, symbols: true });
    assert.equal(report.outcome, 'created');
    assert.ok(existsSync(join(folder, 'contoso.core', '2.0.0', 'contoso.core.2.0.0.nupkg')));
    assert.deepEqual(report.symbols, { outcome: 'not-sent', reason: 'folder feeds keep no symbol packages' });
  });
});

describe('publish to nuget-server', () => {
  let server: NugetServer;
  before(async () => {
    server = await startNugetServer({ users: [{ username: 'alice', password: 'Alice-Pass-1', role: 'publish' }] });
  });
  after(async () => server?.stop());

  it('nuget-server through its /api/publish, configured by base URL or by its index URL; the CLI with --kind and --user', async () => {
    const report = await publish({ feed: { name: 'ns', source: server.index, kind: 'nuget-server' }, packagePath: dotnetFixtures().utils, credential: { basic: { username: 'alice', password: 'Alice-Pass-1' } } });
    assert.equal(report.outcome, 'created');
    assert.equal(report.normalizedVersion, '1.2.3-beta.1');
    const flat = (await (await fetch(`${server.base}/v3/package/contoso.utils/index.json`)).json()) as { versions: string[] };
    assert.equal(flat.versions.length, 1);
    const cli = await run(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'push', dotnetFixtures().core, '--source', server.base, '--kind', 'nuget-server', '--user', 'alice', '--api-key-env', 'NS_PASSWORD'], { env: { ...process.env, NS_PASSWORD: 'Alice-Pass-1' } });
    assert.match(cli.stdout, /Contoso\.Core 2\.0\.0: created \(201\)/);
    assert.ok(!cli.stdout.includes('Alice-Pass-1') && !cli.stderr.includes('Alice-Pass-1'));
  });
});
