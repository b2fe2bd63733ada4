/** Native .nuspec packing: consumed by the real dotnet restore, OPC-correct, deterministic, and safe on failure. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { NuGetPublisherError } from '../../src/core/errors';
import { openPackage } from '../../src/core/nupkg/package';
import { ZipArchive } from '../../src/core/nupkg/zipReader';
import { inspectPackageFile } from '../../src/core/inspect';
import { globToRegExp, literalPrefix } from '../../src/core/pack/glob';
import { packNuspec, type OutputSink } from '../../src/core/pack/packNuspec';
import { dotnetPackArgs, findDotnet } from '../../src/core/pack/dotnetPack';
import { parseProperties, replaceTokens } from '../../src/core/pack/tokens';
import { runCli } from '../helpers/cli';
import { dotnetEnv } from '../helpers/dotnetFixtures';
import { depPackage, nugetExe, readOnlyFolder, tokensPackage } from '../helpers/packFixtures';
import { parseFramework } from '../../src/core/frameworks';
import { describeRange, parseVersionRange } from '../../src/core/version';
import { entryBytes, entryNames } from '../helpers/zipEntries';
import { healthFixtures } from '../helpers/healthFixtures';
import { tempDir } from '../helpers/temp';

const PROPS = { id: 'Contoso.Tokens', version: '1.0.0', author: 'Jane & John' };

async function expectPackError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof NuGetPublisherError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
    return true;
  });
}

describe('globs and tokens', () => {
  it('matches *, ** and ? like nuget.exe', () => {
    assert.ok(globToRegExp('*.dll').test('a.dll'));
    assert.ok(!globToRegExp('*.dll').test('x/a.dll'));
    assert.ok(globToRegExp('**/*.dll').test('a.dll'));
    assert.ok(globToRegExp('**/*.dll').test('x/y/a.dll'));
    assert.ok(globToRegExp('lib/**').test('lib/x/y.txt'));
    assert.ok(globToRegExp('file?.txt').test('file1.txt'));
    assert.ok(!globToRegExp('file?.txt').test('file10.txt'));
    assert.ok(globToRegExp('build\\bin\\*.dll').test('build/bin/a.dll'));
    assert.equal(literalPrefix('build/bin/**/*.dll'), 'build/bin');
    assert.equal(literalPrefix('*.dll'), '');
  });

  it('replaces $tokens$ (XML-escaped) and reports those left', () => {
    const { text, unreplaced } = replaceTokens('<id>$id$</id><a>$Author$</a><b>$other$</b><!-- $commented$ -->', parseProperties('id=X.Y;author=A & B'));
    assert.equal(text, '<id>X.Y</id><a>A &amp; B</a><b>$other$</b><!-- $commented$ -->');
    assert.deepEqual(unreplaced, ['other']);
    assert.throws(() => parseProperties('novalue'), /name=value/);
  });
});

describe('native nuspec packing', () => {
  it('packs tokens, globs with exclude, contentFiles, license, icon, readme, unicode and spaces as a valid OPC package', async () => {
    const root = tempDir();
    const output = join(root, 'out');
    mkdirSync(output);
    const result = await packNuspec({ nuspecPath: tokensPackage(root), outputDir: output, properties: PROPS });
    assert.equal(result.packagePath, join(output, 'Contoso.Tokens.1.0.0.nupkg'));
    assert.deepEqual(result.warnings, []);
    const names = await entryNames(result.packagePath);
    assert.deepEqual(names, [
      '_rels/.rels',
      'Contoso.Tokens.nuspec',
      'contentFiles/any/any/config.json',
      'contentFiles/any/any/naïve file.txt',
      'docs/README.md',
      'icon.png',
      'lib/netstandard2.0/Contoso.Tokens.dll',
      'lib/netstandard2.0/Contoso.Tokens.xml',
      'lib/netstandard2.0/de/Contoso.Tokens.resources.dll',
      'tools/install.ps1',
      '[Content_Types].xml',
      names[names.length - 1],
    ]);
    // Deterministic, as today's NuGet names it (dotnet pack); NuGet.exe 5.8 used 32 random hex digits.
    assert.equal(names[names.length - 1], 'package/services/metadata/core-properties/nuget.psmdcp');
    const archive = await ZipArchive.open(result.packagePath);
    try {
      for (const entry of archive.entries) {
        assert.equal((entry.flags & 0x800) !== 0, /[^\x00-\x7f]/.test(entry.name), `UTF-8 flag of ${entry.name}`);
        assert.equal(entry.flags & 0x8, 0, 'no data descriptors');
      }
      const text = async (name: string): Promise<string> => (await archive.read(archive.entries.find((entry) => entry.name === name)!, 1 << 20)).toString('utf8');
      const rels = await text('_rels/.rels');
      assert.match(rels, /Type="http:\/\/schemas\.microsoft\.com\/packaging\/2010\/07\/manifest" Target="\/Contoso\.Tokens\.nuspec"/);
      assert.match(rels, /metadata\/core-properties" Target="\/package\/services\/metadata\/core-properties\/nuget\.psmdcp"/);
      const types = await text('[Content_Types].xml');
      for (const extension of ['rels', 'psmdcp', 'nuspec', 'json', 'txt', 'md', 'png', 'dll', 'xml', 'ps1']) {
        assert.equal(types.split(`Extension="${extension}"`).length - 1, 1, `one Default for ${extension}`);
      }
      const nuspec = await text('Contoso.Tokens.nuspec');
      assert.match(nuspec, /<id>Contoso\.Tokens<\/id>/);
      assert.match(nuspec, /<authors>Jane &amp; John<\/authors>/);
      assert.match(nuspec, /<licenseUrl>https:\/\/licenses\.nuget\.org\/MIT<\/licenseUrl>/);
      assert.doesNotMatch(nuspec, /<files>/);
      const core = await text(names[names.length - 1]);
      assert.match(core, /<dc:creator>Jane &amp; John<\/dc:creator>/);
      assert.match(core, /<dc:identifier>Contoso\.Tokens<\/dc:identifier>/);
    } finally {
      await archive.close();
    }
    const inspection = await inspectPackageFile(result.packagePath);
    try {
      assert.deepEqual(inspection.diagnostics.filter((d) => d.severity !== 'info'), []);
    } finally {
      await inspection.pkg.close();
    }
  });

  it('is consumed by the real dotnet restore from a local folder feed, dependency included', async () => {
    const root = tempDir();
    const feed = join(root, 'feed');
    mkdirSync(feed);
    await packNuspec({ nuspecPath: tokensPackage(root), outputDir: feed, properties: PROPS });
    const dep = await packNuspec({ nuspecPath: depPackage(root), outputDir: feed });
    assert.deepEqual((await entryNames(dep.packagePath)).filter((name) => !name.startsWith('_rels') && !name.startsWith('package/') && name !== '[Content_Types].xml').sort(),
      ['Contoso.Dep.nuspec', 'LICENSE.txt', 'lib/netstandard2.0/Contoso.Dep.dll']);
    const app = join(root, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'App.csproj'), '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net$(BundledNETCoreAppTargetFrameworkVersion)</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include="Contoso.Tokens" Version="1.0.0" /></ItemGroup></Project>');
    writeFileSync(join(app, 'NuGet.Config'), `<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="local" value="${feed}" /></packageSources></configuration>`);
    const home = join(root, 'home');
    mkdirSync(home);
    try {
      execFileSync('dotnet', ['restore', join(app, 'App.csproj')], { env: dotnetEnv(home), stdio: 'pipe', timeout: 240_000 });
    } catch (error) {
      assert.fail(`dotnet restore failed:\n${(error as { stdout?: Buffer }).stdout?.toString() ?? ''}`);
    }
    const restored = join(home, 'packages');
    for (const file of ['contoso.tokens/1.0.0/lib/netstandard2.0/Contoso.Tokens.dll', 'contoso.tokens/1.0.0/lib/netstandard2.0/de/Contoso.Tokens.resources.dll',
      'contoso.tokens/1.0.0/contentFiles/any/any/naïve file.txt', 'contoso.tokens/1.0.0/docs/README.md', 'contoso.tokens/1.0.0/icon.png',
      'contoso.tokens/1.0.0/tools/install.ps1', 'contoso.tokens/1.0.0/contoso.tokens.nuspec', 'contoso.dep/2.0.0/LICENSE.txt', 'contoso.dep/2.0.0/lib/netstandard2.0/Contoso.Dep.dll']) {
      assert.ok(existsSync(join(restored, file)), `${file} restored`);
    }
    assert.ok(!existsSync(join(restored, 'contoso.tokens/1.0.0/lib/netstandard2.0/Contoso.Tokens.tmp')), 'excluded file not packed');
    assert.ok(!existsSync(join(restored, 'contoso.tokens/1.0.0/lib/netstandard2.0/skip')), 'excluded folder not packed');
    const assets = JSON.parse(readFileSync(join(app, 'obj', 'project.assets.json'), 'utf8')) as { libraries: Record<string, unknown> };
    assert.deepEqual(Object.keys(assets.libraries).sort(), ['Contoso.Dep/2.0.0', 'Contoso.Tokens/1.0.0']);
  });

  it('is deterministic: the same inputs give byte-identical packages', async () => {
    const root = tempDir();
    const nuspec = tokensPackage(root);
    const [a, b] = [join(root, 'a'), join(root, 'b')];
    mkdirSync(a);
    mkdirSync(b);
    const first = await packNuspec({ nuspecPath: nuspec, outputDir: a, properties: PROPS });
    const second = await packNuspec({ nuspecPath: nuspec, outputDir: b, properties: PROPS });
    assert.ok(readFileSync(first.packagePath).equals(readFileSync(second.packagePath)));
    const c = join(root, 'c');
    mkdirSync(c);
    const third = await packNuspec({ nuspecPath: nuspec, outputDir: c, properties: PROPS, deterministic: false });
    assert.ok(!readFileSync(first.packagePath).equals(readFileSync(third.packagePath)));
  });

  it('writes a .snupkg with the .pdb files when symbols are requested', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'bin'));
    // A real assembly and its portable PDB (built by dotnet pack in the health cases), so the
    // symbol package passes nuget.org's symbol validation as well as the packaging rules.
    const built = healthFixtures().Good;
    writeFileSync(join(root, 'bin', 'A.dll'), await entryBytes(built.nupkg, 'lib/net10.0/Good.dll'));
    writeFileSync(join(root, 'bin', 'A.pdb'), await entryBytes(built.snupkg!, 'lib/net10.0/Good.pdb'));
    writeFileSync(join(root, 'A.nuspec'), '<package><metadata><id>A.Sym</id><version>1.0.0</version><authors>a</authors><description>d</description><license type="expression">MIT</license></metadata><files><file src="bin/*.*" target="lib/net8.0" /></files></package>');
    const result = await packNuspec({ nuspecPath: join(root, 'A.nuspec'), symbols: true });
    assert.ok(result.symbolsPath?.endsWith('A.Sym.1.0.0.snupkg'));
    assert.ok(!(await entryNames(result.packagePath)).includes('lib/net8.0/A.pdb'));
    assert.ok((await entryNames(result.packagePath)).includes('lib/net8.0/A.dll'));
    const symbols = await inspectPackageFile(result.symbolsPath!);
    try {
      assert.deepEqual(symbols.pkg.files.filter((file) => file.role !== 'metadata').map((file) => file.path), ['lib/net8.0/A.pdb']);
      assert.deepEqual(symbols.pkg.nuspec.nuspec.metadata.packageTypes, [{ name: 'SymbolsPackage', version: undefined }]);
      assert.deepEqual(symbols.diagnostics.filter((d) => d.severity === 'error'), []);
    } finally {
      await symbols.pkg.close();
    }
    // Checked beside its package, as nuget.org checks it: the PDB matches A.dll.
    const pair = await inspectPackageFile(result.packagePath);
    try {
      assert.deepEqual(pair.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.deepEqual(pair.health.map(({ file, pdb, pdbMatches }) => ({ file, pdb, pdbMatches })), [{ file: 'lib/net8.0/A.dll', pdb: 'snupkg', pdbMatches: true }]);
    } finally {
      await pair.pkg.close();
    }
  });

  it('treats a target with the source extension as a file name and any other target as a folder', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'a.txt'), 'a');
    writeFileSync(join(root, 'A.nuspec'), '<package><metadata><id>T.Targets</id><version>1.0.0</version><authors>a</authors><description>d</description></metadata><files><file src="a.txt" target="content/renamed.txt" /><file src="a.txt" target="content/folder.v1" /><file src="a.txt" target="other/" /></files></package>');
    const result = await packNuspec({ nuspecPath: join(root, 'A.nuspec') });
    const names = await entryNames(result.packagePath);
    for (const name of ['content/renamed.txt', 'content/folder.v1/a.txt', 'other/a.txt']) {
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    }
  });
});

describe('native packing failures leave nothing behind', () => {
  function setup(nuspec: string, files: Record<string, string> = {}): { root: string; nuspecPath: string; output: string } {
    const root = tempDir();
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(join(root, name, '..'), { recursive: true });
      writeFileSync(join(root, name), data);
    }
    writeFileSync(join(root, 'P.nuspec'), nuspec);
    const output = join(root, 'out');
    mkdirSync(output);
    return { root, nuspecPath: join(root, 'P.nuspec'), output };
  }
  const META = '<id>P.Q</id><version>1.0.0</version><authors>a</authors><description>d</description><license type="expression">MIT</license>';

  it('a missing file in <files> is an error naming it', async () => {
    const { nuspecPath, output } = setup(`<package><metadata>${META}</metadata><files><file src="bin/missing.dll" target="lib/net8.0" /></files></package>`);
    await expectPackError(packNuspec({ nuspecPath, outputDir: output }), 'NP1010', /bin\/missing\.dll.*does not exist/);
    assert.deepEqual(readdirSync(output), []);
  });

  it('a token left unreplaced is an error naming it', async () => {
    const { nuspecPath, output } = setup(`<package><metadata><id>$id$</id><version>$version$</version><authors>a</authors><description>d</description></metadata></package>`);
    await expectPackError(packNuspec({ nuspecPath, outputDir: output, properties: { id: 'X' } }), 'NP1002', /\$version\$/);
    assert.deepEqual(readdirSync(output), []);
  });

  it('a glob that matches nothing is a warning, like nuget.exe', async () => {
    const { nuspecPath, output } = setup(`<package><metadata>${META}</metadata><files><file src="bin/*.dll" target="lib/net8.0" /><file src="a.txt" target="content" /></files></package>`, { 'a.txt': 'x' });
    const result = await packNuspec({ nuspecPath, outputDir: output });
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0], /"bin\/\*\.dll" in <files> matched no files/);
  });

  it('a nuget.org rule error stops the pack before writing', async () => {
    const { nuspecPath, output } = setup('<package><metadata><id>P.Q</id><version>1.0.0</version><authors>a</authors></metadata><files><file src="a.txt" /></files></package>', { 'a.txt': 'x' });
    await expectPackError(packNuspec({ nuspecPath, outputDir: output }), 'NP1003', /NP0020/);
    assert.deepEqual(readdirSync(output), []);
  });

  it('a read-only output folder is a clear error', async () => {
    const { nuspecPath, root } = setup(`<package><metadata>${META}</metadata><files><file src="a.txt" /></files></package>`, { 'a.txt': 'x' });
    const readOnly = readOnlyFolder(root);
    try {
      await expectPackError(packNuspec({ nuspecPath, outputDir: readOnly.path }), 'NP1030', /not writable/);
      assert.deepEqual(readdirSync(readOnly.path), []);
    } finally {
      readOnly.cleanup();
    }
  });

  it('a full disk (failing write stream) leaves no partial package', async () => {
    const { nuspecPath, output } = setup(`<package><metadata>${META}</metadata><files><file src="big.bin" /></files></package>`, { 'big.bin': 'x'.repeat(300_000) });
    let written = 0;
    const failing = async (path: string): Promise<OutputSink> => {
      writeFileSync(path, '');
      return {
        append: async (data: Buffer): Promise<void> => {
          written += data.length;
          if (written > 1000) {
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          }
        },
        writeAt: async () => undefined,
        close: async () => undefined,
      };
    };
    await expectPackError(packNuspec({ nuspecPath, outputDir: output, openSink: failing }), 'NP1031', /disk .* is full \(ENOSPC\); nothing was written/);
    assert.ok(written > 1000, 'the failure happened mid-write');
    assert.deepEqual(readdirSync(output), []);
  });
});

describe('CLI pack', () => {
  it('prints the written paths and exits 0; exits 2 with one line on error', async () => {
    const root = tempDir();
    const nuspec = tokensPackage(root);
    const output = join(root, 'cli-out');
    const ok = runCli(['pack', nuspec, '--output', output, '--properties', 'id=Contoso.Tokens;version=1.0.0;author=Me']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), join(output, 'Contoso.Tokens.1.0.0.nupkg'));
    const pkg = await openPackage(ok.stdout.trim());
    await pkg.close();
    const missing = runCli(['pack', nuspec, '--output', output]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^NP1002: .*\$id\$/);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.equal(runCli(['pack']).status, 1);
    assert.equal(runCli(['pack', nuspec, '--bogus']).status, 1);
  });
});

describe('native packing agrees with NuGet.exe 5.8 (Mono)', () => {
  it('gives the same entry names and equivalent nuspec metadata for the same nuspecs', async () => {
    const root = tempDir();
    for (const [nuspecPath, properties] of [[tokensPackage(root, false), 'id=Contoso.Tokens;version=1.0.0;author=Jane'], [depPackage(root), '']] as const) {
      const ours = join(root, 'ours');
      const theirs = join(root, 'theirs');
      mkdirSync(ours, { recursive: true });
      mkdirSync(theirs, { recursive: true });
      const result = await packNuspec({ nuspecPath, outputDir: ours, properties: properties ? parseProperties(properties) : {} });
      const home = join(root, 'mono-home');
      mkdirSync(home, { recursive: true });
      execFileSync('mono', [nugetExe(), 'pack', nuspecPath, '-OutputDirectory', theirs, '-NonInteractive', ...(properties ? ['-Properties', properties] : [])], {
        env: { ...process.env, HOME: home, NUGET_PACKAGES: join(home, 'packages') }, stdio: 'pipe', timeout: 120_000,
      });
      const reference = join(theirs, basename(result.packagePath));
      assert.ok(existsSync(reference), `NuGet.exe wrote ${reference}`);
      const withoutCoreProperties = (names: string[]): string[] => names.filter((name) => !name.endsWith('.psmdcp')).sort();
      assert.deepEqual(withoutCoreProperties(await entryNames(result.packagePath)), withoutCoreProperties(await entryNames(reference)));
      const metadata = async (path: string): Promise<Record<string, unknown>> => {
        const pkg = await openPackage(path);
        try {
          const m = pkg.nuspec.nuspec.metadata;
          return {
            id: m.id, version: m.version, authors: m.authors, description: m.description, license: m.license, licenseUrl: m.licenseUrl,
            icon: m.icon, repository: m.repository, tags: m.tags, contentFiles: m.contentFiles,
            dependencyGroups: m.dependencyGroups.map((group) => ({ framework: parseFramework(group.targetFramework).shortName, // NuGet.exe rewrites ranges ("[2.0.0, 3.0.0)"): compare their meaning.
            dependencies: group.dependencies.map((d) => `${d.id} ${describeRange(parseVersionRange(d.range)!)}`) })),
          };
        } finally {
          await pkg.close();
        }
      };
      assert.deepEqual(await metadata(result.packagePath), await metadata(reference));
      rmSync(ours, { recursive: true });
      rmSync(theirs, { recursive: true });
    }
  });
});

describe('dotnet pack runner', () => {
  it('builds the dotnet arguments and says clearly when dotnet is missing', async () => {
    assert.deepEqual(dotnetPackArgs({ project: '/w/A.csproj', outputDir: '/w/out', configuration: 'Debug', version: '1.2.3-beta.1', symbols: true }),
      ['pack', '/w/A.csproj', '-c', 'Debug', '-p:PackageOutputPath=/w/out/', '-p:Version=1.2.3-beta.1', '--include-symbols', '-p:SymbolPackageFormat=snupkg']);
    assert.throws(() => dotnetPackArgs({ project: 'A.csproj', outputDir: 'o', version: '1.0; rm -rf /' }), /not a version/);
    await expectPackError(findDotnet('/nonexistent/dotnet'), 'NP1051', /not installed or not on PATH/);
    assert.match(await findDotnet(), /^\d+\.\d+\.\d+/);
  });
});
