/**
 * NuGet V3 service index discovery: GET {source}, version major 3, resources matched by exact
 * @type (a string or an array of strings), unknown properties ignored. Cached per source URL.
 */
import { boundedFetch, BODY_CAPS } from '../http/boundedFetch';
import { displayUrl } from '../secrets/scrubber';
import { NuGetPublisherError } from '../errors';
import { originOf } from '../http/keySafety';

export interface ServiceResource {
  readonly id: string;
  readonly types: readonly string[];
}

export interface ServiceIndex {
  readonly source: string;
  readonly resources: readonly ServiceResource[];
}

/** Resource types in order of preference, per capability. */
export const RESOURCE_TYPES = {
  publish: ['PackagePublish/2.0.0'],
  symbolPublish: ['SymbolPackagePublish/4.9.0'],
  packageBase: ['PackageBaseAddress/3.0.0'],
  registrations: ['RegistrationsBaseUrl/3.6.0', 'RegistrationsBaseUrl/3.4.0', 'RegistrationsBaseUrl/3.0.0-rc', 'RegistrationsBaseUrl/3.0.0-beta', 'RegistrationsBaseUrl'],
  search: ['SearchQueryService/3.5.0', 'SearchQueryService/3.0.0-rc', 'SearchQueryService/3.0.0-beta', 'SearchQueryService'],
  packageDetails: ['PackageDetailsUriTemplate/5.1.0'],
  ownerDetails: ['OwnerDetailsUriTemplate/6.11.0'],
} as const;

export type Capability = keyof typeof RESOURCE_TYPES;

const WHAT: Record<Capability, string> = {
  publish: 'push, unlist or relist packages (no PackagePublish/2.0.0): the feed is read-only through the NuGet protocol',
  symbolPublish: 'take symbol packages (no SymbolPackagePublish/4.9.0)',
  packageBase: 'serve package contents (no PackageBaseAddress/3.0.0)',
  registrations: 'serve package metadata (no RegistrationsBaseUrl)',
  search: 'search (no SearchQueryService)',
  packageDetails: 'link to package pages (no PackageDetailsUriTemplate/5.1.0)',
  ownerDetails: 'link to owner pages (no OwnerDetailsUriTemplate/6.11.0)',
};

/** Parses a service index document; throws a clear error for anything that is not one. */
export function parseServiceIndex(source: string, text: string): ServiceIndex {
  const shown = displayUrl(source);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new NuGetPublisherError('NP3001', `${shown} did not return JSON, so it is not a NuGet V3 service index.`, 'Use the feed\'s index.json URL (e.g. https://api.nuget.org/v3/index.json).');
  }
  const { version, resources } = (document ?? {}) as { version?: unknown; resources?: unknown };
  if (typeof version !== 'string' || version.split('.')[0] !== '3') {
    throw new NuGetPublisherError('NP3002', `${shown} declares service index version ${String(version)}; only version 3 is supported.`, 'Use the feed\'s V3 URL (ending in /v3/index.json); V2 feeds are not supported.');
  }
  if (!Array.isArray(resources)) {
    throw new NuGetPublisherError('NP3003', `${shown} has no "resources" list.`, 'Check the URL: it must be the feed\'s service index.');
  }
  const parsed: ServiceResource[] = [];
  for (const resource of resources as unknown[]) {
    const { '@id': id, '@type': type } = (resource ?? {}) as Record<string, unknown>;
    const types = typeof type === 'string' ? [type] : Array.isArray(type) ? type.filter((item): item is string => typeof item === 'string') : [];
    if (typeof id === 'string' && types.length > 0) {
      parsed.push({ id, types });
    }
  }
  return { source, resources: parsed };
}

/** The URL for a capability (first preferred @type present), or a clear error naming what is missing. */
export function resourceUrl(index: ServiceIndex, capability: Capability): string {
  for (const type of RESOURCE_TYPES[capability]) {
    const found = index.resources.find((resource) => resource.types.includes(type));
    if (found) {
      return found.id;
    }
  }
  throw new NuGetPublisherError('NP3004', `The feed ${displayUrl(index.source)} cannot ${WHAT[capability]}.`, capability === 'publish' ? 'Publish to another feed, or use the server\'s own upload page or API.' : 'Use a feed that offers it.');
}

export function hasResource(index: ServiceIndex, capability: Capability): boolean {
  return RESOURCE_TYPES[capability].some((type) => index.resources.some((resource) => resource.types.includes(type)));
}

const cache = new Map<string, { index: ServiceIndex; at: number }>();

/** Fetches (or returns a cached, < 30 min old) service index. Authorization headers are the caller's. */
export async function discover(source: string, options: { headers?: Record<string, string>; signal?: AbortSignal; maxAgeMs?: number } = {}): Promise<ServiceIndex> {
  const cached = cache.get(source);
  if (cached && Date.now() - cached.at < (options.maxAgeMs ?? 30 * 60_000)) {
    return cached.index;
  }
  // Credentials go only to the source's own origin: with them, redirects are not followed.
  const withCredentials = options.headers !== undefined && Object.keys(options.headers).some((name) => name.toLowerCase() === 'authorization');
  if (withCredentials) {
  }
  const response = await boundedFetch(source, {
    headers: { accept: 'application/json', ...options.headers },
    credentialOrigin: originOf(source),
    signal: options.signal,
    deadlineMs: 30_000,
    followRedirects: !withCredentials,
    maxBytes: BODY_CAPS.serviceIndex,
    codes: { unreachable: 'NP3005', tooLarge: 'NP3009' },
  });
  const text = response.body;
  const shown = displayUrl(source);
  if (response.status >= 300 && response.status < 400) {
    throw new NuGetPublisherError('NP3008', `${shown} redirected to ${displayUrl(response.headers.get('location') ?? 'another address')}; credentials were not sent there.`, 'Configure the feed with the URL it redirects to.');
  }
  if (response.status === 401 || response.status === 403) {
    throw new NuGetPublisherError('NP3006', `${shown} wants credentials to read its service index (${response.status}).`, 'Store a key or credentials for this feed (GitHub Packages and Azure Artifacts need them even to read).');
  }
  if (response.status < 200 || response.status >= 300) {
    throw new NuGetPublisherError('NP3007', `${shown} answered ${response.status} ${response.statusText}.`, 'Check the URL: it must be the feed\'s service index (index.json).');
  }
  const index = parseServiceIndex(source, text);
  cache.set(source, { index, at: Date.now() });
  return index;
}
