/**
 * nuget-server 1.11.0 (npm), a real third-party NuGet server, started on 127.0.0.1 for tests.
 * Users are written to users.json directly (its --auth-init is interactive): API passwords are
 * base64(sha1(password + salt)), as the server's own code computes them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../codeServer';
import { REPO_ROOT } from '../helpers/dotnetFixtures';
import { tempDir } from '../helpers/temp';

export interface NugetServerUser {
  readonly username: string;
  readonly password: string;
  readonly role: 'read' | 'publish' | 'admin';
}

export interface NugetServer {
  readonly base: string;
  readonly index: string;
  readonly packageDir: string;
  readonly log: () => string;
  stop(): Promise<void>;
}

const CLI = join(REPO_ROOT, 'test', 'servers', 'nuget-server', 'node_modules', 'nuget-server', 'dist', 'cli.mjs');

function hash(password: string, salt: string): string {
  return createHash('sha1').update(password + salt).digest('base64');
}

export async function startNugetServer(options: { users: readonly NugetServerUser[]; authMode?: 'none' | 'publish' | 'full'; maxUploadMb?: number; env?: NodeJS.ProcessEnv }): Promise<NugetServer> {
  if (!existsSync(CLI)) {
    throw new Error(`nuget-server 1.11.0 (a test server) is not installed at ${CLI}. Install it with: npm ci --prefix test/servers/nuget-server (npm run test:integration does it).`);
  }
  const dir = tempDir('np-nuget-server-');
  const packageDir = join(dir, 'packages');
  mkdirSync(packageDir);
  const now = new Date().toISOString();
  writeFileSync(join(dir, 'users.json'), JSON.stringify(options.users.map((user, index) => {
    const salt = randomBytes(16).toString('base64');
    const apiSalt = randomBytes(16).toString('base64');
    return {
      id: `user-${index}`, username: user.username, passwordHash: hash(user.password, salt), salt, role: user.role, createdAt: now, updatedAt: now,
      apiPasswords: [{ label: 'tests', passwordHash: hash(user.password, apiSalt), salt: apiSalt, createdAt: now }],
    };
  }), null, 2));
  writeFileSync(join(dir, 'config.json'), '{}');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const args = ['--require', join(REPO_ROOT, 'test', 'servers', 'loopback.cjs'), CLI, '--port', String(port), '--base-url', base, '--package-dir', packageDir,
    '--users-file', join(dir, 'users.json'), '--config-file', join(dir, 'config.json'), '--auth-mode', options.authMode ?? 'publish', '--log-level', 'warn'];
  if (options.maxUploadMb) {
    args.push('--max-upload-size-mb', String(options.maxUploadMb));
  }
  const child: ChildProcess = spawn(process.execPath, args, { env: { ...process.env, NUGET_SERVER_AUTH_FAILURE_DELAY_ENABLED: 'false', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`nuget-server exited (${child.exitCode}):\n${output}`);
    }
    const ready = await fetch(`${base}/v3/index.json`).then((response) => response.ok, () => false);
    if (ready) {
      break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nuget-server did not start within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    base, index: `${base}/v3/index.json`, packageDir, log: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (child.exitCode === null) {
        child.kill('SIGKILL');
      }
    },
  };
}
