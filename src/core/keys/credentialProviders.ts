/**
 * Credential provider plugins (how Azure Artifacts users authenticate: CredentialProvider.Microsoft),
 * found and spoken to as NuGet's own .NET client does:
 * - Discovery: NUGET_NETCORE_PLUGIN_PATHS, else NUGET_PLUGIN_PATHS (absolute paths, run as
 *   `dotnet <file>.dll -Plugin`); when neither is set, ~/.nuget/plugins/netcore/<Name>/<Name>.dll and
 *   executables named nuget-plugin-* on PATH (run directly, NuGet 6.13+).
 * - Protocol 2.0.0: one JSON message per line on stdin/stdout ({RequestId, Type, Method, Payload}),
 *   a symmetric Handshake, Initialize, GetOperationClaims (must claim "Authentication"), SetLogLevel,
 *   then GetAuthenticationCredentials {Uri, IsRetry, IsNonInteractive, CanShowDialog}. Progress
 *   messages extend a request's deadline; the plugin's own Handshake and Log requests are answered.
 * Nothing here logs the credentials; callers register them with their scrubber.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import { basicAuthorization, type BasicCredentials } from './keys';
import { serviceIndexUrl, type Feed } from '../feeds/feed';

/** The URI a provider is asked about: the service index (a V2 push endpoint has none: its own URL). */
export function providerUri(feed: Feed): string {
  return feed.kind === 'v2' ? feed.source : serviceIndexUrl(feed);
}

export interface CredentialPlugin {
  /** The file NuGet would start (shown to the user). */
  readonly path: string;
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
}

/** Where plugins were looked for, in words (for "none is installed" messages). */
export function pluginSearchDescription(env: NodeJS.ProcessEnv = process.env): string {
  const variable = env.NUGET_NETCORE_PLUGIN_PATHS ? 'NUGET_NETCORE_PLUGIN_PATHS' : env.NUGET_PLUGIN_PATHS ? 'NUGET_PLUGIN_PATHS' : undefined;
  return variable ? variable : '~/.nuget/plugins/netcore and nuget-plugin-* on PATH';
}

function asPlugin(path: string): CredentialPlugin {
  const name = basename(path).replace(/\.(dll|exe)$/i, '');
  return path.toLowerCase().endsWith('.dll')
    ? { path, name, command: 'dotnet', args: [path, '-Plugin'] }
    : { path, name, command: path, args: ['-Plugin'] };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function listDirectory(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** The plugins NuGet's .NET client would find, in its order. */
export function findCredentialPlugins(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): CredentialPlugin[] {
  const configured = env.NUGET_NETCORE_PLUGIN_PATHS || env.NUGET_PLUGIN_PATHS;
  if (configured) {
    // Only absolute paths count, as in NuGet; ';' separates them, and ':' too where paths cannot contain it.
    return configured.split(process.platform === 'win32' ? /;/ : /[;:]/).map((part) => part.trim())
      .filter((part) => part && isAbsolute(part) && isFile(part)).map(asPlugin);
  }
  const conventional = join(home, '.nuget', 'plugins', 'netcore');
  const fromFolder = listDirectory(conventional).map((name) => join(conventional, name, `${name}.dll`)).filter(isFile);
  const onPath = (env.PATH ?? '').split(delimiter).filter((folder) => folder && isAbsolute(folder)).flatMap((folder) =>
    listDirectory(folder).filter((name) => name.startsWith('nuget-plugin-')).map((name) => join(folder, name)).filter(isFile));
  return [...new Set([...fromFolder, ...onPath])].map(asPlugin);
}

interface Message {
  readonly RequestId: string;
  readonly Type: 'Request' | 'Response' | 'Progress' | 'Fault' | 'Cancel';
  readonly Method: string;
  readonly Payload?: Record<string, unknown> | null;
}

/** The longest line a plugin may write (a hostile or broken plugin cannot fill our memory). */
const MAX_LINE = 1024 * 1024;
/** Log lines kept per conversation, and the length kept of each; the rest is dropped and counted. */
const MAX_LOG_LINES = 100;
const MAX_LOG_LENGTH = 2000;
/** After Close: how long the plugin has to exit, then SIGTERM to its process group, then SIGKILL. */
export const CLOSE_GRACE_MS = 2000;
export const KILL_GRACE_MS = 1000;

interface Pending {
  resolve: (payload: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  method: string;
  /** Progress may move the deadline up to here, never past (and never for a Handshake). */
  readonly latest: number;
}

/**
 * One running plugin, in its own process group: requests with deadlines, Progress that extends a
 * request only up to a cap, the plugin's Log lines held back (and capped) until the caller can
 * scrub them, back-pressure when the plugin floods us, and a close that always ends: Close, then
 * SIGTERM and SIGKILL to the whole group, pipes destroyed so that no grandchild holding them can
 * keep our side alive.
 */
class PluginConnection {
  private readonly child: ChildProcess;
  private readonly pending = new Map<string, Pending>();
  private buffered = '';
  private ended: Error | undefined;
  private exited = false;
  private readonly exit: Promise<void>;
  public readonly logs: string[] = [];
  public droppedLogs = 0;

  public constructor(private readonly plugin: CredentialPlugin, private readonly timeouts: { readonly requestMs: number; readonly maxRequestMs: number }) {
    // Its own process group (POSIX), so that closing reaches anything it started.
    this.child = spawn(plugin.command, [...plugin.args], { stdio: ['pipe', 'pipe', 'ignore'], windowsHide: true, detached: process.platform !== 'win32' });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => this.receive(chunk));
    this.child.stdout!.on('error', () => undefined);
    this.child.on('error', (error) => this.end(new Error(`${plugin.name} could not be started (${(error as NodeJS.ErrnoException).code ?? error.message})`)));
    this.exit = new Promise((resolve) => this.child.once('exit', (code) => {
      this.exited = true;
      this.end(new Error(`${plugin.name} exited (code ${code ?? 'none'})`));
      // A grandchild may still hold the pipes or run on: neither outlives the plugin.
      this.releasePipes();
      this.signalGroup('SIGKILL');
      resolve();
    }));
    this.child.stdin!.on('error', () => undefined); // a plugin that exits early: the exit handler says so
  }

  public request(method: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.ended) {
      return Promise.reject(this.ended);
    }
    const id = randomUUID();
    const { requestMs, maxRequestMs } = this.timeouts;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(id, new Error(`${this.plugin.name} did not answer ${method} within ${requestMs / 1000} s`)), requestMs);
      // NuGet never extends a Handshake on Progress; other requests at most to maxRequestMs in all.
      this.pending.set(id, { resolve, reject, timer, method, latest: Date.now() + (method === 'Handshake' ? requestMs : Math.max(requestMs, maxRequestMs)) });
      this.send({ RequestId: id, Type: 'Request', Method: method, Payload: payload });
    });
  }

  /**
   * Asks the plugin to close and resolves once it is gone: Close and end of input, then after
   * CLOSE_GRACE_MS SIGTERM to its process group, after KILL_GRACE_MS more SIGKILL. Never waits
   * longer than that, whatever the plugin does.
   */
  public async close(): Promise<void> {
    if (!this.exited) {
      this.send({ RequestId: randomUUID(), Type: 'Request', Method: 'Close', Payload: null });
    }
    this.end(new Error(`${this.plugin.name} was closed`));
    this.child.stdin!.end();
    if (!this.exited && this.child.pid !== undefined) {
      const timers: NodeJS.Timeout[] = [];
      const gone = new Promise<void>((resolve) => {
        timers.push(setTimeout(() => this.signalGroup('SIGTERM'), CLOSE_GRACE_MS));
        timers.push(setTimeout(() => {
          this.signalGroup('SIGKILL');
          // The kernel ends a SIGKILLed process at once; do not wait on its exit event forever.
          timers.push(setTimeout(resolve, 200));
        }, CLOSE_GRACE_MS + KILL_GRACE_MS));
      });
      await Promise.race([this.exit, gone]);
      timers.forEach(clearTimeout);
    }
    this.releasePipes();
    this.signalGroup('SIGKILL'); // anything the plugin left behind in its group
  }

  /** The plugin's log lines with `scrub` applied, and a note of how many were dropped. */
  public takeLogs(scrub: (line: string) => string): string[] {
    const lines = this.logs.splice(0).map(scrub);
    if (this.droppedLogs > 0) {
      lines.push(`${this.plugin.name}: ${this.droppedLogs} more log message${this.droppedLogs === 1 ? ' was' : 's were'} dropped (at most ${MAX_LOG_LINES} are kept)`);
      this.droppedLogs = 0;
    }
    return lines;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) {
      return;
    }
    try {
      if (process.platform === 'win32') {
        this.child.kill(signal);
      } else {
        process.kill(-pid, signal);
      }
    } catch {
      // the group is already gone
    }
  }

  private releasePipes(): void {
    this.child.stdout?.destroy();
    this.child.stdin?.destroy();
    this.child.unref();
  }

  private send(message: Message): void {
    if (this.child.stdin!.destroyed || this.child.stdin!.writableEnded) {
      return;
    }
    // Back-pressure: a plugin that does not read what we write (while flooding us) is not read
    // either until it drains its input.
    if (!this.child.stdin!.write(`${JSON.stringify(message)}\n`) && !this.child.stdout!.isPaused()) {
      this.child.stdout!.pause();
      this.child.stdin!.once('drain', () => this.child.stdout!.resume());
    }
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let start = 0;
    let end: number;
    while (!this.ended && (end = this.buffered.indexOf('\n', start)) >= 0) {
      const line = this.buffered.slice(start, end).trim();
      start = end + 1;
      if (line) {
        this.handle(line);
      }
    }
    this.buffered = this.ended ? '' : this.buffered.slice(start);
    if (this.buffered.length > MAX_LINE) {
      this.buffered = '';
      this.signalGroup('SIGKILL');
      this.end(new Error(`${this.plugin.name} wrote a line longer than 1 MB; it does not speak NuGet's plugin protocol`));
    }
  }

  private handle(line: string): void {
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch {
      this.signalGroup('SIGKILL');
      this.end(new Error(`${this.plugin.name} wrote something that is not a protocol message; it does not speak NuGet's plugin protocol`));
      return;
    }
    const waiting = this.pending.get(message.RequestId);
    if (message.Type === 'Request') {
      this.answer(message);
    } else if (waiting && message.Type === 'Progress' && waiting.method !== 'Handshake') {
      // Progress restarts the deadline, but never past the request's cap (and never for a Handshake).
      const remaining = waiting.latest - Date.now();
      if (remaining > 0) {
        clearTimeout(waiting.timer);
        const capped = remaining <= this.timeouts.requestMs;
        waiting.timer = setTimeout(() => this.fail(message.RequestId, new Error(capped
          ? `${this.plugin.name} kept sending Progress for ${waiting.method} without answering; it was given ${Math.round(this.timeouts.maxRequestMs / 100) / 10} s in all`
          : `${this.plugin.name} stopped answering ${waiting.method}`)), Math.min(this.timeouts.requestMs, remaining));
      }
    } else if (waiting && message.Type === 'Fault') {
      this.fail(message.RequestId, new Error(`${this.plugin.name} failed: ${String(message.Payload?.Message ?? 'no reason given').slice(0, MAX_LOG_LENGTH)}`));
    } else if (waiting && message.Type === 'Response') {
      clearTimeout(waiting.timer);
      this.pending.delete(message.RequestId);
      waiting.resolve(message.Payload ?? {});
    }
  }

  /**
   * Requests from the plugin: its half of the handshake, and log lines. Log lines are held back
   * (the caller scrubs them with what the plugin answered before anyone sees them), capped in
   * number and length; the rest are dropped and counted.
   */
  private answer(message: Message): void {
    if (message.Method === 'Log') {
      if (this.logs.length < MAX_LOG_LINES) {
        const text = String(message.Payload?.Message ?? '');
        this.logs.push(`${this.plugin.name}: ${text.length > MAX_LOG_LENGTH ? `${text.slice(0, MAX_LOG_LENGTH)}…` : text}`);
      } else {
        this.droppedLogs++;
      }
    }
    const known = message.Method === 'Handshake' || message.Method === 'Log';
    const payload = message.Method === 'Handshake' ? { ResponseCode: 'Success', ProtocolVersion: '2.0.0' } : { ResponseCode: known ? 'Success' : 'NotFound' };
    this.send({ RequestId: message.RequestId, Type: 'Response', Method: message.Method, Payload: payload });
  }

  private fail(id: string, error: Error): void {
    const waiting = this.pending.get(id);
    if (waiting) {
      clearTimeout(waiting.timer);
      this.pending.delete(id);
      waiting.reject(error);
    }
  }

  private end(error: Error): void {
    this.ended ??= error;
    for (const id of [...this.pending.keys()]) {
      this.fail(id, error);
    }
  }
}

export interface PluginOptions {
  readonly isRetry?: boolean;
  /**
   * A request's deadline (default: NuGet's NUGET_PLUGIN_REQUEST_TIMEOUT_IN_SECONDS when set, else
   * 30 s). Progress from the plugin restarts it, except for the Handshake, up to maxRequestMs.
   */
  readonly timeoutMs?: number;
  /** The most Progress can stretch one request to (default four deadlines). */
  readonly maxRequestMs?: number;
  /** The plugin's log lines, scrubbed of what it answered, after each conversation. */
  readonly onLog?: (message: string) => void;
  /** Called with credentials the moment the plugin returns them, before anything is printed. */
  readonly protect?: (credentials: BasicCredentials) => void;
  readonly clientVersion?: string;
}

/** The request deadline: the option, else NuGet's own variable, else 30 s. */
function requestTimeout(options: PluginOptions): number {
  const fromNuGet = Number(process.env.NUGET_PLUGIN_REQUEST_TIMEOUT_IN_SECONDS);
  return options.timeoutMs ?? (Number.isFinite(fromNuGet) && fromNuGet > 0 ? fromNuGet * 1000 : 30_000);
}

/** What the plugins said for one feed: credentials, or why there are none (in words). */
export type PluginAnswer =
  | { readonly credentials: BasicCredentials; readonly plugin: string; readonly why?: undefined }
  | { readonly credentials?: undefined; readonly why: string };

/** Asks one plugin; undefined when it does not handle this feed (NotFound, or no Authentication claim). */
async function askPlugin(plugin: CredentialPlugin, uri: string, options: PluginOptions): Promise<BasicCredentials | undefined> {
  const requestMs = requestTimeout(options);
  const connection = new PluginConnection(plugin, { requestMs, maxRequestMs: options.maxRequestMs ?? 4 * requestMs });
  // Secrets the plugin gave: registered the moment they arrive, and scrubbed from its log lines.
  const secrets: string[] = [];
  try {
    const handshake = await connection.request('Handshake', { ProtocolVersion: '2.0.0', MinimumProtocolVersion: '1.0.0' });
    if (handshake.ResponseCode !== 'Success') {
      throw new Error(`${plugin.name} refused the protocol handshake (version 2.0.0)`);
    }
    await connection.request('Initialize', { ClientVersion: options.clientVersion ?? '7.0.0', Culture: 'en', RequestTimeout: '00:00:30' });
    const claims = await connection.request('GetOperationClaims', {});
    if (!Array.isArray(claims.Claims) || !claims.Claims.includes('Authentication')) {
      return undefined;
    }
    await connection.request('SetLogLevel', { LogLevel: 'Minimal' });
    const answer = await connection.request('GetAuthenticationCredentials', { Uri: uri, IsRetry: options.isRetry ?? false, IsNonInteractive: true, CanShowDialog: false });
    if (answer.ResponseCode === 'Success' && typeof answer.Password === 'string' && answer.Password) {
      const credentials = { username: typeof answer.Username === 'string' ? answer.Username : '', password: answer.Password };
      secrets.push(credentials.password, Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'));
      options.protect?.(credentials);
      return credentials;
    }
    if (answer.ResponseCode === 'NotFound') {
      return undefined;
    }
    throw new Error(`${plugin.name} answered ${String(answer.ResponseCode)}${typeof answer.Message === 'string' && answer.Message ? `: ${answer.Message.slice(0, MAX_LOG_LENGTH)}` : ''}`);
  } finally {
    await connection.close();
    const scrub = (line: string): string => secrets.reduce((text, secret) => (secret.length >= 4 ? text.split(secret).join('***') : text), line);
    for (const line of connection.takeLogs(scrub)) {
      options.onLog?.(line);
    }
  }
}

/**
 * Credentials for a feed from the first plugin that has them (NuGet's order), never interactive:
 * a provider that needs a sign-in first says so through its answer, and the user runs
 * `dotnet restore --interactive` once (the provider caches its session), or stores a PAT.
 */
export async function pluginCredentials(serviceIndexUrl: string, plugins: readonly CredentialPlugin[], options: PluginOptions = {}): Promise<PluginAnswer> {
  if (plugins.length === 0) {
    return { why: `no NuGet credential provider is installed (looked in ${pluginSearchDescription()})` };
  }
  const reasons: string[] = [];
  for (const plugin of plugins) {
    try {
      const credentials = await askPlugin(plugin, serviceIndexUrl, options);
      if (credentials) {
        return { credentials, plugin: plugin.name };
      }
      reasons.push(`${plugin.name} has none for this feed`);
    } catch (error) {
      reasons.push((error as Error).message);
    }
  }
  return { why: `the credential provider${plugins.length > 1 ? 's' : ''} gave none (${reasons.join('; ')})` };
}

/**
 * One per window or CLI run: asks the plugins at most once per feed URL (and again only on a
 * retry after the feed refused what they gave), so a browsing session does not start a plugin
 * process per request.
 */
export class CredentialProviders {
  private readonly answers = new Map<string, Promise<PluginAnswer>>();

  public constructor(private readonly options: PluginOptions & { readonly find?: () => CredentialPlugin[]; readonly protect?: (credentials: BasicCredentials) => void } = {}) {}

  public async credentialsFor(serviceIndexUrl: string, isRetry = false): Promise<PluginAnswer> {
    let answer = isRetry ? undefined : this.answers.get(serviceIndexUrl);
    if (!answer) {
      const plugins = (this.options.find ?? findCredentialPlugins)();
      // options.protect is called by askPlugin the moment credentials arrive.
      answer = pluginCredentials(serviceIndexUrl, plugins, { ...this.options, isRetry });
      this.answers.set(serviceIndexUrl, answer);
    }
    return answer;
  }

  /** The Authorization header from a plugin, or the reason there is none. */
  public async authorizationFor(serviceIndexUrl: string, isRetry = false): Promise<{ authorization?: string; why?: string; plugin?: string }> {
    const answer = await this.credentialsFor(serviceIndexUrl, isRetry);
    return answer.credentials ? { authorization: basicAuthorization(answer.credentials), plugin: answer.plugin } : { why: answer.why };
  }

  public forget(): void {
    this.answers.clear();
  }
}
