/**
 * The test runner cannot report green on nothing. scripts/levels.mjs (what `npm test` runs each
 * node:test level with) is run here on generated test folders: empty, stale results, a hung test,
 * a level past its deadline, skips, an early return, and output far beyond 1 MiB.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/dotnetFixtures';
import { tempDir } from '../helpers/temp';

interface LevelRun {
  readonly status: number | null;
  readonly output: string;
  /** The closing line "N passed, N failed, N skipped, N warnings". */
  readonly summary: string;
}

/** Runs one node:test level over a folder holding `files` (name → CommonJS source). */
function runLevel(files: Record<string, string>, options: { min?: number; testTimeoutMs?: number; fileTimeoutMs?: number; deadlineMs?: number; before?: (outDir: string) => void } = {}): LevelRun {
  const root = tempDir('np-level-');
  const folder = join(root, 'tests');
  const outDir = join(root, 'out');
  mkdirSync(folder, { recursive: true });
  mkdirSync(outDir, { recursive: true });
  for (const [name, source] of Object.entries(files)) {
    writeFileSync(join(folder, name), source);
  }
  options.before?.(outDir);
  const result = spawnSync(process.execPath, [
    join(REPO_ROOT, 'scripts', 'levels.mjs'), 'node', 'probe', folder, '--out', outDir,
    '--min', String(options.min ?? 1), '--test-timeout', String(options.testTimeoutMs ?? 30_000),
    '--file-timeout', String(options.fileTimeoutMs ?? 60_000), '--deadline', String(options.deadlineMs ?? 90_000),
  ], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  const output = `${result.stdout}${result.stderr}`;
  const summary = result.stdout.trimEnd().split('\n').pop() ?? '';
  return { status: result.status, output, summary };
}

const HEADER = "const { it, describe } = require('node:test');\nconst { strict: assert } = require('node:assert');\n";

describe('the test runner (scripts/levels.mjs)', () => {
  it('an empty test folder fails the level, and stale results of an earlier run are not counted', () => {
    const run = runLevel({}, {
      // An earlier run's TAP file claiming 999 passes: removed before the level runs.
      before: (outDir) => writeFileSync(join(outDir, 'probe.tap'), 'TAP version 13\n# tests 999\n# pass 999\n# fail 0\n'),
    });
    assert.equal(run.status, 1, run.output);
    assert.match(run.output, /probe: no test files \(\*\.test\.js\)/);
    assert.match(run.output, /probe: ran 0 tests, fewer than its minimum of 1/);
    assert.equal(run.summary, '0 passed, 2 failed, 0 skipped, 0 warnings');
  });

  it('fewer tests than the minimum fail the level even when every test passed', () => {
    const run = runLevel({ 'a.test.js': `${HEADER}it('one', () => assert.equal(1, 1));\n` }, { min: 3 });
    assert.equal(run.status, 1, run.output);
    assert.match(run.output, /probe: ran 1 tests, fewer than its minimum of 3/);
    assert.equal(run.summary, '1 passed, 1 failed, 0 skipped, 0 warnings');
  });

  it('skipped and todo tests are counted in the closing line; a test that asserted nothing (an early return) fails', () => {
    const run = runLevel({
      'a.test.js': `${HEADER}const { before } = require('node:test');
let prepared = false;
before(() => { prepared = true; });
describe('group', () => {
  it('passes, after its hook ran', () => assert.ok(prepared));
  it('skipped', { skip: 'not here' }, () => assert.ok(true));
  it('todo', { todo: true }, () => assert.ok(true));
  it('returns early', () => { if (Date.now() > 0) { return; } assert.ok(true); });
  it('with subtests', async (t) => { await t.test('inner', () => assert.ok(true)); });
});\n`,
    });
    assert.equal(run.status, 1, run.output);
    assert.match(run.output, /returns early[\s\S]*this test made no assertion/);
    // passes, with subtests, inner; returns early failed; skipped + todo.
    assert.equal(run.summary, '3 passed, 1 failed, 2 skipped, 0 warnings');
  });

  it('a hung test fails under its own name within its timeout; the rest of the file still reports', () => {
    const run = runLevel({
      'a.test.js': `${HEADER}it('quick', () => assert.ok(true));
it('hangs forever', () => new Promise(() => { setInterval(() => {}, 1000); }));
it('after the hang', () => assert.ok(true));\n`,
    }, { testTimeoutMs: 1_500, fileTimeoutMs: 5_000 });
    assert.equal(run.status, 1, run.output);
    assert.match(run.output, /✖ hangs forever[^\n]*\n\s+'test timed out after 1500ms'/);
    assert.match(run.summary, /^2 passed, [1-9]\d* failed, 0 skipped, 0 warnings$/);
  });

  it('a level still running at its deadline is stopped, and the tests that never ended are named', () => {
    const started = Date.now();
    const run = runLevel({
      'a.test.js': `${HEADER}it('done', () => assert.ok(true));
it('waits on a server that never answers', { timeout: 600000 }, () => new Promise(() => { setInterval(() => {}, 1000); }));\n`,
    }, { deadlineMs: 8_000 });
    assert.equal(run.status, 1, run.output);
    assert.match(run.output, /probe: still running after the level's deadline of 8 s, stopped; unfinished: .*a\.test\.js › waits on a server that never answers/);
    assert.ok(Date.now() - started < 60_000, 'stopped at the deadline, not at the test\'s own timeout');
  });

  it('output far beyond 1 MiB neither kills the level nor loses its counts; warnings are counted', () => {
    const run = runLevel({
      'a.test.js': `${HEADER}it('prints 4 MB', () => { for (let i = 0; i < 4096; i++) { process.stdout.write('x'.repeat(1023) + '\\n'); } assert.ok(true); });
it('warns', () => { console.log('warning: a workaround happened'); assert.ok(true); });\n`,
    });
    assert.equal(run.status, 0, run.output.slice(-3000));
    assert.equal(run.summary, '2 passed, 0 failed, 0 skipped, 1 warnings');
    // Streamed to the console in full, even to a slow pipe: the runner exits only once it has flushed.
    assert.equal(run.output.split('\n').filter((line) => line === 'x'.repeat(1023)).length, 4096);
  });
});
