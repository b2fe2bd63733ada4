// One test level run as a child process, judged so that it cannot report green on nothing:
//   - its output is streamed (no buffer to overflow) and kept (tail) for parsing;
//   - it runs in its own process group under a deadline; past it the whole group is killed and the
//     tests still running are named (node:test levels: from the progress file test-guard.cjs writes);
//   - node:test levels get a per-test timeout, so one hung test fails with its own name;
//   - the TAP and progress files of an earlier run are removed first;
//   - skipped and todo tests are counted and shown, "warning: " lines are counted;
//   - fewer tests than the level's minimum is a failure, and so is a non-zero exit.
// Used by scripts/test.mjs; `node scripts/levels.mjs node <level> <folder> [--min N]
// [--test-timeout MS] [--file-timeout MS] [--deadline MS] [--out DIR]` runs one node:test folder
// alone (the runner's own tests do).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const TEST_GUARD = join(here, 'test-guard.cjs');
/** Output kept for parsing; the rest has already been streamed to the console. */
const KEEP_OUTPUT = 4 * 1024 * 1024;

/**
 * Runs `command args` in its own process group, streaming its output, until it exits or the
 * deadline passes (then SIGTERM to the group, SIGKILL 5 s later). Never rejects.
 */
export function runStreaming(command, args, { deadlineMs, env = process.env, cwd = process.cwd() } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    let output = '';
    let timedOut = false;
    // NODE_TEST_CONTEXT marks a process as a test file's: a level started from inside a test (the
    // runner's own tests) would otherwise skip running its files.
    const { NODE_TEST_CONTEXT: _ignored, ...clean } = env;
    const child = spawn(command, args, { cwd, env: { ...clean, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const take = (stream, sink) => stream.on('data', (chunk) => {
      sink.write(chunk);
      output += chunk.toString('utf8');
      if (output.length > KEEP_OUTPUT * 2) {
        output = output.slice(-KEEP_OUTPUT);
      }
    });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    const killGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    let killTimer;
    const deadline = deadlineMs ? setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), 5_000);
    }, deadlineMs) : undefined;
    const finish = (status, error) => {
      clearTimeout(deadline);
      clearTimeout(killTimer);
      // Whatever the level left running (servers, browsers) goes with it.
      killGroup('SIGKILL');
      resolve({ status, output, timedOut, error, seconds: (Date.now() - started) / 1000 });
    };
    child.on('error', (error) => finish(null, error));
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

/** The counts node:test writes at the end of its TAP output; undefined when there is no summary. */
export function tapCounts(tap) {
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)`, 'm').exec(tap)?.[1] ?? NaN);
  const counts = { tests: count('tests'), passed: count('pass'), failed: count('fail'), cancelled: count('cancelled'), skipped: count('skipped'), todo: count('todo') };
  return Number.isNaN(counts.tests) ? undefined : counts;
}

/** Tests that started and never ended, from the progress lines of test-guard.cjs ("start|end\tfile\tname"). */
export function unfinishedTests(progress) {
  const open = new Map();
  for (const line of progress.split('\n')) {
    const [event, file, name] = line.split('\t');
    if (!name) {
      continue;
    }
    const key = `${file}\t${name}`;
    if (event === 'start') {
      open.set(key, (open.get(key) ?? 0) + 1);
    } else if (event === 'end' && open.has(key)) {
      open.set(key, open.get(key) - 1);
      if (open.get(key) === 0) {
        open.delete(key);
      }
    }
  }
  return [...open.keys()].map((key) => key.replace('\t', ' › '));
}

/** The "warning: …" lines a level printed (retries and workarounds that happened). */
export function warningLines(output) {
  return output.split('\n').filter((line) => /^\s*warning: /.test(line)).map((line) => line.trim());
}

/** Compiled test files (*.test.js) under a folder, recursively. */
function testFiles(folder) {
  if (!existsSync(folder)) {
    return [];
  }
  return readdirSync(folder, { recursive: true }).filter((name) => String(name).endsWith('.test.js'));
}

/**
 * A node:test level over `folder`. The result: counts, the problems that fail it (each a sentence
 * naming the cause), and the warnings.
 */
export async function runNodeLevel({ level, folder, outDir, minTests, testTimeoutMs, fileTimeoutMs, deadlineMs }) {
  mkdirSync(outDir, { recursive: true });
  const tapFile = join(outDir, `${level}.tap`);
  const progressFile = join(outDir, `${level}.progress`);
  // A level that dies before writing must not show the counts of an earlier run.
  rmSync(tapFile, { force: true });
  rmSync(progressFile, { force: true });
  const problems = [];
  if (testFiles(folder).length === 0) {
    problems.push(`${level}: no test files (*.test.js) in ${folder}`);
  }
  // The guard (preloaded into each file's process) gives every test its own timeout and fails a
  // test that asserted nothing; --test-timeout bounds a whole file; the deadline the whole level.
  const run = await runStreaming(process.execPath, [
    '--require', TEST_GUARD,
    '--test', `--test-timeout=${fileTimeoutMs}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
    folder + '/',
  ], { deadlineMs, env: { ...process.env, NP_TEST_TIMEOUT_MS: String(testTimeoutMs), NP_TEST_PROGRESS_FILE: progressFile } });
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  const counts = tapCounts(tap) ?? { tests: 0, passed: 0, failed: 0, cancelled: 0, skipped: 0, todo: 0 };
  // Tests that started and never ended: in a file stopped at its timeout, or in the whole level.
  const hung = unfinishedTests(existsSync(progressFile) ? readFileSync(progressFile, 'utf8') : '');
  if (run.timedOut) {
    problems.push(`${level}: still running after the level's deadline of ${deadlineMs / 1000} s, stopped; ${hung.length > 0 ? `unfinished: ${hung.join('; ')}` : 'every started test had ended (a file kept its process alive)'}`);
  } else if (hung.length > 0) {
    problems.push(`${level}: tests that never ended (their file was stopped at its timeout of ${fileTimeoutMs / 1000} s): ${hung.join('; ')}`);
  }
  if (!run.timedOut && !tapCounts(tap)) {
    problems.push(`${level}: node --test wrote no summary (exit ${run.status}${run.error ? `, ${run.error.message}` : ''})`);
  }
  return judge({ level, run, counts: { passed: counts.passed, failed: counts.failed + counts.cancelled, skipped: counts.skipped + counts.todo }, minTests, problems });
}

/** A level whose runner prints "<tag>: N passed, N failed[, N skipped][, N warnings]". */
export async function runRunnerLevel({ level, script, tag, minTests, deadlineMs, env }) {
  const run = await runStreaming(process.execPath, [script], { deadlineMs, env });
  const match = new RegExp(`^${tag}: (\\d+) passed, (\\d+) failed(?:, (\\d+) skipped)?`, 'm').exec(run.output);
  const problems = [];
  if (run.timedOut) {
    problems.push(`${level}: still running after the level's deadline of ${deadlineMs / 1000} s, stopped (the last test it printed is above)`);
  } else if (!match) {
    problems.push(`${level}: the runner printed no "${tag}: N passed, N failed" line (exit ${run.status})`);
  }
  const counts = { passed: Number(match?.[1] ?? 0), failed: Number(match?.[2] ?? 0), skipped: Number(match?.[3] ?? 0) };
  return judge({ level, run, counts, minTests, problems });
}

function judge({ level, run, counts, minTests, problems }) {
  if (run.status !== 0 && counts.failed === 0 && problems.length === 0) {
    problems.push(`${level}: exited with ${run.status} although no test failed`);
  }
  if (counts.passed + counts.failed < minTests) {
    problems.push(`${level}: ran ${counts.passed + counts.failed} tests, fewer than its minimum of ${minTests} (a test file that no longer loads, or tests removed: raise or lower the minimum in scripts/test.mjs only on purpose)`);
  }
  return { level, ...counts, warnings: warningLines(run.output), problems, seconds: run.seconds };
}

/**
 * Exits with `code` once stdout and stderr have written everything queued on them. A pipe to a
 * busy reader queues writes, and process.exit() drops the queue: the closing line was lost after a
 * level that printed megabytes. A write's callback runs after every write queued before it.
 */
export function exitWhenFlushed(code) {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) {
      process.exit(code);
    }
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

/** The closing line: passed, failed (problems count as failures), skipped, warnings. */
export function summaryLine(results) {
  const sum = (pick) => results.reduce((total, result) => total + pick(result), 0);
  const failed = sum((result) => result.failed + result.problems.length);
  return `${sum((result) => result.passed)} passed, ${failed} failed, ${sum((result) => result.skipped)} skipped, ${sum((result) => result.warnings.length)} warnings`;
}

/** Prints each level's line, its problems and warnings, then the closing line; returns the exit code. */
export function report(results) {
  console.log('');
  for (const result of results) {
    console.log(`${result.level}: ${result.passed} passed / ${result.failed} failed / ${result.skipped} skipped / ${result.warnings.length} warnings (${result.seconds.toFixed(1)} s)`);
    for (const problem of result.problems) {
      console.log(`  problem: ${problem}`);
    }
    for (const warning of result.warnings) {
      console.log(`  ${warning}`);
    }
  }
  const ok = results.every((result) => result.failed === 0 && result.problems.length === 0);
  console.log(summaryLine(results));
  return ok ? 0 : 1;
}

// `node scripts/levels.mjs node <level> <folder> [--min N] [--test-timeout MS] [--file-timeout MS] [--deadline MS] [--out DIR]`
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [kind, level, folder, ...rest] = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = rest.indexOf(`--${name}`);
    return at >= 0 ? rest[at + 1] : fallback;
  };
  if (kind !== 'node' || !level || !folder) {
    console.log('usage: node scripts/levels.mjs node <level> <folder> [--min N] [--test-timeout MS] [--file-timeout MS] [--deadline MS] [--out DIR]');
    process.exit(2);
  }
  const result = await runNodeLevel({
    level, folder, outDir: option('out', 'out'), minTests: Number(option('min', 1)),
    testTimeoutMs: Number(option('test-timeout', 60_000)), fileTimeoutMs: Number(option('file-timeout', 300_000)), deadlineMs: Number(option('deadline', 600_000)),
  });
  exitWhenFlushed(report([result]));
}
