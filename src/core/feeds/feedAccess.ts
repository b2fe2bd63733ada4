/**
 * Reading a feed with the credentials its origin needs (GitHub Packages and Azure Artifacts want
 * them even to read): one credential lookup by origin, used for the service index and for every
 * document read after it (flat container, registration, search, downloads). Credentials only ever
 * go to the feed's own origin.
 */
import { feedOrigin, serviceIndexUrl, type Feed } from './feed';
import { discover, type ServiceIndex } from './serviceIndex';
import { ConditionalFetcher, type AuthFor } from '../track/conditionalFetch';

/** The Authorization header for reads of `feed`, by origin (undefined: read anonymously). */
export type ReadCredentials = AuthFor;

/** A fetcher that adds the feed's read credentials to requests for the feed's own origin. */
export function feedFetcher(feed: Feed, credentials?: ReadCredentials): ConditionalFetcher {
  const origin = feedOrigin(feed);
  return new ConditionalFetcher(credentials && origin ? (candidate) => (candidate === origin ? credentials(candidate) : undefined) : undefined);
}

/** The feed's service index, read with its credentials when it has some. */
export async function discoverFeed(feed: Feed, credentials?: ReadCredentials, options: { signal?: AbortSignal; maxAgeMs?: number } = {}): Promise<ServiceIndex> {
  const origin = feedOrigin(feed);
  const authorization = origin ? await credentials?.(origin) : undefined;
  return discover(serviceIndexUrl(feed), { ...options, headers: authorization ? { authorization } : undefined });
}
