/**
 * Reading details NuGet has and we now share (checked on real packages by the fidelity test):
 * OPC part names are unescaped, nuspecs in UTF-16 without BOM or a single-byte declared encoding
 * are read, and the release diff compares frameworks however they are spelled.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { diffPackages, snapshot } from '../../src/core/diff/packageDiff';
import { PackageReadError } from '../../src/core/errors';
import { openPackage } from '../../src/core/nupkg/package';
import { parseNuspecBytes } from '../../src/core/nuspec/parse';
import { normalizeRange, parseVersionRange } from '../../src/core/version';
import { BASIC_METADATA, buildZip, nuspecXml } from '../helpers/rawZip';
import { makePackage } from '../helpers/makePackage';
import { tempDir, writeTemp } from '../helpers/temp';

describe('NuGet reading details', () => {
  it('unescapes part names (%2B is +, %20 a space) and knows their frameworks', async () => {
    const path = writeTemp('escaped.nupkg', buildZip([
      { name: 'Contoso.Sample.nuspec', data: nuspecXml(BASIC_METADATA) },
      { name: 'lib/portable-net45%2Bwin8%2Bwp8%2Bwpa81/_._', data: '' },
      { name: 'content/a%20b.txt', data: 'x' },
    ]));
    const pkg = await openPackage(path);
    assert.deepEqual(pkg.files.map((file) => file.path), ['Contoso.Sample.nuspec', 'lib/portable-net45+win8+wp8+wpa81/_._', 'content/a b.txt']);
    assert.equal(pkg.files[1].framework?.shortName, 'portable-net45+win8+wp8+wpa81');
    assert.equal(pkg.files[1].framework?.known, true);
    assert.equal((await pkg.readFile('content/a b.txt', 10)).toString(), 'x');
    await pkg.close();
  });

  it('refuses a traversal hidden in escapes (%2e%2e/)', async () => {
    const path = writeTemp('escaped-traversal.nupkg', buildZip([{ name: 'x.nuspec', data: nuspecXml(BASIC_METADATA) }, { name: '%2e%2e/%2e%2e/evil.txt', data: 'x' }]));
    await assert.rejects(openPackage(path), (error: unknown) => error instanceof PackageReadError && error.code === 'NP0906');
  });

  it('reads UTF-16 LE without a BOM and single-byte declared encodings', () => {
    const text = nuspecXml(BASIC_METADATA.replace('A sample.', 'Café déjà vu.'));
    assert.equal(parseNuspecBytes(Buffer.from(text.replace('utf-8', 'utf-16'), 'utf16le')).nuspec.metadata.description, 'Café déjà vu.');
    const swapped = Buffer.from(text.replace('utf-8', 'utf-16'), 'utf16le').swap16();
    assert.equal(parseNuspecBytes(swapped).nuspec.metadata.description, 'Café déjà vu.');
    for (const encoding of ['ISO-8859-1', 'windows-1252']) {
      const bytes = Buffer.from(text.replace('utf-8', encoding), 'latin1');
      assert.equal(parseNuspecBytes(bytes).nuspec.metadata.description, 'Café déjà vu.', encoding);
    }
  });

  it('writes ranges as NuGet normalizes them', () => {
    for (const [input, expected] of [['1.0', '[1.0.0, )'], ['[1.0]', '[1.0.0, 1.0.0]'], ['[1.0,2.0)', '[1.0.0, 2.0.0)'], ['(,3]', '(, 3.0.0]'], ['', '(, )'], ['(1.0.0.0, )', '(1.0.0, )']]) {
      assert.equal(normalizeRange(parseVersionRange(input)!), expected, input);
    }
  });

  it('the release diff compares frameworks, not spellings, and lists each change once', async () => {
    const folder = tempDir();
    const before = makePackage(folder, 'Contoso.Spelling', '1.0.0', { dependencies: { 'Contoso.Core': '1.0.0' } });
    const after = makePackage(tempDir(), 'Contoso.Spelling', '1.1.0', { dependencies: { 'Contoso.Core': '1.0.0' } });
    // Same framework, different spelling: rewrite the older nuspec's group as the long name.
    const diffSame = diffPackages(await snapshot(before), await snapshot(after));
    assert.deepEqual(diffSame.droppedFrameworks, []);
    const oldStyle = writeTemp('Contoso.Spelling.0.9.0.nupkg', buildZip([
      { name: 'Contoso.Spelling.nuspec', data: nuspecXml(BASIC_METADATA.replace('Contoso.Sample', 'Contoso.Spelling').replace('1.0.0', '0.9.0') + '<dependencies><group targetFramework=".NETStandard2.0" /><group targetFramework="net8.0"><dependency id="Contoso.Core" version="1.0.0" /></group></dependencies>') },
      { name: 'lib/netstandard2.0/Lib.dll', data: 'x' },
      { name: 'lib/net8.0/Lib.dll', data: 'x' },
    ]));
    const diff = diffPackages(await snapshot(oldStyle), await snapshot(after));
    assert.deepEqual(diff.droppedFrameworks, ['netstandard2.0'], 'dropped once, by its short name');
    assert.equal(diff.dependencies.filter((change) => change.framework === 'net8.0').length, 0, 'net8.0 dependencies did not change');
  });
});

describe('SPDX from the maintained list', () => {
  it('knows every current SPDX id and exception, marks deprecated ids, and warns only on unknown ones', async () => {
    const { checkLicenseExpression } = await import('../../src/core/validate/spdx');
    assert.deepEqual(checkLicenseExpression('MIT OR Apache-2.0'), { unknownIdentifiers: [], deprecated: [] });
    assert.deepEqual(checkLicenseExpression('GPL-2.0-or-later WITH Universal-FOSS-exception-1.0').unknownIdentifiers, []);
    assert.deepEqual(checkLicenseExpression('Unicode-3.0 AND BlueOak-1.0.0').unknownIdentifiers, []);
    assert.deepEqual(checkLicenseExpression('GPL-2.0').deprecated, [{ id: 'GPL-2.0', replacement: 'GPL-2.0-only' }]);
    assert.equal(checkLicenseExpression('eCos-2.0').deprecated.length, 1, 'deprecated ids without a named replacement too');
    assert.deepEqual(checkLicenseExpression('Contoso-Proprietary-1.0').unknownIdentifiers, ['Contoso-Proprietary-1.0']);
  });
});
