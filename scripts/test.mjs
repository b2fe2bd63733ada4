#!/usr/bin/env node
// `npm test`: everything a fresh machine needs, then every test level. One level alone:
// `node scripts/test.mjs unit` (or integration, extension-host, e2e; several may be named).
//   unit            plain Node, no processes, no network (test/unit)
//   integration     real dotnet, Mono/NuGet.exe, nuget-server, loopback test servers, the CLI (test/integration)
//   extension-host  the extension in a real VS Code (code-server 1.100.3) driven by mocha (test/suite)
//   e2e             the packaged .vsix in code-server, driven by Chromium like a person (test/e2e)
// Each level installs only what it needs: npm ci (when node_modules is missing or stale), then
// Mono + NuGet.exe 5.8 and nuget-server 1.11.0 for integration, Debian chromium + code-server
// (scripts/setup-vscode.sh) for the two VS Code levels. Ends with one line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

function run(label, command, args, { capture = false } = {}) {
  const started = Date.now();
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  if (capture) {
    process.stdout.write(result.stdout ?? '');
  }
  console.log(`=== ${label}: exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function mustPass(label, command, args) {
  const result = run(label, command, args);
  if (result.status !== 0) {
    console.log(`\n${label} failed: stopping.\n0 passed, 1 failed`);
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

const totals = [];

/** node:test over one folder; counts from its TAP file (cancelled tests count as failed). */
function nodeTestLevel(level) {
  const tapFile = join('out', `${level}.tap`);
  const result = run(`${level} tests`, process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tapFile}`, join('out', 'test', level) + '/'], { capture: true });
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  const passed = Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
  const failed = Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(tap)?.[1] ?? 0);
  totals.push({ level, passed, failed: failed + (result.status !== 0 && failed === 0 ? 1 : 0) });
}

/** A runner that prints "<tag>: N passed, N failed". */
function runnerLevel(level, script, tag) {
  const result = run(`${level} tests`, process.execPath, [script], { capture: true });
  const match = new RegExp(`^${tag}: (\\d+) passed, (\\d+) failed`, 'm').exec(result.stdout ?? '');
  const passed = Number(match?.[1] ?? 0);
  const failed = Number(match?.[2] ?? 0) + (result.status !== 0 && (!match || match[2] === '0') ? 1 : 0);
  totals.push({ level, passed, failed });
}

for (const level of levels) {
  if (level === 'unit' || level === 'integration') {
    nodeTestLevel(level);
  } else if (level === 'extension-host') {
    runnerLevel(level, 'out/test/runExtensionTests.js', 'extension-host');
  } else {
    runnerLevel(level, 'out/test/e2e/run.js', 'e2e');
  }
}

console.log('');
for (const { level, passed, failed } of totals) {
  console.log(`${level}: ${passed} passed / ${failed} failed`);
}
const passed = totals.reduce((sum, level) => sum + level.passed, 0);
const failed = totals.reduce((sum, level) => sum + level.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
