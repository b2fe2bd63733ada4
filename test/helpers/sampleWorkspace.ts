/**
 * Builds a workspace folder with real packages (from dotnet pack), hostile packages and .nuspec
 * files. Used by the extension-host tests, the end-to-end tests and `npm start`.
 */
import { copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { dotnetFixtures, REPO_ROOT } from './dotnetFixtures';
import { BASIC_METADATA, buildZip, nuspecXml, samplePackage } from './rawZip';

export interface SampleWorkspace {
  readonly folder: string;
  readonly utilsPackage: string;
  readonly corePackage: string;
  readonly coreSymbols: string;
  readonly traversalPackage: string;
  readonly bombPackage: string;
  readonly notAZipPackage: string;
  readonly sampleNuspec: string;
  /** An SDK-style classlib to pack with dotnet. */
  readonly project: string;
}

export const SAMPLE_NUSPEC = `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>Contoso.Sample</id>
    <version>1.0.0</version>
    <authors>Contoso</authors>
    <description>A sample package to try NuGet Publisher's live checks on.</description>
    <licenseUrl>https://licenses.nuget.org/MIT</licenseUrl>
    <iconUrl>https://contoso.example/icon.png</iconUrl>
    <projectUrl>https://contoso.example/sample</projectUrl>
    <repository type="git" url="https://github.com/contoso/sample" />
    <dependencies>
      <group targetFramework="net8.0">
        <dependency id="Contoso.Core" version="[2.0.0,3.0.0)" />
      </group>
    </dependencies>
  </metadata>
</package>
`;

export function createSampleWorkspace(folder: string): SampleWorkspace {
  const fixtures = dotnetFixtures();
  const packages = join(folder, 'packages');
  const hostile = join(folder, 'hostile');
  const nuspecs = join(folder, 'nuspec');
  for (const dir of [packages, hostile, nuspecs]) {
    mkdirSync(dir, { recursive: true });
  }
  const copy = (source: string): string => {
    const target = join(packages, basename(source));
    copyFileSync(source, target);
    return target;
  };
  const utilsPackage = copy(fixtures.utils);
  const corePackage = copy(fixtures.core);
  const coreSymbols = copy(fixtures.coreSymbols);
  const traversalPackage = join(hostile, 'Traversal.1.0.0.nupkg');
  writeFileSync(traversalPackage, samplePackage({ extra: [{ name: '../../evil.txt', data: 'pwned' }] }));
  const bombPackage = join(hostile, 'Bomb.1.0.0.nupkg');
  writeFileSync(bombPackage, buildZip([{ name: 'Bomb.nuspec', data: nuspecXml(BASIC_METADATA) }, { name: 'lib/net8.0/bomb.bin', data: Buffer.alloc(1000), declaredSize: 0xfffffff0 }]));
  const notAZipPackage = join(hostile, 'NotAZip.1.0.0.nupkg');
  writeFileSync(notAZipPackage, 'This file is not a zip archive.\n');
  const sampleNuspec = join(nuspecs, 'Contoso.Sample.nuspec');
  writeFileSync(sampleNuspec, SAMPLE_NUSPEC);
  const projectFolder = join(folder, 'src', 'Contoso.Core');
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'projects', 'Contoso.Core'), projectFolder, { recursive: true, filter: (source) => !/[\\/](bin|obj)$/.test(source) });
  writeFileSync(join(folder, 'NuGet.Config'), '<?xml version="1.0" encoding="utf-8"?>\n<configuration><packageSources><clear /></packageSources></configuration>\n');
  writeFileSync(join(folder, 'README.md'), '# NuGet Publisher sample workspace\n\n- `packages/`: packages made by `dotnet pack` — double-click one to inspect it.\n- `hostile/`: broken and malicious packages — see the clear errors.\n- `nuspec/`: a .nuspec with live nuget.org checks (see the Problems panel and the quick fix on licenseUrl); \"NuGet: Pack Nuspec…\" packs it.\n- `src/Contoso.Core`: an SDK project; \"NuGet: Pack Project…\" packs it with dotnet.\n');
  return { folder, utilsPackage, corePackage, coreSymbols, traversalPackage, bombPackage, notAZipPackage, sampleNuspec, project: join(projectFolder, 'Contoso.Core.csproj') };
}
