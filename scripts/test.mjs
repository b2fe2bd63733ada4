#!/usr/bin/env node
// `npm test`: everything a fresh machine needs, then every test level.
//   1. npm ci (when node_modules is missing or stale), Debian chromium + code-server (scripts/setup-vscode.sh),
//      Mono + NuGet.exe 5.8 as the second reference packer (scripts/setup-mono.sh), nuget-server 1.11.0
//   2. build, typecheck, lint, compile tests
//   3. unit tests (node:test, plain Node, real dotnet pack fixtures)
//   4. extension-host tests in a real VS Code (code-server 1.100.3)
//   5. UI end-to-end tests (playwright-core + Chromium driving code-server, the .vsix installed)
// Ends with one line "N passed, N failed" over all levels.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

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
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  mustPass('install', npm, ['ci', '--no-audit', '--no-fund']);
}
mustPass('real VS Code + Chromium', 'bash', ['scripts/setup-vscode.sh']);
mustPass('NuGet.exe under Mono', 'bash', ['scripts/setup-mono.sh']);
const serverLock = join(root, 'test', 'servers', 'nuget-server', 'package-lock.json');
const serverInstalled = join(root, 'test', 'servers', 'nuget-server', 'node_modules', '.package-lock.json');
if (!existsSync(serverInstalled) || statSync(serverInstalled).mtimeMs < statSync(serverLock).mtimeMs) {
  mustPass('nuget-server 1.11.0 (test server)', npm, ['ci', '--no-audit', '--no-fund', '--prefix', 'test/servers/nuget-server']);
}
mustPass('build', process.execPath, ['esbuild.mjs']);
mustPass('typecheck', npm, ['run', '--silent', 'typecheck']);
mustPass('lint', npm, ['run', '--silent', 'lint']);
mustPass('compile tests', npm, ['run', '--silent', 'compile-tests']);

let passed = 0;
let failed = 0;
const unit = run('unit tests', process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', '--test-reporter-destination=out/unit.tap', ...listTests()], { capture: true });
const tap = existsSync('out/unit.tap') ? (await import('node:fs')).readFileSync('out/unit.tap', 'utf8') : '';
const unitPass = Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
const unitFail = Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(tap)?.[1] ?? 0);
passed += unitPass;
failed += unitFail + (unit.status !== 0 && unitFail === 0 ? 1 : 0);

for (const [label, script, tag] of [
  ['extension-host tests (code-server)', 'out/test/runExtensionTests.js', 'extension-host'],
  ['UI end-to-end tests (code-server + Chromium)', 'out/test/e2e/inspector.e2e.js', 'e2e'],
]) {
  const result = run(label, process.execPath, [script], { capture: true });
  const match = new RegExp(`^${tag}: (\\d+) passed, (\\d+) failed`, 'm').exec(result.stdout ?? '');
  passed += Number(match?.[1] ?? 0);
  failed += Number(match?.[2] ?? 0) + (result.status !== 0 && (!match || match[2] === '0') ? 1 : 0);
}

console.log(`\nunit ${unitPass} passed / ${unitFail} failed; see above for the other levels.`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

function listTests() {
  const dir = join(root, 'out', 'test', 'unit');
  return (existsSync(dir) ? spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.split('\n') : [])
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => join('out', 'test', 'unit', name));
}
