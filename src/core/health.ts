/**
 * Package health and symbol findings for the inspector, the CLI and every publish path, and where
 * they are read: in-process by default (the CLI), or by a HealthReader the host installs. The
 * extension installs its analysis worker (analysisWorkerClient.ts), so decompressing embedded PDBs,
 * hashing PDBs and walking their tables never runs on the extension host's thread.
 */
import { stat } from 'node:fs/promises';
import { describeError } from './errors';
import { checkSymbolPackage, readPackageHealth, type AssemblyHealth } from './nupkg/packageHealth';
import { openPackage, type OpenedPackage } from './nupkg/package';
import type { Diagnostic } from './validate/diagnostic';

export interface HealthResult {
  readonly health: AssemblyHealth[];
  readonly diagnostics: Diagnostic[];
}

/** Reads the health of an opened package (a worker re-opens it from `pkg.path`). */
export type HealthReader = (pkg: OpenedPackage) => Promise<HealthResult>;

let reader: HealthReader = (pkg) => healthOf(pkg);

/** Installs where health is read (the extension: a worker thread); undefined puts back the in-process reader. */
export function useHealthReader(next: HealthReader | undefined): void {
  reader = next ?? ((pkg) => healthOf(pkg));
}

/** Health through the installed reader; a reader that fails gives an NP0106 note, never a failed inspection. */
export async function readHealth(pkg: OpenedPackage): Promise<HealthResult> {
  try {
    return await reader(pkg);
  } catch (error) {
    return { health: [], diagnostics: [{ code: 'NP0106', severity: 'info', message: `Package health was not read: ${describeError(error)}. The other checks are complete; open the package again to retry.` }] };
  }
}

/** The .snupkg that belongs beside a .nupkg (whether or not it exists), as push finds it. */
export function symbolsPathFor(packagePath: string): string | undefined {
  return /\.nupkg$/i.test(packagePath) && !/\.symbols\.nupkg$/i.test(packagePath) ? packagePath.replace(/\.nupkg$/i, '.snupkg') : undefined;
}

const isFile = (path: string | undefined): Promise<boolean> => (path ? stat(path).then((info) => info.isFile(), () => false) : Promise.resolve(false));

/** Opens the package beside this one (its .snupkg, or a .snupkg's .nupkg) if there is one; an open failure is returned, not thrown. */
async function openBeside(path: string | undefined): Promise<{ pkg?: OpenedPackage; error?: string; present: boolean }> {
  if (!(await isFile(path))) {
    return { present: false };
  }
  try {
    return { pkg: await openPackage(path!), present: true };
  } catch (error) {
    return { error: describeError(error), present: true };
  }
}

/**
 * Health and symbol findings: a .nupkg's assemblies with the .snupkg beside it, and nuget.org's
 * symbol rules over that pair (a lone .snupkg is checked against the .nupkg beside it).
 */
export async function healthOf(pkg: OpenedPackage): Promise<HealthResult> {
  if (pkg.kind === 'snupkg') {
    const nupkg = await openBeside(pkg.path.replace(/\.snupkg$/i, '.nupkg'));
    try {
      return { health: [], diagnostics: await checkSymbolPackage(nupkg.pkg, pkg) };
    } finally {
      await nupkg.pkg?.close();
    }
  }
  const symbols = await openBeside(symbolsPathFor(pkg.path));
  try {
    const report = await readPackageHealth(pkg, symbols.pkg);
    const symbolRules = symbols.present ? await checkSymbolPackage(pkg, symbols.pkg, symbols.error) : [];
    return { health: report.health, diagnostics: [...report.diagnostics, ...symbolRules] };
  } finally {
    await symbols.pkg?.close();
  }
}

