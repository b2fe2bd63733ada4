/**
 * Fidelity: we read real packages exactly as NuGet does. Every package of the corpus
 * (test/fidelity/corpus.txt: old and new, licenseUrl / expression / file licenses, portable and
 * platform frameworks, SemVer 2, native runtimes, tools, analyzers, build assets) is read by
 * NuGet's own NuGet.Packaging (test/fidelity/NuGetReader) and by our core, and every field is
 * compared. Every package in the corpus was accepted by nuget.org, so none may get an
 * error-severity finding (a rule newer than a package is recorded below with the gallery's date).
 */
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { parseFramework } from '../../src/core/frameworks';
import { inspectPackageFile, summarize } from '../../src/core/inspect';
import { normalizeRange, parseVersionRange } from '../../src/core/version';
import { corpusPackages, nugetFrameworks, nugetReading, type CorpusPackage } from '../helpers/corpus';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASIC_METADATA, buildZip, nuspecXml } from '../helpers/rawZip';
import { tempDir } from '../helpers/temp';

interface NuGetReading {
  readonly id: string;
  readonly originalVersion: string;
  readonly normalizedVersion: string;
  readonly authors: string;
  readonly description: string;
  readonly license: { type: string; value: string; version: string } | null;
  readonly licenseUrl: string;
  readonly dependencyGroups: { framework: string; dependencies: { id: string; range: string }[] }[];
  readonly frameworkReferences: { framework: string; references: readonly string[] }[];
  readonly packageTypes: string[];
  readonly files: string[];
  readonly libFrameworks: string[];
  /** The primary signature and whether the content is what was signed (null when unsigned). */
  readonly signature: { type: string; subject: string; sha256: string; content: string } | null;
}

/** Packages published before a rule existed: code, package, and why (the gallery date). None so far. */
const ERROR_EXCEPTIONS: readonly { code: string; id: string; why: string }[] = [];

const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Our reading of one package in NuGet's terms. */
async function ourReading(path: string): Promise<{ reading: NuGetReading; errors: { code: string; message: string }[] }> {
  const inspection = await inspectPackageFile(path);
  try {
    const summary = summarize(inspection);
    const metadata = inspection.pkg.nuspec.nuspec.metadata;
    const range = (text: string): string => {
      const parsed = parseVersionRange(text);
      return parsed ? normalizeRange(parsed) : `unparsed ${text}`;
    };
    const reading: NuGetReading = {
      id: summary.id,
      originalVersion: summary.version,
      normalizedVersion: summary.normalizedVersion ?? '',
      authors: summary.authors.join(','),
      description: summary.description,
      license: metadata.license ? { type: metadata.license.type, value: metadata.license.value, version: metadata.license.version ?? '1.0.0' } : null,
      licenseUrl: metadata.licenseUrl ?? '',
      dependencyGroups: metadata.dependencyGroups.map((group) => ({
        framework: parseFramework(group.targetFramework).shortName,
        dependencies: group.dependencies.map((dependency) => ({ id: dependency.id, range: range(dependency.range) })),
      })),
      frameworkReferences: metadata.frameworkReferenceGroups.map((group) => ({ framework: parseFramework(group.targetFramework).shortName, references: group.references })),
      packageTypes: metadata.packageTypes.map((type) => type.name),
      files: [...summary.files].sort(ordinal),
      libFrameworks: [...new Set(inspection.pkg.files.filter((file) => file.role === 'lib').map((file) => file.framework?.shortName ?? 'net'))].sort(ordinal),
      signature: summary.signatures[0] ? { type: summary.signatures[0].type, subject: summary.signatures[0].subject, sha256: summary.signatures[0].sha256, content: summary.signedContent } : null,
    };
    return { reading, errors: summary.diagnostics.filter((diagnostic) => diagnostic.severity === 'error') };
  } finally {
    await inspection.pkg.close();
  }
}

/** NuGet's reading, in the same shape (authors as written, trimmed like ours). */
function theirReading(nuget: NuGetReading): NuGetReading {
  return {
    ...nuget,
    authors: nuget.authors.split(',').map((author) => author.trim()).filter(Boolean).join(','),
    description: nuget.description.trim(),
    licenseUrl: nuget.licenseUrl ?? '',
    license: nuget.license ? { type: nuget.license.type, value: nuget.license.value, version: nuget.license.version } : null,
  };
}

describe('fidelity: the real-package corpus read by NuGet and by us', () => {
  let corpus: CorpusPackage[];
  let nuget: Map<string, NuGetReading & { path: string; error?: string }>;
  before(() => {
    corpus = corpusPackages();
    nuget = nugetReading<NuGetReading>(corpus.map((entry) => entry.path));
  });

  it('the corpus has at least 150 packages, all read by NuGet', () => {
    assert.ok(corpus.length >= 150, `${corpus.length} packages`);
    const failed = [...nuget.values()].filter((reading) => reading.error);
    assert.deepEqual(failed.map((reading) => `${reading.path}: ${reading.error}`), []);
  });

  it('every field agrees with NuGet.Packaging on every package', async () => {
    const differences: string[] = [];
    for (const entry of corpus) {
      const { reading } = await ourReading(entry.path);
      const theirs = theirReading(nuget.get(entry.path)!);
      for (const field of Object.keys(theirs) as (keyof NuGetReading)[]) {
        if (field === ('path' as keyof NuGetReading) || field === ('isSigned' as keyof NuGetReading) || field === ('fullVersion' as keyof NuGetReading) || field === ('supportedFrameworks' as keyof NuGetReading)) {
          continue;
        }
        const [ours, their] = [JSON.stringify(reading[field]), JSON.stringify(theirs[field])];
        if (ours !== their) {
          differences.push(`${entry.id} ${entry.version} ${field}: ours ${ours.slice(0, 300)} NuGet ${their.slice(0, 300)}`);
        }
      }
    }
    assert.deepEqual(differences, [], `${differences.length} difference(s):\n${differences.join('\n')}`);
  });

  it('no package nuget.org accepted gets an error-severity finding', async () => {
    const errors: string[] = [];
    for (const entry of corpus) {
      const { errors: found } = await ourReading(entry.path);
      for (const error of found) {
        if (!ERROR_EXCEPTIONS.some((exception) => exception.code === error.code && exception.id.toLowerCase() === entry.id.toLowerCase())) {
          errors.push(`${entry.id} ${entry.version}: ${error.code} ${error.message}`);
        }
      }
    }
    assert.deepEqual(errors, []);
  });

  it('the framework model equals NuGet.Frameworks on every folder and group of the corpus and on NuGet\'s own spellings', async () => {
    const names = new Set<string>(FRAMEWORK_SPELLINGS);
    for (const entry of corpus) {
      const theirs = nuget.get(entry.path)!;
      for (const file of theirs.files) {
        const parts = file.split('/');
        if (parts.length > 2 && ['lib', 'ref', 'build', 'buildTransitive', 'content', 'tools'].includes(parts[0])) {
          names.add(parts[1]);
        }
      }
      const inspection = await inspectPackageFile(entry.path);
      for (const group of inspection.pkg.nuspec.nuspec.metadata.dependencyGroups) {
        names.add(group.targetFramework);
      }
      await inspection.pkg.close();
    }
    names.delete('');
    const expected = nugetFrameworks([...names]);
    const wrong = [...names].filter((name) => parseFramework(name).shortName !== expected.get(name)).map((name) => `${name}: ours ${parseFramework(name).shortName}, NuGet ${expected.get(name)}`);
    assert.ok(names.size > 150, `${names.size} names`);
    assert.deepEqual(wrong, []);
  });
});

/** Spellings from NuGet's documentation and its own tests (identifiers, profiles, platforms, portable profiles). */
const FRAMEWORK_SPELLINGS = [
  'net11', 'net20', 'net35', 'net35-client', 'net40-client', 'net40-full', 'net35-cf', 'net403', 'net45', 'net451', 'net452', 'net46', 'net461', 'net462', 'net47',
  'net471', 'net472', 'net48', 'net481', 'net4', 'net8', 'net5.0', 'net6.0', 'net7.0', 'net8.0', 'net9.0', 'net10.0', 'net5.0-windows', 'net5.0-windows7',
  'net6.0-windows7.0', 'net8.0-windows10.0.19041.0', 'net8.0-android', 'net8.0-android34.0', 'net8.0-ios', 'net8.0-ios17.0', 'net8.0-maccatalyst',
  'net8.0-macos', 'net8.0-tvos', 'net8.0-browser', 'net9.0-windows10.0.22621', 'net10.0-ios18.0', 'netcoreapp1.0', 'netcoreapp1.1', 'netcoreapp2.0',
  'netcoreapp2.1', 'netcoreapp2.2', 'netcoreapp3.0', 'netcoreapp3.1', 'netcoreapp5.0', 'netstandard', 'netstandard1.0', 'netstandard1.6', 'netstandard2.0',
  'netstandard2.1', 'netcore', 'netcore45', 'netcore451', 'netcore50', 'win', 'win8', 'win81', 'win10', 'wp', 'wp7', 'wp71', 'wp8', 'wp80', 'wp81', 'wpa',
  'wpa81', 'sl3', 'sl4', 'sl5', 'sl4-wp', 'sl4-wp71', 'uap', 'uap10.0', 'uap10.0.10240', 'uap10.0.16299', 'monoandroid', 'monoandroid10', 'monoandroid403',
  'monoandroid70', 'monoandroid90', 'monotouch', 'monotouch10', 'monomac', 'xamarinios', 'xamarinios10', 'xamarinmac', 'xamarinmac20', 'xamarintvos10',
  'xamarinwatchos10', 'xamarinpsthree', 'xamarinpsfour', 'xamarinpsvita', 'xamarinxboxone', 'tizen', 'tizen3', 'tizen40', 'dnx451', 'dnxcore50', 'dotnet',
  'dotnet50', 'dotnet5.4', 'netmf', 'native', 'portable-net45+win8', 'portable-net45+win8+wp8+wpa81', 'portable-net40+sl5+wp80+win8+wpa81', 'portable-win8+net45',
  'portable-net45+sl5+win8+wp8', 'portable-net403+sl5+netcore45+wp8+MonoAndroid1+MonoTouch1', 'portable-net45+win+wpa81+wp80+MonoAndroid10+xamarinios10+MonoTouch10',
  'portable-Profile259', 'portable45-net45+win8', 'portable-net45', 'portable-net45+win8+monoandroid', 'portable-foo+bar', '.NETFramework4.5',
  '.NETFramework,Version=v4.7.2', '.NETFramework4.0-Client', '.NETStandard2.0', '.NETStandard,Version=v2.0', '.NETCoreApp3.1', '.NETCoreApp,Version=v5.0',
  '.NETCoreApp5.0', '.NETPortable0.0-Profile259', '.NETPortable4.5-Profile7', '.NETCore5.0', 'Windows8.0', 'WindowsPhone8.0', 'WindowsPhoneApp8.1', 'Silverlight5.0',
  'MonoAndroid1.0', 'MonoAndroid7.0', 'MonoTouch1.0', 'Xamarin.iOS1.0', 'Xamarin.Mac2.0', 'Xamarin.TVOS1.0', 'Xamarin.WatchOS1.0', 'Xamarin.PlayStationThree1.0',
  'UAP10.0', 'Tizen4.0', 'native0.0', 'any', 'agnostic', 'unsupported', 'foo', 'net', 'net8.0-banana',
];

describe('fidelity: nuspec edge cases, read by NuGet and by us', () => {
  it('<dependencies /> is no dependency group; flat dependencies are one "any" group; groups stay groups', async () => {
    const folder = tempDir('np-deps-');
    const variants = {
      empty: '<dependencies />',
      emptyOpen: '<dependencies></dependencies>',
      flat: '<dependencies><dependency id="A" version="1.0" /></dependencies>',
      groups: '<dependencies><group targetFramework="net8.0"><dependency id="A" version="1.0" /></group><group /></dependencies>',
    };
    const paths = Object.entries(variants).map(([name, dependencies]) => {
      const path = join(folder, `${name}.nupkg`);
      writeFileSync(path, buildZip([{ name: 'Contoso.Sample.nuspec', data: nuspecXml(`${BASIC_METADATA}${dependencies}`) }, { name: 'README.md', data: '# x\n' }, { name: 'icon.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47]) }]));
      return path;
    });
    const read = nugetReading<NuGetReading>(paths);
    for (const path of paths) {
      const theirs = theirReading(read.get(path)!);
      const { reading } = await ourReading(path);
      assert.deepEqual(reading.dependencyGroups, theirs.dependencyGroups, path);
    }
    assert.deepEqual(theirReading(read.get(paths[0])!).dependencyGroups, [], 'NuGet reads <dependencies /> as no group');
  });
});

describe('fidelity: what we pack, NuGet reads back', () => {
  it('packs a compound license expression and a license file without extension, and NuGet reads both', async () => {
    const { mkdirSync, mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { packNuspec } = await import('../../src/core/pack/packNuspec');
    const folder = mkdtempSync(join(tmpdir(), 'np-fidelity-pack-'));
    mkdirSync(join(folder, 'out'));
    writeFileSync(join(folder, 'LICENSE'), 'Permission is hereby granted...\n');
    writeFileSync(join(folder, 'a b+c.txt'), 'content with a space and a plus in its name\n');
    const nuspec = (id: string, license: string): string => `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata><id>${id}</id><version>1.0.0</version><authors>Contoso</authors>
<description>Fidelity of packing.</description>${license}</metadata><files><file src="LICENSE" target="" /><file src="a b+c.txt" target="content" /></files></package>`;
    writeFileSync(join(folder, 'Expr.nuspec'), nuspec('Contoso.Expr', '<license type="expression">MIT OR Apache-2.0</license>'));
    writeFileSync(join(folder, 'File.nuspec'), nuspec('Contoso.File', '<license type="file">LICENSE</license>'));
    const expression = await packNuspec({ nuspecPath: join(folder, 'Expr.nuspec'), outputDir: join(folder, 'out') });
    const file = await packNuspec({ nuspecPath: join(folder, 'File.nuspec'), outputDir: join(folder, 'out') });
    const read = nugetReading<NuGetReading>([expression.packagePath, file.packagePath]);
    const expr = read.get(expression.packagePath)!;
    assert.deepEqual([expr.license?.type, expr.license?.value, expr.licenseUrl], ['expression', 'MIT OR Apache-2.0', 'https://licenses.nuget.org/MIT%20OR%20Apache-2.0']);
    assert.deepEqual([read.get(file.packagePath)!.license?.type, read.get(file.packagePath)!.license?.value], ['file', 'LICENSE']);
    assert.ok(expr.files.includes('content/a b+c.txt'), `NuGet reads the name as written: ${expr.files.join(', ')}`);
    for (const path of [expression.packagePath, file.packagePath]) {
      const { reading, errors } = await ourReading(path);
      assert.deepEqual(errors, []);
      assert.deepEqual(reading.files, theirReading(read.get(path)!).files);
    }
  });
});

describe('fidelity: native packing agrees with today\'s NuGet (dotnet pack with NuspecFile)', () => {
  it('gives the same entry names and the same reading by NuGet.Packaging for the same nuspecs', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdirSync, mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { basename, dirname, join } = await import('node:path');
    const { packNuspec } = await import('../../src/core/pack/packNuspec');
    const { parseProperties } = await import('../../src/core/pack/tokens');
    const { depPackage, tokensPackage } = await import('../helpers/packFixtures');
    const { dotnetEnv } = await import('../helpers/dotnetFixtures');
    const { entryNames } = await import('../helpers/zipEntries');
    const root = mkdtempSync(join(tmpdir(), 'np-pack-parity-'));
    for (const [nuspecPath, properties] of [[tokensPackage(root, true), 'id=Contoso.Tokens;version=1.0.0;author=Jane'], [depPackage(root), '']] as const) {
      const folder = dirname(nuspecPath);
      const ours = join(root, `ours-${basename(folder)}`);
      const theirs = join(root, `theirs-${basename(folder)}`);
      mkdirSync(ours);
      mkdirSync(theirs);
      const native = await packNuspec({ nuspecPath, outputDir: ours, properties: properties ? parseProperties(properties) : {} });
      // A project beside the nuspec's folder (its build output must not be packed) that packs only
      // the nuspec; the SDK's own framework restores with no download.
      const projectFolder = join(root, `project-${basename(folder)}`);
      mkdirSync(projectFolder);
      const project = join(projectFolder, 'Pack.csproj');
      writeFileSync(project, `<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework><NuspecFile>${nuspecPath}</NuspecFile><NuspecBasePath>${folder}</NuspecBasePath><NuspecProperties>${properties}</NuspecProperties><IncludeBuildOutput>false</IncludeBuildOutput><EnableDefaultItems>false</EnableDefaultItems><NoWarn>NU5100;NU5128;NU5110;NU5111</NoWarn></PropertyGroup></Project>`);
      writeFileSync(join(projectFolder, 'NuGet.Config'), '<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /></packageSources></configuration>');
      const home = join(root, 'home');
      mkdirSync(home, { recursive: true });
      execFileSync('dotnet', ['pack', project, `-p:PackageOutputPath=${theirs}/`], { env: dotnetEnv(home), stdio: 'pipe', timeout: 240_000 });
      const reference = join(theirs, basename(native.packagePath));
      const names = async (path: string): Promise<string[]> => (await entryNames(path)).sort();
      assert.deepEqual(await names(native.packagePath), await names(reference), 'the same zip entry names');
      const read = nugetReading<NuGetReading>([native.packagePath, reference]);
      const [mine, dotnets] = [read.get(native.packagePath)!, read.get(reference)!];
      for (const field of ['id', 'originalVersion', 'authors', 'description', 'license', 'licenseUrl', 'dependencyGroups', 'files'] as const) {
        assert.deepEqual(mine[field], dotnets[field], `${basename(nuspecPath)}: ${field}`);
      }
    }
  });
});
