/** Unlist (DELETE) and relist (POST) {PackagePublish}/{id}/{version}, with the key-safety rules. */
import { boundedFetch, BODY_CAPS } from '../http/boundedFetch';
import { SecretScrubber } from '../secrets/scrubber';
import { NuGetPublisherError } from '../errors';
import { assertKeyMayGo, originOf } from './keySafety';
import { pushError } from './pushErrors';

export async function setListed(options: { publishUrl: string; id: string; version: string; listed: boolean; apiKey?: string; authorization?: string; keyOrigin?: string; feedName: string; signal?: AbortSignal }): Promise<number> {
  const url = `${options.publishUrl.replace(/\/+$/, '')}/${encodeURIComponent(options.id)}/${encodeURIComponent(options.version)}`;
  if (options.apiKey !== undefined || options.authorization !== undefined) {
    assertKeyMayGo(url, options.keyOrigin ?? originOf(options.publishUrl));
  }
  const scrubber = new SecretScrubber();
  scrubber.protect(options.apiKey);
  scrubber.protect(options.authorization?.replace(/^Basic /i, ''));
  const response = await boundedFetch(url, {
    method: options.listed ? 'POST' : 'DELETE',
    headers: { 'x-nuget-protocol-version': '4.1.0', ...(options.apiKey !== undefined ? { 'x-nuget-apikey': options.apiKey } : {}), ...(options.authorization !== undefined ? { authorization: options.authorization } : {}) },
    signal: options.signal,
    deadlineMs: 60_000,
    maxBytes: BODY_CAPS.error,
    codes: { unreachable: 'NP2012', tooLarge: 'NP2013' },
  });
  // A server may echo the key back: it is removed before any text leaves this function.
  const body = scrubber.scrub(response.body);
  const reason = scrubber.scrub(response.statusText);
  if (response.status >= 300 && response.status < 400) {
    throw new NuGetPublisherError('NP2003', `${options.feedName} redirected the ${options.listed ? 'relist' : 'unlist'} request; the key was not sent further.`, 'Use the feed URL the server expects.');
  }
  if (response.status === 404) {
    throw new NuGetPublisherError('NP2404', `${options.feedName} has no ${options.id} ${options.version} (404).`, 'Check the id and version (the package may still be validating).');
  }
  if (response.status < 200 || response.status >= 300) {
    throw pushError({ status: response.status, reason, body }, options.id, options.version, options.feedName);
  }
  return response.status;
}
