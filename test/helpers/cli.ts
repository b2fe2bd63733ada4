/** Runs the built CLI (dist/cli.js) as a user would. */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { REPO_ROOT } from './dotnetFixtures';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): CliResult {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8', env, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const execFileAsync = promisify(execFile);

/**
 * The CLI run asynchronously: needed when the test server lives in the test's own process (a
 * synchronous child would block the server it talks to). NUGET_API_KEY is cleared unless given.
 */
export async function runCliAsync(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { env: { ...process.env, NUGET_API_KEY: '', ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

export interface MeasuredCliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident memory of the CLI process, in MB. */
  readonly maxRssMb: number;
  /** CPU time the CLI process used (user + system), in ms. */
  readonly cpuMs: number;
  readonly wallMs: number;
}

/**
 * Runs the CLI in a child process and reports its peak RSS and CPU time (see reportUsage.cjs).
 * `whileRunning` gets the child, for tests that signal it. A hang is ended after `hangMs`.
 */
export async function runCliMeasured(args: readonly string[], options: { env?: NodeJS.ProcessEnv; hangMs?: number; whileRunning?: (child: ChildProcess) => void } = {}): Promise<MeasuredCliResult> {
  const usageFile = join(mkdtempSync(join(tmpdir(), 'np-usage-')), 'usage.json');
  const started = Date.now();
  const child = spawn(process.execPath, ['--require', join(REPO_ROOT, 'test', 'helpers', 'reportUsage.cjs'), join(REPO_ROOT, 'dist', 'cli.js'), ...args], {
    env: { ...process.env, NUGET_API_KEY: '', ...options.env, NP_USAGE_FILE: usageFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  const hang = setTimeout(() => child.kill('SIGKILL'), options.hangMs ?? 60_000);
  options.whileRunning?.(child);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])));
  clearTimeout(hang);
  const usage = existsSync(usageFile) ? JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssMb: number; cpuMs: number } : { maxRssMb: NaN, cpuMs: NaN };
  return { code, signal, stdout, stderr, ...usage, wallMs: Date.now() - started };
}

