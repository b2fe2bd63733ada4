/**
 * One call that opens a package, checks it and summarizes it: used by the CLI (`inspect --json`)
 * and by the VS Code inspector. The summary is plain data (JSON-safe).
 */
import { readHealth } from './health';
import type { AssemblyHealth } from './nupkg/packageHealth';
import { openPackage, toEntryName, type OpenedPackage } from './nupkg/package';
import { checkReadme } from './validate/readmeRules';
import { readPackageSignature, type SignatureReport } from './nupkg/packageSignature';
import type { SignatureInfo } from './nupkg/signatureTypes';
import { sortDiagnostics, type Diagnostic } from './validate/diagnostic';
import { validatePackage } from './validate/rules';
import { parseVersion, normalizeVersion } from './version';

export interface InspectSummary {
  readonly id: string;
  readonly version: string;
  readonly normalizedVersion: string | null;
  readonly authors: readonly string[];
  readonly description: string;
  readonly license: { type: string; value: string } | null;
  readonly dependencyGroups: readonly { targetFramework: string; dependencies: readonly { id: string; range: string }[] }[];
  readonly files: readonly string[];
  readonly diagnostics: readonly { code: string; severity: string; message: string }[];
  /** Primary signature first, then a repository countersignature; [] when unsigned. */
  readonly signatures: readonly SignatureInfo[];
  /** Whether the package is still what was signed ("unsigned" without a signature). */
  readonly signedContent: SignatureReport['content'];
  /** Per assembly: symbols, Source Link, deterministic, compiler flags (packageHealth.ts). */
  readonly health: readonly Omit<AssemblyHealth, 'notes'>[];
}

export interface Inspection {
  readonly pkg: OpenedPackage;
  readonly diagnostics: readonly Diagnostic[];
  readonly signature: SignatureReport;
  readonly health: readonly AssemblyHealth[];
}

export { symbolsPathFor } from './health';

/** The readme's findings as nuget.org shows it (NP0054/NP0055). */
async function readmeFindings(pkg: OpenedPackage): Promise<Diagnostic[]> {
  const readme = pkg.nuspec.nuspec.metadata.readme;
  if (readme === undefined || !pkg.hasFile(toEntryName(readme))) {
    return [];
  }
  const bytes = await pkg.readFile(toEntryName(readme), 1024 * 1024).catch(() => undefined);
  return bytes ? checkReadme(new TextDecoder('utf-8').decode(bytes)) : [];
}

/** Opens and checks a package; the caller closes `pkg`. Throws PackageReadError for unreadable files. */
export async function inspectPackageFile(path: string): Promise<Inspection> {
  const pkg = await openPackage(path);
  try {
    const signature = await readPackageSignature(pkg);
    const { health, diagnostics: healthFindings } = await readHealth(pkg);
    // A package nuget.org countersigned was published there under this id: its reserved prefix
    // belongs to whoever published it, so NP0005 is noise when inspecting someone else's package.
    const fromNugetOrg = signature.signatures.some((entry) => entry.type === 'repository' && /^https:\/\/api\.nuget\.org\//i.test(entry.serviceIndex ?? ''));
    const rules = validatePackage(pkg.nuspec, { kind: pkg.kind, fileSize: pkg.fileSize, files: pkg.files }).filter((finding) => !(fromNugetOrg && finding.code === 'NP0005'));
    const diagnostics = sortDiagnostics([...rules, ...signature.diagnostics, ...(await readmeFindings(pkg)), ...healthFindings]);
    return { pkg, diagnostics, signature, health };
  } catch (error) {
    await pkg.close();
    throw error;
  }
}

export function summarize({ pkg, diagnostics, signature, health }: Inspection): InspectSummary {
  const m = pkg.nuspec.nuspec.metadata;
  const version = parseVersion(m.version);
  const license = m.license ? { type: m.license.type, value: m.license.value } : m.licenseUrl !== undefined ? { type: 'url', value: m.licenseUrl } : null;
  return {
    id: m.id,
    version: m.version,
    normalizedVersion: version ? normalizeVersion(version) : null,
    authors: m.authors,
    description: m.description,
    license,
    dependencyGroups: m.dependencyGroups.map((group) => ({
      targetFramework: group.targetFramework,
      dependencies: group.dependencies.map((dependency) => ({ id: dependency.id, range: dependency.range })),
    })),
    files: pkg.files.map((file) => file.path),
    diagnostics: diagnostics.map(({ code, severity, message }) => ({ code, severity, message })),
    signatures: signature.signatures,
    signedContent: signature.content,
    health: health.map(({ notes: _notes, ...facts }) => facts),
  };
}
