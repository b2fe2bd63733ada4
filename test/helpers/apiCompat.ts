/**
 * The oracle of the API diff: Microsoft.DotNet.ApiCompat.Tool (the SDK's package validation as a
 * dotnet tool, from the NuGet registry), installed once into the cache folder, and the real
 * version pairs it is run on, fetched by the real `dotnet restore` (PackageDownload).
 *
 * What the tool reports as a break between two packages: the suppressions that
 * `apicompat package NEW --baseline-package OLD --generate-suppression-file` writes, less those
 * that `apicompat package NEW` writes alone (its checks within one package).
 */
import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheFolder } from '../codeServer';
import { dotnetEnv } from './dotnetFixtures';
import { tempDir } from './temp';

export const APICOMPAT_VERSION = '10.0.401';

/** Real version pairs (older, newer) from the registry: patches, minors and majors with real breaks. */
export const API_PAIRS: readonly (readonly [id: string, older: string, newer: string])[] = [
  ['Newtonsoft.Json', '12.0.1', '12.0.3'], ['Newtonsoft.Json', '12.0.3', '13.0.1'], ['Newtonsoft.Json', '13.0.3', '13.0.4'],
  ['Polly', '7.2.3', '7.2.4'], ['Polly', '7.2.4', '8.1.0'], ['Polly', '8.8.1', '8.9.0'],
  ['Serilog', '2.11.0', '3.1.1'], ['Serilog', '3.1.1', '4.0.0'], ['Serilog', '4.3.0', '4.3.1'],
  ['FluentValidation', '11.11.0', '12.0.0'], ['FluentValidation', '12.1.0', '12.1.1'],
  ['Humanizer.Core', '2.14.1', '3.0.1'], ['Dapper', '2.0.123', '2.1.66'], ['NodaTime', '3.3.6', '3.3.7'],
  ['CsvHelper', '30.0.1', '31.0.4'], ['CsvHelper', '33.0.1', '33.1.0'],
  ['Moq', '4.18.4', '4.20.70'], ['Moq', '4.20.70', '4.20.72'], ['xunit.assert', '2.5.3', '2.9.2'],
  ['Castle.Core', '4.4.0', '5.0.0'], ['Castle.Core', '5.1.1', '5.2.1'], ['Scrutor', '5.1.2', '6.1.0'],
  ['Bogus', '34.0.2', '35.6.5'], ['Ardalis.GuardClauses', '4.6.0', '5.0.0'], ['Markdig', '0.45.0', '1.4.0'], ['Markdig', '1.5.1', '1.6.0'],
  ['YamlDotNet', '16.3.0', '17.1.0'], ['RestSharp', '112.1.0', '113.1.0'], ['Spectre.Console', '0.55.0', '0.57.2'],
  ['CommandLineParser', '2.8.0', '2.9.1'], ['NLog', '5.5.1', '6.2.0'], ['Azure.Core', '1.64.0', '1.65.0'], ['SharpZipLib', '1.4.1', '1.4.2'],
];

/** Installs the tool once (dotnet tool install --tool-path) and returns its command. */
export function apiCompatTool(): string {
  const folder = join(cacheFolder(), `apicompat-${APICOMPAT_VERSION}`);
  const binary = join(folder, 'apicompat');
  if (!existsSync(binary)) {
    const home = tempDir('np-apicompat-home-');
    try {
      execFileSync('dotnet', ['tool', 'install', 'Microsoft.DotNet.ApiCompat.Tool', '--version', APICOMPAT_VERSION, '--tool-path', folder], { env: dotnetEnv(home), stdio: 'pipe', timeout: 300_000 });
    } catch (error) {
      const output = error as { stdout?: Buffer; stderr?: Buffer; code?: string };
      throw new Error(output.code === 'ENOENT' ? 'The .NET SDK (dotnet) is not on PATH; the API diff is checked against Microsoft.DotNet.ApiCompat.Tool, a dotnet tool.'
        : `dotnet tool install Microsoft.DotNet.ApiCompat.Tool failed:\n${output.stdout?.toString() ?? ''}${output.stderr?.toString() ?? ''}`);
    }
  }
  return binary;
}

/** The .nupkg of each pair's versions, fetched by dotnet restore (PackageDownload) into the cache once. */
export function apiPairPackages(): { id: string; older: string; newer: string }[] {
  const root = join(cacheFolder(), 'api-pairs');
  const packages = join(root, 'packages');
  const path = (id: string, version: string): string => join(packages, id.toLowerCase(), version, `${id.toLowerCase()}.${version}.nupkg`);
  const list = API_PAIRS.map(([id, older, newer]) => ({ id, older: path(id, older), newer: path(id, newer) }));
  if (list.every((entry) => existsSync(entry.older) && existsSync(entry.newer))) {
    return list;
  }
  const versions = new Map<string, Set<string>>();
  for (const [id, older, newer] of API_PAIRS) {
    versions.set(id, new Set([...(versions.get(id) ?? []), older, newer]));
  }
  const project = join(root, 'project');
  mkdirSync(project, { recursive: true });
  const items = [...versions].map(([id, set]) => `    <PackageDownload Include="${id}" Version="${[...set].map((version) => `[${version}]`).join(';')}" />`).join('\n');
  writeFileSync(join(project, 'pairs.csproj'), `<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>\n  <ItemGroup>\n${items}\n  </ItemGroup>\n</Project>\n`);
  execFileSync('dotnet', ['restore', join(project, 'pairs.csproj')], { env: { ...process.env, NUGET_PACKAGES: packages, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' }, stdio: 'pipe', timeout: 600_000 });
  const missing = list.filter((entry) => !existsSync(entry.older) || !existsSync(entry.newer));
  if (missing.length > 0) {
    throw new Error(`dotnet restore did not fetch ${missing.map((entry) => entry.id).join(', ')}`);
  }
  return list;
}

const run = promisify(execFile);

/** One suppression: "CP0002|M:Ns.C.M|lib/net8.0/X.dll|lib/net8.0/X.dll". */
async function suppressions(args: readonly string[]): Promise<Set<string>> {
  const file = join(tempDir('np-apicompat-'), 'suppressions.xml');
  await run(apiCompatTool(), [...args, '--generate-suppression-file', '--suppression-output-file', file], { timeout: 300_000, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`apicompat ${args.join(' ')} failed: ${error.stdout ?? ''}${error.stderr ?? ''}`);
  });
  const found = new Set<string>();
  if (!existsSync(file)) {
    return found; // nothing to suppress: no file is written
  }
  const xml = readFileSync(file, 'utf8');
  rmSync(file, { force: true });
  for (const match of xml.matchAll(/<Suppression>([\s\S]*?)<\/Suppression>/g)) {
    const field = (name: string): string => (new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(match[1])?.[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    found.add([field('DiagnosticId'), field('Target'), field('Left'), field('Right')].join('|'));
  }
  return found;
}

/** What ApiCompat reports as breaking between two packages, as "id|target|left|right" keys. */
export async function apiCompatBreaks(older: string, newer: string): Promise<Set<string>> {
  const [withBaseline, alone] = await Promise.all([suppressions(['package', newer, '--baseline-package', older]), suppressions(['package', newer])]);
  return new Set([...withBaseline].filter((key) => !alone.has(key)));
}
