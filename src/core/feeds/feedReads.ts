/**
 * Reading a V3 feed: flat container versions, registration metadata (inlined or paged), search,
 * and the package page link. Tolerant of servers that differ from nuget.org: nuget-server keeps
 * versions un-normalized, answers 200 {"versions":[]} for unknown ids, and 404s registration
 * leaves (the registration index is used instead).
 */
import type { ConditionalFetcher } from '../http/conditionalFetch';
import { normalizeVersion, parseVersion } from '../version';
import { hasResource, resourceUrl, type ServiceIndex } from './serviceIndex';
import { safeExternalUrl } from './packagePaths';

export function sameVersion(a: string, b: string): boolean {
  const [pa, pb] = [parseVersion(a), parseVersion(b)];
  return pa !== undefined && pb !== undefined ? normalizeVersion(pa).toLowerCase() === normalizeVersion(pb).toLowerCase() : a.toLowerCase() === b.toLowerCase();
}

function base(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Versions listed by the flat container (unlisted ones included), as the server spells them. */
export async function flatVersions(fetcher: ConditionalFetcher, index: ServiceIndex, id: string, signal?: AbortSignal): Promise<string[]> {
  const document = await fetcher.json<{ versions?: unknown }>(`${base(resourceUrl(index, 'packageBase'))}${id.toLowerCase()}/index.json`, signal);
  return Array.isArray(document?.versions) ? document.versions.filter((version): version is string => typeof version === 'string') : [];
}

export interface RegistrationVersion {
  readonly version: string;
  readonly listed: boolean;
  readonly published?: string;
  readonly deprecated?: string;
  readonly description?: string;
}

interface RegistrationLeaf {
  readonly catalogEntry?: { version?: string; listed?: boolean; published?: string; description?: string; deprecation?: { reasons?: string[]; message?: string } } | string;
}

interface RegistrationPage {
  readonly '@id'?: string;
  readonly items?: RegistrationLeaf[];
  readonly count?: number;
}

function toVersion(leaf: RegistrationLeaf): RegistrationVersion | undefined {
  const entry = typeof leaf.catalogEntry === 'object' ? leaf.catalogEntry : undefined;
  if (!entry?.version) {
    return undefined;
  }
  // nuget.org marks unlisted versions with listed:false (and once with a 1900 published date).
  const listed = entry.listed !== false && !(entry.published ?? '').startsWith('1900-');
  const deprecation = entry.deprecation ? [entry.deprecation.reasons?.join(', '), entry.deprecation.message].filter(Boolean).join(': ') || 'deprecated' : undefined;
  return { version: entry.version, listed, published: entry.published, deprecated: deprecation, description: entry.description };
}

/** Every version in the registration index, fetching pages that are not inlined (nuget.org pages by 64). */
export async function registrationVersions(fetcher: ConditionalFetcher, index: ServiceIndex, id: string, signal?: AbortSignal): Promise<RegistrationVersion[] | undefined> {
  if (!hasResource(index, 'registrations')) {
    return undefined;
  }
  const document = await fetcher.json<{ items?: RegistrationPage[] }>(`${base(resourceUrl(index, 'registrations'))}${id.toLowerCase()}/index.json`, signal);
  if (!document) {
    return undefined;
  }
  const versions: RegistrationVersion[] = [];
  for (const page of document.items ?? []) {
    const leaves = page.items ?? (page['@id'] ? (await fetcher.json<RegistrationPage>(page['@id'], signal))?.items : undefined) ?? [];
    for (const leaf of leaves) {
      const version = toVersion(leaf);
      if (version) {
        versions.push(version);
      }
    }
  }
  return versions;
}

/** Is the version's metadata live? The leaf when the server has leaves, else the index. */
export async function registrationHas(fetcher: ConditionalFetcher, index: ServiceIndex, id: string, version: string, signal?: AbortSignal): Promise<boolean> {
  if (!hasResource(index, 'registrations')) {
    return false;
  }
  const parsed = parseVersion(version);
  const lower = (parsed ? normalizeVersion(parsed) : version).toLowerCase();
  const leaf = await fetcher.json<unknown>(`${base(resourceUrl(index, 'registrations'))}${id.toLowerCase()}/${lower}.json`, signal);
  if (leaf) {
    return true;
  }
  return (await registrationVersions(fetcher, index, id, signal))?.some((candidate) => sameVersion(candidate.version, version)) ?? false;
}

export interface SearchHit {
  readonly id: string;
  readonly version: string;
  readonly description?: string;
  readonly versions: readonly { version: string; downloads?: number }[];
  readonly owners: readonly string[];
  readonly verified: boolean;
  readonly totalDownloads?: number;
}

export async function search(fetcher: ConditionalFetcher, index: ServiceIndex, query: { q: string; skip?: number; take?: number }, signal?: AbortSignal): Promise<{ totalHits: number; data: SearchHit[] }> {
  const url = new URL(resourceUrl(index, 'search'));
  url.searchParams.set('q', query.q);
  url.searchParams.set('skip', String(query.skip ?? 0));
  url.searchParams.set('take', String(query.take ?? 50));
  url.searchParams.set('prerelease', 'true');
  url.searchParams.set('semVerLevel', '2.0.0');
  const document = await fetcher.json<{ totalHits?: number; data?: Record<string, unknown>[] }>(url.toString(), signal);
  const data = (document?.data ?? []).filter((hit) => typeof hit.id === 'string').map((hit): SearchHit => ({
    id: hit.id as string,
    version: typeof hit.version === 'string' ? hit.version : '',
    description: typeof hit.description === 'string' ? hit.description : undefined,
    versions: Array.isArray(hit.versions) ? (hit.versions as { version?: unknown; downloads?: unknown }[]).filter((entry) => typeof entry.version === 'string').map((entry) => ({ version: entry.version as string, downloads: typeof entry.downloads === 'number' ? entry.downloads : undefined })) : [],
    // nuget.org: owners is an array (a string on some older servers).
    owners: Array.isArray(hit.owners) ? (hit.owners as unknown[]).filter((owner): owner is string => typeof owner === 'string') : typeof hit.owners === 'string' ? [hit.owners] : [],
    verified: hit.verified === true,
    totalDownloads: typeof hit.totalDownloads === 'number' ? hit.totalDownloads : undefined,
  }));
  return { totalHits: typeof document?.totalHits === 'number' ? document.totalHits : data.length, data };
}

/** Does search return this version? Tries `packageid:` first, then a plain query (servers without the syntax). */
export async function searchHas(fetcher: ConditionalFetcher, index: ServiceIndex, id: string, version: string, signal?: AbortSignal): Promise<boolean> {
  if (!hasResource(index, 'search')) {
    return false;
  }
  for (const q of [`packageid:${id}`, id]) {
    const { data } = await search(fetcher, index, { q, take: 20 }, signal);
    const hit = data.find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
    if (hit) {
      return hit.versions.some((entry) => sameVersion(entry.version, version)) || sameVersion(hit.version, version);
    }
  }
  return false;
}

/** The package's web page (PackageDetailsUriTemplate/5.1.0), if the feed has one. */
export function packageDetailsUrl(index: ServiceIndex, id: string, version?: string): string | undefined {
  if (!hasResource(index, 'packageDetails')) {
    return undefined;
  }
  // The template comes from the feed: only https (or http to this machine) is ever opened.
  return safeExternalUrl(resourceUrl(index, 'packageDetails').replace('{id}', encodeURIComponent(id)).replace('{version}', version ? encodeURIComponent(version) : '').replace(/\/$/, ''));
}
