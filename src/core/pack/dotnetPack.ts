/**
 * `dotnet pack` for SDK-style projects: argument building, a check that dotnet exists, and the
 * list of packages a run produced. Used by the CLI and (through a VS Code task) the extension.
 */
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NuGetPublisherError } from '../errors';

export const DOTNET_DOWNLOAD_URL = 'https://dotnet.microsoft.com/download';

export interface DotnetPackOptions {
  /** .csproj/.fsproj/.vbproj or .sln(x). */
  readonly project: string;
  readonly configuration?: string;
  readonly outputDir: string;
  readonly version?: string;
  readonly symbols?: boolean;
}

export function isProjectFile(path: string): boolean {
  return /\.(csproj|fsproj|vbproj|sln|slnx)$/i.test(path);
}

/** The dotnet arguments; the output goes through PackageOutputPath (a trailing slash marks a folder). */
export function dotnetPackArgs(options: DotnetPackOptions): string[] {
  const args = ['pack', options.project, '-c', options.configuration ?? 'Release', `-p:PackageOutputPath=${options.outputDir.replace(/[\\/]*$/, '/')}`];
  if (options.version) {
    if (!/^[0-9A-Za-z.+-]+$/.test(options.version)) {
      throw new NuGetPublisherError('NP1050', `"${options.version}" is not a version.`, 'Use e.g. 1.2.3 or 1.2.3-beta.1.');
    }
    args.push(`-p:Version=${options.version}`);
  }
  if (options.symbols) {
    args.push('--include-symbols', '-p:SymbolPackageFormat=snupkg');
  }
  return args;
}

/** The dotnet SDK version, or a clear error when dotnet is not installed (never hangs: 20 s cap). */
export function findDotnet(dotnet = 'dotnet'): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(dotnet, ['--version'], { timeout: 20_000 }, (error, stdout) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        reject(new NuGetPublisherError('NP1051', code === 'ENOENT' ? 'The .NET SDK (dotnet) is not installed or not on PATH, so SDK projects cannot be packed.' : `dotnet --version failed (${error.message.split('\n')[0]}).`, `Install the .NET SDK from ${DOTNET_DOWNLOAD_URL} and restart VS Code. .nuspec files can still be packed without it.`));
      } else {
        resolve(stdout.trim());
      }
    });
  });
}

/** Packages in `folder` written at or after `since` (ms). */
export async function producedPackages(folder: string, since: number): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const found: string[] = [];
  for (const name of names.filter((item) => /\.s?nupkg$/i.test(item)).sort()) {
    const path = join(folder, name);
    if ((await stat(path)).mtimeMs >= since - 2000) {
      found.push(path);
    }
  }
  return found;
}
