/**
 * One publish preparation for every publish path (the VS Code command, Publish Folder, the CLI
 * `push` and `publish-plan`): the package is opened once, and its identity, rule findings,
 * dependencies and symbol package come out of that one read. `mayPublish` is the one rule gate.
 */
import { stat } from 'node:fs/promises';
import { NuGetPublisherError } from '../errors';
import { isNugetOrgHost, type Feed } from '../feeds/feed';
import { inspectPackageFile, symbolsPathFor } from '../inspect';
import type { Diagnostic } from '../validate/diagnostic';
import { normalizeVersion, parseVersion } from '../version';

export interface PreparedPackage {
  readonly path: string;
  readonly id: string;
  /** As written in the nuspec. */
  readonly version: string;
  readonly normalizedVersion: string;
  /** A symbol package (.snupkg, or a nuspec with the SymbolsPackage type): never sent as a package. */
  readonly isSymbolPackage: boolean;
  /** The nuget.org rule findings, sorted, errors first. */
  readonly findings: readonly Diagnostic[];
  /** Ids this package depends on, in any framework group. */
  readonly dependsOn: readonly string[];
  /** The .snupkg beside a .nupkg, when that file exists. */
  readonly symbolsPath?: string;
}

export { symbolsPathFor } from '../inspect';

/** Opens the package once and returns everything a publish needs to know about it. */
export async function preparePublish(path: string): Promise<PreparedPackage> {
  const inspection = await inspectPackageFile(path);
  let prepared: Omit<PreparedPackage, 'symbolsPath'>;
  try {
    const { pkg, diagnostics } = inspection;
    const { id, version, packageTypes, dependencyGroups } = pkg.nuspec.nuspec.metadata;
    const parsed = parseVersion(version);
    if (!id || !parsed) {
      throw new NuGetPublisherError('NP2020', `${path} has no valid id and version.`, 'Fix the nuspec and pack again.');
    }
    prepared = {
      path, id, version, normalizedVersion: normalizeVersion(parsed),
      isSymbolPackage: pkg.kind === 'snupkg' || packageTypes.some((type) => type.name.toLowerCase() === 'symbolspackage'),
      findings: diagnostics,
      dependsOn: [...new Set(dependencyGroups.flatMap((group) => group.dependencies.map((dependency) => dependency.id)))],
    };
  } finally {
    await inspection.pkg.close();
  }
  const beside = symbolsPathFor(path);
  const hasSymbols = beside !== undefined && (await stat(beside).then((info) => info.isFile(), () => false));
  return { ...prepared, symbolsPath: hasSymbols ? beside : undefined };
}

export interface PublishGate {
  /** 'yes': go on; 'no': nuget.org would refuse it; 'ask': another feed may take it, the user decides. */
  readonly verdict: 'yes' | 'no' | 'ask';
  readonly errors: readonly Diagnostic[];
  /** One line naming the failed checks (empty when there are none). */
  readonly summary: string;
}

/**
 * The one rule gate. Rule errors block nuget.org (it would refuse the package, and a version once
 * taken can never be reused); `override` (the CLI's --no-checks) is an explicit choice to go on.
 * Other feeds may accept such a package: the caller asks (or, in a script, follows its flag).
 */
export function mayPublish(feed: Feed, findings: readonly Diagnostic[], options: { override?: boolean } = {}): PublishGate {
  const errors = findings.filter((finding) => finding.severity === 'error');
  if (errors.length === 0) {
    return { verdict: 'yes', errors, summary: '' };
  }
  const summary = `${errors.length} check${errors.length === 1 ? '' : 's'} failed (${errors.slice(0, 3).map((error) => error.code).join(', ')}${errors.length > 3 ? ', …' : ''})`;
  if (options.override) {
    return { verdict: 'yes', errors, summary };
  }
  return { verdict: feed.kind === 'nuget.org' || isNugetOrgHost(feed.source) ? 'no' : 'ask', errors, summary };
}
