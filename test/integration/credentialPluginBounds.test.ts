/**
 * Credential provider plugins that misbehave (test/fixtures/credentialPlugin/hostile): each
 * conversation ends within its documented deadline plus 5 s, the CLI's peak RSS stays under
 * 256 MB, a password never reaches output before it is known as a secret, and nothing the plugin
 * started is left running. Documented deadlines (src/core/keys/credentialProviders.ts): a
 * request's deadline (NUGET_PLUGIN_REQUEST_TIMEOUT_IN_SECONDS here), Progress stretching it to at
 * most four deadlines and never for the Handshake, and a close of CLOSE_GRACE_MS + KILL_GRACE_MS.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLOSE_GRACE_MS, KILL_GRACE_MS, pluginCredentials, type CredentialPlugin } from '../../src/core/keys/credentialProviders';
import { publish } from '../../src/core/publish/publish';
import { runCliMeasured } from '../helpers/cli';
import { withEnv } from '../helpers/env';
import { makePackage } from '../helpers/makePackage';
import { REPO_ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/temp';
import { startV3Server, type V3Server } from '../servers/v3Server';

const FOLDER = join(REPO_ROOT, 'test', 'fixtures', 'credentialPlugin', 'hostile');
const PLUGIN: CredentialPlugin = { path: join(FOLDER, 'nuget-plugin-hostile'), name: 'nuget-plugin-hostile', command: join(FOLDER, 'nuget-plugin-hostile'), args: ['-Plugin'] };
const USER = 'VssSessionToken';
const TOKEN = 'hostile-plugin-token-0123456789abcdef';
const BASIC = `Basic ${Buffer.from(`${USER}:${TOKEN}`).toString('base64')}`;
const SLACK_MS = 5_000;

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids the plugin recorded (itself, and any grandchild). */
function pids(file: string): number[] {
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number);
}

/** Waits for the state "no recorded process is alive", failing with the survivors past the deadline. */
async function nothingLeft(file: string, deadlineMs = 5_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const survivors = pids(file).filter(alive);
    if (survivors.length === 0) {
      return;
    }
    assert.ok(Date.now() < until, `still running: ${survivors.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function hostileEnv(mode: string, extra: NodeJS.ProcessEnv = {}): { env: NodeJS.ProcessEnv; pidFile: string } {
  const pidFile = join(tempDir(), 'pids');
  return { pidFile, env: { HOSTILE_MODE: mode, HOSTILE_USER: USER, HOSTILE_TOKEN: TOKEN, HOSTILE_PIDS: pidFile, ...extra } };
}

/** Asks the hostile plugin through the core, timing the whole conversation. */
async function ask(mode: string, options: { timeoutMs: number; maxRequestMs?: number }, extra: NodeJS.ProcessEnv = {}): Promise<{ answer: Awaited<ReturnType<typeof pluginCredentials>>; ms: number; pidFile: string; events: string[] }> {
  const { env, pidFile } = hostileEnv(mode, extra);
  const events: string[] = [];
  const started = Date.now();
  const answer = await withEnv(env, () => pluginCredentials('https://pkgs.example.com/index.json', [PLUGIN], {
    ...options,
    protect: (credentials) => events.push(`protect ${credentials.password === TOKEN}`),
    onLog: (line) => events.push(`log ${line}`),
  }));
  return { answer, ms: Date.now() - started, pidFile, events };
}

describe('hostile credential plugins: bounded, quiet about secrets, nothing left running', () => {
  it('ignores Close and SIGTERM: closed by SIGKILL to its process group within the close deadline', async () => {
    const { answer, ms, pidFile } = await ask('ignore-term', { timeoutMs: 5_000 });
    assert.equal(answer.credentials?.password, TOKEN, 'its answer still counts');
    assert.ok(ms < CLOSE_GRACE_MS + KILL_GRACE_MS + SLACK_MS, `${ms} ms`);
    assert.ok(ms >= CLOSE_GRACE_MS, 'it was given its grace period first');
    await nothingLeft(pidFile);
  });

  it('Progress never extends a Handshake: it fails at the request deadline', async () => {
    const { answer, ms, pidFile } = await ask('progress-handshake', { timeoutMs: 1_000 });
    assert.match(answer.why ?? '', /nuget-plugin-hostile did not answer Handshake within 1 s/);
    assert.ok(ms < 1_000 + SLACK_MS, `${ms} ms`);
    await nothingLeft(pidFile);
  });

  it('endless Progress on the credential request: cut off at the Progress cap', async () => {
    const { answer, ms, pidFile } = await ask('progress-forever', { timeoutMs: 500, maxRequestMs: 2_000 });
    assert.match(answer.why ?? '', /nuget-plugin-hostile kept sending Progress for GetAuthenticationCredentials without answering; it was given 2 s in all/);
    // Four requests before it of a few ms each, then at most the cap.
    assert.ok(ms < 2_000 + SLACK_MS, `${ms} ms`);
    assert.ok(ms >= 1_500, `Progress did extend it (${ms} ms)`);
    await nothingLeft(pidFile);
  });

  it('a password it logs before returning it is scrubbed: registered first, then the held-back log released', async () => {
    const { answer, events, pidFile } = await ask('log-secret-first', { timeoutMs: 5_000 });
    assert.equal(answer.credentials?.password, TOKEN);
    assert.deepEqual(events, ['protect true', `log nuget-plugin-hostile: using the token *** for ${USER}`]);
    await nothingLeft(pidFile);
  });

  describe('through the CLI (a push to a feed that wants credentials)', () => {
    let server: V3Server;
    let folder: string;
    before(async () => {
      server = await startV3Server({ readAuthorization: BASIC });
      folder = tempDir();
      await publish({ feed: { name: 'Azure', source: server.index, kind: 'v3' }, packagePath: makePackage(tempDir(), 'Contoso.Azure', '1.0.0'), credential: { basic: { username: USER, password: TOKEN }, apiKey: 'az' } });
    });
    after(async () => server?.close());

    /** The CLI with the hostile plugin installed the way dotnet tools are (nuget-plugin-* on PATH). */
    function cliEnv(mode: string, extra: NodeJS.ProcessEnv = {}): { env: NodeJS.ProcessEnv; pidFile: string } {
      const { env, pidFile } = hostileEnv(mode, extra);
      return { pidFile, env: { ...env, PATH: `${FOLDER}${delimiter}${process.env.PATH}`, HOME: tempDir(), NUGET_PLUGIN_PATHS: '', NUGET_NETCORE_PLUGIN_PATHS: '', NUGET_PLUGIN_REQUEST_TIMEOUT_IN_SECONDS: '5' } };
    }

    it('a flood of 30,000 Log requests of 10 KB: memory stays under 256 MB, the rest is dropped with a counted note, the push goes on', async () => {
      const { env, pidFile } = cliEnv('log-flood', { HOSTILE_LOG_COUNT: '30000', HOSTILE_LOG_SIZE: '10000' });
      const pkg = makePackage(folder, 'Contoso.Azure', '2.0.0');
      const run = await runCliMeasured(['push', pkg, '--source', server.index], { env, hangMs: 120_000 });
      assert.equal(run.code, 0, run.stderr.slice(-2000));
      assert.ok(run.maxRssMb < 256, `peak RSS ${run.maxRssMb.toFixed(0)} MB`);
      assert.match(run.stderr, /nuget-plugin-hostile: 29900 more log messages were dropped \(at most 100 are kept\)/);
      // Its own deadline: four request deadlines of 5 s for the credential request, plus the close.
      assert.ok(run.wallMs < 20_000 + CLOSE_GRACE_MS + KILL_GRACE_MS + SLACK_MS, `${run.wallMs} ms`);
      await nothingLeft(pidFile);
    });

    it('a grandchild holding the plugin\'s stdout does not keep the CLI alive after a successful push; it is ended too', async () => {
      const { env, pidFile } = cliEnv('grandchild');
      const pkg = makePackage(folder, 'Contoso.Azure', '3.0.0');
      const run = await runCliMeasured(['push', pkg, '--source', server.index], { env, hangMs: 60_000 });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Contoso\.Azure 3\.0\.0: created/);
      assert.ok(run.wallMs < 5_000 + SLACK_MS, `${run.wallMs} ms`);
      assert.equal(pids(pidFile).length, 2, 'the plugin started its grandchild');
      await nothingLeft(pidFile);
    });

    it('ignoring SIGTERM does not keep the CLI alive either, and the token is never printed', async () => {
      const { env, pidFile } = cliEnv('ignore-term');
      const pkg = makePackage(folder, 'Contoso.Azure', '4.0.0');
      const run = await runCliMeasured(['push', pkg, '--source', server.index], { env, hangMs: 60_000 });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.wallMs < CLOSE_GRACE_MS + KILL_GRACE_MS + SLACK_MS + 2_000, `${run.wallMs} ms`);
      assert.ok(!run.stdout.includes(TOKEN) && !run.stderr.includes(TOKEN));
      await nothingLeft(pidFile);
    });
  });
});
