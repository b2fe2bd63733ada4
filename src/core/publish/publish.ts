/**
 * Publishing one package to one feed, whatever its kind: a folder (hierarchical layout),
 * nuget-server (POST /api/publish), or a V3 feed (PUT to PackagePublish, then the .snupkg beside
 * the .nupkg to SymbolPackagePublish). Used by the CLI and by the "Publish package" command.
 */
import { basename } from 'node:path';
import { NuGetPublisherError } from '../errors';
import { folderPath, isNugetOrgHost, NUGET_ORG_SYMBOL_PUSH, nugetServerBase, serviceIndexUrl, v2PushUrl, type Feed } from '../feeds/feed';
import { pushToFolder } from '../feeds/folderFeed';
import { discover, hasResource, resourceUrl, type ServiceIndex } from '../feeds/serviceIndex';
import { FeedClient } from '../feeds/feedClient';
import { authorizationOf, type Credential } from '../keys/keys';
import { publishToNugetServer } from './nugetServerPublish';
import { endpointKeyOrigin } from '../http/keySafety';
import { pushPackage, type PushOptions, type PushResult } from './push';
import { preparePublish, type PreparedPackage } from './prepare';

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
  /** Push the .snupkg beside the .nupkg when there is one. */
  readonly symbols?: boolean;
  /** Where symbol packages go (dotnet's --symbol-source); default: the feed's SymbolPackagePublish, or nuget.org's for nuget.org. */
  readonly symbolSource?: string;
  /** A V2 source URL is used exactly as given (dotnet's --no-service-endpoint). */
  readonly noServiceEndpoint?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: PublishProgress) => void;
  readonly timeoutMs?: number;
  readonly backoffMs?: number;
  /** Symbol pushes get 404 until the package is known: how often (at most 3) and how long between tries. */
  readonly symbolAttempts?: number;
  readonly symbolDelayMs?: number;
  /** The package as preparePublish read it (then it is not opened again). */
  readonly prepared?: PreparedPackage;
}

export type SymbolOutcome = PushResult['outcome'] | 'not-sent' | 'skipped' | 'failed';

export interface PublishReport {
  readonly id: string;
  readonly version: string;
  readonly normalizedVersion: string;
  readonly feed: Feed;
  /** "symbols-only" when a symbol package was given on its own (it went to the symbol endpoint only). */
  readonly outcome: PushResult['outcome'] | 'symbols-only';
  readonly status?: number;
  readonly warnings: readonly string[];
  readonly notes: readonly string[];
  readonly symbols?: { readonly outcome: SymbolOutcome; readonly status?: number; readonly reason?: string };
  /** Folder feeds: where the version was written. */
  readonly location?: string;
}

/** Did any part that was asked for fail (the package, or its symbols)? CI must see it in the exit code. */
export function publishFailed(report: PublishReport): boolean {
  return report.symbols?.outcome === 'failed';
}

export { symbolsPathFor } from './prepare';

/** Where a feed takes pushes, and where it takes symbol packages (undefined: nowhere). */
interface Endpoints {
  readonly push: string;
  readonly symbols?: string;
  /** The feed's service index (none for a V2 push URL). */
  readonly index?: ServiceIndex;
}

async function endpoints(options: PublishOptions, authorization: string | undefined): Promise<Endpoints> {
  const { feed } = options;
  const nugetOrgSymbols = isNugetOrgHost(feed.source) ? NUGET_ORG_SYMBOL_PUSH : undefined;
  if (feed.kind === 'v2') {
    return { push: v2PushUrl(feed.source, options.noServiceEndpoint), symbols: options.symbolSource ?? nugetOrgSymbols };
  }
  const index = await discover(serviceIndexUrl(feed), { headers: authorization ? { authorization } : undefined, signal: options.signal });
  return { push: resourceUrl(index, 'publish'), symbols: options.symbolSource ?? (hasResource(index, 'symbolPublish') ? resourceUrl(index, 'symbolPublish') : nugetOrgSymbols), index };
}

export async function publish(options: PublishOptions): Promise<PublishReport> {
  const prepared = options.prepared?.path === options.packagePath ? options.prepared : await preparePublish(options.packagePath);
  const { isSymbolPackage } = prepared;
  const identity = { id: prepared.id, version: prepared.version, normalizedVersion: prepared.normalizedVersion };
  const { feed } = options;
  if (isSymbolPackage && (feed.kind === 'folder' || feed.kind === 'nuget-server')) {
    throw new NuGetPublisherError('NP2050', `${basename(options.packagePath)} is a symbol package and ${feed.name} (${feed.kind === 'folder' ? 'a folder feed' : 'nuget-server'}) has no symbol server; it was not published, and never goes in as a package.`, 'Publish the .nupkg; push symbol packages to a feed with a symbol server (or --symbol-source).');
  }
  // preparePublish found the .snupkg beside the package (when there is one).
  const symbolsPath = prepared.symbolsPath;
  const hasSymbols = options.symbols === true && symbolsPath !== undefined;
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
  const where = await endpoints(options, authorization);
  const common = { apiKey: options.credential?.apiKey, authorization, keyOrigin, id: identity.id, version: identity.version, feedName: feed.name, skipDuplicate: options.skipDuplicate, signal: options.signal, timeoutMs: options.timeoutMs, backoffMs: options.backoffMs, nugetOrg: feed.kind === 'nuget.org' || isNugetOrgHost(feed.source) };
  if (isSymbolPackage) {
    // A symbol package given on its own goes to the symbol endpoint only, as dotnet does.
    if (!where.symbols) {
      throw new NuGetPublisherError('NP2050', `${basename(options.packagePath)} is a symbol package and ${feed.name} has no symbol server (no SymbolPackagePublish/4.9.0); it was not sent (it never goes in as a package).`, 'Give the symbol server with --symbol-source, or publish the .nupkg instead.');
    }
    // A 404 from the symbol server may mean "not indexed yet" or "no such package": where the feed
    // can be read, ask it, so that a missing package is named at once instead of after the retries.
    // The feed client reads with the credentials for the feed's own origin only.
    const packageOnFeed = where.index && hasResource(where.index, 'packageBase')
      ? (): Promise<boolean | undefined> => new FeedClient(feed, authorization ? () => authorization : undefined).hasVersion(identity.id, identity.version, options.signal).catch(() => undefined)
      : undefined;
    const symbols = await pushSymbols(options, { ...common, keyOrigin: endpointKeyOrigin(where.symbols, keyOrigin) }, where.symbols, options.packagePath, identity, report('symbols'), packageOnFeed);
    return { ...identity, feed, outcome: 'symbols-only', warnings: symbols.warnings, notes: symbols.notes, symbols: symbols.result };
  }
  const result = await pushPackage({ ...common, keyOrigin: endpointKeyOrigin(where.push, keyOrigin), packagePath: options.packagePath, url: where.push, onProgress: report('package') });
  const base = { ...identity, feed, outcome: result.outcome, status: result.status, warnings: [...result.warnings], notes: [...result.notes] };
  if (!hasSymbols) {
    return base;
  }
  if (result.outcome === 'skipped-duplicate') {
    // As dotnet: a skipped package's symbols are skipped too.
    return { ...base, symbols: { outcome: 'skipped', reason: 'the package was skipped as a duplicate, so its symbols were too' } };
  }
  if (!where.symbols) {
    return { ...base, symbols: { outcome: 'not-sent', reason: `${feed.name} has no symbol server (no SymbolPackagePublish/4.9.0)` } };
  }
  const symbols = await pushSymbols(options, { ...common, keyOrigin: endpointKeyOrigin(where.symbols, keyOrigin) }, where.symbols, symbolsPath!, identity, report('symbols'));
  return { ...base, warnings: [...base.warnings, ...symbols.warnings], notes: [...base.notes, ...symbols.notes], symbols: symbols.result };
}

const MAX_SYMBOL_ATTEMPTS = 3;

/**
 * Pushes a symbol package. A 404 means the server does not know the package yet (it is still
 * being processed): tried again at most 3 times in all, within about 15 s. Any failure is
 * reported as "failed" (never thrown): the package itself may already be published.
 */
async function pushSymbols(options: PublishOptions, common: Omit<PushOptions, 'packagePath' | 'url'>, url: string, path: string, identity: { id: string; version: string }, onProgress: (sent: number, total: number) => void, packageOnFeed?: () => Promise<boolean | undefined>): Promise<{ result: NonNullable<PublishReport['symbols']>; warnings: string[]; notes: string[] }> {
  const attempts = Math.min(MAX_SYMBOL_ATTEMPTS, options.symbolAttempts ?? MAX_SYMBOL_ATTEMPTS);
  const notes: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      // Symbols the server already has count as skipped under skip-duplicate.
      const pushed = await pushPackage({ ...common, packagePath: path, url, onProgress });
      return { result: { outcome: pushed.outcome, status: pushed.status }, warnings: [...pushed.warnings], notes: [...notes, ...pushed.notes] };
    } catch (error) {
      if (error instanceof NuGetPublisherError && error.code === 'NP2404' && packageOnFeed && (await packageOnFeed()) === false) {
        return { result: { outcome: 'failed', reason: `NP2052: ${common.feedName} has no ${identity.id} ${identity.version}, so its symbol server refused the symbol package (404): a .snupkg is matched to its .nupkg by id and version. Push the .nupkg first (or together: push the .nupkg, and its .snupkg goes with it).` }, warnings: [], notes };
      }
      if (error instanceof NuGetPublisherError && error.code === 'NP2404' && attempt < attempts && !options.signal?.aborted) {
        notes.push(`The symbol server does not know ${identity.id} ${identity.version} yet (404); trying again.`);
        await new Promise((resolve) => setTimeout(resolve, (options.symbolDelayMs ?? 5_000) * attempt));
        continue;
      }
      if (error instanceof NuGetPublisherError) {
        return { result: { outcome: 'failed', reason: error.toOneLine() }, warnings: [], notes };
      }
      throw error;
    }
  }
}
