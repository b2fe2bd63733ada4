/**
 * Streamed uploads with node:http(s): the file is read from disk into two reused buffers and sent
 * with chunked transfer (memory stays flat whatever the size), and the answer keeps the status line's reason
 * phrase (nuget.org often explains only there; fetch drops it). A server may answer early (413,
 * 401) and close: the answer wins over the broken upload.
 */
import { open } from 'node:fs/promises';
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { httpsAgentFor, networkSettings, userAgent } from './network';
import { assertCredentialsMayGo, carriesCredentials } from './keySafety';

export const TIMEOUT_CODE = 'NP_TIMEOUT';
const MAX_ANSWER_BYTES = 64 * 1024;

export interface HttpAnswer {
  readonly status: number;
  /** The reason phrase: nuget.org often puts the only explanation there. */
  readonly statusText: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * One streamed request with node:http(s): the body is streamed from disk with back-pressure and
 * chunked transfer (memory stays flat), and the reason phrase of the status line is kept
 * (fetch drops it in practice, and undici's request API does not expose it).
 */
export interface UploadTiming {
  /** No byte sent or received for this long: the request fails. */
  readonly idleMs: number;
  /** The whole request, answer included (default: uploadDeadlineMs of the size). */
  readonly deadlineMs?: number;
  /** How long the answer's body may take after its status line (default ANSWER_BODY_WAIT_MS). */
  readonly bodyWaitMs?: number;
  readonly signal?: AbortSignal;
  /** The origin the credentials in the headers belong to (required with credentials: keySafety.ts). */
  readonly credentialOrigin?: string;
}

export function upload(method: 'PUT' | 'POST', url: string, headers: Record<string, string>, body: UploadBody, timing: UploadTiming): Promise<HttpAnswer> {
  const { idleMs: timeoutMs, signal } = timing;
  // The door's own check: credentials go only to their origin (or its named pair), over HTTPS.
  if (carriesCredentials(headers)) {
    try {
      assertCredentialsMayGo(url, timing.credentialOrigin);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    // https goes through the network's agent for the URL (a CONNECT tunnel when a proxy is set).
    const request = target.protocol === 'https:'
      ? httpsRequest(target, { method, headers: { 'user-agent': userAgent(), ...headers }, signal, agent: httpsAgentFor(url) })
      : httpRequest(target, { method, headers: { 'user-agent': userAgent(), ...headers }, signal, ...(networkSettings().lookup ? { lookup: networkSettings().lookup } : {}) });
    let answered = false;
    const fail = (error: Error): void => {
      clearTimeout(deadline);
      reject(error);
    };
    // The idle timeout catches a silent server; the deadline a slow one (a trickle of bytes).
    request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: TIMEOUT_CODE })));
    const deadlineMs = timing.deadlineMs ?? uploadDeadlineMs(body.total);
    const deadline = setTimeout(() => request.destroy(Object.assign(new Error(`not done within ${Math.round(deadlineMs / 1000)} s`), { code: TIMEOUT_CODE })), deadlineMs);
    // An early answer and the reset of the upload can arrive in either order: give the answer a moment.
    request.on('error', (error) => setTimeout(() => {
      if (!answered) {
        fail(error);
      }
    }, 150));
    request.on('response', (response) => {
      // From here on the server has answered: nothing below may turn into a retry of the upload.
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const finish = (): void => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(deadline);
        clearTimeout(bodyWait);
        resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (!response.complete) {
          response.destroy();
          request.destroy();
        }
      };
      // The status is the answer; the body only explains it. An endless, stalled or huge body is cut.
      const bodyWait = setTimeout(finish, timing.bodyWaitMs ?? ANSWER_BODY_WAIT_MS);
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - size));
        size += chunk.length;
        if (size >= MAX_ANSWER_BYTES) {
          finish();
        }
      });
      response.on('error', finish);
      response.on('aborted', finish);
      response.on('end', finish);
      response.on('close', finish);
    });
    // An early answer (401, 413...) may end the upload; the answer, not the broken pipe, counts.
    writeBody(body, request).catch(() => undefined);
  });
}

/** How long the body of an answer may take once its status line arrived. */
export const ANSWER_BODY_WAIT_MS = 10_000;
/** Slowest upload accepted: 100 KB/s, and never less than two minutes in all. */
const MIN_UPLOAD_BYTES_PER_SECOND = 100 * 1024;
const MIN_UPLOAD_DEADLINE_MS = 120_000;

/** The overall deadline of an upload of `total` bytes (the server's answer included). */
export function uploadDeadlineMs(total: number): number {
  return Math.max(MIN_UPLOAD_DEADLINE_MS, Math.ceil((total / MIN_UPLOAD_BYTES_PER_SECOND) * 1000));
}

/** What to upload: optional framing around a file streamed from disk. */
export interface UploadBody {
  readonly head: Buffer;
  readonly path: string;
  readonly tail: Buffer;
  readonly total: number;
  readonly onProgress?: (sent: number, total: number) => void;
}

const CHUNK_BYTES = 1024 * 1024;

/**
 * Writes the framing and the file in between from two reused 1 MB buffers: the next chunk is read
 * from disk while the previous one is written, and a buffer is refilled only after its write has
 * been handed to the socket. Memory stays at 2 MB whatever the size, with no per-chunk allocation
 * (a createReadStream pipe allocates every chunk and ran at half of curl's throughput).
 */
async function writeBody(body: UploadBody, request: ClientRequest): Promise<void> {
  request.write(body.head);
  const file = await open(body.path, 'r');
  try {
    // A small package needs small buffers (a release of many small packages allocated 2 MB per push).
    const size = Math.max(1, Math.min(CHUNK_BYTES, body.total));
    const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
    let previous: Promise<void> = Promise.resolve();
    let sent = 0;
    for (let index = 0; ; index++) {
      const buffer = buffers[index % 2];
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      await previous;
      if (bytesRead === 0) {
        break;
      }
      if (request.destroyed) {
        throw new Error('the request was closed');
      }
      previous = new Promise<void>((resolve, reject) => {
        request.write(buffer.subarray(0, bytesRead), (error) => {
          if (error) {
            reject(error);
            return;
          }
          sent += bytesRead;
          body.onProgress?.(sent, body.total);
          resolve();
        });
      });
      // Awaited on the next turn; until then a rejection must not count as unhandled.
      previous.catch(() => undefined);
    }
    request.end(body.tail);
  } finally {
    await file.close();
  }
}
