import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NuspecParseError } from '../../src/core/errors';
import { decodeNuspecBytes, parseNuspecBytes, parseNuspecText } from '../../src/core/nuspec/parse';
import { REPO_ROOT } from '../helpers/paths';
import { BASIC_METADATA, nuspecXml } from '../helpers/rawZip';

const FULL = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'nuspecs', 'full.nuspec'), 'utf8');

function parseError(text: string | Buffer): NuspecParseError {
  try {
    if (typeof text === 'string') {
      parseNuspecText(text);
    } else {
      parseNuspecBytes(text);
    }
  } catch (error) {
    assert.ok(error instanceof NuspecParseError, `expected NuspecParseError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a parse error');
}

describe('nuspec parsing', () => {
  it('reads every metadata element of the nuspec reference', () => {
    const { nuspec } = parseNuspecText(FULL);
    const m = nuspec.metadata;
    assert.equal(nuspec.namespace, 'http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd');
    assert.equal(m.id, 'Contoso.Everything');
    assert.equal(m.version, '1.2.3');
    assert.equal(m.title, 'Contoso Everything');
    assert.deepEqual(m.authors, ['Jane Doe', 'John Roe']);
    assert.deepEqual(m.owners, ['contoso', 'fabrikam']);
    assert.equal(m.description, 'Every element & attribute <here>.');
    assert.equal(m.summary, 'Short summary.');
    assert.equal(m.releaseNotes, 'Fixed things ✓.');
    assert.equal(m.copyright, '© Contoso');
    assert.equal(m.language, 'en-US');
    assert.deepEqual(m.tags, ['one', 'two', 'three']);
    assert.deepEqual(m.license, { type: 'expression', value: 'MIT OR Apache-2.0', version: '1.0.0' });
    assert.equal(m.licenseUrl, 'https://licenses.nuget.org/MIT%20OR%20Apache-2.0');
    assert.equal(m.icon, 'images\\icon.png');
    assert.equal(m.iconUrl, 'https://contoso.example/icon.png');
    assert.equal(m.readme, 'docs/README.md');
    assert.equal(m.projectUrl, 'https://contoso.example/');
    assert.deepEqual(m.repository, { type: 'git', url: 'https://github.com/contoso/everything.git', branch: 'main', commit: 'e1f2a3b4' });
    assert.equal(m.requireLicenseAcceptance, true);
    assert.equal(m.developmentDependency, true);
    assert.equal(m.serviceable, true);
    assert.deepEqual(m.packageTypes, [{ name: 'Dependency', version: undefined }, { name: 'DotnetTool', version: '1.0.0' }]);
    assert.equal(m.minClientVersion, '5.0.0');
    assert.equal(m.dependenciesGrouped, true);
    assert.deepEqual(m.dependencyGroups, [
      { targetFramework: '.NETStandard2.0', dependencies: [
        { id: 'Newtonsoft.Json', range: '[13.0.1,14.0.0)', include: undefined, exclude: 'Build,Analyzers' },
        { id: 'Contoso.Core', range: '2.0.0', include: 'Compile', exclude: undefined },
      ] },
      { targetFramework: 'net8.0', dependencies: [] },
      { targetFramework: '', dependencies: [{ id: 'Contoso.Fallback', range: '1.0.0-rc.1', include: undefined, exclude: undefined }] },
    ]);
    assert.deepEqual(m.frameworkAssemblies, [{ assemblyName: 'System.Net.Http', targetFramework: 'net45' }, { assemblyName: 'System.Xml', targetFramework: undefined }]);
    assert.deepEqual(m.frameworkReferenceGroups, [{ targetFramework: 'net8.0', references: ['Microsoft.AspNetCore.App'] }]);
    assert.equal(m.referencesGrouped, true);
    assert.deepEqual(m.referenceGroups, [{ targetFramework: 'net45', files: ['Contoso.Everything.dll'] }, { targetFramework: '', files: ['Contoso.Any.dll'] }]);
    assert.deepEqual(m.contentFiles, [
      { include: 'cs/**/*.cs', exclude: undefined, buildAction: 'Compile', copyToOutput: undefined, flatten: undefined },
      { include: 'any/any/config.json', exclude: 'any/any/secret.json', buildAction: 'None', copyToOutput: 'true', flatten: 'false' },
    ]);
    assert.deepEqual(nuspec.files, [{ src: 'bin\\Release\\**\\*.dll', target: 'lib', exclude: '**\\*.tmp' }]);
  });

  it('reads flat dependencies and flat references (old style)', () => {
    const { nuspec } = parseNuspecText(nuspecXml(`${BASIC_METADATA}
    <dependencies><dependency id="A" version="1.0" /><dependency id="B" /></dependencies>
    <references><reference file="A.dll" /></references>`, { namespace: 'http://schemas.microsoft.com/packaging/2010/07/nuspec.xsd' }));
    assert.equal(nuspec.namespace, 'http://schemas.microsoft.com/packaging/2010/07/nuspec.xsd');
    assert.equal(nuspec.metadata.dependenciesGrouped, false);
    assert.deepEqual(nuspec.metadata.dependencyGroups.map((g) => [g.targetFramework, g.dependencies.map((d) => `${d.id}@${d.range}`)]), [['', ['A@1.0', 'B@']]]);
    assert.deepEqual(nuspec.metadata.referenceGroups, [{ targetFramework: '', files: ['A.dll'] }]);
  });

  it('accepts no namespace, a UTF-8 BOM and UTF-16 with BOM', () => {
    const text = nuspecXml(BASIC_METADATA, { namespace: '' });
    assert.equal(parseNuspecText(text).nuspec.namespace, '');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    assert.equal(parseNuspecBytes(bom).nuspec.metadata.id, 'Contoso.Sample');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('utf-8', 'utf-16'), 'utf16le')]);
    assert.equal(parseNuspecBytes(utf16).nuspec.metadata.id, 'Contoso.Sample');
  });

  it('refuses DOCTYPE and entity declarations (XXE, billion laughs) without expanding them', () => {
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n<package><metadata><id>&lol2;</id></metadata></package>`;
    const error = parseError(laughs);
    assert.equal(error.code, 'NP0922');
    assert.equal(error.line, 2);
    assert.match(error.message, /DOCTYPE/);
    const external = `<?xml version="1.0"?><!DOCTYPE package SYSTEM "file:///etc/passwd"><package><metadata><id>x</id></metadata></package>`;
    assert.equal(parseError(external).code, 'NP0922');
    // A DOCTYPE-looking string inside a comment or CDATA is harmless text.
    const inComment = nuspecXml(BASIC_METADATA.replace('A sample.', '<![CDATA[<!DOCTYPE x> is text]]>')).replace('<package', '<!-- <!DOCTYPE x> --><package');
    assert.equal(parseNuspecText(inComment).nuspec.metadata.description, '<!DOCTYPE x> is text');
  });

  it('does not expand undeclared entities', () => {
    const error = parseError(nuspecXml(BASIC_METADATA.replace('A sample.', 'x &xxe; y')));
    assert.equal(error.code, 'NP0923');
  });

  it('reports malformed XML with line and column', () => {
    const error = parseError('<?xml version="1.0"?>\n<package>\n  <metadata>\n    <id>x</idd>\n  </metadata>\n</package>');
    assert.equal(error.code, 'NP0923');
    assert.equal(error.line, 4);
    assert.ok(error.column && error.column > 1);
  });

  it('refuses invalid UTF-8 naming the byte offset', () => {
    const bytes = Buffer.from(nuspecXml(BASIC_METADATA), 'utf8');
    const at = bytes.indexOf('A sample');
    bytes[at] = 0xff;
    const error = parseError(bytes);
    assert.equal(error.code, 'NP0921');
    assert.match(error.message, new RegExp(`offset ${at}\\b`));
  });

  it('refuses a 50 MB nuspec quickly', () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    const started = Date.now();
    assert.throws(() => decodeNuspecBytes(big), (error: unknown) => error instanceof NuspecParseError && error.code === 'NP0920');
    assert.ok(Date.now() - started < 1000);
  });

  it('requires <package> and exactly one <metadata>', () => {
    assert.equal(parseError('<?xml version="1.0"?><root/>').code, 'NP0924');
    assert.equal(parseError('<package><files/></package>').code, 'NP0924');
    assert.equal(parseError('<package><metadata><id>a</id></metadata><metadata><id>b</id></metadata></package>').code, 'NP0924');
    assert.equal(parseError(nuspecXml(`${BASIC_METADATA}<id>Again</id>`)).code, 'NP0924');
  });
});
