/**
 * Pairs of packages built by the real `dotnet pack` from test/fixtures/api/<case>-1.cs and
 * <case>-2.cs: at least one pair per ApiCompat rule (members, rules, constraints), an enum whose
 * base type and values change, public API only added, and a patch. Built once into
 * out/fixtures/api (rebuilt when a source or this file changes).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dotnetEnv } from './dotnetFixtures';
import { REPO_ROOT } from './paths';

const SOURCES = join(REPO_ROOT, 'test', 'fixtures', 'api');
const OUTPUT = join(REPO_ROOT, 'out', 'fixtures', 'api');

/** Each case: its package id and the two versions (the second number is deliberately too small for some). */
export const API_CASES = {
  members: { id: 'Api.Members', versions: ['1.0.0', '1.1.0'] },
  rules: { id: 'Api.Rules', versions: ['1.0.0', '2.0.0'] },
  constraints: { id: 'Api.Constraints', versions: ['1.0.0', '2.0.0'] },
  enums: { id: 'Api.Enums', versions: ['1.0.0', '2.0.0'] },
  added: { id: 'Api.Added', versions: ['1.0.0', '1.0.1'] },
  patch: { id: 'Api.Patch', versions: ['1.0.0', '1.0.1'] },
} as const;

export type ApiCase = keyof typeof API_CASES;

export function apiFixtures(): Record<ApiCase, { older: string; newer: string }> {
  const hash = createHash('sha256').update(readFileSync(__filename)).update(readdirSync(SOURCES).sort().map((name) => readFileSync(join(SOURCES, name), 'utf8')).join('\n')).digest('hex');
  const stamp = join(OUTPUT, 'stamp.txt');
  const packages = join(OUTPUT, 'packages');
  const result = Object.fromEntries(Object.entries(API_CASES).map(([name, { id, versions }]) => [name, {
    older: join(packages, `${id}.${versions[0]}.nupkg`), newer: join(packages, `${id}.${versions[1]}.nupkg`),
  }])) as Record<ApiCase, { older: string; newer: string }>;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
    return result;
  }
  rmSync(OUTPUT, { recursive: true, force: true });
  const projects: string[] = [];
  for (const [name, { id, versions }] of Object.entries(API_CASES)) {
    versions.forEach((version, index) => {
      const folder = join(OUTPUT, 'src', `${name}-${index + 1}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'Library.cs'), readFileSync(join(SOURCES, `${name}-${index + 1}.cs`)));
      writeFileSync(join(folder, `${name}-${index + 1}.csproj`), `<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n    <PackageId>${id}</PackageId>\n    <AssemblyName>Lib</AssemblyName>\n    <Version>${version}</Version>\n    <Authors>Api</Authors>\n    <Description>An API compatibility case.</Description>\n    <NoWarn>CS0067</NoWarn>\n    <PackageOutputPath>${packages}/</PackageOutputPath>\n  </PropertyGroup>\n</Project>\n`);
      projects.push(`  <Project Path="src/${name}-${index + 1}/${name}-${index + 1}.csproj" />`);
    });
  }
  writeFileSync(join(OUTPUT, 'api.slnx'), `<Solution>\n${projects.join('\n')}\n</Solution>\n`);
  writeFileSync(join(OUTPUT, 'NuGet.Config'), '<?xml version="1.0" encoding="utf-8"?>\n<configuration><packageSources><clear /></packageSources></configuration>\n');
  const home = join(OUTPUT, 'home');
  mkdirSync(home, { recursive: true });
  try {
    execFileSync('dotnet', ['pack', join(OUTPUT, 'api.slnx'), '-c', 'Release'], { cwd: OUTPUT, env: dotnetEnv(home), stdio: 'pipe', timeout: 600_000 });
  } catch (error) {
    const output = error as { stdout?: Buffer; stderr?: Buffer; code?: string };
    throw new Error(output.code === 'ENOENT' ? 'The .NET SDK (dotnet) is not on PATH; the API compatibility cases are built with it.'
      : `dotnet pack of the API cases failed:\n${output.stdout?.toString() ?? ''}${output.stderr?.toString() ?? ''}`);
  }
  writeFileSync(stamp, hash);
  return result;
}
