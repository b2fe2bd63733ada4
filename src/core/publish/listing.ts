/** Unlist (DELETE) and relist (POST) {PackagePublish}/{id}/{version}, with the key-safety rules. */
import { fetch } from 'undici';
import { NuGetPublisherError } from '../errors';
import { assertKeyMayGo, originOf } from './keySafety';
import { pushError } from './pushErrors';

export async function setListed(options: { publishUrl: string; id: string; version: string; listed: boolean; apiKey?: string; authorization?: string; keyOrigin?: string; feedName: string; signal?: AbortSignal }): Promise<number> {
  const url = `${options.publishUrl.replace(/\/+$/, '')}/${encodeURIComponent(options.id)}/${encodeURIComponent(options.version)}`;
  if (options.apiKey !== undefined || options.authorization !== undefined) {
    assertKeyMayGo(url, options.keyOrigin ?? originOf(options.publishUrl));
  }
  let response;
  try {
    response = await fetch(url, {
      method: options.listed ? 'POST' : 'DELETE',
      headers: { 'x-nuget-protocol-version': '4.1.0', ...(options.apiKey !== undefined ? { 'x-nuget-apikey': options.apiKey } : {}), ...(options.authorization !== undefined ? { authorization: options.authorization } : {}) },
      redirect: 'manual',
      signal: options.signal ?? AbortSignal.timeout(60_000),
    });
  } catch (error) {
    const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
    throw new NuGetPublisherError('NP2012', `The connection to ${originOf(url)} failed (${cause?.code ?? (error as Error).message}).`, 'Check the network and the feed URL.');
  }
  const body = await response.text().catch(() => '');
  if (response.status >= 300 && response.status < 400) {
    throw new NuGetPublisherError('NP2003', `${options.feedName} redirected the ${options.listed ? 'relist' : 'unlist'} request; the key was not sent further.`, 'Use the feed URL the server expects.');
  }
  if (response.status === 404) {
    throw new NuGetPublisherError('NP2404', `${options.feedName} has no ${options.id} ${options.version} (404).`, 'Check the id and version (the package may still be validating).');
  }
  if (!response.ok) {
    throw pushError({ status: response.status, reason: response.statusText, body }, options.id, options.version, options.feedName);
  }
  return response.status;
}
