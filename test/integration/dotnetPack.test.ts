/** Packages made by the real `dotnet pack`: read, checked, summarized by the CLI. */
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { openPackage } from '../../src/core/nupkg/package';
import { inspectPackageFile, type InspectSummary } from '../../src/core/inspect';
import { buildInspectorModel } from '../../src/core/inspectorModel';
import { runCli } from '../helpers/cli';
import { dotnetFixtures, type DotnetFixtures } from '../helpers/dotnetFixtures';

let fixtures: DotnetFixtures;

describe('packages made by dotnet pack', () => {
  before(() => {
    fixtures = dotnetFixtures();
  });

  it('reads every metadata property dotnet pack writes', async () => {
    const pkg = await openPackage(fixtures.utils);
    try {
      const m = pkg.nuspec.nuspec.metadata;
      assert.equal(m.id, 'Contoso.Utils');
      assert.equal(m.version, '1.2.3-beta.1+build.5');
      assert.equal(m.title, 'Contoso Utilities');
      assert.deepEqual(m.authors, ['Contoso', 'Jane Doe']);
      assert.equal(m.description, 'Small utilities used to test NuGet Publisher.');
      assert.equal(m.copyright, 'Copyright (c) Contoso 2026');
      assert.deepEqual(m.tags, ['contoso', 'utilities', 'test']);
      assert.equal(m.releaseNotes, 'First beta.');
      assert.deepEqual(m.license, { type: 'expression', value: 'MIT', version: undefined });
      assert.equal(m.licenseUrl, 'https://licenses.nuget.org/MIT');
      assert.equal(m.icon, 'icon.png');
      assert.equal(m.readme, 'README.md');
      assert.equal(m.projectUrl, 'https://contoso.example/utils');
      assert.deepEqual(m.repository, { type: 'git', url: 'https://github.com/contoso/utils', branch: 'main', commit: '0123456789abcdef0123456789abcdef01234567' });
      assert.equal(m.dependenciesGrouped, true);
      assert.equal(m.dependencyGroups.length, 1);
      assert.match(m.dependencyGroups[0].targetFramework, /^net\d+\.0$/);
      assert.deepEqual(m.dependencyGroups[0].dependencies.map((d) => [d.id, d.range]), [['Contoso.Core', '2.0.0']]);
      const lib = pkg.files.find((file) => file.path.endsWith('Contoso.Utils.dll'));
      assert.equal(lib?.role, 'lib');
      assert.equal(lib?.framework?.known, true);
      assert.ok(pkg.hasFile('README.md') && pkg.hasFile('icon.png'));
    } finally {
      await pkg.close();
    }
  });

  it('finds only the SemVer2 note and the no-symbols note on a well-formed dotnet package and builds the inspector model', async () => {
    const inspection = await inspectPackageFile(fixtures.utils);
    try {
      // Contoso.Utils is packed without symbols (no IncludeSymbols, no embedded PDB): NP0100 says so.
      assert.deepEqual(inspection.diagnostics.map((d) => d.code), ['NP0014', 'NP0100']);
      const model = await buildInspectorModel(inspection, 1024 * 1024);
      assert.match(model.iconDataUri ?? '', /^data:image\/png;base64,/);
      assert.match(model.readmeMarkdown ?? '', /# Contoso\.Utils/);
      assert.equal(model.normalizedVersion, '1.2.3-beta.1');
      assert.equal(model.semVer2, true);
      assert.deepEqual(model.previewProblems, []);
    } finally {
      await inspection.pkg.close();
    }
  });

  it('reads the license file and the symbol package', async () => {
    const core = await inspectPackageFile(fixtures.core);
    try {
      assert.deepEqual(core.pkg.nuspec.nuspec.metadata.license, { type: 'file', value: 'LICENSE.txt', version: undefined });
      const model = await buildInspectorModel(core, 1024 * 1024);
      assert.match(model.licenseText ?? '', /MIT License/);
      assert.ok(!core.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(core.diagnostics));
      assert.ok(core.pkg.files.some((file) => file.path.endsWith('Contoso.Core.xml')), 'documentation file');
    } finally {
      await core.pkg.close();
    }
    const symbols = await inspectPackageFile(fixtures.coreSymbols);
    try {
      assert.equal(symbols.pkg.kind, 'snupkg');
      assert.ok(symbols.pkg.files.some((file) => file.path.endsWith('.pdb')));
      assert.deepEqual(symbols.diagnostics.filter((d) => d.severity === 'error'), []);
    } finally {
      await symbols.pkg.close();
    }
  });

  it('CLI inspect --json prints the documented shape and exits 0', () => {
    const result = runCli(['inspect', fixtures.utils, '--json']);
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout) as InspectSummary;
    assert.deepEqual(Object.keys(json), ['id', 'version', 'normalizedVersion', 'authors', 'description', 'license', 'dependencyGroups', 'files', 'diagnostics', 'signatures', 'signedContent', 'health']);
    assert.deepEqual([json.signatures, json.signedContent], [[], 'unsigned'], 'dotnet pack does not sign');
    assert.equal(json.id, 'Contoso.Utils');
    assert.equal(json.version, '1.2.3-beta.1+build.5');
    assert.equal(json.normalizedVersion, '1.2.3-beta.1');
    assert.deepEqual(json.license, { type: 'expression', value: 'MIT' });
    assert.deepEqual(json.dependencyGroups[0].dependencies, [{ id: 'Contoso.Core', range: '2.0.0' }]);
    assert.ok(json.files.includes('Contoso.Utils.nuspec'));
    assert.ok(json.files.some((file) => /^lib\/net\d+\.0\/Contoso\.Utils\.dll$/.test(file)));
    assert.deepEqual(json.diagnostics.map((d) => [d.code, d.severity]), [['NP0014', 'info'], ['NP0100', 'info']]);
    assert.deepEqual(json.health.map(({ file, pdb }) => ({ file, pdb })), [{ file: json.files.find((file) => file.endsWith('Contoso.Utils.dll')), pdb: 'none' }]);
    const text = runCli(['inspect', fixtures.utils]);
    assert.equal(text.status, 0);
    assert.match(text.stdout, /^Contoso\.Utils 1\.2\.3-beta\.1\+build\.5/);
  });

  it('CLI usage errors exit 1', () => {
    assert.equal(runCli(['inspect']).status, 1);
    assert.equal(runCli(['frobnicate']).status, 1);
    assert.equal(runCli(['inspect', fixtures.utils, '--bogus']).status, 1);
  });
});
