#!/usr/bin/env node
// Pack benchmark (part of `npm run bench`): 2,000 small files plus one incompressible file,
// packed natively from a nuspec vs `zip -r -6` of the same tree (and NuGet.exe under Mono when
// `mono` and the nuget-exe package are present). Median of 3 wall times, peak RSS of our packer
// for a 50 MB and a 150 MB big file (it must not grow with the package size).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cachedNugetExe = join(process.env.NUGET_PUBLISHER_CACHE ?? join(homedir(), '.cache', 'nuget-publisher'), 'nuget-exe-5.8.0', 'node_modules', 'nuget-exe', 'nuget-5.8.0.exe');
const NUGET_EXE = process.env.NUGET_EXE ?? (existsSync(cachedNugetExe) ? cachedNugetExe : undefined);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const work = join(root, 'out', 'bench-pack');

const WORDS = 'namespace Contoso public static class void return string int var new if else for foreach using async await Task List Dictionary'.split(' ');
function sourceLike(seed, size) {
  let text = '';
  let n = seed;
  while (text.length < size) {
    n = (n * 1103515245 + 12345) & 0x7fffffff;
    text += WORDS[n % WORDS.length] + (n % 7 === 0 ? '\n' : ' ');
  }
  return text;
}

function makeTree(bigMb) {
  const tree = join(work, `tree-${bigMb}`);
  if (existsSync(join(tree, 'Bench.Pack.nuspec'))) {
    return tree;
  }
  rmSync(tree, { recursive: true, force: true });
  for (let i = 0; i < 2000; i++) {
    const folder = join(tree, 'content', `dir${String(i % 40).padStart(2, '0')}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `file${String(i).padStart(4, '0')}.cs`), sourceLike(i, 1000 + ((i * 37) % 7000)));
  }
  mkdirSync(join(tree, 'tools'), { recursive: true });
  const big = join(tree, 'tools', 'payload.bin');
  for (let chunk = 0; chunk < bigMb; chunk++) {
    writeFileSync(big, randomBytes(1024 * 1024), { flag: chunk === 0 ? 'w' : 'a' });
  }
  writeFileSync(join(tree, 'Bench.Pack.nuspec'), `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata><id>Bench.Pack</id><version>1.0.0</version>
<authors>Bench</authors><description>Pack benchmark.</description><license type="expression">MIT</license></metadata>
<files><file src="content/**" target="content" /><file src="tools/payload.bin" target="tools" /></files></package>`);
  return tree;
}

function timed(command, args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }
  return { ms, stdout: result.stdout };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const packChild = (tree, output) => `
const { packNuspec } = require(${JSON.stringify(join(root, 'out', 'src', 'core', 'pack', 'packNuspec.js'))});
packNuspec({ nuspecPath: ${JSON.stringify(join(tree, 'Bench.Pack.nuspec'))}, outputDir: ${JSON.stringify(output)} })
  .then((r) => console.log(JSON.stringify({ path: r.packagePath, maxRssMb: process.resourceUsage().maxRSS / 1024 })));`;

/** The CLI as an installed bin runs it (its shebang, with its V8 options): wall time and peak RSS (GNU time). */
function cliPack(tree, output) {
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', join(root, 'dist', 'cli.js'), 'pack', join(tree, 'Bench.Pack.nuspec'), '--output', output], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`CLI pack failed: ${result.stderr}`);
  }
  return { ms, mib: Number(result.stderr.trim().split('\n').pop()) / 1024 };
}

function benchTree(bigMb, compare) {
  const tree = makeTree(bigMb);
  const ours = [];
  const rss = [];
  const cli = [];
  const zip = [];
  const nugetExe = [];
  for (let run = 0; run < RUNS; run++) {
    const output = join(work, `out-${bigMb}-${run}`);
    rmSync(output, { recursive: true, force: true });
    mkdirSync(output, { recursive: true });
    const result = timed(process.execPath, ['-e', packChild(tree, output)], root);
    ours.push(result.ms);
    rss.push(JSON.parse(result.stdout).maxRssMb);
    if (compare) {
      rmSync(output, { recursive: true, force: true });
      mkdirSync(output, { recursive: true });
      cli.push(cliPack(tree, output));
    }
    if (compare) {
      const zipFile = join(output, 'tree.zip');
      zip.push(timed('zip', ['-r', '-6', '-q', zipFile, '.'], tree).ms);
      if (NUGET_EXE && spawnSync('mono', ['--version']).status === 0) {
        nugetExe.push(timed('mono', [NUGET_EXE, 'pack', join(tree, 'Bench.Pack.nuspec'), '-BasePath', tree, '-OutputDirectory', output, '-NonInteractive'], tree).ms);
      }
    }
  }
  return { ours: median(ours), rss: median(rss), cliMs: cli.length ? median(cli.map((run) => run.ms)) : undefined, cliMib: cli.length ? median(cli.map((run) => run.mib)) : undefined, zip: zip.length ? median(zip) : undefined, nugetExe: nugetExe.length ? median(nugetExe) : undefined };
}

if (!existsSync(join(root, 'out', 'src', 'core', 'pack', 'packNuspec.js'))) {
  spawnSync('npm', ['run', '--silent', 'compile-tests'], { cwd: root, stdio: 'inherit' });
}
mkdirSync(work, { recursive: true });
console.log(`\npack: 2,000 small files (1-8 kB, source-like) + one incompressible file; median of ${RUNS}`);
const small = benchTree(50, true);
console.log(`ours (native pack)     ${small.ours.toFixed(0).padStart(6)} ms   peak RSS ${small.rss.toFixed(0)} MB (in a plain node process)`);
console.log(`CLI pack (as installed) ${small.cliMs.toFixed(0).padStart(5)} ms   peak RSS ${small.cliMib.toFixed(0)} MiB (goal ≤ 64 MiB at ≤ 0.5x zip -r -6: ${(small.cliMs / small.zip).toFixed(2)}x)`);
console.log(`zip -r -6              ${small.zip.toFixed(0).padStart(6)} ms`);
console.log(`ratio ours / zip -r -6: ${(small.ours / small.zip).toFixed(2)}x (goal ≤ 1.0x)`);
if (small.nugetExe) {
  console.log(`NuGet.exe pack (Mono)  ${small.nugetExe.toFixed(0).padStart(6)} ms   ratio NuGet.exe / ours: ${(small.nugetExe / small.ours).toFixed(2)}x (goal ≥ 2x)`);
} else {
  console.log('NuGet.exe pack (Mono): not measured (run bash scripts/setup-mono.sh, or set NUGET_EXE)');
}
const large = benchTree(150, false);
console.log(`peak RSS with a 150 MB big file: ${large.rss.toFixed(0)} MB (50 MB: ${small.rss.toFixed(0)} MB) — ${large.rss < small.rss * 1.5 ? 'flat' : 'GROWS'} with package size`);
const ok = small.ours <= small.zip && small.cliMib <= 64 && small.cliMs <= 0.5 * small.zip && large.rss < small.rss * 1.5 && (small.nugetExe === undefined || small.nugetExe >= 2 * small.ours);
console.log(`pack targets: ${ok ? 'met' : 'NOT met'}`);
process.exitCode = ok ? 0 : 1;
