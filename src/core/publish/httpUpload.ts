/**
 * Streamed uploads with node:http(s): the file is read from disk into two reused buffers and sent
 * with chunked transfer (memory stays flat whatever the size), and the answer keeps the status line's reason
 * phrase (nuget.org often explains only there; fetch drops it). A server may answer early (413,
 * 401) and close: the answer wins over the broken upload.
 */
import { open } from 'node:fs/promises';
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

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
export function upload(method: 'PUT' | 'POST', url: string, headers: Record<string, string>, body: UploadBody, timeoutMs: number, signal?: AbortSignal): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(target, { method, headers, signal });
    request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: TIMEOUT_CODE })));
    // An early answer and the reset of the upload can arrive in either order: give the answer a moment.
    request.on('error', (error) => setTimeout(() => reject(error), 150));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < MAX_ANSWER_BYTES) {
          chunks.push(chunk);
          size += chunk.length;
        }
      });
      response.on('error', reject);
      response.on('end', () => resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // An early answer (401, 413...) may end the upload; the answer, not the broken pipe, counts.
    writeBody(body, request).catch(() => undefined);
  });
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
    const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
    let previous: Promise<void> = Promise.resolve();
    let sent = 0;
    for (let index = 0; ; index++) {
      const buffer = buffers[index % 2];
      const { bytesRead } = await file.read(buffer, 0, CHUNK_BYTES, null);
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
