/**
 * Downloads a .nupkg from a feed's flat container to a file: streamed, capped in size, written to
 * a temporary name and renamed, so a dropped connection leaves nothing half written.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fetch } from 'undici';
import { dispatcherFor, explainNetworkFailure, userAgent } from './network';
import { NuGetPublisherError } from '../errors';
import { displayUrl } from '../secrets/scrubber';
import { assertCredentialsMayGo, originOf } from './keySafety';
import { resourceUrl, type ServiceIndex } from '../feeds/serviceIndex';
import { normalizedLower } from '../feeds/explorerModel';

export const MAX_DOWNLOAD_BYTES = 300 * 1024 * 1024;

/**
 * Where a version's .nupkg is: the protocol uses the lower-case normalized version; servers that
 * store versions as pushed (nuget-server: "1.0.0-rc.1+build.5") need that spelling, so it comes second.
 */
export function packageContentUrls(index: ServiceIndex, id: string, version: string): string[] {
  const base = resourceUrl(index, 'packageBase').replace(/\/?$/, '/');
  const lowerId = id.toLowerCase();
  return [...new Set([normalizedLower(version), version.toLowerCase()])].map((lowerVersion) => `${base}${lowerId}/${lowerVersion}/${lowerId}.${lowerVersion}.nupkg`);
}

export async function downloadTo(url: string, destination: string, options: { authorization?: string; credentialOrigin?: string; signal?: AbortSignal; maxBytes?: number } = {}): Promise<void> {
  if (options.authorization) {
    assertCredentialsMayGo(url, options.credentialOrigin);
  }
  const response = await fetch(url, { headers: { 'user-agent': userAgent(), ...(options.authorization ? { authorization: options.authorization } : {}) }, redirect: options.authorization ? 'manual' : 'follow', dispatcher: dispatcherFor(url), signal: options.signal ?? AbortSignal.timeout(300_000) }).catch(async (error: unknown) => {
    throw (await explainNetworkFailure(error, url, displayUrl(url))) ?? new NuGetPublisherError('NP4010', `${originOf(url)} cannot be reached (${(error as { cause?: NodeJS.ErrnoException }).cause?.code ?? (error as Error).message}).`, 'Check the network and try again.');
  });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new NuGetPublisherError(response.status === 404 ? 'NP4014' : 'NP4011', `The download of ${displayUrl(url)} answered ${response.status}.`, response.status === 404 ? 'The version may still be validating, or was never pushed.' : 'Check the feed and your key.');
  }
  const max = options.maxBytes ?? MAX_DOWNLOAD_BYTES;
  let received = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      done(received > max ? new NuGetPublisherError('NP4012', `The package is larger than ${Math.round(max / 1048576)} MB.`, 'nuget.org packages are at most 250 MB; check the feed.') : null, chunk);
    },
  });
  await mkdir(dirname(destination), { recursive: true });
  const temporary = `${destination}.${process.pid}.part`;
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), cap, createWriteStream(temporary));
    await rename(temporary, destination);
  } catch (error) {
    await rm(temporary, { force: true });
    if (error instanceof NuGetPublisherError) {
      throw error;
    }
    throw new NuGetPublisherError('NP4013', `The download of ${displayUrl(url)} broke off (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); nothing was kept.`, 'Try again.');
  }
}

/**
 * Downloads a version's .nupkg from the feed's flat container, trying the normalized spelling and
 * then the feed's own (see packageContentUrls). Credentials go only to the feed's own origin.
 */
export async function downloadVersion(index: ServiceIndex, id: string, version: string, destination: string, options: { feedOrigin: string; authorization?: string; signal?: AbortSignal }): Promise<string> {
  const urls = packageContentUrls(index, id, version);
  for (const [position, url] of urls.entries()) {
    try {
      await downloadTo(url, destination, { authorization: new URL(url).origin === options.feedOrigin ? options.authorization : undefined, credentialOrigin: options.feedOrigin, signal: options.signal });
      return url;
    } catch (error) {
      // 404 for this spelling: try the next one.
      if (!(error instanceof NuGetPublisherError && error.code === 'NP4014' && position < urls.length - 1)) {
        throw error;
      }
    }
  }
  throw new NuGetPublisherError('NP4014', `${id} ${version} is not in the feed's flat container.`, 'The version may still be validating, or was never pushed.');
}
