#!/usr/bin/env node
// Stability proof (not part of `npm test`): runs the extension-host and E2E levels N times while
// another process keeps one core busy, then prints how often each test passed.
//   node scripts/soak.mjs [runs=5] [--no-hog]
// Needs what `npm test` installs (run it once first). Exits non-zero if any test failed in any run.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const runs = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 5);
const hog = !process.argv.includes('--no-hog');

for (const [command, args] of [[process.execPath, ['esbuild.mjs']], ['npm', ['run', '--silent', 'compile-tests']]]) {
  if (spawnSync(command, args, { stdio: 'inherit' }).status !== 0) {
    process.exit(2);
  }
}

// One core busy for the whole soak: a child spinning in a loop (killed at the end).
const hogProcess = hog ? spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }) : undefined;
const counts = new Map();
const warnings = [];
const started = Date.now();
try {
  for (let run = 1; run <= runs; run++) {
    for (const [level, script] of [['extension-host', 'out/test/runExtensionTests.js'], ['e2e', 'out/test/e2e/run.js']]) {
      const began = Date.now();
      const result = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, maxBuffer: 64 * 1024 * 1024 });
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
      let seen = 0;
      for (const line of output.split('\n')) {
        const match = /^(ok|not ok) - (.+?)(?: \(\d+ ms\))?$/.exec(line);
        if (match) {
          seen++;
          const key = `${level}: ${match[2]}`;
          const entry = counts.get(key) ?? { passed: 0, runs: 0 };
          entry.runs++;
          entry.passed += match[1] === 'ok' ? 1 : 0;
          counts.set(key, entry);
        }
        if (/^warning: /i.test(line)) {
          warnings.push(`run ${run} ${level}: ${line}`);
        }
      }
      if (seen === 0 || result.status !== 0) {
        const key = `${level}: the runner itself (exit ${result.status})`;
        const entry = counts.get(key) ?? { passed: 0, runs: 0 };
        entry.runs++;
        entry.passed += result.status === 0 ? 1 : 0;
        counts.set(key, entry);
      }
      console.log(`run ${run}/${runs} ${level}: exit ${result.status} in ${((Date.now() - began) / 1000).toFixed(0)} s`);
      if (result.status !== 0) {
        // What failed, so a failing run can be understood without running it again.
        const lines = output.split('\n');
        const failing = lines.flatMap((line, index) => (/^not ok/.test(line) ? lines.slice(index, index + 5) : [])).slice(0, 30);
        console.log((failing.length ? failing : output.trim().split('\n').slice(-15)).map((line) => `    ${line}`).join('\n'));
      }
    }
  }
} finally {
  hogProcess?.kill('SIGKILL');
}

console.log(`\nsoak: ${runs} runs${hog ? ' with one core busy' : ''}, ${((Date.now() - started) / 60000).toFixed(1)} min`);
let unstable = 0;
for (const [test, { passed, runs: seen }] of [...counts.entries()].sort()) {
  const stable = passed === runs && seen === runs;
  unstable += stable ? 0 : 1;
  console.log(`${stable ? '  ' : '!!'} ${passed}/${runs}  ${test}`);
}
for (const warning of warnings) {
  console.log(`warning (counted): ${warning}`);
}
console.log(`${counts.size - unstable} stable, ${unstable} unstable, ${warnings.length} warnings (retries that recovered; listed above)`);
process.exit(unstable === 0 ? 0 : 1);
