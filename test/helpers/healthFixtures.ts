/**
 * Packages built by the real `dotnet pack` from a local git repository, one per health case:
 * Source Link on and off, ContinuousIntegrationBuild, Deterministic=false, DebugType
 * full / portable / embedded / none, PDBs in the package or in a .snupkg, a nuspec repository that
 * disagrees with Source Link, and a second build of the same package (its .snupkg is "from another
 * build"). Built once into out/fixtures/health (rebuilt when this file changes).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dotnetEnv } from './dotnetFixtures';
import { REPO_ROOT } from './paths';

const OUTPUT = join(REPO_ROOT, 'out', 'fixtures', 'health');
export const HEALTH_REPOSITORY = 'https://github.com/nuget-publisher/health-sample';

/** Each case: the MSBuild properties that make it. */
export const HEALTH_CASES = {
  Good: '<ContinuousIntegrationBuild>true</ContinuousIntegrationBuild><PublishRepositoryUrl>true</PublishRepositoryUrl><EmbedUntrackedSources>true</EmbedUntrackedSources><IncludeSymbols>true</IncludeSymbols><SymbolPackageFormat>snupkg</SymbolPackageFormat>',
  Embedded: '<ContinuousIntegrationBuild>true</ContinuousIntegrationBuild><PublishRepositoryUrl>true</PublishRepositoryUrl><EmbedUntrackedSources>true</EmbedUntrackedSources><DebugType>embedded</DebugType>',
  InPackage: '<PublishRepositoryUrl>true</PublishRepositoryUrl><DebugType>portable</DebugType><AllowedOutputExtensionsInPackageBuildOutputFolder>$(AllowedOutputExtensionsInPackageBuildOutputFolder);.pdb</AllowedOutputExtensionsInPackageBuildOutputFolder>',
  NoSourceLink: '<EnableSourceLink>false</EnableSourceLink><IncludeSymbols>true</IncludeSymbols><SymbolPackageFormat>snupkg</SymbolPackageFormat>',
  NonDeterministic: '<Deterministic>false</Deterministic><PublishRepositoryUrl>true</PublishRepositoryUrl><IncludeSymbols>true</IncludeSymbols><SymbolPackageFormat>snupkg</SymbolPackageFormat>',
  Full: '<DebugType>full</DebugType><PublishRepositoryUrl>true</PublishRepositoryUrl><IncludeSymbols>true</IncludeSymbols><SymbolPackageFormat>snupkg</SymbolPackageFormat>',
  None: '<DebugType>none</DebugType>',
  WrongRepository: '<RepositoryUrl>https://gitlab.example/other/repository</RepositoryUrl><RepositoryCommit>0123456789abcdef0123456789abcdef01234567</RepositoryCommit><EmbedUntrackedSources>true</EmbedUntrackedSources><IncludeSymbols>true</IncludeSymbols><SymbolPackageFormat>snupkg</SymbolPackageFormat>',
} as const;

export type HealthCase = keyof typeof HEALTH_CASES | 'OtherBuild';

export interface BuiltCase {
  readonly nupkg: string;
  readonly snupkg?: string;
}

function project(id: string, properties: string): string {
  return `<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n    <PackageId>${id}</PackageId>\n    <Version>1.0.0</Version>\n    <Authors>Health</Authors>\n    <Description>A package health case.</Description>\n    <PackageOutputPath>$(MSBuildProjectDirectory)/../../packages/$(MSBuildProjectName)/</PackageOutputPath>\n    ${properties}\n  </PropertyGroup>\n</Project>\n`;
}

/** Builds every case (once) and returns where its packages are. */
export function healthFixtures(): Record<HealthCase, BuiltCase> {
  const recipe = readFileSync(__filename.replace(/\.js$/, '.js'), 'utf8');
  const stamp = join(OUTPUT, 'stamp.txt');
  const hash = createHash('sha256').update(recipe).digest('hex');
  const cases = [...Object.keys(HEALTH_CASES), 'OtherBuild'] as HealthCase[];
  const result = Object.fromEntries(cases.map((name) => {
    const folder = join(OUTPUT, 'repo', 'packages', name);
    const id = `Health.${name === 'OtherBuild' ? 'Good' : name}`;
    const snupkg = join(folder, `${id}.1.0.0.snupkg`);
    return [name, { nupkg: join(folder, `${id}.1.0.0.nupkg`), ...(existsSync(snupkg) || !existsSync(stamp) ? { snupkg } : {}) }];
  })) as Record<HealthCase, BuiltCase>;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
    return result;
  }
  rmSync(OUTPUT, { recursive: true, force: true });
  const repo = join(OUTPUT, 'repo');
  mkdirSync(join(repo, 'src'), { recursive: true });
  const slnx: string[] = [];
  for (const name of cases) {
    const folder = join(repo, 'src', name);
    mkdirSync(folder, { recursive: true });
    const id = `Health.${name === 'OtherBuild' ? 'Good' : name}`;
    // The other build is the Good package's id and settings built from different code.
    writeFileSync(join(folder, `${name}.csproj`), project(id, name === 'OtherBuild' ? `<AssemblyName>Good</AssemblyName>${HEALTH_CASES.Good}` : HEALTH_CASES[name]));
    writeFileSync(join(folder, 'Library.cs'), `namespace Health;\n\npublic static class Library\n{\n    public static int Answer() => ${name === 'OtherBuild' ? 43 : 42};\n}\n`);
    slnx.push(`  <Project Path="src/${name}/${name}.csproj" />`);
  }
  writeFileSync(join(repo, 'health.slnx'), `<Solution>\n${slnx.join('\n')}\n</Solution>\n`);
  writeFileSync(join(repo, 'NuGet.Config'), '<?xml version="1.0" encoding="utf-8"?>\n<configuration><packageSources><clear /></packageSources></configuration>\n');
  writeFileSync(join(repo, '.gitignore'), 'bin/\nobj/\npackages/\n');
  const git = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=Health', '-c', 'user.email=health@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd: repo, stdio: 'pipe' });
  };
  git('init', '-q');
  git('remote', 'add', 'origin', `${HEALTH_REPOSITORY}.git`);
  git('add', '.');
  git('commit', '-q', '-m', 'health cases');
  const home = join(OUTPUT, 'home');
  mkdirSync(home, { recursive: true });
  try {
    execFileSync('dotnet', ['pack', join(repo, 'health.slnx'), '-c', 'Release'], { cwd: repo, env: dotnetEnv(home), stdio: 'pipe', timeout: 600_000 });
  } catch (error) {
    const output = error as { stdout?: Buffer; stderr?: Buffer; code?: string };
    if (output.code === 'ENOENT') {
      throw new Error('The .NET SDK (dotnet) is not on PATH; the package health tests build real projects with it.');
    }
    throw new Error(`dotnet pack of the health cases failed:\n${output.stdout?.toString() ?? ''}${output.stderr?.toString() ?? ''}`);
  }
  writeFileSync(stamp, hash);
  return healthFixtures();
}

/** The git commit the cases were built from (Source Link and the nuspec's repository commit). */
export function healthCommit(): string {
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: join(OUTPUT, 'repo'), encoding: 'utf8' }).trim();
}
