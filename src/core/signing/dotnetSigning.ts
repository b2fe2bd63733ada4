/**
 * `dotnet nuget sign` and `dotnet nuget verify --all`, run by the CLI's users' own .NET SDK.
 * The certificate password never goes on a command line (where `ps` and shell history see it) or
 * into a log: it reaches dotnet through a response file (`@file`, read once by the SDK's command
 * line parser) that is a named pipe in a private folder, so the password never lands on disk
 * either; where named pipes do not exist (Windows) it is a file in a private folder, removed as
 * soon as dotnet exits.
 */
import { spawn, spawnSync } from 'node:child_process';
import { constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forgetTemp, trackTemp } from '../tempFiles';

export interface SignRequest {
  readonly packagePath: string;
  /** A .pfx/.p12 file (its password separately), or the SHA-256 fingerprint of a certificate in a store. */
  readonly certificatePath?: string;
  readonly certificateFingerprint?: string;
  readonly storeName?: string;
  readonly storeLocation?: 'CurrentUser' | 'LocalMachine';
  /** An RFC 3161 timestamp server; without one the signature is valid only while the certificate is. */
  readonly timestamper?: string;
}

/** The arguments of `dotnet nuget sign`, without the password (see withPassword). The package is signed in place. */
export function signArgs(request: SignRequest): string[] {
  const args = ['nuget', 'sign', request.packagePath, '--overwrite'];
  if (request.certificatePath) {
    args.push('--certificate-path', request.certificatePath);
  } else if (request.certificateFingerprint) {
    args.push('--certificate-fingerprint', request.certificateFingerprint.replace(/[\s:]/g, ''));
    args.push('--certificate-store-name', request.storeName ?? 'My', '--certificate-store-location', request.storeLocation ?? 'CurrentUser');
  } else {
    throw new Error('a certificate file or a certificate fingerprint is needed');
  }
  if (request.timestamper) {
    args.push('--timestamper', request.timestamper);
  }
  return args;
}

export function verifyArgs(packagePath: string): string[] {
  return ['nuget', 'verify', '--all', packagePath];
}

/**
 * Runs `body` with extra arguments that hand `password` to dotnet as a response file (['@path']),
 * or none without a password; the file (a named pipe where possible) is gone when body returns.
 */
export async function withPassword<T>(password: string | undefined, body: (extraArgs: string[]) => Promise<T>): Promise<T> {
  if (!password) {
    return body([]);
  }
  const folder = mkdtempSync(join(tmpdir(), 'np-sign-'));
  trackTemp(folder); // removed on SIGINT/SIGTERM and on deactivation too, should dotnet still be running
  const path = join(folder, 'password.rsp');
  // One argument per line; a password with a line break cannot be passed this way.
  const content = `--certificate-password\n${password}\n`;
  const fifo = process.platform !== 'win32' && spawnSync('mkfifo', ['-m', '600', path]).status === 0;
  let writing: Promise<void> | undefined;
  try {
    if (fifo) {
      // Blocks until dotnet opens the pipe to read; nothing is written to any disk.
      writing = writeFile(path, content).catch(() => undefined);
    } else {
      writeFileSync(path, content, { mode: 0o600 });
    }
    return await body([`@${path}`]);
  } finally {
    if (fifo) {
      // If dotnet never read it, open the pipe ourselves so the pending write ends.
      await open(path, constants.O_RDONLY | constants.O_NONBLOCK).then((handle) => handle.close()).catch(() => undefined);
      await writing;
    }
    rmSync(folder, { recursive: true, force: true });
    forgetTemp(folder);
  }
}

export interface DotnetRun {
  readonly code: number | null;
  readonly output: string;
}

/** Runs dotnet with `args`, streaming its output (stdout and stderr, in order) to onOutput. */
export function runDotnet(args: readonly string[], options: { onOutput?: (text: string) => void; signal?: AbortSignal; dotnet?: string } = {}): Promise<DotnetRun> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(options.dotnet ?? 'dotnet', [...args], { env: { ...process.env, DOTNET_NOLOGO: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' }, signal: options.signal, windowsHide: true });
    const take = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output += text;
      options.onOutput?.(text);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => resolve({ code: null, output: `${output}${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'The .NET SDK (dotnet) is not on PATH.' : error.message}\n` }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

export interface NuGetFinding {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
}

/** The NU codes dotnet printed ("error: NU3008: …", "warn : NU3027: …"), each once. */
export function nugetFindings(output: string): NuGetFinding[] {
  const found = new Map<string, NuGetFinding>();
  for (const match of output.matchAll(/^\s*(error|warn|warning)\s*:\s*(NU\d{4}):\s*(.+?)\s*$/gim)) {
    const finding: NuGetFinding = { severity: match[1].toLowerCase() === 'error' ? 'error' : 'warning', code: match[2].toUpperCase(), message: match[3] };
    found.set(`${finding.code} ${finding.message}`, finding);
  }
  return [...found.values()];
}
