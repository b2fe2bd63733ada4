/**
 * The one feed client: created per feed with its credential source (the key store in VS Code,
 * the environment in the CLI), it does every read of that feed — service index, flat container,
 * registration, search, package pages, downloads — through the one capped, deadline-bound HTTP
 * path (ConditionalFetcher → boundedFetch). Read credentials only ever go to the feed's own origin
 * (GitHub Packages and Azure Artifacts want them even to read). Writes (push, unlist/relist) take
 * the key explicitly and share the same origin rule (core/publish).
 *
 * When the feed refuses to show its service index and no credentials are stored for it, the
 * client answers the challenge as NuGet does: it asks the credential provider plugins once
 * (CredentialProvider.Microsoft for Azure Artifacts), then reads with what they give.
 */
import { feedOrigin, serviceIndexUrl, type Feed } from './feed';
import { discover, hasResource, type ServiceIndex } from './serviceIndex';
import { downloadVersion } from '../http/download';
import { feedPackages, folderVersions, packageVersions, type PackageInfo, type Page, type VersionInfo } from './explorerModel';
import { flatVersions, packageDetailsUrl, sameVersion, search, type SearchHit } from './feedReads';
import { ConditionalFetcher, type AuthFor } from '../http/conditionalFetch';
import { NuGetPublisherError } from '../errors';

/** Credentials from a credential provider for a feed that refused to be read, or why there are none. */
export type Challenge = (serviceIndexUrl: string, isRetry: boolean) => Promise<{ authorization?: string; why?: string }>;

/** The Authorization header for reads of an origin (undefined: read anonymously). */
export type ReadCredentials = AuthFor;

/** A refusal the credential providers could not answer (not asked again for the same read). */
class ChallengeUnanswered extends NuGetPublisherError {}

export class FeedClient {
  /** Conditional GETs with an ETag cache, credentials for the feed's own origin only. */
  public readonly fetcher: ConditionalFetcher;
  private readonly origin: string | undefined;
  /** What a credential provider gave after the feed refused an anonymous read. */
  private challenged: string | undefined;

  public constructor(public readonly feed: Feed, private readonly credentials?: ReadCredentials, private readonly challenge?: Challenge) {
    const origin = feedOrigin(feed);
    this.origin = origin;
    this.fetcher = new ConditionalFetcher(origin && (credentials || challenge) ? (candidate) => (candidate === origin ? this.authorization() : undefined) : undefined);
  }

  /** The Authorization header for this feed: stored credentials first, else a provider's. */
  public async authorization(): Promise<string | undefined> {
    return this.origin ? (await this.credentials?.(this.origin)) ?? this.challenged : undefined;
  }

  /** The feed's service index (cached per URL unless maxAgeMs says otherwise). */
  public async serviceIndex(options: { signal?: AbortSignal; maxAgeMs?: number } = {}): Promise<ServiceIndex> {
    return this.answeringChallenge(async () => {
      const authorization = await this.authorization();
      return discover(serviceIndexUrl(this.feed), { ...options, headers: authorization ? { authorization } : undefined });
    });
  }

  /**
   * A read that the feed refused (401/403 on the index or on any later read) while no credentials
   * are stored for it: the credential providers are asked (once per feed per session, see
   * CredentialProviders) and the read is made again with what they gave, or the refusal says why
   * there is nothing to send.
   */
  private async answeringChallenge<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      const refused = error instanceof NuGetPublisherError && (error.code === 'NP3006' || error.code === 'NP4003') && !(error instanceof ChallengeUnanswered);
      if (!refused || !this.challenge || !this.origin || (await this.credentials?.(this.origin))) {
        throw error;
      }
      const answer = await this.challenge(serviceIndexUrl(this.feed), this.challenged !== undefined);
      if (!answer.authorization) {
        throw new ChallengeUnanswered(error.code, error.message.slice(0, error.message.length - error.fix.length).trim(), `No credentials for it: ${answer.why}. Store a personal access token with NuGet: Add Key… (or install the feed's credential provider).`);
      }
      this.challenged = answer.authorization;
      return read();
    }
  }

  /** Every version of `id` the feed has (folder layout, or the flat container); [] when it cannot list. */
  public async versions(id: string, signal?: AbortSignal): Promise<string[]> {
    if (this.feed.kind === 'folder') {
      return (await folderVersions(this.feed, id)).map((entry) => entry.version);
    }
    return this.answeringChallenge(async () => {
      const index = await this.serviceIndex({ signal });
      return hasResource(index, 'packageBase') ? flatVersions(this.fetcher, index, id, signal) : [];
    });
  }

  public async hasVersion(id: string, version: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.versions(id, signal)).some((candidate) => sameVersion(candidate, version));
  }

  /** A page of packages for the Feeds view (search query, e.g. `owner:NAME`, or everything). */
  public async packages(query: string, skip: number, signal?: AbortSignal): Promise<Page<PackageInfo>> {
    return this.answeringChallenge(async () => feedPackages(this.fetcher, await this.serviceIndex({ signal }), query, skip, signal));
  }

  /** Versions with their listing state, for the Feeds view. */
  public async packageVersions(id: string, signal?: AbortSignal): Promise<VersionInfo[]> {
    if (this.feed.kind === 'folder') {
      return folderVersions(this.feed, id);
    }
    return this.answeringChallenge(async () => packageVersions(this.fetcher, await this.serviceIndex({ signal }), id, signal));
  }

  public async search(query: { q: string; skip?: number; take?: number }, signal?: AbortSignal): Promise<{ totalHits: number; data: SearchHit[] }> {
    return this.answeringChallenge(async () => search(this.fetcher, await this.serviceIndex({ signal }), query, signal));
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
