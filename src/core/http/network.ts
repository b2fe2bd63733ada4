/**
 * How every request reaches the network: the proxy (or none) for its URL, the certificates it
 * trusts, and the user agent. The host configures it once: the CLI from the environment as
 * dotnet reads it (networkFromEnvironment), VS Code from its http.* settings. Every request of the
 * core goes through the dispatchers and agents made here (boundedFetch, downloads, uploads).
 *
 * Proxy choice (checked against `dotnet nuget push` on this machine, test/integration/proxy.test.ts):
 * - https targets use https_proxy/HTTPS_PROXY, else all_proxy/ALL_PROXY; http targets use
 *   http_proxy/HTTP_PROXY, else all_proxy/ALL_PROXY; https goes through CONNECT;
 * - no_proxy/NO_PROXY: a comma list of hosts; an entry matches the host itself and, as a domain,
 *   every name under it ("example.com" and ".example.com" both match "feed.example.com"); "*" matches all;
 * - loopback (localhost, 127.0.0.0/8, ::1) never goes through a proxy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { connect as tlsConnect, rootCertificates, type ConnectionOptions } from 'node:tls';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import { NuGetPublisherError } from '../errors';

export interface NetworkSettings {
  /** Proxy for https targets ("http://[user:password@]host:port"). */
  readonly httpsProxy?: string;
  /** Proxy for http targets. */
  readonly httpProxy?: string;
  /** Hosts that go direct. */
  readonly noProxy?: readonly string[];
  /** A Proxy-Authorization value given as such (VS Code's http.proxyAuthorization). */
  readonly proxyAuthorization?: string;
  /** false: TLS certificates are not verified (VS Code's http.proxyStrictSSL: false, the user's choice). */
  readonly strictSSL?: boolean;
  /** Certificates (PEM) trusted besides Node's own roots (and NODE_EXTRA_CA_CERTS, which Node adds itself). */
  readonly extraCertificates?: string;
  /** Who is asking, for the user agent: "CLI" or "VS Code 1.100.3". */
  readonly client?: string;
  /** Where the extra certificates came from, to name in errors. */
  readonly certificateSource?: string;
  /** How host names resolve for direct connections (default: the system's); the tests map public names to loopback with it. */
  readonly lookup?: LookupFunction;
}

let settings: NetworkSettings = {};
let version = '0.0.0';
const dispatchers = new Map<string, Dispatcher>();
const agents = new Map<string, HttpsAgent>();
const secretListeners: ((secret: string) => void)[] = [];

/** The product version for the user agent (the host reads it from its package.json). */
export function setProductVersion(productVersion: string): void {
  version = productVersion;
}

/** Called with each proxy secret (password, token) when the network is configured: the scrubbers register them. */
export function onProxySecret(listener: (secret: string) => void): void {
  secretListeners.push(listener);
  proxySecrets().forEach(listener);
}

function proxySecrets(): string[] {
  const secrets: string[] = [];
  for (const proxy of [settings.httpsProxy, settings.httpProxy]) {
    const url = parseProxy(proxy);
    if (url?.password) {
      secrets.push(decodeURIComponent(url.password), basicToken(url)!.slice('Basic '.length));
    }
  }
  if (settings.proxyAuthorization) {
    secrets.push(settings.proxyAuthorization, settings.proxyAuthorization.replace(/^\S+\s+/, ''));
  }
  return secrets.filter((secret) => secret.length >= 3);
}

export function configureNetwork(next: NetworkSettings): void {
  settings = next;
  for (const dispatcher of dispatchers.values()) {
    void dispatcher.close().catch(() => undefined);
  }
  dispatchers.clear();
  for (const agent of agents.values()) {
    agent.destroy();
  }
  agents.clear();
  proxySecrets().forEach((secret) => secretListeners.forEach((listener) => listener(secret)));
}

export function networkSettings(): NetworkSettings {
  return settings;
}

/** The CLI's network, from the environment as dotnet (.NET's HttpClient) reads it, and the CA files Node does not read itself. */
export function networkFromEnvironment(env: NodeJS.ProcessEnv): NetworkSettings {
  const first = (...names: string[]): string | undefined => names.map((name) => env[name]?.trim()).find((value) => value);
  const all = first('all_proxy', 'ALL_PROXY');
  const noProxy = first('no_proxy', 'NO_PROXY');
  const certificateFile = first('SSL_CERT_FILE');
  let extraCertificates: string | undefined;
  if (certificateFile) {
    try {
      extraCertificates = readFileSync(certificateFile, 'utf8');
    } catch (error) {
      throw new NuGetPublisherError('NP4030', `SSL_CERT_FILE names ${certificateFile}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, 'Point SSL_CERT_FILE at a PEM file of certificates, or unset it.');
    }
  }
  return {
    httpsProxy: first('https_proxy', 'HTTPS_PROXY') ?? all,
    httpProxy: first('http_proxy', 'HTTP_PROXY') ?? all,
    noProxy: noProxy ? noProxy.split(',').map((entry) => entry.trim()).filter(Boolean) : [],
    ...(extraCertificates ? { extraCertificates, certificateSource: `SSL_CERT_FILE (${certificateFile})` } : {}),
    client: 'CLI',
  };
}

export function userAgent(): string {
  return `NuGetPublisher/${version} (${settings.client ?? 'CLI'}; ${process.platform} ${process.arch}; Node ${process.versions.node})`;
}

const isLoopbackHost = (host: string): boolean => {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare.endsWith('.localhost') || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
};

/** Whether no_proxy sends this host direct. */
export function bypassesProxy(host: string, noProxy: readonly string[] = settings.noProxy ?? []): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  return isLoopbackHost(name) || noProxy.some((raw) => {
    const entry = raw.toLowerCase().replace(/:\d+$/, '');
    if (entry === '*') {
      return true;
    }
    const domain = entry.replace(/^\*?\./, '');
    return name === domain || name.endsWith(`.${domain}`);
  });
}

function parseProxy(proxy: string | undefined): URL | undefined {
  if (!proxy) {
    return undefined;
  }
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`);
  } catch {
    throw new NuGetPublisherError('NP4031', `The proxy setting "${proxy.replace(/\/\/[^@/]*@/, '//…@')}" is not a URL.`, 'Give it as http://host:port (credentials, if any, as http://user:password@host:port).');
  }
}

function basicToken(proxy: URL): string | undefined {
  return proxy.username ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` : undefined;
}

/** The proxy a request to this URL goes through (credentials stripped), or undefined for direct. */
export function proxyFor(url: string): { url: URL; authorization?: string } | undefined {
  const target = new URL(url);
  if (bypassesProxy(target.hostname)) {
    return undefined;
  }
  const proxy = parseProxy(target.protocol === 'https:' ? settings.httpsProxy : settings.httpProxy);
  if (!proxy) {
    return undefined;
  }
  const authorization = settings.proxyAuthorization ?? basicToken(proxy);
  const bare = new URL(proxy.href);
  bare.username = '';
  bare.password = '';
  return { url: bare, ...(authorization ? { authorization } : {}) };
}

/**
 * NODE_EXTRA_CA_CERTS as Node reads it at start-up: a list given as `ca` replaces Node's default
 * store, so those certificates are added again by hand.
 */
function nodeExtraCertificates(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  try {
    return file ? [readFileSync(file, 'utf8')] : [];
  } catch {
    return []; // Node itself warns about an unreadable file
  }
}

/** The certificates trusted for a TLS connection: without extra ones, Node's defaults (its roots and NODE_EXTRA_CA_CERTS). */
function trusted(): ConnectionOptions {
  return {
    ...(settings.extraCertificates ? { ca: [...rootCertificates, ...nodeExtraCertificates(), settings.extraCertificates] } : {}),
    ...(settings.strictSSL === false ? { rejectUnauthorized: false } : {}),
  };
}

/** The undici dispatcher for a request to this URL (reads and downloads). */
export function dispatcherFor(url: string): Dispatcher {
  const proxy = proxyFor(url);
  const key = proxy ? `proxy ${proxy.url.href} ${proxy.authorization ?? ''}` : 'direct';
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    dispatcher = proxy
      ? new ProxyAgent({ uri: proxy.url.href, ...(proxy.authorization ? { token: proxy.authorization } : {}), requestTls: trusted(), proxyTls: trusted() })
      : new Agent({ connect: { ...trusted(), ...(settings.lookup ? { lookup: settings.lookup } : {}) } });
    dispatchers.set(key, dispatcher);
  }
  return dispatcher;
}

/** The node:https agent for an upload to this URL: a CONNECT tunnel through the proxy, or direct. */
export function httpsAgentFor(url: string): HttpsAgent {
  const proxy = proxyFor(url);
  const key = proxy ? `proxy ${proxy.url.href} ${proxy.authorization ?? ''}` : 'direct';
  let agent = agents.get(key);
  if (!agent) {
    agent = proxy ? new TunnelAgent(proxy.url, proxy.authorization, { ...trusted(), keepAlive: false }) : new HttpsAgent({ ...trusted(), keepAlive: false, ...(settings.lookup ? { lookup: settings.lookup } : {}) });
    agents.set(key, agent);
  }
  return agent;
}

/** An https agent whose connections are CONNECT tunnels through an http(s) proxy. */
class TunnelAgent extends HttpsAgent {
  public constructor(private readonly proxy: URL, private readonly authorization: string | undefined, options: AgentOptions) {
    super(options);
  }

  public override createConnection(options: ConnectionOptions & { host?: string; port?: number; servername?: string }, callback: (error: Error | null, socket?: Duplex) => void): undefined {
    const target = `${options.host}:${options.port ?? 443}`;
    const send = this.proxy.protocol === 'https:' ? httpsRequest : httpRequest;
    const connect = send({
      host: this.proxy.hostname, port: this.proxy.port || (this.proxy.protocol === 'https:' ? 443 : 80), method: 'CONNECT', path: target, agent: false,
      headers: { host: target, ...(this.authorization ? { 'proxy-authorization': this.authorization } : {}) },
      ...(this.proxy.protocol === 'https:' ? trusted() : {}),
    });
    connect.once('connect', (response: IncomingMessage, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        callback(Object.assign(new Error(`Proxy response (${response.statusCode}) !== 200 when HTTP Tunneling`), { code: 'NP_PROXY_REFUSED', statusCode: response.statusCode }));
        return;
      }
      callback(null, tlsConnect({ ...options, socket, servername: options.servername ?? options.host }));
    });
    connect.once('error', (error) => callback(error));
    connect.end();
    return undefined;
  }
}

const UNTRUSTED = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED']);

/** The innermost cause of a network error (undici wraps the socket's error in "fetch failed"). */
function rootCause(error: unknown): { code?: string; message: string; statusCode?: number } {
  let current = error as { cause?: unknown; code?: string; message?: string; statusCode?: number } | undefined;
  for (let depth = 0; current?.cause && depth < 5; depth++) {
    current = current.cause as typeof current;
  }
  return { code: current?.code, message: current?.message ?? String(error), statusCode: current?.statusCode };
}

/**
 * Who issued the certificate a server presents (the CA that signed it: an inspecting proxy's, for
 * example), read by a TLS handshake alone (through the proxy when there is one): nothing is sent
 * over it. Undefined when it cannot be told within a few seconds.
 */
export async function certificateIssuer(url: string): Promise<string | undefined> {
  const target = new URL(url);
  const host = target.hostname;
  const port = Number(target.port || 443);
  const options = { host, port, servername: host, rejectUnauthorized: false };
  return new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 5000);
    timer.unref();
    const read = (socket: tls.TLSSocket): void => {
      socket.once('secureConnect', () => {
        const certificate = socket.getPeerCertificate();
        clearTimeout(timer);
        socket.destroy();
        const issuer = certificate?.issuer as Record<string, string | string[]> | undefined;
        const name = issuer?.CN ?? issuer?.O;
        resolve(Array.isArray(name) ? name.join(', ') : name);
      });
      socket.once('error', () => resolve(undefined));
    };
    const proxy = proxyFor(url);
    if (proxy) {
      new TunnelAgent(proxy.url, proxy.authorization, {}).createConnection(options, (error, socket) => (error || !socket ? resolve(undefined) : read(socket as tls.TLSSocket)));
    } else {
      read(tlsConnect({ ...options, ...(settings.lookup ? { lookup: settings.lookup } : {}) }));
    }
  });
}

/** explainNetworkError, naming the issuer of a certificate this machine does not trust (a handshake, no request). */
export async function explainNetworkFailure(error: unknown, url: string, shownUrl: string): Promise<NuGetPublisherError | undefined> {
  const explained = explainNetworkError(error, shownUrl);
  if (explained?.code !== 'NP4022') {
    return explained;
  }
  const issuer = await certificateIssuer(url).catch(() => undefined);
  return issuer ? explainNetworkError(error, shownUrl, issuer) : explained;
}

/**
 * A network failure that needs more than "cannot be reached": a proxy that wants credentials
 * (407) or refuses the tunnel, or a certificate this machine does not trust. Undefined otherwise.
 */
export function explainNetworkError(error: unknown, shownUrl: string, issuer?: string): NuGetPublisherError | undefined {
  const cause = rootCause(error);
  const proxy = proxyFor(shownUrl.startsWith('http') ? shownUrl : `https://${shownUrl}`);
  const proxyStatus = cause.statusCode ?? Number(/Proxy response \((\d{3})\)/.exec(cause.message)?.[1] ?? NaN);
  if (proxy && proxyStatus === 407) {
    return new NuGetPublisherError('NP4020', `The proxy ${proxy.url.host} wants credentials (407 Proxy Authentication Required) for ${shownUrl}${proxy.authorization ? '; the ones given were refused' : ''}.`, 'Give them in the proxy URL (http://user:password@host:port: HTTPS_PROXY for the CLI, http.proxy in VS Code) or in http.proxyAuthorization.');
  }
  if (proxy && Number.isFinite(proxyStatus)) {
    return new NuGetPublisherError('NP4021', `The proxy ${proxy.url.host} refused to connect to ${shownUrl} (${proxyStatus}).`, 'Ask your network administrator to allow the feed, or add its host to NO_PROXY / http.noProxy if it is reachable directly.');
  }
  if (cause.code && UNTRUSTED.has(cause.code)) {
    const where = settings.certificateSource ? ` (trusted here: Node's roots, NODE_EXTRA_CA_CERTS and ${settings.certificateSource})` : '';
    return new NuGetPublisherError('NP4022', `The TLS certificate of ${shownUrl}${issuer ? `, issued by "${issuer}",` : ''} is not trusted: ${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` (${cause.message})` : ''}${where}. Nothing was sent.`,
      'If your network inspects TLS, trust its certificate authority: in the CLI set NODE_EXTRA_CA_CERTS (or SSL_CERT_FILE) to its PEM file; in VS Code add it to the system store (http.systemCertificates). Verification is never turned off for you.');
  }
  return undefined;
}

/** Where Linux distributions keep the system's trusted certificates (Node before 22.15 has no API for them). */
const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/ca-bundle.pem', '/etc/ssl/cert.pem'];

/** The operating system's trusted certificates (PEM), as VS Code's http.systemCertificates trusts them. */
export function systemCertificates(): string | undefined {
  const fromNode = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates?.('system');
  if (fromNode && fromNode.length > 0) {
    return fromNode.join('\n');
  }
  const bundle = SYSTEM_BUNDLES.find((path) => existsSync(path));
  return bundle ? readFileSync(bundle, 'utf8') : undefined;
}
