/**
 * Push client against a V3 test server that the real dotnet nuget push/delete accept in the same
 * run: wire structure, status mapping, retries, timeouts, redirects and key safety.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NuGetPublisherError } from '../../src/core/errors';
import { pushPackage, type PushOptions } from '../../src/core/publish/push';
import { dotnetEnv, dotnetFixtures } from '../helpers/dotnetFixtures';
import { tempDir } from '../helpers/temp';
import { startV3Server, type V3Server } from '../servers/v3Server';

const KEY = 'oy2-test-key-0123456789abcdef';
// Async: the test server runs in this process, so a synchronous child would deadlock it.
const run = promisify(execFile);
let server: V3Server;
let packagePath: string;

function options(overrides: Partial<PushOptions> = {}): PushOptions {
  return { packagePath, url: `${server.base}/api/v2/package`, apiKey: KEY, id: 'Contoso.Core', version: '2.0.0', feedName: 'test feed', backoffMs: 10, ...overrides };
}

async function pushError(overrides: Partial<PushOptions> = {}): Promise<NuGetPublisherError> {
  try {
    await pushPackage(options(overrides));
  } catch (error) {
    assert.ok(error instanceof NuGetPublisherError, String(error));
    assert.ok(!error.message.includes(KEY), 'the key never appears in an error');
    return error;
  }
  assert.fail('expected the push to fail');
}

describe('push (V3 PackagePublish)', () => {
  before(async () => {
    server = await startV3Server();
    packagePath = dotnetFixtures().core;
  });
  after(async () => server?.close());

  it('the test server accepts the real dotnet nuget push and dotnet nuget delete', async () => {
    const home = tempDir();
    const config = join(home, 'NuGet.Config');
    writeFileSync(config, `<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="test" value="${server.index}" allowInsecureConnections="true" /></packageSources></configuration>`);
    mkdirSync(join(home, 'h'));
    const env = dotnetEnv(join(home, 'h'));
    server.requests.length = 0;
    await run('dotnet', ['nuget', 'push', packagePath, '-s', 'test', '-k', KEY, '--configfile', config], { env, timeout: 120_000 });
    // delete has no --configfile: it reads the NuGet.Config of its working folder.
    await run('dotnet', ['nuget', 'delete', 'Contoso.Core', '2.0.0', '-s', 'test', '-k', KEY, '--non-interactive'], { env, cwd: home, timeout: 120_000 });
    // dotnet also pushes the .snupkg lying beside the .nupkg, to SymbolPackagePublish.
    const push = server.requests.find((request) => request.method === 'PUT' && request.url.replace(/\/$/, '') === '/api/v2/package')!;
    const symbols = server.requests.find((request) => request.method === 'PUT' && request.url.replace(/\/$/, '') === '/api/v2/symbolpackage');
    const remove = server.requests.find((request) => request.method === 'DELETE')!;
    assert.ok(push && remove && symbols, server.requests.map((request) => `${request.method} ${request.url}`).join(', '));
    assert.equal(push.method, 'PUT');
    assert.equal(push.headers['x-nuget-apikey'], KEY);
    assert.equal(push.parts.length, 1);
    assert.match(push.parts[0].headers, /name=package; filename=package\.nupkg/);
    assert.ok(push.parts[0].data.equals(readFileSync(packagePath)));
    assert.equal(remove.method, 'DELETE');
    assert.equal(remove.url, '/api/v2/package/Contoso.Core/2.0.0');
  });

  it('sends what dotnet nuget push sends: PUT, one multipart part "package" with the nupkg bytes, chunked, key header', async () => {
    server.catalog.packages.clear(); // the test above pushed this version: like nuget.org, the server would answer 409
    const home = tempDir();
    const config = join(home, 'NuGet.Config');
    writeFileSync(config, `<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="test" value="${server.index}" allowInsecureConnections="true" /></packageSources></configuration>`);
    mkdirSync(join(home, 'h'));
    server.requests.length = 0;
    await run('dotnet', ['nuget', 'push', packagePath, '-s', 'test', '-k', KEY, '--configfile', config], { env: dotnetEnv(join(home, 'h')), timeout: 120_000 });
    const theirs = server.requests.find((request) => request.method === 'PUT' && request.url.replace(/\/$/, '') === '/api/v2/package')!;
    server.catalog.packages.clear(); // dotnet just pushed it: ours pushes the same bytes again
    const result = await pushPackage(options());
    assert.equal(result.outcome, 'created');
    const ours = server.requests[server.requests.length - 1];
    for (const field of ['method', 'url'] as const) {
      assert.equal(ours[field].replace(/\/$/, ''), theirs[field].replace(/\/$/, ''), field);
    }
    for (const header of ['x-nuget-apikey', 'transfer-encoding'] as const) {
      assert.equal(ours.headers[header], theirs.headers[header], header);
    }
    assert.match(String(ours.headers['content-type']), /^multipart\/form-data; boundary=/);
    assert.equal(ours.headers['x-nuget-protocol-version'], '4.1.0');
    assert.equal(ours.parts.length, 1);
    assert.equal(ours.parts[0].headers, theirs.parts[0].headers);
    assert.ok(ours.parts[0].data.equals(theirs.parts[0].data));
  });

  it('maps every refusal to a cause and a fix, without the key', async () => {
    const cases: [number, string, RegExp][] = [
      [400, 'NP2400', /invalid/], [401, 'NP2401', /did not accept these credentials/], [403, 'NP2403', /may not do this/],
      [409, 'NP2409', /already has Contoso\.Core 2\.0\.0/], [413, 'NP2413', /larger/], [429, 'NP2429', /try again in 60 s/],
    ];
    for (const [status, code, message] of cases) {
      server.script.push({ status, statusText: status === 400 ? 'The package manifest contains an invalid Version' : '', headers: status === 429 ? { 'retry-after': '60' } : {} });
      const error = await pushError();
      assert.equal(error.code, code);
      assert.match(error.message, message);
      if (status === 400) {
        assert.match(error.message, /invalid Version/, 'the status line reason is shown');
      }
    }
  });

  it('gives nuget.org\'s key advice only for nuget.org, and names a missing key as missing', async () => {
    server.script.push({ status: 401 }, { status: 403 }, { status: 401 });
    await assert.rejects(pushPackage(options({ nugetOrg: true })), /glob pattern or owner/);
    await assert.rejects(pushPackage(options({ nugetOrg: true })), /unknown or expired/);
    await assert.rejects(pushPackage(options({ apiKey: undefined })), /none was provided \(401\).*No API key was provided: set NUGET_API_KEY/);
  });

  it('retries 5xx with backoff, and a 409 after a lost answer means the first try landed', async () => {
    server.script.push({ status: 500 }, { status: 503 }, { status: 201 });
    const retried = await pushPackage(options());
    assert.deepEqual([retried.outcome, retried.attempts], ['created', 3]);
    server.script.push({ action: 'reset' }, { status: 409 });
    const landed = await pushPackage(options());
    assert.equal(landed.outcome, 'landed-on-earlier-try');
    assert.match(landed.notes.join(' '), /earlier try landed/);
    server.script.push({ status: 500 }, { status: 500 }, { status: 500 });
    assert.equal((await pushError()).code, 'NP2500');
  });

  it('a connection closed in the middle of the upload is retried; closed every time, it fails clearly and fast', async () => {
    // 8 MB, so the server can hang up long before the body ends.
    const big = join(tempDir(), 'big.nupkg');
    writeFileSync(big, randomBytes(8 * 1024 * 1024));
    let hangUps = 0;
    let hangUpsLeft = 1;
    const received: number[] = [];
    const raw = createServer((req, res) => {
      let bytes = 0;
      let hungUp = false;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        // Data already buffered may still arrive after the hang-up: one hang-up per request.
        if (!hungUp && hangUpsLeft > 0 && bytes > 1024 * 1024) {
          hungUp = true;
          hangUpsLeft--;
          hangUps++;
          req.socket.destroy();
        }
      });
      req.on('end', () => {
        received.push(bytes);
        res.writeHead(201).end();
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/api/v2/package`;
    try {
      const retried = await pushPackage(options({ packagePath: big, url }));
      assert.deepEqual([retried.outcome, retried.attempts, hangUps], ['created', 2, 1]);
      assert.match(retried.notes.join(' '), /Try 1 failed \((ECONNRESET|EPIPE)\); trying again/);
      assert.ok(received[0] > 8 * 1024 * 1024, 'the second try delivered the whole body');
      hangUpsLeft = 3;
      const started = Date.now();
      const error = await pushError({ packagePath: big, url });
      assert.equal(error.code, 'NP2012');
      assert.match(error.message, /failed \((ECONNRESET|EPIPE)\) after 3 tries/);
      assert.ok(Date.now() - started < 10_000, 'no hang');
    } finally {
      raw.closeAllConnections();
      await new Promise<void>((resolve) => raw.close(() => resolve()));
    }
  });

  it('skip-duplicate turns a first-try 409 into a skip; X-NuGet-Warning is reported', async () => {
    server.script.push({ status: 409 });
    assert.equal((await pushPackage(options({ skipDuplicate: true }))).outcome, 'skipped-duplicate');
    server.script.push({ status: 201, headers: { 'x-nuget-warning': 'Your API key expires in 5 days.' } });
    assert.deepEqual((await pushPackage(options())).warnings, ['Your API key expires in 5 days.']);
  });

  it('gives up on a stalled server at the timeout, with no hang', async () => {
    server.script.push({ action: 'stall' });
    const started = Date.now();
    const error = await pushError({ timeoutMs: 1500 });
    assert.equal(error.code, 'NP2011');
    assert.ok(Date.now() - started < 10_000);
  });

  it('never sends the key to another origin, not on redirect, and never over plain HTTP off this machine', async () => {
    const other = await startV3Server();
    try {
      server.script.push({ action: 'redirect', location: `${other.base}/api/v2/package` });
      const error = await pushError();
      assert.equal(error.code, 'NP2003');
      assert.equal(other.requests.length, 0, 'the other origin received nothing');
      server.script.push({ action: 'redirect', location: '/api/v2/package/moved' }, { status: 201 });
      assert.equal((await pushPackage(options())).outcome, 'created', 'a same-origin redirect is followed');
      assert.equal((await pushError({ url: 'http://feed.example.invalid/api/v2/package' })).code, 'NP2002');
      assert.equal((await pushError({ keyOrigin: 'https://www.nuget.org' })).code, 'NP2001');
    } finally {
      await other.close();
    }
  });
});
