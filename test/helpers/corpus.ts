/**
 * The real-package corpus of the fidelity test and NuGet's own reading of it:
 * - packages listed in test/fidelity/corpus.txt, fetched by the real `dotnet restore`
 *   (PackageDownload) into the cache folder (~/.cache/nuget-publisher/corpus), never into the repo;
 * - test/fidelity/NuGetReader, a small C# program on NuGet.Packaging / NuGet.Frameworks /
 *   NuGet.Versioning 8.0.0 from the NuGet registry, built with the machine's .NET SDK, printing
 *   NuGet's reading of each package (or framework name) as JSON lines.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheFolder } from '../codeServer';
import { REPO_ROOT } from './paths';

export interface CorpusPackage {
  readonly id: string;
  readonly version: string;
  readonly path: string;
}

export function corpusList(): { id: string; version: string }[] {
  return readFileSync(join(REPO_ROOT, 'test', 'fidelity', 'corpus.txt'), 'utf8').split('\n')
    .map((line) => line.trim()).filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [id, version] = line.split(/\s+/);
      return { id, version };
    });
}

function dotnetEnv(packages: string): NodeJS.ProcessEnv {
  return { ...process.env, NUGET_PACKAGES: packages, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1' };
}

/** Fetches the corpus with dotnet restore (PackageDownload) once; later runs find it in the cache. */
export function corpusPackages(): CorpusPackage[] {
  const root = join(cacheFolder(), 'corpus');
  const packages = join(root, 'packages');
  const list = corpusList().map(({ id, version }) => ({ id, version, path: join(packages, id.toLowerCase(), version.toLowerCase(), `${id.toLowerCase()}.${version.toLowerCase()}.nupkg`) }));
  if (list.every((entry) => existsSync(entry.path))) {
    return list;
  }
  const project = join(root, 'project');
  mkdirSync(project, { recursive: true });
  const byId = new Map<string, string[]>();
  for (const { id, version } of list) {
    byId.set(id, [...(byId.get(id) ?? []), version]);
  }
  const items = [...byId.entries()].map(([id, versions]) => `    <PackageDownload Include="${id}" Version="${versions.map((version) => `[${version}]`).join(';')}" />`).join('\n');
  writeFileSync(join(project, 'corpus.csproj'), `<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>\n  <ItemGroup>\n${items}\n  </ItemGroup>\n</Project>\n`);
  execFileSync('dotnet', ['restore', join(project, 'corpus.csproj')], { env: dotnetEnv(packages), stdio: 'pipe', timeout: 600_000 });
  const missing = list.filter((entry) => !existsSync(entry.path));
  if (missing.length > 0) {
    throw new Error(`dotnet restore did not fetch ${missing.map((entry) => `${entry.id} ${entry.version}`).join(', ')}`);
  }
  return list;
}

/** Builds NuGetReader once (rebuilt when its sources change) and returns the command that runs it. */
function reader(): string[] {
  const source = join(REPO_ROOT, 'test', 'fidelity', 'NuGetReader');
  const output = join(REPO_ROOT, 'out', 'fidelity', 'reader');
  const stamp = join(output, 'sources.stamp');
  const sources = ['NuGetReader.csproj', 'Program.cs', 'Health.cs'].map((name) => readFileSync(join(source, name), 'utf8')).join('\n');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== sources) {
    execFileSync('dotnet', ['build', join(source, 'NuGetReader.csproj'), '-c', 'Release', '-o', output, '-p:BaseIntermediateOutputPath=' + join(REPO_ROOT, 'out', 'fidelity', 'obj') + '/'], { env: dotnetEnv(join(cacheFolder(), 'corpus', 'packages')), stdio: 'pipe', timeout: 300_000 });
    writeFileSync(stamp, sources);
  }
  return ['dotnet', join(output, 'NuGetReader.dll')];
}

/** NuGet's reading of each package, by path. */
export function nugetReading<T>(paths: readonly string[]): Map<string, T & { path: string; error?: string }> {
  const [command, ...args] = reader();
  const out = execFileSync(command, args, { input: paths.join('\n'), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 300_000 });
  const result = new Map<string, T & { path: string; error?: string }>();
  for (const line of out.trim().split('\n')) {
    const parsed = JSON.parse(line) as T & { path: string; error?: string };
    result.set(parsed.path, parsed);
  }
  return result;
}

/** nuget.org's duplicate-entry rule (NuGetGallery) over NuGet.Packaging's reading of each package, by path. */
export function galleryDuplicates(paths: readonly string[]): Map<string, { path: string; duplicate?: boolean; error?: string }> {
  const [command, ...args] = reader();
  const out = execFileSync(command, [...args, '--duplicates'], { input: paths.join('\n'), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  return new Map(out.trim().split('\n').map((line) => {
    const parsed = JSON.parse(line) as { path: string; duplicate?: boolean; error?: string };
    return [parsed.path, parsed];
  }));
}

/** What System.Reflection.Metadata reads from each .dll (name, version, TargetFrameworkAttribute, reference assembly). */
export function metadataReading(paths: readonly string[]): Map<string, { path: string; assembly: boolean; name?: string; version?: string; targetFramework?: string | null; referenceAssembly?: boolean }> {
  const [command, ...args] = reader();
  const out = execFileSync(command, [...args, '--assemblies'], { input: paths.join('\n'), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 300_000 });
  return new Map(out.trim().split('\n').map((line) => {
    const parsed = JSON.parse(line) as { path: string; assembly: boolean };
    return [parsed.path, parsed];
  }));
}

export interface OracleHealth {
  readonly file: string;
  readonly pdb: string;
  readonly pdbMatches: boolean | null;
  readonly portable: boolean | null;
  readonly sourceLink: boolean;
  readonly deterministic: boolean;
  readonly compilerFlags: boolean;
  readonly embeddedSources: number;
}

/** Package health as System.Reflection.Metadata reads it (NuGetReader/Health.cs), by package path. */
export function healthReading(pairs: readonly { nupkg: string; snupkg?: string }[]): Map<string, { path: string; health?: OracleHealth[]; error?: string }> {
  const [command, ...args] = reader();
  const out = execFileSync(command, [...args, '--health'], { input: pairs.map(({ nupkg, snupkg }) => `${nupkg}\t${snupkg ?? ''}`).join('\n'), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 300_000 });
  return new Map(out.trim().split('\n').map((line) => {
    const parsed = JSON.parse(line) as { path: string; health?: OracleHealth[]; error?: string };
    return [parsed.path, parsed];
  }));
}

/** NuGet's short folder name of each framework string. */
export function nugetFrameworks(names: readonly string[]): Map<string, string> {
  const [command, ...args] = reader();
  const out = execFileSync(command, [...args, '--frameworks'], { input: names.join('\n'), encoding: 'utf8', timeout: 120_000 });
  return new Map(out.trim().split('\n').map((line) => JSON.parse(line) as { input: string; shortName: string }).map(({ input, shortName }) => [input, shortName]));
}
