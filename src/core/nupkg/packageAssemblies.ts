/**
 * The assemblies of a package (lib/, ref/, runtimes/…/lib/): what each .dll says about itself
 * (assemblyFacts.ts), and the findings a package author wants before publishing: an assembly whose
 * TargetFrameworkAttribute disagrees with the framework folder it sits in (NP0085), and a
 * reference assembly in lib/, which has no code to run (NP0086). Reads are capped per file and
 * in total, each read is linear, chunked and time-bounded (NP0087 when cut short), so a package of
 * thousands of large or hostile binaries cannot stall the inspector.
 */
import { parseFramework } from '../frameworks';
import type { Diagnostic } from '../validate/diagnostic';
import { readAssemblyFactsAsync, type AssemblyFacts } from './assemblyFacts';
import type { OpenedPackage } from './package';

export interface PackageAssembly extends AssemblyFacts {
  readonly path: string;
}

const MAX_ASSEMBLY_BYTES = 32 * 1024 * 1024;
const MAX_TOTAL_BYTES = 128 * 1024 * 1024;
const MAX_ASSEMBLIES = 500;
/** Time one assembly's metadata may take to read. */
const ASSEMBLY_BUDGET_MS = 1000;

/** net8.0, netstandard2.0, net472 without a platform part; undefined for other families (portable, uap, xamarin…). */
function comparableFramework(name: string): string | undefined {
  const base = parseFramework(name).shortName.split('-')[0];
  return /^net(standard|coreapp)?\d+(\.\d+)*$/.test(base) ? base : undefined;
}

export async function readPackageAssemblies(pkg: OpenedPackage): Promise<{ assemblies: PackageAssembly[]; diagnostics: Diagnostic[] }> {
  const assemblies: PackageAssembly[] = [];
  const diagnostics: Diagnostic[] = [];
  let total = 0;
  const candidates = pkg.files.filter((file) => (file.role === 'lib' || file.role === 'ref' || file.role === 'runtimes') && file.path.toLowerCase().endsWith('.dll') && file.size <= MAX_ASSEMBLY_BYTES);
  for (const file of candidates.slice(0, MAX_ASSEMBLIES)) {
    total += file.size;
    if (total > MAX_TOTAL_BYTES) {
      break;
    }
    // Read in chunks that give the event loop back (the extension host stays responsive), each
    // file within its own time budget; a capped read is said (NP0087), not guessed at.
    const { facts, capped } = await readAssemblyFactsAsync(await pkg.readFile(file.path, MAX_ASSEMBLY_BYTES).catch(() => new Uint8Array()), { budgetMs: ASSEMBLY_BUDGET_MS });
    if (capped) {
      diagnostics.push({ code: 'NP0087', severity: 'info', message: `${file.path} was not read to the end: ${capped}. Its name, version and target framework are not shown.` });
    }
    if (!facts) {
      continue;
    }
    assemblies.push({ path: file.path, ...facts });
    if (file.role !== 'lib' || !file.framework) {
      continue;
    }
    const built = facts.targetFramework ? comparableFramework(facts.targetFramework) : undefined;
    const folder = comparableFramework(file.framework.shortName);
    if (built && folder && built !== folder) {
      diagnostics.push({ code: 'NP0085', severity: 'warning', message: `${file.path} was built for ${parseFramework(facts.targetFramework!).displayName} (its TargetFrameworkAttribute) but sits in the ${file.framework.shortName} folder, so projects targeting ${file.framework.displayName} get a build meant for another framework. Put each build in the folder of the framework it was compiled for.` });
    }
    if (facts.referenceAssembly) {
      diagnostics.push({ code: 'NP0086', severity: 'warning', message: `${file.path} is a reference assembly (no code to run) in lib/: apps that use the package fail at run time. Put reference assemblies in ref/ and the implementation in lib/.` });
    }
  }
  return { assemblies, diagnostics };
}
