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

/** One running plugin: requests with deadlines that Progress messages push back. */
class PluginConnection {
  private readonly child: ChildProcess;
  private readonly pending = new Map<string, { resolve: (payload: Record<string, unknown>) => void; reject: (error: Error) => void; timer: NodeJS.Timeout; timeoutMs: number; method: string }>();
  private buffered = '';
  private ended: Error | undefined;

  public constructor(private readonly plugin: CredentialPlugin, private readonly onLog: (message: string) => void) {
    this.child = spawn(plugin.command, [...plugin.args], { stdio: ['pipe', 'pipe', 'ignore'], windowsHide: true });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => this.receive(chunk));
    this.child.on('error', (error) => this.end(new Error(`${plugin.name} could not be started (${(error as NodeJS.ErrnoException).code ?? error.message})`)));
    this.child.on('exit', (code) => this.end(new Error(`${plugin.name} exited (code ${code ?? 'none'})`)));
    this.child.stdin!.on('error', () => undefined); // a plugin that exits early: the exit handler says so
  }

  public request(method: string, payload: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>> {
    if (this.ended) {
      return Promise.reject(this.ended);
    }
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(id, new Error(`${this.plugin.name} did not answer ${method} within ${timeoutMs / 1000} s`)), timeoutMs);
      this.pending.set(id, { resolve, reject, timer, timeoutMs, method });
      this.send({ RequestId: id, Type: 'Request', Method: method, Payload: payload });
    });
  }

  /** Asks the plugin to close and resolves when it has exited (stopped after 2 s if it ignores Close). */
  public close(): Promise<void> {
    const exited = this.child.exitCode !== null || this.child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (!this.ended) {
      this.send({ RequestId: randomUUID(), Type: 'Request', Method: 'Close', Payload: null });
      this.child.stdin!.end();
      const stop = setTimeout(() => this.child.kill(), 2000);
      void exited.then(() => clearTimeout(stop));
    }
    this.end(new Error(`${this.plugin.name} was closed`));
    return exited;
  }

  private send(message: Message): void {
    this.child.stdin!.write(`${JSON.stringify(message)}\n`);
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let end: number;
    while ((end = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, end).trim();
      this.buffered = this.buffered.slice(end + 1);
      if (line) {
        this.handle(line);
      }
    }
    if (this.buffered.length > MAX_LINE) {
      this.child.kill();
      this.end(new Error(`${this.plugin.name} wrote a line longer than 1 MB; it does not speak NuGet's plugin protocol`));
    }
  }

  private handle(line: string): void {
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch {
      this.child.kill();
      this.end(new Error(`${this.plugin.name} wrote something that is not a protocol message; it does not speak NuGet's plugin protocol`));
      return;
    }
    const waiting = this.pending.get(message.RequestId);
    if (message.Type === 'Request') {
      this.answer(message);
    } else if (waiting && message.Type === 'Progress') {
      clearTimeout(waiting.timer);
      waiting.timer = setTimeout(() => this.fail(message.RequestId, new Error(`${this.plugin.name} stopped answering ${waiting.method}`)), waiting.timeoutMs);
    } else if (waiting && message.Type === 'Fault') {
      this.fail(message.RequestId, new Error(`${this.plugin.name} failed: ${String(message.Payload?.Message ?? 'no reason given')}`));
    } else if (waiting && message.Type === 'Response') {
      clearTimeout(waiting.timer);
      this.pending.delete(message.RequestId);
      waiting.resolve(message.Payload ?? {});
    }
  }

  /** Requests from the plugin: its half of the handshake, and log lines (shown, never credentials). */
  private answer(message: Message): void {
    if (message.Method === 'Log') {
      this.onLog(`${this.plugin.name}: ${String(message.Payload?.Message ?? '')}`);
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
  /** A request's deadline; Progress messages from the plugin restart it. */
  readonly timeoutMs?: number;
  readonly onLog?: (message: string) => void;
  readonly clientVersion?: string;
}

/** What the plugins said for one feed: credentials, or why there are none (in words). */
export type PluginAnswer =
  | { readonly credentials: BasicCredentials; readonly plugin: string; readonly why?: undefined }
  | { readonly credentials?: undefined; readonly why: string };

/** Asks one plugin; undefined when it does not handle this feed (NotFound, or no Authentication claim). */
async function askPlugin(plugin: CredentialPlugin, uri: string, options: PluginOptions): Promise<BasicCredentials | undefined> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const connection = new PluginConnection(plugin, options.onLog ?? (() => undefined));
  try {
    const handshake = await connection.request('Handshake', { ProtocolVersion: '2.0.0', MinimumProtocolVersion: '1.0.0' }, timeoutMs);
    if (handshake.ResponseCode !== 'Success') {
      throw new Error(`${plugin.name} refused the protocol handshake (version 2.0.0)`);
    }
    await connection.request('Initialize', { ClientVersion: options.clientVersion ?? '7.0.0', Culture: 'en', RequestTimeout: '00:00:30' }, timeoutMs);
    const claims = await connection.request('GetOperationClaims', {}, timeoutMs);
    if (!Array.isArray(claims.Claims) || !claims.Claims.includes('Authentication')) {
      return undefined;
    }
    await connection.request('SetLogLevel', { LogLevel: 'Minimal' }, timeoutMs);
    const answer = await connection.request('GetAuthenticationCredentials', { Uri: uri, IsRetry: options.isRetry ?? false, IsNonInteractive: true, CanShowDialog: false }, timeoutMs);
    if (answer.ResponseCode === 'Success' && typeof answer.Password === 'string' && answer.Password) {
      return { username: typeof answer.Username === 'string' ? answer.Username : '', password: answer.Password };
    }
    if (answer.ResponseCode === 'NotFound') {
      return undefined;
    }
    throw new Error(`${plugin.name} answered ${String(answer.ResponseCode)}${typeof answer.Message === 'string' && answer.Message ? `: ${answer.Message}` : ''}`);
  } finally {
    await connection.close();
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
      answer = pluginCredentials(serviceIndexUrl, plugins, { ...this.options, isRetry }).then((result) => {
        if (result.credentials) {
          this.options.protect?.(result.credentials);
        }
        return result;
      });
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
