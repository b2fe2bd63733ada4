/**
 * Publishing one package to one feed, whatever its kind: a folder (hierarchical layout),
 * nuget-server (POST /api/publish), or a V3 feed (PUT to PackagePublish, then the .snupkg beside
 * the .nupkg to SymbolPackagePublish). Used by the CLI and by the "Publish package" command.
 */
import { stat } from 'node:fs/promises';
import { NuGetPublisherError } from '../errors';
import { folderPath, nugetServerBase, serviceIndexUrl, type Feed } from '../feeds/feed';
import { pushToFolder } from '../feeds/folderFeed';
import { discover, hasResource, resourceUrl } from '../feeds/serviceIndex';
import { authorizationOf, type Credential } from '../keys/keys';
import { openPackage } from '../nupkg/package';
import { normalizeVersion, parseVersion } from '../version';
import { publishToNugetServer } from './nugetServerPublish';
import { pushPackage, type PushResult } from './push';

export interface PublishProgress {
  readonly what: 'package' | 'symbols';
  readonly sent: number;
  readonly total: number;
}

export interface PublishOptions {
  readonly feed: Feed;
  readonly packagePath: string;
  readonly credential?: Credential;
  readonly skipDuplicate?: boolean;
  /** Push the .snupkg beside the .nupkg when there is one (V3 feeds with SymbolPackagePublish). */
  readonly symbols?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: PublishProgress) => void;
  readonly timeoutMs?: number;
  readonly backoffMs?: number;
  /** Symbol pushes get 404 until the package is known: how often and how long to wait. */
  readonly symbolAttempts?: number;
  readonly symbolDelayMs?: number;
}

export interface PublishReport {
  readonly id: string;
  readonly version: string;
  readonly normalizedVersion: string;
  readonly feed: Feed;
  readonly outcome: PushResult['outcome'];
  readonly status?: number;
  readonly warnings: readonly string[];
  readonly notes: readonly string[];
  readonly symbols?: { readonly outcome: PushResult['outcome'] | 'not-sent'; readonly status?: number; readonly reason?: string };
  /** Folder feeds: where the version was written. */
  readonly location?: string;
}

export interface PackageIdentity {
  readonly id: string;
  readonly version: string;
  readonly normalizedVersion: string;
}

export async function readIdentity(packagePath: string): Promise<PackageIdentity> {
  const pkg = await openPackage(packagePath);
  try {
    const { id, version } = pkg.nuspec.nuspec.metadata;
    const parsed = parseVersion(version);
    if (!id || !parsed) {
      throw new NuGetPublisherError('NP2020', `${packagePath} has no valid id and version.`, 'Fix the nuspec and pack again.');
    }
    return { id, version, normalizedVersion: normalizeVersion(parsed) };
  } finally {
    await pkg.close();
  }
}

export function symbolsPathFor(packagePath: string): string | undefined {
  return /\.nupkg$/i.test(packagePath) && !/\.symbols\.nupkg$/i.test(packagePath) ? packagePath.replace(/\.nupkg$/i, '.snupkg') : undefined;
}

async function exists(path: string | undefined): Promise<boolean> {
  return path !== undefined && (await stat(path).then((info) => info.isFile(), () => false));
}

export async function publish(options: PublishOptions): Promise<PublishReport> {
  const identity = await readIdentity(options.packagePath);
  const { feed } = options;
  const symbolsPath = symbolsPathFor(options.packagePath);
  const hasSymbols = options.symbols === true && (await exists(symbolsPath));
  if (feed.kind === 'folder') {
    const result = await pushToFolder(options.packagePath, folderPath(feed.source), { skipDuplicate: options.skipDuplicate });
    return { ...identity, feed, outcome: result.outcome, warnings: [], notes: [], location: result.folder, symbols: hasSymbols ? { outcome: 'not-sent', reason: 'folder feeds keep no symbol packages' } : undefined };
  }
  const report = (progress: PublishProgress['what']) => (sent: number, total: number): void => options.onProgress?.({ what: progress, sent, total });
  if (feed.kind === 'nuget-server') {
    const result = await publishToNugetServer({ packagePath: options.packagePath, base: nugetServerBase(feed.source), credentials: options.credential?.basic, id: identity.id, version: identity.version, feedName: feed.name, skipDuplicate: options.skipDuplicate, signal: options.signal, onProgress: report('package') });
    return { ...identity, feed, outcome: result.outcome, status: result.status, warnings: result.warnings, notes: result.notes, symbols: hasSymbols ? { outcome: 'not-sent', reason: 'nuget-server has no symbol server' } : undefined };
  }
  const authorization = authorizationOf(options.credential);
  const keyOrigin = new URL(feed.source).origin;
  const index = await discover(serviceIndexUrl(feed), { headers: authorization ? { authorization } : undefined, signal: options.signal });
  const common = { apiKey: options.credential?.apiKey, authorization, keyOrigin, id: identity.id, version: identity.version, feedName: feed.name, skipDuplicate: options.skipDuplicate, signal: options.signal, timeoutMs: options.timeoutMs, backoffMs: options.backoffMs };
  const result = await pushPackage({ ...common, packagePath: options.packagePath, url: resourceUrl(index, 'publish'), onProgress: report('package') });
  const base = { ...identity, feed, outcome: result.outcome, status: result.status, warnings: [...result.warnings], notes: [...result.notes] };
  if (!hasSymbols) {
    return base;
  }
  if (!hasResource(index, 'symbolPublish')) {
    return { ...base, symbols: { outcome: 'not-sent', reason: `${feed.name} has no symbol server (no SymbolPackagePublish/4.9.0)` } };
  }
  const attempts = options.symbolAttempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      const symbols = await pushPackage({ ...common, packagePath: symbolsPath!, url: resourceUrl(index, 'symbolPublish'), onProgress: report('symbols') });
      base.warnings.push(...symbols.warnings);
      base.notes.push(...symbols.notes);
      return { ...base, symbols: { outcome: symbols.outcome, status: symbols.status } };
    } catch (error) {
      // 404: the server does not know the package yet (it is still being processed).
      if (error instanceof NuGetPublisherError && error.code === 'NP2404' && attempt < attempts && !options.signal?.aborted) {
        base.notes.push(`The symbol server does not know ${identity.id} ${identity.version} yet (404); trying again.`);
        await new Promise((resolve) => setTimeout(resolve, (options.symbolDelayMs ?? 10_000) * attempt));
        continue;
      }
      if (error instanceof NuGetPublisherError) {
        // The package itself is published: report the symbol failure without hiding that.
        return { ...base, symbols: { outcome: 'not-sent', reason: error.message } };
      }
      throw error;
    }
  }
}
