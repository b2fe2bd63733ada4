/**
 * A small NuGet V3 push server for tests (nuget.org itself cannot run here). It follows
 * ../shared/docs/nuget-facts.md: service index with PackagePublish/2.0.0, PUT multipart push,
 * DELETE (unlist) and POST (relist) on {publish}/{id}/{version}. Answers can be scripted per
 * request (status, headers, dropped connection, stall, redirect); every request is recorded.
 * It earns its place because the real `dotnet nuget push` and `dotnet nuget delete` succeed
 * against it in the same test run.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Catalog } from './v3Catalog';

export type Scripted =
  | { readonly status: number; readonly statusText?: string; readonly headers?: Record<string, string>; readonly body?: string }
  | { readonly action: 'reset' }
  | { readonly action: 'stall' }
  | { readonly action: 'redirect'; readonly location: string };

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  /** For multipart pushes: the parts found. */
  readonly parts: { readonly headers: string; readonly data: Buffer }[];
  /** When the whole request had arrived, and when the answer was sent (ms, performance.now()). */
  readonly receivedAt?: number;
  answeredAt?: number;
}

export interface V3Server {
  readonly base: string;
  readonly index: string;
  /** Writes and key checks (reads of the catalog are in catalog.reads). */
  readonly requests: RecordedRequest[];
  /** The read side: flat container, registration, search; pushes land here. */
  readonly catalog: Catalog;
  readonly script: Scripted[];
  /** The most package pushes (PUT to PackagePublish) that were in progress at one time. */
  readonly maxConcurrentPushes: () => number;
  close(): Promise<void>;
}

function parseMultipart(contentType: string | undefined, body: Buffer): { headers: string; data: Buffer }[] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType ?? '')?.[1];
  if (!boundary) {
    return [];
  }
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { headers: string; data: Buffer }[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') {
      break;
    }
    const next = body.indexOf(delimiter, start);
    if (next < 0) {
      break;
    }
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    parts.push({ headers: part.subarray(0, split).toString('latin1'), data: part.subarray(split + 4) });
    at = next;
  }
  return parts;
}

export interface V3ServerOptions {
  /** When set, writes need one of these X-NuGet-ApiKey values (401 without a key, 403 otherwise), as nuget.org. */
  readonly validKeys?: readonly string[];
  /** Package ids the valid keys may push (for verifykey); all when unset. */
  readonly ownedIds?: readonly string[];
  /** "v2": no service index at all, only the V2 push endpoint {base}/api/v2/package (as many private servers). */
  readonly mode?: 'v3' | 'v2';
  /** Every symbol push gets this status (404: "the package is not known yet", forever). */
  readonly symbolStatus?: number;
  /** DELETE removes the version (a server configured to hard-delete) instead of unlisting it. */
  readonly deleteRemoves?: boolean;
  /** Every read (index, flat container, registration, search) needs this Authorization header, as GitHub Packages and Azure Artifacts do. */
  readonly readAuthorization?: string;
  /** A read-only feed (a mirror): the service index lists no PackagePublish, so it takes no pushes. */
  readonly readOnly?: boolean;
  /** Every answer leaves this long after its request arrived (a distant server, for the publish-plan benchmark and tests). */
  readonly latencyMs?: number;
  /** Serve HTTPS with this key and certificate, under this host name (the proxy tests: a name only the proxy resolves). */
  readonly tls?: { readonly key: string; readonly cert: string; readonly hostName: string };
}

/**
 * nuget.org's key check (NuGetGallery ApiController): POST {publish}/create-verification-key/{id}/{version}
 * with the key answers 200 {Key, Expires}; GET api/v2/verifykey/{id}/{version} with that temporary key
 * answers 200 when the key may push the id, 403 otherwise.
 */
function verification(req: IncomingMessage, res: ServerResponse, options: V3ServerOptions, temporaryKeys: Map<string, string>): boolean {
  const url = req.url ?? '';
  const key = String(req.headers['x-nuget-apikey'] ?? '');
  const create = /^\/api\/v2\/package\/create-verification-key\/([^/]+)\/([^/]+)$/.exec(url);
  if (req.method === 'POST' && create) {
    if (!key) {
      res.writeHead(401).end();
    } else if (options.validKeys && !options.validKeys.includes(key)) {
      res.writeHead(403, 'Forbidden').end();
    } else {
      const temporary = `verify-${temporaryKeys.size + 1}-${Date.now()}`;
      temporaryKeys.set(temporary, decodeURIComponent(create[1]));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Key: temporary, Expires: new Date(Date.now() + 86_400_000).toISOString() }));
    }
    return true;
  }
  const verify = /^\/api\/v2\/verifykey\/([^/]+)\/([^/]+)$/.exec(url);
  if (req.method === 'GET' && verify) {
    const id = decodeURIComponent(verify[1]);
    const owned = !options.ownedIds || options.ownedIds.some((candidate) => candidate.toLowerCase() === id.toLowerCase());
    res.writeHead(temporaryKeys.get(key)?.toLowerCase() === id.toLowerCase() && owned ? 200 : 403).end();
    return true;
  }
  return false;
}

export async function startV3Server(options: V3ServerOptions = {}): Promise<V3Server> {
  const temporaryKeys = new Map<string, string>();
  const requests: RecordedRequest[] = [];
  const script: Scripted[] = [];
  const stalled: ServerResponse[] = [];
  let base = '';
  const catalog = new Catalog();
  let pushesInFlight = 0;
  let maxConcurrentPushes = 0;
  const handler: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    const isPush = req.method === 'PUT' && (req.url ?? '').replace(/\/$/, '') === '/api/v2/package';
    if (isPush) {
      pushesInFlight++;
      maxConcurrentPushes = Math.max(maxConcurrentPushes, pushesInFlight);
      res.on('close', () => pushesInFlight--);
    }
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const receivedAt = performance.now();
      if (options.latencyMs) {
        await new Promise((resolve) => setTimeout(resolve, options.latencyMs)); // the simulated distance, not a wait of a test
      }
      if (req.method === 'GET' && options.readAuthorization && req.headers.authorization !== options.readAuthorization) {
        requests.push({ method: 'GET', url: req.url ?? '', headers: req.headers, body, parts: [] });
        res.writeHead(401, { 'www-authenticate': 'Basic realm="feed"' }).end();
        return;
      }
      if (req.method === 'GET' && req.url === '/v3/index.json' && options.mode === 'v2') {
        res.writeHead(404).end();
        return;
      }
      if (req.method === 'GET' && req.url === '/v3/index.json') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({
          version: '3.0.0',
          resources: [
            ...(options.readOnly ? [] : [
              { '@id': `${base}/api/v2/package`, '@type': 'PackagePublish/2.0.0' },
              { '@id': `${base}/api/v2/symbolpackage`, '@type': 'SymbolPackagePublish/4.9.0' },
            ]),
            { '@id': `${base}/v3-flatcontainer/`, '@type': 'PackageBaseAddress/3.0.0' },
            ...catalog.resources(),
          ],
        }));
        return;
      }
      if (req.method === 'GET' && catalog.handle(req, res)) {
        return;
      }
      const parts = parseMultipart(req.headers['content-type'], body);
      const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, parts, receivedAt };
      requests.push(recorded);
      res.on('finish', () => {
        recorded.answeredAt = performance.now();
      });
      if (verification(req, res, options, temporaryKeys)) {
        return;
      }
      const next = script.shift();
      if (next && 'action' in next) {
        if (next.action === 'reset') {
          req.socket.destroy();
        } else if (next.action === 'stall') {
          stalled.push(res);
        } else {
          res.writeHead(307, { location: next.location });
          res.end();
        }
        return;
      }
      const key = req.headers['x-nuget-apikey'];
      const keyProblem = options.validKeys && req.method !== 'GET' ? (key === undefined ? 401 : options.validKeys.includes(String(key)) ? 0 : 403) : 0;
      // dotnet sends the push URL with a trailing slash ("/api/v2/package/"); we send it without.
      const path = (req.url ?? '').replace(/\/$/, '');
      const pushed = req.method === 'PUT' && path === '/api/v2/package' && parts[0] ? await Catalog.identity(parts[0].data) : undefined;
      // nuget.org: a version that ever existed (unlisted included) is never taken again.
      const duplicate = pushed && catalog.has(pushed.id, pushed.version) ? 409 : 0;
      const symbols = req.method === 'PUT' && path === '/api/v2/symbolpackage' && options.symbolStatus ? options.symbolStatus : 0;
      const answer = next ?? (keyProblem ? { status: keyProblem } : duplicate ? { status: 409, statusText: 'Conflict' } : symbols ? { status: symbols } : { status: req.method === 'PUT' ? 201 : req.method === 'DELETE' ? 204 : 200 });
      const done = (): void => {
        // The standard reason phrase unless a test scripts another (an empty one confuses clients).
        res.writeHead(answer.status, answer.statusText || STATUS_CODES[answer.status] || '', answer.headers ?? {});
        res.end(answer.body ?? '');
      };
      // Successful writes change what the read side shows.
      const listing = /^\/api\/v2\/package\/([^/]+)\/([^/]+)$/.exec(req.url ?? '');
      if (answer.status >= 200 && answer.status < 300 && listing && (req.method === 'DELETE' || req.method === 'POST')) {
        if (req.method === 'DELETE' && options.deleteRemoves) {
          catalog.remove(decodeURIComponent(listing[1]), decodeURIComponent(listing[2]));
        } else {
          catalog.setListed(decodeURIComponent(listing[1]), decodeURIComponent(listing[2]), req.method === 'POST');
        }
      }
      if (answer.status >= 200 && answer.status < 300 && req.method === 'PUT' && path === '/api/v2/package' && parts[0]) {
        catalog.addPushed(parts[0].data).then(done, done);
        return;
      }
      done();
    });
  };
  const server: Server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = options.tls ? `https://${options.tls.hostName}:${(server.address() as AddressInfo).port}` : `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  catalog.setBase(base);
  return {
    base,
    index: `${base}/v3/index.json`,
    requests,
    catalog,
    script,
    maxConcurrentPushes: () => maxConcurrentPushes,
    close: async () => {
      stalled.forEach((res) => res.destroy());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
