/**
 * Security: hostile input cannot exhaust CPU or memory. Each case runs the real CLI in a child
 * process and bounds its CPU time (not wall-clock time, which a busy machine stretches) and its
 * peak RSS: refused with an NP code within 3 s of CPU, under 256 MB.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NuGetPublisherError } from '../../src/core/errors';
import { boundedFetch } from '../../src/core/http/boundedFetch';
import { parseNuspecText } from '../../src/core/nuspec/parse';
import { pushPackage } from '../../src/core/publish/push';
import { npError } from '../helpers/assertions';
import { runCliMeasured, type MeasuredCliResult } from '../helpers/cli';
import { makePackage } from '../helpers/makePackage';
import { BASIC_METADATA, buildZip, nuspecXml } from '../helpers/rawZip';
import { tempDir } from '../helpers/temp';
import { startHostileServer, type HostileServer } from '../servers/hostileServer';

const CPU_MS = 3000;
const RSS_MB = 256;

function assertBounded(result: MeasuredCliResult, code: RegExp): void {
  assert.equal(result.code, 2, `exit 2 expected:\n${result.stdout}${result.stderr}`);
  assert.match(result.stderr, code);
  assert.ok(result.cpuMs < CPU_MS, `CPU time ${Math.round(result.cpuMs)} ms (bound ${CPU_MS})`);
  assert.ok(result.maxRssMb < RSS_MB, `peak RSS ${Math.round(result.maxRssMb)} MB (bound ${RSS_MB})`);
}

function nuspecPackage(nuspec: string): string {
  const path = join(tempDir(), 'hostile.nupkg');
  writeFileSync(path, buildZip([{ name: 'x.nuspec', data: nuspec }, { name: 'lib/net8.0/a.dll', data: 'x' }]));
  return path;
}

/** CPU time of a synchronous call in this process. */
function cpuMsOf(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

describe('nuspec parsing is linear and bounded', () => {
  const head = nuspecXml(BASIC_METADATA);
  const cases: [string, string, RegExp][] = [
    ['100,000 unclosed comments (820-byte package)', head + '<!--'.repeat(100_000), /NP0923.*comment/],
    ['1,000,000 unclosed comments (4.3 KB package)', head + '<!--'.repeat(1_000_000), /NP0923.*comment/],
    ['400,000 unclosed CDATA sections', `<package><metadata><id>${'<![CDATA['.repeat(400_000)}`, /NP0923.*CDATA/],
    ['540,000 attributes under the 4 MB cap', `<package><metadata ${Array.from({ length: 540_000 }, (_, i) => `a${i.toString(36)}=""`).join(' ').slice(0, 4_000_000)}/></package>`, /NP0925.*attributes|NP0923/],
    ['1,000,000 nested elements', `<package>${'<a>'.repeat(1_000_000)}`, /NP0925.*deep/],
    ['a billion-laughs DOCTYPE', `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "${'x'.repeat(1000)}"><!ENTITY b "&a;&a;&a;&a;">]><package/>`, /NP0922/],
  ];
  for (const [name, nuspec, code] of cases) {
    it(`${name}: refused by the CLI within ${CPU_MS} ms of CPU and ${RSS_MB} MB`, async () => {
      assertBounded(await runCliMeasured(['inspect', nuspecPackage(nuspec)]), code);
    });
  }

  // Linear, measured as a ratio on this machine (a quadratic parser makes 4x the input cost 16x),
  // with a wide ceiling against a freeze; absolute speed is for `npm run bench`.
  it('an accepted 4 MB nuspec (800,000 references) parses in time linear in its size', () => {
    const parse = (repeats: number): { cpu: number; description: string } => {
      const text = nuspecXml(BASIC_METADATA.replace('A sample.', '&amp;&#x2713;'.repeat(repeats)));
      let description = '';
      const cpu = cpuMsOf(() => {
        description = parseNuspecText(text).nuspec.metadata.description;
      });
      assert.ok(repeats < 300_000 || text.length > 3_500_000, 'the 4 MB case is 4 MB');
      return { cpu, description };
    };
    parse(20_000); // warm-up, so the JIT is not measured
    // The least of a few runs each: a garbage collection inside one run is not the parser.
    const quarter = Math.min(...[1, 2, 3].map(() => parse(75_000).cpu));
    const runs = [parse(300_000), parse(300_000)];
    const full = { ...runs[0], cpu: Math.min(...runs.map((run) => run.cpu)) };
    assert.equal(full.description.slice(0, 4), '&✓&✓');
    assert.equal(full.description.length, 600_000);
    assert.ok(full.cpu / quarter < 8, `4x the input took ${(full.cpu / quarter).toFixed(1)}x the CPU (${Math.round(quarter)} ms, ${Math.round(full.cpu)} ms)`);
    assert.ok(full.cpu < 5000, `CPU ${Math.round(full.cpu)} ms for 4 MB`);
  });
});

describe('files that are not files', () => {
  it('inspect refuses a FIFO named x.nupkg at once instead of blocking', async () => {
    const fifo = join(tempDir(), 'x.nupkg');
    execFileSync('mkfifo', [fifo]);
    const result = await runCliMeasured(['inspect', fifo], { hangMs: 20_000 });
    assert.equal(result.signal, null, 'the CLI had to be killed: it blocked on the FIFO');
    assertBounded(result, /NP0900.*named pipe/);
  });

  it('pack refuses a FIFO named as the nuspec', async () => {
    const fifo = join(tempDir(), 'x.nuspec');
    execFileSync('mkfifo', [fifo]);
    const result = await runCliMeasured(['pack', fifo], { hangMs: 20_000 });
    assert.equal(result.signal, null);
    assertBounded(result, /NP1000.*named pipe/);
  });
});

describe('network answers are capped and have deadlines', () => {
  const servers: HostileServer[] = [];
  const start = async (mode: Parameters<typeof startHostileServer>[0]): Promise<HostileServer> => {
    const server = await startHostileServer(mode);
    servers.push(server);
    return server;
  };
  let pkg: string;
  before(() => {
    pkg = makePackage(tempDir(), 'Contoso.Net', '1.0.0');
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it('an endless service index is cut at 8 MB with NP3009 (push)', async () => {
    const server = await start('endless-index');
    const result = await runCliMeasured(['push', pkg, '--source', server.index]);
    assertBounded(result, /NP3009: http:\/\/127\.0\.0\.1:\d+\/v3\/index\.json sent more than 8 MB/);
  });

  it('a 700 MB service index is refused from its Content-Length (publish-plan)', async () => {
    const server = await start('huge-index');
    const result = await runCliMeasured(['publish-plan', dirname(pkg), '--source', server.index, '--dry-run']);
    // The plan fails once, naming why the feed could not be read (not once per package).
    assert.equal(result.code, 2);
    assert.match(result.stderr, /NP3009: .* sent more than 8 MB/);
    assert.equal(result.stderr.split('\n').filter((line) => line.includes('NP3009')).length, 1);
    assert.ok(result.cpuMs < CPU_MS && result.maxRssMb < RSS_MB, `${Math.round(result.cpuMs)} ms CPU, ${Math.round(result.maxRssMb)} MB`);
    assert.ok(server.sent < 100 * 1024 * 1024, `the server sent ${server.sent} bytes before the client stopped`);
  });

  it('a trickling answer ends at the request deadline, with an NP code', async () => {
    const server = await start('trickle');
    await assert.rejects(boundedFetch(server.index, { maxBytes: 1024, deadlineMs: 1500 }), (error: unknown) => error instanceof NuGetPublisherError && error.code === 'NP4001' && /did not answer completely within 2 s/.test(error.message));
  });

  it('a push answered 201 whose body then stalls counts as created, once, without a re-send', async () => {
    const server = await start('stall-after-headers');
    const result = await pushPackage({ packagePath: pkg, url: `${server.base}/api/v2/package`, id: 'Contoso.Net', version: '1.0.0', feedName: 'hostile', bodyWaitMs: 300 });
    assert.equal(result.outcome, 'created');
    assert.equal(result.attempts, 1);
    assert.equal(server.requests.filter((request) => request.method === 'PUT').length, 1);
  });

  it('a push answered 403 with an endless body is reported at once (body cut at 64 KB)', async () => {
    const server = await start('endless-answer');
    const result = await runCliMeasured(['push', pkg, '--source', server.index]);
    assertBounded(result, /NP2403/);
  });

  it('an upload the server reads at 1 KB/s ends at the upload deadline with NP2011, not a retry', async () => {
    const server = await start('slow-reader');
    const big = join(tempDir(), 'big.nupkg');
    writeFileSync(big, Buffer.alloc(8 * 1024 * 1024, 1));
    await assert.rejects(pushPackage({ packagePath: big, url: `${server.base}/api/v2/package`, id: 'Contoso.Net', version: '1.0.0', feedName: 'hostile', deadlineMs: 1500 }), npError('NP2011', /not done within 2 s/));
    assert.equal(server.requests.filter((request) => request.method === 'PUT').length, 1);
  });
});
