#!/usr/bin/env node
// Whole-process CLI benchmark (part of `npm run bench`): `node dist/cli.js inspect <file>` as CI and
// scripts run it, against NuGet's own PackageArchiveReader in a .NET console app (the fidelity
// test's C# helper, test/fidelity/NuGetReader) on the same file: the largest package of the
// real-package corpus and the generated 10,000-entry package. Runs alternate (ours, NuGet, ours…),
// BENCH_CLI_RUNS each (default 9); prints medians, peak RSS and the ratio. Also prints the shipped
// bundle sizes.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Math.max(7, Number(process.env.BENCH_CLI_RUNS ?? 9));
const cache = process.env.NUGET_PUBLISHER_CACHE ?? join(homedir(), '.cache', 'nuget-publisher');
const reader = join(root, 'out', 'fidelity', 'reader', 'NuGetReader.dll');

/** The largest .nupkg under a folder (the corpus that `dotnet restore` fetched for the fidelity test). */
function largest(folder) {
  let best;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (entry.name.endsWith('.nupkg')) {
        const size = statSync(path).size;
        if (!best || size > best.size) {
          best = { path, size };
        }
      }
    }
  };
  if (existsSync(folder)) {
    walk(folder);
  }
  return best?.path;
}

/** Wall time and peak RSS of one process, measured by GNU time (the process's own maxRSS). */
function run(command, args) {
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.slice(-500)}`);
  }
  const rssKb = Number(result.stderr.trim().split('\n').pop());
  return { ms, mib: rssKb / 1024 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function compare(label, file) {
  const ours = [];
  const nuget = [];
  run(join(root, 'dist', 'cli.js'), ['inspect', file]); // warm the page cache
  run('dotnet', [reader, file]);
  for (let i = 0; i < RUNS; i++) {
    ours.push(run(join(root, 'dist', 'cli.js'), ['inspect', file]));
    nuget.push(run('dotnet', [reader, file]));
  }
  const o = { ms: median(ours.map((r) => r.ms)), mib: median(ours.map((r) => r.mib)) };
  const n = { ms: median(nuget.map((r) => r.ms)), mib: median(nuget.map((r) => r.mib)) };
  console.log(`${label.padEnd(44)} ours ${o.ms.toFixed(0).padStart(5)} ms ${o.mib.toFixed(0).padStart(4)} MiB | NuGet.Packaging ${n.ms.toFixed(0).padStart(5)} ms ${n.mib.toFixed(0).padStart(4)} MiB | ratio ${(o.ms / n.ms).toFixed(2)}× time`);
  return o.ms / n.ms;
}

if (!existsSync(join(root, 'dist', 'cli.js'))) {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}
console.log(`\nCLI as a whole process: inspect, median of ${RUNS} alternating runs (node ${process.version})`);
const node = median(Array.from({ length: RUNS }, () => run(process.execPath, ['-e', '0']).ms));
console.log(`${'node -e 0 (Node.js start alone)'.padEnd(44)} ${node.toFixed(0).padStart(10)} ms`);
if (!existsSync(reader)) {
  console.log('NuGet.Packaging reader not built (it is built by the fidelity test: npm run test:integration); skipped.');
} else {
  const ratios = [];
  const corpus = largest(join(cache, 'corpus', 'packages'));
  if (corpus) {
    ratios.push(compare(`largest corpus package (${(statSync(corpus).size / 1048576).toFixed(0)} MB)`, corpus));
  } else {
    console.log('real-package corpus not fetched yet (npm run test:integration fetches it); skipped.');
  }
  const generated = (existsSync(join(root, 'out', 'bench')) ? readdirSync(join(root, 'out', 'bench')) : []).filter((name) => name.endsWith('.nupkg')).map((name) => join(root, 'out', 'bench', name))[0];
  if (generated) {
    ratios.push(compare('generated 10,000-entry package', generated));
  }
  const worst = Math.max(...ratios);
  console.log(`target (whole-process inspect ≤ 0.8× NuGet.Packaging): ${worst <= 0.8 ? 'met' : 'NOT met'} (worst ${worst.toFixed(2)}×)`);
}
const kb = (path) => (existsSync(path) ? `${(statSync(path).size / 1024).toFixed(0)} KB` : 'missing');
const extensionBytes = statSync(join(root, 'dist', 'extension.js')).size;
console.log(`bundles (minified, source maps external): dist/extension.js ${kb(join(root, 'dist', 'extension.js'))} (target ≤ 1024 KB: ${extensionBytes <= 1024 * 1024 ? 'met' : 'NOT met'}), dist/cli-inspect.js ${kb(join(root, 'dist', 'cli-inspect.js'))} (what inspect loads), dist/cli-main.js ${kb(join(root, 'dist', 'cli-main.js'))} (the other verbs)`);
