/**
 * Publishing to nuget-server (npm), which has no PackagePublish resource: POST {base}/api/publish
 * with the raw .nupkg as the body and HTTP Basic credentials (user + API password).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { fetch } from 'undici';
import { NuGetPublisherError } from '../errors';
import { assertKeyMayGo, originOf } from './keySafety';
import type { PushResult } from './push';
import { pushError } from './pushErrors';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

export function basicAuthorization(credentials: BasicCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

export async function publishToNugetServer(options: { packagePath: string; base: string; credentials?: BasicCredentials; id: string; version: string; feedName: string; skipDuplicate?: boolean; signal?: AbortSignal; onProgress?: (sent: number, total: number) => void }): Promise<PushResult> {
  const url = `${options.base.replace(/\/+$/, '')}/api/publish`;
  if (options.credentials) {
    assertKeyMayGo(url, originOf(options.base));
  }
  const total = (await stat(options.packagePath)).size;
  let sent = 0;
  const source = createReadStream(options.packagePath, { highWaterMark: 256 * 1024 });
  source.on('data', (chunk: string | Buffer) => {
    sent += chunk.length;
    options.onProgress?.(sent, total);
  });
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...(options.credentials ? { authorization: basicAuthorization(options.credentials) } : {}) },
      body: Readable.toWeb(source) as unknown as ReadableStream,
      duplex: 'half',
      redirect: 'manual',
      signal: options.signal ?? AbortSignal.timeout(300_000),
    });
  } catch (error) {
    const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
    throw new NuGetPublisherError('NP2012', `The connection to ${originOf(url)} failed (${cause?.code ?? (error as Error).message}).`, 'Check the network and the feed URL, then try again.');
  }
  const body = await response.text().catch(() => '');
  if (response.status === 201) {
    return { outcome: 'created', status: 201, attempts: 1, warnings: [], notes: [] };
  }
  if (response.status === 200 || (response.status === 409 && options.skipDuplicate)) {
    // nuget-server answers 200 and ignores a duplicate under its default policy.
    return { outcome: 'skipped-duplicate', status: response.status, attempts: 1, warnings: [], notes: [`${options.feedName} already has ${options.id} ${options.version}; it kept the existing package.`] };
  }
  if (response.status === 401) {
    throw new NuGetPublisherError('NP2401', `${options.feedName} did not accept the user name and API password (401).`, 'Store the user name and an API password created in nuget-server\'s UI (NuGet: Replace Key).');
  }
  if (response.status === 403) {
    throw new NuGetPublisherError('NP2403', `${options.feedName} refused the publish: the user has no publish permission (403).`, 'Use a user with the publish or admin role.');
  }
  throw pushError({ status: response.status, reason: response.statusText, body }, options.id, options.version, options.feedName);
}
