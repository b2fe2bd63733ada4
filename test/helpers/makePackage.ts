/** Small valid packages written with the raw zip helper (no dotnet): for diff and plan tests. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildZip, nuspecXml } from './rawZip';

/** A small valid package: id, version, dependencies (id → range) and files. */
export function makePackage(folder: string, id: string, version: string, options: { dependencies?: Record<string, string>; files?: Record<string, string>; description?: string; license?: string } = {}): string {
  const deps = Object.entries(options.dependencies ?? {}).map(([dep, range]) => `<dependency id="${dep}" version="${range}" />`).join('');
  const metadata = `<id>${id}</id><version>${version}</version><authors>Contoso</authors><description>${options.description ?? `${id} library`}</description>
    <license type="expression">${options.license ?? 'MIT'}</license><readme>README.md</readme><icon>icon.png</icon><repository type="git" url="https://github.com/contoso/x" commit="abc" />
    ${deps ? `<dependencies><group targetFramework="net8.0">${deps}</group></dependencies>` : ''}`;
  const files = options.files ?? { 'lib/net8.0/Lib.dll': 'x'.repeat(100) };
  const path = join(folder, `${id}.${version}.nupkg`);
  writeFileSync(path, buildZip([
    { name: `${id}.nuspec`, data: nuspecXml(metadata) },
    { name: 'README.md', data: `# ${id}\n` },
    { name: 'icon.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
    ...Object.entries(files).map(([name, data]) => ({ name, data })),
  ]));
  return path;
}
