/**
 * A real proxy for the tests: Debian's squid, started on a loopback port with a configuration of
 * its own (open, or Basic authentication through its basic_ncsa_auth helper), and a hosts file so
 * that the test feed's name (feed.test) resolves only inside squid: a request that does not go
 * through the proxy cannot reach the feed at all. Also a test certificate authority and a
 * certificate for feed.test (openssl), for a feed served over HTTPS.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './temp';

export const FEED_HOST = 'feed.test';

export interface Squid {
  /** http://127.0.0.1:PORT (no credentials). */
  readonly url: string;
  readonly port: number;
  /** The access log's lines so far. */
  accessLog(): string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function squidBinary(): string {
  for (const candidate of ['/usr/sbin/squid', '/usr/bin/squid']) {
    if (existsSync(candidate)) {
      return candidate;
    }
  }
  throw new Error('squid is not installed (Debian package squid). Run: bash scripts/setup-squid.sh (npm test does it).');
}

/** Starts squid; with `user`/`password`, every request needs them (407 otherwise). */
export async function startSquid(options: { user?: string; password?: string } = {}): Promise<Squid> {
  const binary = squidBinary();
  const folder = tempDir('np-squid-');
  chmodSync(folder, 0o777); // squid drops to its own user
  const port = await freePort();
  const log = join(folder, 'access.log');
  writeFileSync(join(folder, 'hosts'), `127.0.0.1 ${FEED_HOST}\n127.0.0.1 localhost\n`);
  const auth = options.user !== undefined;
  if (auth) {
    const hash = execFileSync('openssl', ['passwd', '-apr1', options.password ?? ''], { encoding: 'utf8' }).trim();
    writeFileSync(join(folder, 'passwd'), `${options.user}:${hash}\n`);
    chmodSync(join(folder, 'passwd'), 0o644);
  }
  writeFileSync(log, '');
  chmodSync(log, 0o666);
  const config = [
    `http_port 127.0.0.1:${port}`,
    `pid_filename ${join(folder, 'squid.pid')}`,
    `access_log stdio:${log} squid`,
    `cache_log ${join(folder, 'cache.log')}`,
    `cache_store_log none`,
    `coredump_dir ${folder}`,
    `hosts_file ${join(folder, 'hosts')}`,
    'cache deny all',
    'shutdown_lifetime 0 seconds',
    'visible_hostname nuget-publisher-test-proxy',
    ...(auth ? [
      `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${join(folder, 'passwd')}`,
      'auth_param basic realm nuget-publisher-test',
      'acl authenticated proxy_auth REQUIRED',
      'http_access allow authenticated',
    ] : ['http_access allow all']),
    'http_access deny all',
  ].join('\n');
  writeFileSync(join(folder, 'squid.conf'), `${config}\n`);
  const child: ChildProcess = spawn(binary, ['-N', '-f', join(folder, 'squid.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Ready when the port accepts a connection (a state, not a fixed wait).
  const started = Date.now();
  for (;;) {
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (listening) {
      break;
    }
    if (child.exitCode !== null || Date.now() - started > 30_000) {
      throw new Error(`squid did not start: ${output}${existsSync(join(folder, 'cache.log')) ? readFileSync(join(folder, 'cache.log'), 'utf8') : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    accessLog: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export interface TestCertificates {
  /** The test certificate authority (PEM file), to trust. */
  readonly caFile: string;
  readonly key: string;
  readonly cert: string;
  readonly keyFile: string;
  readonly certFile: string;
}

/** A certificate authority of the tests' own and a certificate for feed.test signed by it. */
export function testCertificates(): TestCertificates {
  const folder = tempDir('np-ca-');
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: folder, stdio: 'pipe' });
  };
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=NuGet Publisher Test Inspection CA');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'feed.key', '-out', 'feed.csr', '-subj', `/CN=${FEED_HOST}`);
  writeFileSync(join(folder, 'san.cnf'), `subjectAltName=DNS:${FEED_HOST}\nbasicConstraints=CA:FALSE\n`);
  run('x509', '-req', '-in', 'feed.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'feed.pem', '-days', '2', '-extfile', 'san.cnf');
  return { caFile: join(folder, 'ca.pem'), key: readFileSync(join(folder, 'feed.key'), 'utf8'), cert: readFileSync(join(folder, 'feed.pem'), 'utf8'), keyFile: join(folder, 'feed.key'), certFile: join(folder, 'feed.pem') };
}
