/**
 * Package health, as NuGet Package Explorer's health panel and nuget.org's symbol validation see
 * it, read natively (peDebug.ts, portablePdb.ts, sourceLink.ts):
 * - per assembly in lib/, ref/, runtimes/ and tools/: where its PDB is (embedded, beside it in the
 *   package, in the .snupkg beside the package, or nowhere), whether that PDB matches (the CodeView
 *   entry's GUID and stamp against the PDB id, and a PdbChecksum entry where the image has one),
 *   portable or Windows PDB, Source Link, deterministic, compiler flags, embedded sources;
 * - nuget.org's symbol package rules (NP0093-NP0098), errors that block a nuget.org publish;
 * - the health findings (NP0100-NP0105), each naming the MSBuild property that fixes it.
 * Reads are capped per file and in total; the oracle is System.Reflection.Metadata
 * (test/integration/packageHealth.test.ts).
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../validate/diagnostic';
import type { RepositoryFacts } from './sourceLink';
import { checkSourceLink } from './sourceLink';
import { inflateEmbeddedPdb, readPeDebug, type PeDebugInfo } from './peDebug';
import { isPortablePdb, readPortablePdb, type PortablePdbFacts } from './portablePdb';
import type { OpenedPackage } from './package';
import type { AssemblyHealth, PdbLocation } from './healthTypes';

export type { AssemblyHealth, PdbLocation } from './healthTypes';

export interface HealthReport {
  readonly health: AssemblyHealth[];
  readonly diagnostics: Diagnostic[];
}

const MAX_ASSEMBLY_BYTES = 32 * 1024 * 1024;
const MAX_PDB_BYTES = 64 * 1024 * 1024;
const MAX_TOTAL_BYTES = 256 * 1024 * 1024;
const MAX_ASSEMBLIES = 500;
const HEALTH_ROLES = new Set(['lib', 'ref', 'runtimes', 'tools']);

/** Assemblies whose health is read: .dll/.exe under lib/, ref/, runtimes/, tools/, satellites left out. */
export function healthCandidates(pkg: Pick<OpenedPackage, 'files'>): string[] {
  return pkg.files.filter((file) => HEALTH_ROLES.has(file.role) && /\.(dll|exe)$/i.test(file.path) && !/\.resources\.dll$/i.test(file.path) && file.size <= MAX_ASSEMBLY_BYTES)
    .map((file) => file.path);
}

const pdbPathOf = (assembly: string): string => assembly.replace(/\.(dll|exe)$/i, '.pdb');

/** Whether a portable PDB is the one the image was built with. */
export function pdbMatchesImage(debug: PeDebugInfo, pdbBytes: Uint8Array, pdb: PortablePdbFacts): boolean {
  const guid = pdb.id.subarray(0, 16);
  const stamp = new DataView(pdb.id.buffer, pdb.id.byteOffset + 16, 4).getUint32(0, true);
  const idMatches = debug.codeView.some((entry) => entry.portable && entry.stamp === stamp && Buffer.from(entry.guid).equals(Buffer.from(guid)));
  if (!idMatches) {
    return false;
  }
  if (debug.checksums.length === 0) {
    return true;
  }
  // PdbChecksum: the hash of the PDB with its 20-byte id zeroed; at least one entry must match.
  const hashes = new Map<string, Buffer | undefined>();
  return debug.checksums.some(({ algorithm, checksum }) => {
    if (!hashes.has(algorithm)) {
      hashes.set(algorithm, checksumOf(algorithm, pdbBytes, pdb.idOffset));
    }
    const hash = hashes.get(algorithm);
    return hash !== undefined && hash.equals(Buffer.from(checksum));
  });
}

function checksumOf(algorithm: string, bytes: Uint8Array, idOffset: number): Buffer | undefined {
  const name = ({ SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' } as Record<string, string>)[algorithm.toUpperCase()];
  if (!name) {
    return undefined;
  }
  return createHash(name).update(bytes.subarray(0, idOffset)).update(Buffer.alloc(20)).update(bytes.subarray(idOffset + 20)).digest();
}

interface FoundPdb {
  readonly location: PdbLocation;
  readonly bytes?: Uint8Array;
}

async function locatePdb(path: string, debug: PeDebugInfo, pkg: OpenedPackage, symbols: OpenedPackage | undefined): Promise<FoundPdb> {
  if (debug.embeddedPdb) {
    return { location: 'embedded', bytes: await inflateEmbeddedPdb(debug.embeddedPdb) };
  }
  const pdbPath = pdbPathOf(path);
  for (const [location, source] of [['package', pkg], ['snupkg', symbols]] as const) {
    if (source?.hasFile(pdbPath)) {
      return { location, bytes: await source.readFile(pdbPath, MAX_PDB_BYTES).catch(() => undefined) };
    }
  }
  return { location: 'none' };
}

/** One assembly's health from its image and PDB. */
export function assessAssembly(file: string, debug: PeDebugInfo, found: FoundPdb, repository: RepositoryFacts): AssemblyHealth {
  const notes: string[] = [];
  const deterministic = debug.reproducible;
  if (found.location === 'none') {
    notes.push('No symbols: set <DebugType>embedded</DebugType>, or <IncludeSymbols>true</IncludeSymbols> with <SymbolPackageFormat>snupkg</SymbolPackageFormat> and push the .snupkg beside the package.');
  }
  if (!deterministic) {
    notes.push('Not deterministic (no Reproducible debug entry): build with <ContinuousIntegrationBuild>true</ContinuousIntegrationBuild> in CI and do not set <Deterministic>false</Deterministic>.');
  }
  if (found.location === 'none') {
    return { file, pdb: 'none', pdbMatches: null, portable: null, sourceLink: false, deterministic, compilerFlags: false, embeddedSources: 0, notes };
  }
  const bytes = found.bytes;
  const portable = found.location === 'embedded' ? true : bytes !== undefined ? isPortablePdb(bytes) : null;
  if (portable === false) {
    notes.push('A Windows PDB: Source Link, compiler flags and matching are read from portable PDBs only, and nuget.org accepts only portable PDBs. Set <DebugType>portable</DebugType> (or embedded).');
    return { file, pdb: found.location, pdbMatches: null, portable, sourceLink: false, deterministic, compilerFlags: false, embeddedSources: 0, notes };
  }
  const pdb = bytes ? readPortablePdb(bytes) : undefined;
  if (!pdb || !bytes) {
    notes.push('The PDB cannot be read: pack the package again from a clean build.');
    return { file, pdb: found.location, pdbMatches: false, portable, sourceLink: false, deterministic, compilerFlags: false, embeddedSources: 0, notes };
  }
  const pdbMatches = pdbMatchesImage(debug, bytes, pdb);
  if (!pdbMatches) {
    notes.push(`The PDB (${found.location === 'snupkg' ? 'in the .snupkg' : found.location === 'package' ? 'in the package' : 'embedded'}) is not the one this assembly was built with: pack the package and its symbols from the same build.`);
  }
  let sourceLink = false;
  if (pdb.sourceLink === undefined) {
    notes.push('No Source Link: build with the .NET 8+ SDK in a git clone with a remote (Source Link for GitHub, GitLab, Azure Repos and Bitbucket is included), or add the Microsoft.SourceLink package for your host.');
  } else {
    const check = checkSourceLink(pdb.sourceLink, pdb.documents, pdb.embeddedDocuments, repository);
    if (!check.valid) {
      notes.push('The Source Link JSON does not parse as {"documents": {...}}: build again with a current SDK.');
    } else if (check.unmappedCount > 0) {
      notes.push(`Source Link does not cover ${check.unmappedCount} document(s) (${check.unmapped.join(', ')}): set <EmbedUntrackedSources>true</EmbedUntrackedSources> for generated files, and build from inside the git clone.`);
    } else if (check.disagreements.length > 0) {
      notes.push(`Source Link points at ${check.disagreements[0]}, which is not the nuspec's repository${repository.commit ? ` and commit ${repository.commit}` : ''}: set <PublishRepositoryUrl>true</PublishRepositoryUrl> so both come from the same git remote and commit.`);
    } else {
      sourceLink = true;
    }
  }
  if (!pdb.compilationOptions) {
    notes.push('No compiler flags in the PDB (compilation options): build with a current compiler (the .NET 5+ SDK records them in portable PDBs).');
  }
  return { file, pdb: found.location, pdbMatches, portable, sourceLink, deterministic, compilerFlags: pdb.compilationOptions, embeddedSources: pdb.embeddedDocuments.size, notes };
}

/** Reads every candidate assembly's health; `symbols` is the .snupkg beside the package, when there is one. */
export async function readPackageHealth(pkg: OpenedPackage, symbols?: OpenedPackage): Promise<HealthReport> {
  const repository: RepositoryFacts = { url: pkg.nuspec.nuspec.metadata.repository?.url, commit: pkg.nuspec.nuspec.metadata.repository?.commit };
  const health: AssemblyHealth[] = [];
  let total = 0;
  for (const path of healthCandidates(pkg).slice(0, MAX_ASSEMBLIES)) {
    const image = await pkg.readFile(path, MAX_ASSEMBLY_BYTES).catch(() => undefined);
    total += image?.length ?? 0;
    if (!image || total > MAX_TOTAL_BYTES) {
      break;
    }
    const debug = readPeDebug(image);
    if (!debug?.managed) {
      continue; // a native library
    }
    health.push(assessAssembly(path, debug, await locatePdb(path, debug, pkg, symbols), repository));
    await new Promise<void>((resolve) => setImmediate(resolve)); // one assembly per turn of the event loop
  }
  return { health, diagnostics: healthFindings(health) };
}

const few = (files: readonly AssemblyHealth[]): string => files.slice(0, 3).map((entry) => entry.file).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');

/** The findings of a health report: one per kind of problem, naming the first few assemblies. ref/ assemblies carry no code and are left out. */
export function healthFindings(health: readonly AssemblyHealth[]): Diagnostic[] {
  const code = health.filter((entry) => !entry.file.toLowerCase().startsWith('ref/'));
  const findings: Diagnostic[] = [];
  /** `one` is the verb form for a single assembly, `many` for several (has/have, is/are). */
  const add = (id: string, severity: Diagnostic['severity'], which: AssemblyHealth[], message: (files: string, verb: (one: string, many: string) => string) => string): void => {
    if (which.length > 0) {
      findings.push({ code: id, severity, message: message(few(which), (one, many) => (which.length === 1 ? one : many)) });
    }
  };
  add('NP0100', 'info', code.filter((entry) => entry.pdb === 'none'), (files, verb) => `${files} ${verb('has', 'have')} no symbols, so a debugger cannot step into the package's code. Set <DebugType>embedded</DebugType>, or <IncludeSymbols>true</IncludeSymbols> with <SymbolPackageFormat>snupkg</SymbolPackageFormat>.`);
  add('NP0101', 'warning', code.filter((entry) => entry.pdbMatches === false), (files) => `The PDB of ${files} is not the one it was built with (PDB id or checksum differ), so debuggers and nuget.org's symbol server reject it. Pack the package and its symbols from the same build.`);
  add('NP0102', 'info', code.filter((entry) => entry.portable === true && entry.pdbMatches !== false && !entry.sourceLink && !entry.notes.some((note) => note.startsWith('Source Link points at'))), (files, verb) => `${files} ${verb('has', 'have')} no working Source Link, so debuggers cannot fetch the sources. Build with the .NET 8+ SDK in a git clone with a remote, and set <EmbedUntrackedSources>true</EmbedUntrackedSources>.`);
  add('NP0103', 'warning', code.filter((entry) => entry.notes.some((note) => note.startsWith('Source Link points at'))), (files) => `The Source Link of ${files} points at another repository or commit than the nuspec's <repository>. Set <PublishRepositoryUrl>true</PublishRepositoryUrl> so both come from the same git remote and commit.`);
  add('NP0104', 'info', code.filter((entry) => !entry.deterministic), (files, verb) => `${files} ${verb('is', 'are')} not built deterministically, so nobody can reproduce the binaries from the sources. Set <ContinuousIntegrationBuild>true</ContinuousIntegrationBuild> in CI builds, and do not set <Deterministic>false</Deterministic>.`);
  add('NP0105', 'info', code.filter((entry) => entry.portable === false), (files, verb) => `${files} ${verb('has', 'have')} a Windows PDB; nuget.org's symbol server and cross-platform debuggers take portable PDBs only. Set <DebugType>portable</DebugType> or <DebugType>embedded</DebugType>.`);
  return findings;
}

/**
 * nuget.org's validation of a .snupkg (NuGet.Jobs' SymbolsValidatorService), against the .nupkg it
 * belongs to: every error here is one nuget.org would send by e-mail after the push.
 * `symbols` undefined with `openError`: the .snupkg could not be opened (for example unsafe entries).
 */
export async function checkSymbolPackage(pkg: OpenedPackage | undefined, symbols: OpenedPackage | undefined, openError?: string): Promise<Diagnostic[]> {
  if (!symbols) {
    return openError ? [{ code: 'NP0097', severity: 'error', message: `The symbol package (.snupkg) cannot be read: ${openError} nuget.org would fail its validation. Pack the symbols again.` }] : [];
  }
  const findings: Diagnostic[] = [];
  const pdbs = symbols.files.filter((file) => file.path.toLowerCase().endsWith('.pdb'));
  if (pdbs.length === 0) {
    return [{ code: 'NP0093', severity: 'error', message: 'The symbol package (.snupkg) holds no .pdb files, and nuget.org rejects such a symbol package. Build with <DebugType>portable</DebugType> and pack with <IncludeSymbols>true</IncludeSymbols> <SymbolPackageFormat>snupkg</SymbolPackageFormat>.' }];
  }
  const notPortable: string[] = [];
  for (const file of pdbs) {
    const head = await symbols.readFile(file.path, MAX_PDB_BYTES).then((bytes) => bytes.subarray(0, 4), () => new Uint8Array());
    if (!isPortablePdb(head)) {
      notPortable.push(file.path);
    }
  }
  if (notPortable.length > 0) {
    findings.push({ code: 'NP0094', severity: 'error', message: `${notPortable.slice(0, 3).join(', ')} in the symbol package ${notPortable.length === 1 ? 'is not a portable PDB' : 'are not portable PDBs'} (a Windows PDB, or not a PDB at all); nuget.org accepts portable PDBs only. Set <DebugType>portable</DebugType> and pack again.` });
  }
  if (!pkg) {
    return findings;
  }
  const m = pkg.nuspec.nuspec.metadata;
  const s = symbols.nuspec.nuspec.metadata;
  if (m.id.toLowerCase() !== s.id.toLowerCase() || m.version.toLowerCase() !== s.version.toLowerCase()) {
    findings.push({ code: 'NP0098', severity: 'error', message: `The symbol package is ${s.id} ${s.version} but the package is ${m.id} ${m.version}; nuget.org matches a .snupkg to its package by id and version. Pack both from the same project and version.` });
  }
  const assemblies = new Map(pkg.files.filter((file) => /\.(dll|exe)$/i.test(file.path)).map((file) => [file.path.replace(/\.(dll|exe)$/i, '').toLowerCase(), file.path]));
  const orphans = pdbs.filter((file) => !assemblies.has(file.path.replace(/\.pdb$/i, '').toLowerCase()));
  if (orphans.length > 0) {
    findings.push({ code: 'NP0095', severity: 'error', message: `${orphans.slice(0, 3).map((file) => file.path).join(', ')} in the symbol package ha${orphans.length === 1 ? 's' : 've'} no .dll or .exe of the same path in the package, and nuget.org rejects the symbols. Pack the package and its symbols from the same build.` });
  }
  const mismatched: string[] = [];
  for (const file of pdbs) {
    const assembly = assemblies.get(file.path.replace(/\.pdb$/i, '').toLowerCase());
    if (!assembly || notPortable.includes(file.path)) {
      continue;
    }
    const [image, pdbBytes] = await Promise.all([pkg.readFile(assembly, MAX_ASSEMBLY_BYTES).catch(() => undefined), symbols.readFile(file.path, MAX_PDB_BYTES).catch(() => undefined)]);
    const debug = image ? readPeDebug(image) : undefined;
    const pdb = pdbBytes ? readPortablePdb(pdbBytes) : undefined;
    // nuget.org requires a PdbChecksum entry that matches, besides the id.
    if (!debug || !pdb || !pdbBytes || debug.checksums.length === 0 || !pdbMatchesImage(debug, pdbBytes, pdb)) {
      mismatched.push(file.path);
    }
  }
  if (mismatched.length > 0) {
    findings.push({ code: 'NP0096', severity: 'error', message: `${mismatched.slice(0, 3).join(', ')} in the symbol package ${mismatched.length === 1 ? 'does' : 'do'} not match ${mismatched.length === 1 ? 'its assembly' : 'their assemblies'} in the package (PDB id or checksum differ, or the assembly has no PdbChecksum entry), and nuget.org rejects the symbols. Pack the package and its symbols from the same build.` });
  }
  return findings;
}
