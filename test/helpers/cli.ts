/** Runs the built CLI (dist/cli.js) as a user would. */
import { execFile, spawnSync } from 'node:child_process';
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
