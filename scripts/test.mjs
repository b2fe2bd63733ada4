#!/usr/bin/env node
// `npm test`: everything a fresh machine needs, then every test level. One level alone:
// `node scripts/test.mjs unit` (or integration, extension-host, e2e; several may be named).
//   unit            plain Node, no processes, no network (test/unit)
//   integration     real dotnet, Mono/NuGet.exe, nuget-server, loopback test servers, the CLI (test/integration)
//   extension-host  the extension in a real VS Code (code-server 1.100.3) driven by mocha (test/suite)
//   e2e             the packaged .vsix in code-server, driven by Chromium like a person (test/e2e)
// Each level installs only what it needs: npm ci (when node_modules is missing or stale), then
// Mono + NuGet.exe 5.8 and nuget-server 1.11.0 for integration, Debian chromium + code-server
// (scripts/setup-vscode.sh) for the two VS Code levels. Each level is run and judged by
// scripts/levels.mjs (a minimum test count, per-test timeouts, a deadline, skips and warnings
// counted); the run ends with one line "N passed, N failed, N skipped, N warnings".
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitWhenFlushed, report, runNodeLevel, runRunnerLevel } from './levels.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const LEVELS = ['unit', 'integration', 'extension-host', 'e2e'];
const requested = process.argv.slice(2);
const unknown = requested.filter((level) => !LEVELS.includes(level));
if (unknown.length > 0) {
  console.log(`unknown test level ${unknown.join(', ')}; the levels are ${LEVELS.join(', ')}`);
  process.exit(2);
}
const levels = requested.length > 0 ? LEVELS.filter((level) => requested.includes(level)) : LEVELS;

/** No preparation step (an install, the build) may hang the run. */
const PREPARATION_TIMEOUT_MS = 20 * 60_000;

/** A preparation step (install, build, compile): output straight to the console. */
function run(label, command, args) {
  const started = Date.now();
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' }, timeout: PREPARATION_TIMEOUT_MS, killSignal: 'SIGKILL' });
  console.log(`=== ${label}: ${result.error ? `${result.error.message}, ` : ''}exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function mustPass(label, command, args) {
  const result = run(label, command, args);
  if (result.status !== 0) {
    console.log(`\n${label} failed: stopping.\n0 passed, 1 failed, 0 skipped, 0 warnings`);
    process.exit(1);
  }
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const stale = (lock, installed) => !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;
if (stale(join(root, 'package-lock.json'), join(root, 'node_modules', '.package-lock.json'))) {
  mustPass('install', npm, ['ci', '--no-audit', '--no-fund']);
}
if (levels.includes('integration')) {
  mustPass('NuGet.exe under Mono', 'bash', ['scripts/setup-mono.sh']);
  if (stale(join(root, 'test', 'servers', 'nuget-server', 'package-lock.json'), join(root, 'test', 'servers', 'nuget-server', 'node_modules', '.package-lock.json'))) {
    mustPass('nuget-server 1.11.0 (test server)', npm, ['ci', '--no-audit', '--no-fund', '--prefix', 'test/servers/nuget-server']);
  }
}
if (levels.includes('integration') || levels.includes('extension-host')) {
  mustPass('squid (the proxy tests)', 'bash', ['scripts/setup-squid.sh']);
}
if (levels.includes('extension-host') || levels.includes('e2e')) {
  mustPass('real VS Code + Chromium', 'bash', ['scripts/setup-vscode.sh']);
}
mustPass('build', process.execPath, ['esbuild.mjs']);
// The full run checks types and lint; a single level runs its tests only (quick iterations).
if (requested.length === 0) {
  mustPass('typecheck', npm, ['run', '--silent', 'typecheck']);
  mustPass('lint', npm, ['run', '--silent', 'lint']);
}
// A clean out/test: a test file moved between levels must not run twice from an old build.
rmSync(join(root, 'out', 'test'), { recursive: true, force: true });
mustPass('compile tests', npm, ['run', '--silent', 'compile-tests']);

/**
 * Each level's floor and bounds. The minimum is the number of tests the level has today: a level
 * that runs fewer (a file that no longer loads, an empty folder) fails; change it only on purpose.
 * testTimeoutMs bounds each node:test test and hook unless it sets its own; fileTimeoutMs one
 * test file; deadlineMs the whole level (then the tests still running are named).
 */
const LIMITS = {
  unit: { minTests: 162, testTimeoutMs: 60_000, fileTimeoutMs: 5 * 60_000, deadlineMs: 10 * 60_000 },
  integration: { minTests: 256, testTimeoutMs: 10 * 60_000, fileTimeoutMs: 20 * 60_000, deadlineMs: 45 * 60_000 },
  'extension-host': { minTests: 57, deadlineMs: 25 * 60_000 },
  e2e: { minTests: 21, deadlineMs: 30 * 60_000 },
};

const results = [];
for (const level of levels) {
  console.log(`\n=== ${level} tests`);
  const limits = LIMITS[level];
  const result = level === 'unit' || level === 'integration'
    ? await runNodeLevel({ level, folder: join('out', 'test', level), outDir: 'out', ...limits })
    : await runRunnerLevel({ level, script: level === 'extension-host' ? 'out/test/runExtensionTests.js' : 'out/test/e2e/run.js', tag: level, ...limits });
  console.log(`=== ${level} tests: ${result.failed === 0 && result.problems.length === 0 ? 'passed' : 'FAILED'} in ${result.seconds.toFixed(1)} s`);
  results.push(result);
}
exitWhenFlushed(report(results));
