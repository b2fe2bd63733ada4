/**
 * The one feed client: created per feed with its credential source (the key store in VS Code,
 * the environment in the CLI), it does every read of that feed — service index, flat container,
 * registration, search, package pages, downloads — through the one capped, deadline-bound HTTP
 * path (ConditionalFetcher → boundedFetch). Read credentials only ever go to the feed's own origin
 * (GitHub Packages and Azure Artifacts want them even to read). Writes (push, unlist/relist) take
 * the key explicitly and share the same origin rule (core/publish).
 */
import { feedOrigin, serviceIndexUrl, type Feed } from './feed';
import { discover, hasResource, type ServiceIndex } from './serviceIndex';
import { downloadVersion } from './download';
import { feedPackages, folderVersions, packageVersions, type PackageInfo, type Page, type VersionInfo } from './explorerModel';
import { flatVersions, packageDetailsUrl, sameVersion, search, type SearchHit } from './feedReads';
import { ConditionalFetcher, type AuthFor } from '../track/conditionalFetch';

/** The Authorization header for reads of an origin (undefined: read anonymously). */
export type ReadCredentials = AuthFor;

export class FeedClient {
  /** Conditional GETs with an ETag cache, credentials for the feed's own origin only. */
  public readonly fetcher: ConditionalFetcher;
  private readonly origin: string | undefined;

  public constructor(public readonly feed: Feed, private readonly credentials?: ReadCredentials) {
    const origin = feedOrigin(feed);
    this.origin = origin;
    this.fetcher = new ConditionalFetcher(credentials && origin ? (candidate) => (candidate === origin ? credentials(candidate) : undefined) : undefined);
  }

  /** The Authorization header for this feed, when its credential source has one. */
  public async authorization(): Promise<string | undefined> {
    return this.origin ? await this.credentials?.(this.origin) : undefined;
  }

  /** The feed's service index (cached per URL unless maxAgeMs says otherwise). */
  public async serviceIndex(options: { signal?: AbortSignal; maxAgeMs?: number } = {}): Promise<ServiceIndex> {
    const authorization = await this.authorization();
    return discover(serviceIndexUrl(this.feed), { ...options, headers: authorization ? { authorization } : undefined });
  }

  /** Every version of `id` the feed has (folder layout, or the flat container); [] when it cannot list. */
  public async versions(id: string, signal?: AbortSignal): Promise<string[]> {
    if (this.feed.kind === 'folder') {
      return (await folderVersions(this.feed, id)).map((entry) => entry.version);
    }
    const index = await this.serviceIndex({ signal });
    return hasResource(index, 'packageBase') ? flatVersions(this.fetcher, index, id, signal) : [];
  }

  public async hasVersion(id: string, version: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.versions(id, signal)).some((candidate) => sameVersion(candidate, version));
  }

  /** A page of packages for the Feeds view (search query, e.g. `owner:NAME`, or everything). */
  public async packages(query: string, skip: number, signal?: AbortSignal): Promise<Page<PackageInfo>> {
    return feedPackages(this.fetcher, await this.serviceIndex({ signal }), query, skip, signal);
  }

  /** Versions with their listing state, for the Feeds view. */
  public async packageVersions(id: string, signal?: AbortSignal): Promise<VersionInfo[]> {
    if (this.feed.kind === 'folder') {
      return folderVersions(this.feed, id);
    }
    return packageVersions(this.fetcher, await this.serviceIndex({ signal }), id, signal);
  }

  public async search(query: { q: string; skip?: number; take?: number }, signal?: AbortSignal): Promise<{ totalHits: number; data: SearchHit[] }> {
    return search(this.fetcher, await this.serviceIndex({ signal }), query, signal);
  }

  /** The gallery page of a package (undefined when the feed has no PackageDetailsUriTemplate). */
  public async detailsUrl(id: string, version?: string): Promise<string | undefined> {
    return packageDetailsUrl(await this.serviceIndex(), id, version);
  }

  /** Downloads one version's .nupkg to `target` (capped, atomic); returns the URL it came from. */
  public async download(id: string, version: string, target: string, signal?: AbortSignal): Promise<string> {
    return downloadVersion(await this.serviceIndex({ signal }), id, version, target, { feedOrigin: this.origin!, authorization: await this.authorization(), signal });
  }
}
