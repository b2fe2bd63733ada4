#!/usr/bin/env node
// Publish-plan benchmark (part of `npm run bench`): 30 and 100 small packages pushed to a loopback
// V3 server that answers every request 50 ms late (a distant feed), by our CLI's publish-plan
// (--parallel 4, dependency waves) and by `dotnet nuget push "folder/*.nupkg"` (one after
// another), each measured whole-process in the same run: wall time, CPU (user + system) and peak
// RSS from GNU time. A fresh server per run, so every push is a first push (201).
// Targets: 30 packages in ≤ 0.6× and 100 packages in ≤ 0.4× dotnet's time.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LATENCY_MS = 50;
const KEY = 'bench-plan-key';

const { startV3Server } = await import(join(root, 'out', 'test', 'servers', 'v3Server.js'));
const { makePackage } = await import(join(root, 'out', 'test', 'helpers', 'makePackage.js'));

/** count packages: a chain of dependencies every tenth package, the rest independent. */
function packages(count) {
  const folder = join(root, 'out', 'bench-plan', `p${count}`);
  if (!existsSync(join(folder, 'done'))) {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    for (let index = 0; index < count; index++) {
      const dependencies = index % 10 === 9 ? { [`Bench.Plan${index - 1}`]: '1.0.0' } : {};
      makePackage(folder, `Bench.Plan${index}`, '1.0.0', { dependencies, files: { 'lib/net8.0/Lib.dll': 'x'.repeat(20_000 + index) } });
    }
    writeFileSync(join(folder, 'done'), '');
  }
  return folder;
}

/** Runs a command under GNU time; resolves with wall ms, CPU ms and peak RSS MiB. */
function measured(command, args, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', 'NP_TIME %U %S %M', command, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const match = /NP_TIME ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      if (code !== 0 || !match) {
        reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(-1500)}`));
        return;
      }
      resolve({ wallMs, cpuMs: (Number(match[1]) + Number(match[2])) * 1000, rssMb: Number(match[3]) / 1024 });
    });
  });
}

async function onFreshServer(body) {
  const server = await startV3Server({ latencyMs: LATENCY_MS });
  try {
    const result = await body(server);
    return { ...result, pushes: server.requests.filter((request) => request.method === 'PUT').length };
  } finally {
    await server.close();
  }
}

function dotnetConfig(server) {
  const folder = join(root, 'out', 'bench-plan', `config-${server.base.split(':').pop()}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'NuGet.Config'), `<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="bench" value="${server.index}" allowInsecureConnections="true" /></packageSources></configuration>`);
  return join(folder, 'NuGet.Config');
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const dotnetEnv = { DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1' };
const rows = [];
for (const count of [30, 100]) {
  const folder = packages(count);
  const ours = [];
  const theirs = [];
  for (let run = 0; run < RUNS; run++) {
    // Alternating, so a machine that gets busier slows both alike.
    theirs.push(await onFreshServer((server) => measured('dotnet', ['nuget', 'push', join(folder, '*.nupkg'), '-s', 'bench', '-k', KEY, '--configfile', dotnetConfig(server)], dotnetEnv)));
    ours.push(await onFreshServer((server) => measured(process.execPath, [join(root, 'dist', 'cli.js'), 'publish-plan', folder, '--source', server.index, '--parallel', '4'], { NUGET_API_KEY: KEY })));
  }
  for (const [name, list] of [['ours', ours], ['dotnet', theirs]]) {
    if (list.some((result) => result.pushes !== count)) {
      throw new Error(`${name} pushed ${list.map((result) => result.pushes).join('/')} packages of ${count}`);
    }
  }
  const summary = (list) => ({ wallMs: median(list.map((result) => result.wallMs)), cpuMs: median(list.map((result) => result.cpuMs)), rssMb: median(list.map((result) => result.rssMb)) });
  rows.push({ count, ours: summary(ours), dotnet: summary(theirs) });
}
console.log(`\npublish-plan: ${RUNS} runs each, a loopback V3 server answering ${LATENCY_MS} ms late, medians (whole process):`);
let met = true;
for (const { count, ours, dotnet } of rows) {
  const ratio = ours.wallMs / dotnet.wallMs;
  const target = count >= 100 ? 0.4 : 0.6;
  met &&= ratio <= target;
  console.log(`${String(count).padStart(4)} packages: ours (--parallel 4) ${ours.wallMs.toFixed(0)} ms, CPU ${ours.cpuMs.toFixed(0)} ms, peak ${ours.rssMb.toFixed(0)} MiB; dotnet nuget push glob ${dotnet.wallMs.toFixed(0)} ms, CPU ${dotnet.cpuMs.toFixed(0)} ms, peak ${dotnet.rssMb.toFixed(0)} MiB; ratio ${ratio.toFixed(2)}× (target ≤ ${target}×: ${ratio <= target ? 'met' : 'NOT met'})`);
}
process.exitCode = met ? 0 : 1;
