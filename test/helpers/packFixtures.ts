/** Source trees and nuspecs for native-pack tests (and the dotnet restore that consumes them). */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './dotnetFixtures';

function write(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

/** Contoso.Tokens: tokens, globs with exclude, contentFiles, dependency groups, expression license, icon, readme, unicode/space names. */
/** withReadme=false for NuGet.exe 5.8, which predates <readme>. */
export function tokensPackage(root: string, withReadme = true): string {
  const folder = join(root, withReadme ? 'tokens' : 'tokens-no-readme');
  write(join(folder, 'build', 'bin', 'Contoso.Tokens.dll'), Buffer.alloc(2048, 1));
  write(join(folder, 'build', 'bin', 'Contoso.Tokens.xml'), '<doc/>');
  write(join(folder, 'build', 'bin', 'Contoso.Tokens.tmp'), 'excluded');
  write(join(folder, 'build', 'bin', 'skip', 'Skipped.dll'), 'excluded');
  write(join(folder, 'build', 'bin', 'de', 'Contoso.Tokens.resources.dll'), Buffer.alloc(100, 2));
  write(join(folder, 'content files', 'naïve file.txt'), 'unicode and spaces');
  write(join(folder, 'content files', 'config.json'), '{"x":1}');
  write(join(folder, 'docs', 'README.md'), '# Contoso.Tokens\n\nPacked natively.\n');
  copyFileSync(join(REPO_ROOT, 'media', 'icon.png'), join(folder, 'icon.png'));
  write(join(folder, 'tools', 'init.ps1'), 'Write-Host hi');
  write(join(folder, '.hidden', 'secret.txt'), 'dot folders are never packed');
  write(join(folder, 'Contoso.Tokens.nuspec'), `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>$id$</id>
    <version>$version$</version>
    <authors>$author$</authors>
    <description>Tokens, globs and content files.</description>
    <license type="expression">MIT</license>
    <icon>icon.png</icon>
${withReadme ? '    <readme>docs\\README.md</readme>\n' : ''}    <repository type="git" url="https://github.com/contoso/tokens" />
    <dependencies>
      <group targetFramework="netstandard2.0">
        <dependency id="Contoso.Dep" version="[2.0.0,3.0.0)" />
      </group>
    </dependencies>
    <contentFiles>
      <files include="any/any/**/*" buildAction="None" copyToOutput="true" />
    </contentFiles>
  </metadata>
  <files>
    <file src="build\\bin\\**\\*.dll" target="lib\\netstandard2.0" exclude="**\\*.tmp;build\\bin\\skip\\**" />
    <file src="build/bin/*.xml" target="lib/netstandard2.0" />
    <file src="content files/*" target="contentFiles/any/any" />
    <file src="docs/README.md" target="docs" />
    <file src="icon.png" target="" />
    <file src="tools/init.ps1" target="tools/install.ps1" />
  </files>
</package>
`);
  return join(folder, 'Contoso.Tokens.nuspec');
}

/** Contoso.Dep: no <files> (everything under the folder), a license file, two dependency groups. */
/** NuGet.exe 5.8 from the cache scripts/setup-mono.sh fills (or NUGET_EXE). */
export function nugetExe(): string {
  const path = process.env.NUGET_EXE ?? join(process.env.NUGET_PUBLISHER_CACHE ?? join(homedir(), '.cache', 'nuget-publisher'), 'nuget-exe-5.8.0', 'node_modules', 'nuget-exe', 'nuget-5.8.0.exe');
  if (!existsSync(path)) {
    throw new Error(`NuGet.exe is not installed at ${path}: run bash scripts/setup-mono.sh`);
  }
  return path;
}

export function depPackage(root: string): string {
  const folder = join(root, 'dep');
  write(join(folder, 'lib', 'netstandard2.0', 'Contoso.Dep.dll'), Buffer.alloc(512, 3));
  write(join(folder, 'LICENSE.txt'), 'MIT License\n');
  write(join(folder, 'old.nupkg'), 'other packages are never packed');
  write(join(folder, 'drafts', 'Draft.nuspec'), '<package><metadata><id>Draft</id></metadata></package>');
  write(join(folder, 'Contoso.Dep.nuspec'), `<?xml version="1.0" encoding="utf-8"?>
<package>
  <metadata>
    <id>Contoso.Dep</id>
    <version>2.0.0</version>
    <authors>Contoso</authors>
    <description>A dependency with a license file.</description>
    <license type="file">LICENSE.txt</license>
    <repository type="git" url="https://github.com/contoso/dep" />
    <dependencies>
      <group targetFramework="net8.0" />
      <group targetFramework="netstandard2.0" />
    </dependencies>
  </metadata>
</package>
`);
  return join(folder, 'Contoso.Dep.nuspec');
}

/** A folder writes fail in: chmod 555 for users, a read-only tmpfs for root (root ignores modes). */
export function readOnlyFolder(parent: string): { path: string; cleanup: () => void } {
  const path = join(parent, 'read-only');
  mkdirSync(path, { recursive: true });
  chmodSync(path, 0o555);
  try {
    writeFileSync(join(path, 'probe'), 'x');
    rmSync(join(path, 'probe'));
  } catch {
    return { path, cleanup: () => chmodSync(path, 0o755) };
  }
  chmodSync(path, 0o755);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', path]);
  return { path, cleanup: () => execFileSync('umount', [path]) };
}
