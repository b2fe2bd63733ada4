/** Unlist (DELETE) and relist (POST) {PackagePublish}/{id}/{version}, with the key-safety rules. */
import { boundedFetch, BODY_CAPS } from '../http/boundedFetch';
import { SecretScrubber } from '../secrets/scrubber';
import { NuGetPublisherError } from '../errors';
import { endpointKeyOrigin, originOf } from '../http/keySafety';
import { isNugetOrgHost, serviceIndexUrl, v2PushUrl, type Feed } from '../feeds/feed';
import { flatVersions, sameVersion } from '../feeds/feedReads';
import { discover, hasResource, resourceUrl } from '../feeds/serviceIndex';
import { ConditionalFetcher } from '../http/conditionalFetch';
import { pushError } from './pushErrors';

export async function setListed(options: { publishUrl: string; id: string; version: string; listed: boolean; apiKey?: string; authorization?: string; keyOrigin?: string; feedName: string; signal?: AbortSignal; nugetOrg?: boolean }): Promise<number> {
  const url = `${options.publishUrl.replace(/\/+$/, '')}/${encodeURIComponent(options.id)}/${encodeURIComponent(options.version)}`;
  const scrubber = new SecretScrubber();
  scrubber.protect(options.apiKey);
  scrubber.protect(options.authorization?.replace(/^Basic /i, ''));
  const response = await boundedFetch(url, {
    method: options.listed ? 'POST' : 'DELETE',
    credentialOrigin: options.keyOrigin ?? originOf(options.publishUrl),
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
    throw pushError({ status: response.status, reason, body }, options.id, options.version, options.feedName, { nugetOrg: options.nugetOrg, keyProvided: options.apiKey !== undefined || options.authorization !== undefined });
  }
  return response.status;
}

export interface ListingResult {
  /** What the feed shows afterwards: still there but unlisted/relisted, or gone (a server that deletes). */
  /** 'unconfirmed': the server took the DELETE, but the feed cannot be read to tell unlisted from deleted. */
  readonly outcome: 'unlisted' | 'relisted' | 'deleted' | 'unconfirmed';
  readonly status: number;
  readonly note?: string;
}

/**
 * Unlist (DELETE) or relist (POST) a version on a V3 feed or a V2 push endpoint, then read the
 * feed's flat container to say truthfully what happened: some servers delete on DELETE.
 */
export async function changeListing(options: { feed: Feed; id: string; version: string; listed: boolean; apiKey?: string; authorization?: string; noServiceEndpoint?: boolean; signal?: AbortSignal; fetcher?: ConditionalFetcher }): Promise<ListingResult> {
  const { feed, id, version, listed } = options;
  const keyOrigin = new URL(feed.source).origin;
  const index = feed.kind === 'v2' ? undefined : await discover(serviceIndexUrl(feed), { headers: options.authorization ? { authorization: options.authorization } : undefined, signal: options.signal });
  const publishUrl = index ? resourceUrl(index, 'publish') : v2PushUrl(feed.source, options.noServiceEndpoint);
  const status = await setListed({ publishUrl, id, version, listed, apiKey: options.apiKey, authorization: options.authorization, keyOrigin: endpointKeyOrigin(publishUrl, keyOrigin), feedName: feed.name, signal: options.signal, nugetOrg: feed.kind === 'nuget.org' || isNugetOrgHost(feed.source) });
  if (listed) {
    return { outcome: 'relisted', status };
  }
  if (!index || !hasResource(index, 'packageBase')) {
    return { outcome: 'unconfirmed', status, note: `the server answered ${status}; ${index ? 'the feed has no flat container' : 'a V2 push URL cannot be read'}, so whether it unlisted or deleted the version is not known` };
  }
  const fetcher = options.fetcher ?? new ConditionalFetcher(options.authorization ? (origin) => (origin === keyOrigin ? options.authorization : undefined) : undefined);
  const still = (await flatVersions(fetcher, index, id, options.signal).catch(() => undefined))?.some((candidate) => sameVersion(candidate, version));
  return still === false ? { outcome: 'deleted', status } : { outcome: 'unlisted', status };
}
