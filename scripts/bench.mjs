#!/usr/bin/env node
// `npm run bench` (not a test): opening a generated 200 MB / 10,000-entry package with our
// random-access reader vs JSZip.loadAsync on the same file. Each run is a fresh child process so
// peak RSS is its own; prints medians and ratios. Sizes can be changed with BENCH_MB / BENCH_ENTRIES.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MB = Number(process.env.BENCH_MB ?? 200);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const folder = join(root, 'out', 'bench');
const file = join(folder, `Bench.Package.${MB}mb.${ENTRIES}.nupkg`);

if (!existsSync(join(root, 'out', 'src', 'core', 'inspect.js'))) {
  spawnSync('npm', ['run', '--silent', 'compile-tests'], { cwd: root, stdio: 'inherit' });
}
const { crc32 } = await import(join(root, 'out', 'src', 'core', 'nupkg', 'crc32.js'));

/** Writes a stored (uncompressed) zip entry by entry, streaming: nothing big is held in memory. */
function generate() {
  mkdirSync(folder, { recursive: true });
  const fd = openSync(`${file}.tmp`, 'w');
  const central = [];
  let offset = 0;
  const put = (buffer) => {
    writeSync(fd, buffer);
    offset += buffer.length;
  };
  const entry = (name, data) => {
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(nameBytes.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0); header.writeUInt16LE(20, 4); header.writeUInt16LE(20, 6); header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20); header.writeUInt32LE(data.length, 24); header.writeUInt16LE(nameBytes.length, 28); header.writeUInt32LE(offset, 42);
    central.push(header, nameBytes);
    put(local); put(nameBytes); put(data);
  };
  entry('Bench.Package.nuspec', Buffer.from(`<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata><id>Bench.Package</id><version>1.0.0</version>
<authors>Bench</authors><description>Benchmark package.</description><license type="expression">MIT</license></metadata></package>`));
  const perEntry = Math.floor((MB * 1024 * 1024) / (ENTRIES - 1));
  for (let i = 1; i < ENTRIES; i++) {
    entry(`lib/net8.0/payload/file${String(i).padStart(5, '0')}.bin`, randomBytes(perEntry));
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(ENTRIES, 8); end.writeUInt16LE(ENTRIES, 10);
  end.writeUInt32LE(directory.length, 12); end.writeUInt32LE(offset, 16);
  put(directory); put(end);
  closeSync(fd);
  spawnSync('mv', [`${file}.tmp`, file]);
}

if (!existsSync(file)) {
  console.log(`generating ${file} (${MB} MB, ${ENTRIES} entries)…`);
  generate();
}

// One child process per reader: it loads the modules, notes RSS, then opens the package and
// reads its nuspec WARM+1 times. The first open is "cold" (fresh V8: interpreter, small heap),
// the median of the others is "warm" (as in a running extension host). Peak RSS growth is the
// process's own maxRSS minus its RSS before the first open.
const WARM = Number(process.env.BENCH_WARM ?? 5);
const child = (reader) => `
const { performance } = require('node:perf_hooks');
const fs = require('node:fs');
const { openPackage } = require(${JSON.stringify(join(root, 'out', 'src', 'core', 'nupkg', 'package.js'))});
const JSZip = require(${JSON.stringify(join(root, 'node_modules', 'jszip'))});
async function once() {
  const start = performance.now();
  let id;
  if (${JSON.stringify(reader)} === 'ours') {
    const pkg = await openPackage(${JSON.stringify(file)});
    id = pkg.nuspec.nuspec.metadata.id + ', ' + pkg.files.length + ' files';
    await pkg.close();
  } else {
    const zip = await JSZip.loadAsync(fs.readFileSync(${JSON.stringify(file)}));
    const nuspec = await zip.file('Bench.Package.nuspec').async('string');
    id = (/<id>([^<]+)/.exec(nuspec) || [])[1] + ', ' + Object.keys(zip.files).length + ' files';
  }
  return { ms: performance.now() - start, id };
}
(async () => {
  global.gc && global.gc();
  const before = process.memoryUsage().rss;
  const cold = await once();
  const peak = process.resourceUsage().maxRSS * 1024;
  const warm = [];
  for (let i = 0; i < ${WARM}; i++) warm.push((await once()).ms);
  warm.sort((a, b) => a - b);
  console.log(JSON.stringify({ cold: cold.ms, warm: warm[Math.floor(warm.length / 2)], extraMb: (peak - before) / 1048576, id: cold.id }));
})();`;

function measure(reader) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const result = spawnSync(process.execPath, ['--expose-gc', '-e', child(reader)], { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`${reader} failed: ${result.stderr}`);
    }
    samples.push(JSON.parse(result.stdout));
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { cold: median(samples.map((s) => s.cold)), warm: median(samples.map((s) => s.warm)), extraMb: median(samples.map((s) => s.extraMb)), id: samples[0].id };
}

const size = statSync(file).size;
console.log(`package: ${(size / 1048576).toFixed(1)} MB, ${ENTRIES} entries; ${RUNS} processes per reader, medians; warm = median of ${WARM} opens after the first`);
const ours = measure('ours');
const jszip = measure('jszip');
const row = (name, m) => console.log(`${name.padEnd(22)} open+nuspec warm ${m.warm.toFixed(1).padStart(8)} ms   cold ${m.cold.toFixed(1).padStart(8)} ms   peak RSS +${m.extraMb.toFixed(1).padStart(7)} MB   (${m.id})`);
row('ours (random access)', ours);
row('JSZip.loadAsync', jszip);
console.log(`ratio (JSZip / ours): warm time ${(jszip.warm / ours.warm).toFixed(1)}x, cold time ${(jszip.cold / ours.cold).toFixed(1)}x, extra RSS ${(jszip.extraMb / Math.max(ours.extraMb, 0.1)).toFixed(1)}x`);
const ok = ours.warm <= 50 && ours.extraMb <= 30;
console.log(`target (warm open ≤ 50 ms, ≤ 30 MB extra RSS): ${ok ? 'met' : 'NOT met'}; cold first open in a fresh process: ${ours.cold.toFixed(1)} ms`);
const pack = spawnSync(process.execPath, [join(root, 'scripts', 'bench-pack.mjs')], { stdio: 'inherit' });
const push = spawnSync(process.execPath, [join(root, 'scripts', 'bench-push.mjs')], { stdio: 'inherit' });
const explorer = spawnSync(process.execPath, [join(root, 'scripts', 'bench-explorer.mjs')], { stdio: 'inherit' });
const cli = spawnSync(process.execPath, [join(root, 'scripts', 'bench-cli.mjs')], { stdio: 'inherit' });
const activation = spawnSync(process.execPath, [join(root, 'scripts', 'bench-activation.mjs')], { stdio: 'inherit' });
const plan = spawnSync(process.execPath, [join(root, 'scripts', 'bench-plan.mjs')], { stdio: 'inherit' });
const apiDiff = spawnSync(process.execPath, [join(root, 'scripts', 'bench-api.mjs')], { stdio: 'inherit' });
process.exit(ok && pack.status === 0 && push.status === 0 && explorer.status === 0 && cli.status === 0 && activation.status === 0 && plan.status === 0 && apiDiff.status === 0 ? 0 : 1);
