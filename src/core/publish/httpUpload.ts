/**
 * Streamed uploads with node:http(s): the file is piped from disk with back-pressure and chunked
 * transfer (memory stays flat whatever the size), and the answer keeps the status line's reason
 * phrase (nuget.org often explains only there; fetch drops it). A server may answer early (413,
 * 401) and close: the answer wins over the broken upload.
 */
import { createReadStream } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';

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
 * One streamed request with node:http(s): the body is piped from disk with back-pressure and
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

/** Writes the framing and pipes the file in between (back-pressure from the socket, 1 MB reads). */
async function writeBody(body: UploadBody, request: NodeJS.WritableStream & { end(chunk: Buffer): void }): Promise<void> {
  request.write(body.head);
  const file = createReadStream(body.path, { highWaterMark: 4 * 1024 * 1024 });
  let sent = 0;
  file.on('data', (chunk: string | Buffer) => {
    sent += chunk.length;
    body.onProgress?.(sent, body.total);
  });
  await pipeline(file, request, { end: false });
  request.end(body.tail);
}

