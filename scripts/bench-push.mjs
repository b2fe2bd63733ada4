#!/usr/bin/env node
// Push benchmark (part of `npm run bench`): a 200 MB package pushed to a loopback V3 server by
// our push client vs `curl -T` to the same server, median of 3; and the pushing process's peak
// RSS for 50 MB and 200 MB packages (streamed from disk: it must not grow with the size).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const folder = join(root, 'out', 'bench-push');
mkdirSync(folder, { recursive: true });

function bigFile(mb) {
  const path = join(folder, `payload-${mb}mb.nupkg`);
  if (!existsSync(path)) {
    const fd = openSync(path, 'w');
    for (let i = 0; i < mb; i++) {
      writeSync(fd, randomBytes(1024 * 1024));
    }
    closeSync(fd);
  }
  return path;
}

// The server drains every request and answers 201 (both clients pay the same server cost).
const server = createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(201);
    res.end();
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/api/v2/package`;

function runAsync(command, args) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('close', (code) => (code === 0 ? resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, stdout }) : reject(new Error(`${command} exited ${code}`))));
  });
}

// The child reports the push's own time (from the call to the server's answer), so Node's
// start-up (~100 ms, not part of any transfer) does not count against its throughput.
const pushChild = (path) => `
const { pushPackage } = require(${JSON.stringify(join(root, 'out', 'src', 'core', 'publish', 'push.js'))});
const start = performance.now();
pushPackage({ packagePath: ${JSON.stringify(path)}, url: ${JSON.stringify(url)}, apiKey: 'bench', id: 'Bench', version: '1.0.0', feedName: 'bench' })
  .then(() => console.log(JSON.stringify({ ms: performance.now() - start, maxRssMb: process.resourceUsage().maxRSS / 1024 })));`;

if (!existsSync(join(root, 'out', 'src', 'core', 'publish', 'push.js'))) {
  spawnSync('npm', ['run', '--silent', 'compile-tests'], { cwd: root, stdio: 'inherit' });
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const big = bigFile(200);
const ours = [];
const oursWall = [];
const curl = [];
const rss200 = [];
for (let run = 0; run < RUNS; run++) {
  const result = await runAsync(process.execPath, ['-e', pushChild(big)]);
  const report = JSON.parse(result.stdout);
  ours.push(report.ms);
  oursWall.push(result.ms);
  rss200.push(report.maxRssMb);
  curl.push((await runAsync('curl', ['-s', '-o', '/dev/null', '-T', big, '-H', 'X-NuGet-ApiKey: bench', url])).ms);
}
const small = JSON.parse((await runAsync(process.execPath, ['-e', pushChild(bigFile(50))])).stdout).maxRssMb;
server.close();
const mbps = (ms) => (200 / (ms / 1000)).toFixed(0);
console.log(`\npush: 200 MB to a loopback server, median of ${RUNS}`);
console.log(`ours (multipart PUT)   ${median(ours).toFixed(0).padStart(6)} ms  ${mbps(median(ours))} MB/s   (whole process with Node start-up: ${median(oursWall).toFixed(0)} ms)   peak RSS ${median(rss200).toFixed(0)} MB (50 MB package: ${small.toFixed(0)} MB)`);
console.log(`curl -T                ${median(curl).toFixed(0).padStart(6)} ms  ${mbps(median(curl))} MB/s`);
const ratio = median(curl) / median(ours);
console.log(`throughput ours / curl: ${ratio.toFixed(2)}x (goal ≥ 0.8x); RSS ${median(rss200) < small * 1.5 ? 'flat' : 'GROWS'} with package size`);
process.exitCode = ratio >= 0.8 && median(rss200) < small * 1.5 ? 0 : 1;
