/**
 * A hostile NuGet server for security tests: one misbehaviour per mode, on 127.0.0.1. It serves a
 * service index with PackagePublish (so our push and unlist reach it) and then misbehaves:
 * - echo-key:      every answer repeats the X-NuGet-ApiKey / Authorization it got, in the reason
 *                  phrase, the body and an X-NuGet-Warning header (403 for writes, or 201 with `status`);
 * - endless-index: the service index body never ends (1 MB chunks until the client gives up);
 * - huge-index:    the service index declares 700 MB and sends it;
 * - trickle:       the service index trickles one byte every 200 ms;
 * - stall-after-headers: a push gets "201 Created" headers, then the body never comes;
 * - endless-answer: a push gets 403 and an endless body;
 * - slow-reader:   a push is read at 1 KB/s (the upload can never finish in time).
 * Every request is counted per method, and the bytes it sent are counted, so tests can assert
 * that the client stopped early.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HostileMode = 'echo-key' | 'endless-index' | 'huge-index' | 'trickle' | 'stall-after-headers' | 'endless-answer' | 'slow-reader';

export interface HostileServer {
  readonly base: string;
  readonly index: string;
  readonly requests: { method: string; url: string }[];
  /** Bytes of response bodies written so far. */
  sent: number;
  close(): Promise<void>;
}

const MB = 1024 * 1024;

export async function startHostileServer(mode: HostileMode, options: { status?: number } = {}): Promise<HostileServer> {
  const open = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const state: HostileServer = { base: '', index: '', requests: [], sent: 0, close: async () => undefined };
  const serveIndex = (response: ServerResponse): void => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({
      version: '3.0.0',
      resources: [
        { '@id': `${state.base}/api/v2/package`, '@type': 'PackagePublish/2.0.0' },
        { '@id': `${state.base}/flat/`, '@type': 'PackageBaseAddress/3.0.0' },
      ],
    }));
  };
  const endless = (response: ServerResponse, status: number, headers: Record<string, string> = {}): void => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    const chunk = Buffer.alloc(MB, 0x20);
    const pump = (): void => {
      while (!response.destroyed && response.write(chunk)) {
        state.sent += chunk.length;
      }
      state.sent += chunk.length;
    };
    response.on('drain', pump);
    pump();
  };
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    open.add(response);
    response.on('close', () => open.delete(response));
    state.requests.push({ method: request.method ?? '', url: request.url ?? '' });
    const isIndex = request.url === '/v3/index.json';
    const secret = String(request.headers['x-nuget-apikey'] ?? request.headers.authorization ?? '');
    if (mode === 'echo-key') {
      if (isIndex) {
        serveIndex(response);
        return;
      }
      request.resume();
      request.on('end', () => {
        const status = options.status ?? 403;
        response.statusMessage = `Key ${secret} is not allowed`;
        response.writeHead(status, { 'x-nuget-warning': `The key ${secret} expires soon.`, 'content-type': 'text/plain' });
        response.end(`The API key '${secret}' was refused. Authorization: ${secret}`);
      });
      return;
    }
    if (mode === 'endless-index' && isIndex) {
      endless(response, 200);
      return;
    }
    if (mode === 'huge-index' && isIndex) {
      endless(response, 200, { 'content-length': String(700 * MB) });
      return;
    }
    if (mode === 'trickle' && isIndex) {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => {
        response.write(' ');
        state.sent++;
      }, 200);
      timers.add(timer);
      response.on('close', () => clearInterval(timer));
      return;
    }
    if (isIndex) {
      serveIndex(response);
      return;
    }
    if (mode === 'stall-after-headers') {
      request.resume();
      request.on('end', () => {
        response.writeHead(201, { 'content-type': 'text/plain', 'content-length': '100' });
        response.write('created, and then nothing more');
      });
      return;
    }
    if (mode === 'endless-answer') {
      request.resume();
      request.on('end', () => endless(response, 403));
      return;
    }
    if (mode === 'slow-reader') {
      // Read 1 KB per second: an upload of any size takes far longer than a test allows.
      request.pause();
      const timer = setInterval(() => request.read(1024), 1000);
      timers.add(timer);
      request.on('close', () => clearInterval(timer));
      return;
    }
    response.writeHead(404).end();
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  Object.assign(state, {
    base: `http://127.0.0.1:${port}`,
    index: `http://127.0.0.1:${port}/v3/index.json`,
    close: async () => {
      timers.forEach((timer) => clearInterval(timer));
      open.forEach((response) => response.destroy());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  return state;
}
