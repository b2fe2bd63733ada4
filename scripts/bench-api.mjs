#!/usr/bin/env node
// API diff benchmark (part of `npm run bench`):
// - the largest package of the real-package corpus (by assembly bytes) diffed against itself, in
//   process: every assembly's public API read and compared. Target: under 1 s.
// - the three largest real version pairs of the ApiCompat oracle, whole process: our CLI's
//   `diff OLD NEW --json` against `apicompat package NEW --baseline-package OLD`
//   (Microsoft.DotNet.ApiCompat.Tool), measured in the same run; medians of BENCH_RUNS.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const { corpusPackages } = await import(join(root, 'out', 'test', 'helpers', 'corpus.js'));
const { apiPairPackages, apiCompatTool } = await import(join(root, 'out', 'test', 'helpers', 'apiCompat.js'));
const { openPackage } = await import(join(root, 'out', 'src', 'core', 'nupkg', 'package.js'));
const { comparePackageApis } = await import(join(root, 'out', 'src', 'core', 'api', 'packageApi.js'));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Bytes of the assemblies an API diff reads (lib/, ref/, runtimes/). */
async function assemblyBytes(path) {
  const pkg = await openPackage(path);
  try {
    return pkg.files.filter((file) => /\.(dll|exe)$/i.test(file.path) && ['lib', 'ref', 'runtimes'].includes(file.role)).reduce((sum, file) => sum + file.size, 0);
  } finally {
    await pkg.close();
  }
}

let largest;
for (const entry of corpusPackages()) {
  const bytes = await assemblyBytes(entry.path);
  if (!largest || bytes > largest.bytes) {
    largest = { ...entry, bytes };
  }
}
const inProcess = [];
for (let run = 0; run < RUNS; run++) {
  const [left, right] = [await openPackage(largest.path), await openPackage(largest.path)];
  const started = performance.now();
  const diff = await comparePackageApis(left, right);
  inProcess.push(performance.now() - started);
  await Promise.all([left.close(), right.close()]);
  if (diff.breaking.length > 0) {
    throw new Error(`${largest.id} against itself reported ${diff.breaking.length} breaks`);
  }
}
const inProcessMs = median(inProcess);
// The median of the runs, the first included: it runs cold (the compiler has not yet optimized
// the reader, the heap is still small), as a new analysis worker's or the CLI's one diff does.
console.log(`API diff, largest corpus package ${largest.id} ${largest.version} (${(largest.bytes / 1048576).toFixed(1)} MB of assemblies) against itself, in process: ${inProcessMs.toFixed(0)} ms, median of ${RUNS} (runs: ${inProcess.map((ms) => ms.toFixed(0)).join(', ')} ms; the first cold) (target < 1000 ms: ${inProcessMs < 1000 ? 'met' : 'NOT met'})`);

const tool = apiCompatTool();
const pairs = [];
for (const pair of apiPairPackages()) {
  pairs.push({ ...pair, bytes: statSync(pair.older).size + statSync(pair.newer).size });
}
pairs.sort((a, b) => b.bytes - a.bytes);
const wall = (command, args) => {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  }
  return performance.now() - started;
};
let worst = 0;
for (const pair of pairs.slice(0, 3)) {
  const ours = median(Array.from({ length: RUNS }, () => wall(process.execPath, [join(root, 'dist', 'cli.js'), 'diff', pair.older, pair.newer, '--json'])));
  // With a suppression file to write, ApiCompat exits 0 whatever it finds (as the oracle test runs it).
  const suppressions = join(root, 'out', 'bench-api-suppressions.xml');
  const theirs = median(Array.from({ length: RUNS }, () => wall(tool, ['package', pair.newer, '--baseline-package', pair.older, '--generate-suppression-file', '--suppression-output-file', suppressions])));
  worst = Math.max(worst, ours / theirs);
  console.log(`API diff ${pair.id} ${pair.older.split('/').at(-2)} → ${pair.newer.split('/').at(-2)}: ours (CLI diff --json) ${ours.toFixed(0)} ms, ApiCompat ${theirs.toFixed(0)} ms, ratio ${(ours / theirs).toFixed(2)}x`);
}
process.exit(inProcessMs < 1000 && worst < 1 ? 0 : 1);
