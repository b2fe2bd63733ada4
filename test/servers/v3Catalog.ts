/**
 * The read side of the V3 test server, as nuget.org serves it (nuget-facts.md): flat container
 * (404 for unknown ids, lower-case normalized versions), registration (3.6.0 hive; leaves inlined
 * up to 128 versions, pages of 64 beyond, listed:false for unlisted, deprecation), search
 * (packageid:, owner:, paging, owners and verified), ETag + 304. A pushed version appears in each
 * after a scripted delay, or never (failed validation), so the tracker can be tested.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import JSZip from 'jszip';
import { normalizeVersion, parseVersion, compareVersions } from '../../src/core/version';

export interface CatalogVersion {
  readonly version: string;
  listed: boolean;
  readonly published: string;
  readonly deprecation?: { reasons: string[]; message?: string };
  /** When each view shows it (ms since epoch); null = never. */
  readonly flatAt: number | null;
  readonly registrationAt: number | null;
  readonly searchAt: number | null;
  /** The pushed .nupkg, served by the flat container (catalog-only versions have none: 404). */
  readonly content?: Buffer;
}

export interface CatalogPackage {
  readonly id: string;
  readonly owners: string[];
  readonly verified: boolean;
  readonly downloads: number;
  readonly description: string;
  readonly versions: CatalogVersion[];
}

/** Delays after a push before each view shows the version (null: never, as after a failed validation). */
export interface Availability {
  flatMs: number | null;
  registrationMs: number | null;
  searchMs: number | null;
}

function lowerNormalized(version: string): string {
  const parsed = parseVersion(version);
  return (parsed ? normalizeVersion(parsed) : version).toLowerCase();
}


export class Catalog {
  public readonly packages = new Map<string, CatalogPackage>();
  public availability: Availability = { flatMs: 0, registrationMs: 0, searchMs: 0 };
  /** Every read: URL and status (304s included). */
  public readonly reads: { url: string; status: number }[] = [];
  private base = '';
  /** The catalog's clock: tests share a fake clock with the tracker, so availability follows simulated time. */
  public now: () => number = Date.now;

  private visible(at: number | null): boolean {
    return at !== null && at <= this.now();
  }

  /**
   * Makes a version show in the given views from now on (the end of "validation" on the test's
   * signal, for tests that move a push along by events rather than by delays).
   */
  public reveal(id: string, version: string, views: readonly ('flat' | 'registration' | 'search')[] = ['flat', 'registration', 'search']): void {
    const pkg = this.packages.get(id.toLowerCase());
    const index = pkg?.versions.findIndex((candidate) => lowerNormalized(candidate.version) === lowerNormalized(version)) ?? -1;
    if (!pkg || index < 0) {
      throw new Error(`the catalog has no ${id} ${version} to reveal`);
    }
    const now = this.now();
    const current = pkg.versions[index];
    pkg.versions[index] = {
      ...current,
      flatAt: views.includes('flat') ? now : current.flatAt,
      registrationAt: views.includes('registration') ? now : current.registrationAt,
      searchAt: views.includes('search') ? now : current.searchAt,
    };
  }

  public setBase(base: string): void {
    this.base = base;
  }

  public add(id: string, versions: readonly (string | Partial<CatalogVersion> & { version: string })[], extra: Partial<Pick<CatalogPackage, 'owners' | 'verified' | 'downloads' | 'description'>> = {}): CatalogPackage {
    const existing = this.packages.get(id.toLowerCase());
    const pkg: CatalogPackage = existing ?? { id, owners: extra.owners ?? ['contoso'], verified: extra.verified ?? false, downloads: extra.downloads ?? 1000, description: extra.description ?? `${id} package`, versions: [] };
    for (const entry of versions) {
      const spec = typeof entry === 'string' ? { version: entry } : entry;
      pkg.versions.push({ listed: true, published: '2026-01-01T00:00:00Z', flatAt: 0, registrationAt: 0, searchAt: 0, ...spec });
    }
    this.packages.set(id.toLowerCase(), pkg);
    return pkg;
  }

  /** A pushed package appears after the scripted delays. */
  /** The id and version in a pushed package's nuspec. */
  public static async identity(nupkg: Buffer): Promise<{ id: string; version: string } | undefined> {
    const zip = await JSZip.loadAsync(nupkg).catch(() => undefined);
    const nuspec = zip ? Object.values(zip.files).find((file) => !file.name.includes('/') && file.name.endsWith('.nuspec')) : undefined;
    const text = nuspec ? await nuspec.async('string') : '';
    const id = /<id>([^<]+)<\/id>/.exec(text)?.[1];
    const version = /<version>([^<]+)<\/version>/.exec(text)?.[1];
    return id && version ? { id, version } : undefined;
  }

  /** Has this version ever been pushed (unlisted included)? nuget.org then answers 409. */
  public has(id: string, version: string): boolean {
    return this.packages.get(id.toLowerCase())?.versions.some((candidate) => lowerNormalized(candidate.version) === lowerNormalized(version)) ?? false;
  }

  /** Removes a version (a server that deletes on DELETE instead of unlisting). */
  public remove(id: string, version: string): boolean {
    const pkg = this.packages.get(id.toLowerCase());
    const before = pkg?.versions.length ?? 0;
    if (pkg) {
      pkg.versions.splice(0, pkg.versions.length, ...pkg.versions.filter((candidate) => lowerNormalized(candidate.version) !== lowerNormalized(version)));
    }
    return (pkg?.versions.length ?? 0) < before;
  }

  public async addPushed(nupkg: Buffer): Promise<void> {
    const { id, version } = (await Catalog.identity(nupkg)) ?? {};
    if (!id || !version) {
      return;
    }
    const now = this.now();
    const after = (delay: number | null): number | null => (delay === null ? null : now + delay);
    this.add(id, [{ version, content: nupkg, published: new Date(now).toISOString(), flatAt: after(this.availability.flatMs), registrationAt: after(this.availability.registrationMs), searchAt: after(this.availability.searchMs) }]);
  }

  public setListed(id: string, version: string, listed: boolean): boolean {
    const found = this.packages.get(id.toLowerCase())?.versions.find((candidate) => lowerNormalized(candidate.version) === lowerNormalized(version));
    if (found) {
      found.listed = listed;
    }
    return found !== undefined;
  }

  /**
   * The read resources, under every @type nuget.org's index lists them (NuGet's own client looks
   * for the plain "SearchQueryService" among others, never for 3.5.0 alone: checked with the real
   * `dotnet package search` in test/integration/standIns.test.ts).
   */
  public resources(): { '@id': string; '@type': string }[] {
    return [
      ...['RegistrationsBaseUrl', 'RegistrationsBaseUrl/3.0.0-beta', 'RegistrationsBaseUrl/3.0.0-rc', 'RegistrationsBaseUrl/3.4.0', 'RegistrationsBaseUrl/3.6.0'].map((type) => ({ '@id': `${this.base}/v3/registration/`, '@type': type })),
      ...['SearchQueryService', 'SearchQueryService/3.0.0-beta', 'SearchQueryService/3.0.0-rc', 'SearchQueryService/3.5.0'].map((type) => ({ '@id': `${this.base}/query`, '@type': type })),
      { '@id': `${this.base}/packages/{id}/{version}`, '@type': 'PackageDetailsUriTemplate/5.1.0' },
    ];
  }

  private send(req: IncomingMessage, res: ServerResponse, status: number, document?: unknown): void {
    const body = document === undefined ? '' : JSON.stringify(document);
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (status === 200 && req.headers['if-none-match'] === etag) {
      this.reads.push({ url: req.url ?? '', status: 304 });
      res.writeHead(304, { etag }).end();
      return;
    }
    this.reads.push({ url: req.url ?? '', status });
    res.writeHead(status, { 'content-type': 'application/json', ...(status === 200 ? { etag } : {}) }).end(body);
  }

  private leaf(pkg: CatalogPackage, version: CatalogVersion): unknown {
    const lower = lowerNormalized(version.version);
    return {
      '@id': `${this.base}/v3/registration/${pkg.id.toLowerCase()}/${lower}.json`,
      catalogEntry: { id: pkg.id, version: version.version, listed: version.listed, published: version.listed ? version.published : '1900-01-01T00:00:00Z', description: pkg.description, ...(version.deprecation ? { deprecation: version.deprecation } : {}) },
      packageContent: `${this.base}/v3-flatcontainer/${pkg.id.toLowerCase()}/${lower}/${pkg.id.toLowerCase()}.${lower}.nupkg`,
    };
  }

  private sorted(versions: readonly CatalogVersion[]): CatalogVersion[] {
    return [...versions].sort((a, b) => compareVersions(parseVersion(a.version)!, parseVersion(b.version)!));
  }

  /** Serves a read; false when the URL is not a catalog route. */
  public handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', this.base);
    let match = /^\/v3-flatcontainer\/([^/]+)\/index\.json$/.exec(url.pathname);
    if (match) {
      const pkg = this.packages.get(match[1]);
      const versions = pkg ? this.sorted(pkg.versions.filter((version) => this.visible(version.flatAt))) : [];
      this.send(req, res, versions.length ? 200 : 404, versions.length ? { versions: versions.map((version) => lowerNormalized(version.version)) } : undefined);
      return true;
    }
    match = /^\/v3-flatcontainer\/([^/]+)\/([^/]+)\/[^/]+\.nupkg$/.exec(url.pathname);
    if (match) {
      const version = this.packages.get(match[1])?.versions.find((candidate) => lowerNormalized(candidate.version) === match![2] && this.visible(candidate.flatAt));
      if (version?.content) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': version.content.length }).end(version.content);
      } else {
        res.writeHead(404).end();
      }
      return true;
    }
    match = /^\/v3\/registration\/([^/]+)\/index\.json$/.exec(url.pathname);
    if (match) {
      const pkg = this.packages.get(match[1]);
      const versions = pkg ? this.sorted(pkg.versions.filter((version) => this.visible(version.registrationAt))) : [];
      if (!pkg || versions.length === 0) {
        this.send(req, res, 404);
        return true;
      }
      const pages: unknown[] = [];
      const inline = versions.length <= 128;
      for (let start = 0; start < versions.length; start += 64) {
        const slice = versions.slice(start, start + 64);
        const page = { '@id': `${this.base}/v3/registration/${match[1]}/page/${start / 64}.json`, count: slice.length, lower: slice[0].version, upper: slice[slice.length - 1].version };
        pages.push(inline ? { ...page, items: slice.map((version) => this.leaf(pkg, version)) } : page);
      }
      this.send(req, res, 200, { count: pages.length, items: pages });
      return true;
    }
    match = /^\/v3\/registration\/([^/]+)\/page\/(\d+)\.json$/.exec(url.pathname);
    if (match) {
      const pkg = this.packages.get(match[1]);
      const versions = pkg ? this.sorted(pkg.versions.filter((version) => this.visible(version.registrationAt))).slice(Number(match[2]) * 64, Number(match[2]) * 64 + 64) : [];
      this.send(req, res, pkg && versions.length ? 200 : 404, pkg && versions.length ? { count: versions.length, items: versions.map((version) => this.leaf(pkg, version)) } : undefined);
      return true;
    }
    match = /^\/v3\/registration\/([^/]+)\/([^/]+)\.json$/.exec(url.pathname);
    if (match) {
      const pkg = this.packages.get(match[1]);
      const version = pkg?.versions.find((candidate) => lowerNormalized(candidate.version) === match![2] && this.visible(candidate.registrationAt));
      this.send(req, res, pkg && version ? 200 : 404, pkg && version ? this.leaf(pkg, version) : undefined);
      return true;
    }
    if (url.pathname === '/query') {
      const q = (url.searchParams.get('q') ?? '').trim();
      const skip = Number(url.searchParams.get('skip') ?? 0);
      const take = Math.min(Number(url.searchParams.get('take') ?? 20), 1000);
      const owner = /^owner:(\S+)$/i.exec(q)?.[1]?.toLowerCase();
      const exact = /^packageid:(\S+)$/i.exec(q)?.[1]?.toLowerCase();
      const hits = [...this.packages.values()]
        .filter((pkg) => (owner ? pkg.owners.some((name) => name.toLowerCase() === owner) : exact ? pkg.id.toLowerCase() === exact : pkg.id.toLowerCase().includes(q.toLowerCase())))
        .map((pkg) => ({ pkg, versions: this.sorted(pkg.versions.filter((version) => this.visible(version.searchAt) && version.listed)) }))
        .filter(({ versions }) => versions.length > 0)
        .sort((a, b) => a.pkg.id.localeCompare(b.pkg.id));
      const page = hits.slice(skip, skip + take).map(({ pkg, versions }) => ({
        '@id': `${this.base}/v3/registration/${pkg.id.toLowerCase()}/index.json`, id: pkg.id, version: versions[versions.length - 1].version, description: pkg.description,
        versions: versions.map((version) => ({ version: version.version, downloads: 10 })), owners: pkg.owners, verified: pkg.verified, totalDownloads: pkg.downloads,
      }));
      this.send(req, res, 200, { totalHits: hits.length, data: page });
      return true;
    }
    return false;
  }
}
