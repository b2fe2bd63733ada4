/**
 * Packages made by the real `dotnet pack` from the tiny SDK projects in test/fixtures/projects.
 * Built once into out/fixtures/dotnet (rebuilt when a project file changes) and shared by the
 * unit, extension-host and end-to-end tests.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

import { REPO_ROOT } from './paths';

export { REPO_ROOT };
const PROJECTS = join(REPO_ROOT, 'test', 'fixtures', 'projects');
const OUTPUT = join(REPO_ROOT, 'out', 'fixtures', 'dotnet');

export interface DotnetFixtures {
  readonly utils: string;
  readonly core: string;
  readonly coreSymbols: string;
  readonly folder: string;
}

function hashTree(folder: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'bin' || name === 'obj') {
        continue;
      }
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else {
        hash.update(path.slice(folder.length)).update(readFileSync(path));
      }
    }
  };
  walk(folder);
  return hash.digest('hex');
}

/** Isolated environment for dotnet: own HOME and NuGet caches, no telemetry. */
export function dotnetEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: home,
    DOTNET_CLI_HOME: home,
    NUGET_PACKAGES: join(home, 'packages'),
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    DOTNET_NOLOGO: '1',
    DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1',
    DOTNET_GENERATE_ASPNET_CERTIFICATE: 'false',
  };
}

export function dotnetFixtures(): DotnetFixtures {
  const stamp = join(OUTPUT, 'stamp.txt');
  const hash = hashTree(PROJECTS);
  const result: DotnetFixtures = {
    utils: join(OUTPUT, 'Contoso.Utils.1.2.3-beta.1.nupkg'),
    core: join(OUTPUT, 'Contoso.Core.2.0.0.nupkg'),
    coreSymbols: join(OUTPUT, 'Contoso.Core.2.0.0.snupkg'),
    folder: OUTPUT,
  };
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash && existsSync(result.utils) && existsSync(result.coreSymbols)) {
    return result;
  }
  rmSync(OUTPUT, { recursive: true, force: true });
  const work = join(OUTPUT, 'work');
  mkdirSync(work, { recursive: true });
  cpSync(PROJECTS, join(work, 'src'), { recursive: true });
  const home = join(work, 'home');
  mkdirSync(home, { recursive: true });
  writeFileSync(join(work, 'src', 'NuGet.Config'), '<?xml version="1.0" encoding="utf-8"?>\n<configuration><packageSources><clear /></packageSources></configuration>\n');
  for (const project of ['Contoso.Core/Contoso.Core.csproj', 'Contoso.Utils/Contoso.Utils.csproj']) {
    try {
      execFileSync('dotnet', ['pack', join(work, 'src', project), '-c', 'Release', `-p:PackageOutputPath=${OUTPUT}/`], { env: dotnetEnv(home), stdio: 'pipe', timeout: 240_000 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error('The .NET SDK (dotnet) is not on PATH; the tests that pack real projects need it. Install the .NET SDK (apt: dotnet-sdk-10.0, or https://dot.net) and run again.');
      }
      const output = error as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`dotnet pack ${project} failed:\n${output.stdout?.toString() ?? ''}${output.stderr?.toString() ?? ''}`);
    }
  }
  writeFileSync(stamp, hash);
  return result;
}
