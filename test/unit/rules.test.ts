/** Each rule fires on the input it is about, names cause and fix, and stays quiet on clean input. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { classifyFile, groupFiles } from '../../src/core/nupkg/files';
import { parseNuspecText } from '../../src/core/nuspec/parse';
import { hasBlockingErrors, type Diagnostic } from '../../src/core/validate/diagnostic';
import { validatePackage, type PackageContents } from '../../src/core/validate/rules';
import { checkLicenseExpression, expressionForLicenseUrl } from '../../src/core/validate/spdx';
import { BASIC_METADATA, nuspecXml } from '../helpers/rawZip';

const CLEAN_FILES = ['README.md', 'icon.png', 'lib/netstandard2.0/Contoso.Sample.dll', 'Contoso.Sample.nuspec'];

function contents(files: readonly string[] = CLEAN_FILES, sizes: Record<string, number> = {}, kind: 'nupkg' | 'snupkg' = 'nupkg', fileSize = 10_000): PackageContents {
  return { kind, fileSize, files: files.map((path) => classifyFile(path, sizes[path] ?? 100, 50)) };
}

function check(metadata: string, pkg?: PackageContents, extra?: string): Diagnostic[] {
  return validatePackage(parseNuspecText(nuspecXml(metadata, { extra })), pkg);
}

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

function only(diagnostics: readonly Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code} in ${JSON.stringify(codes(diagnostics))}`);
  return found[0];
}

describe('rule checks', () => {
  it('a clean package has no findings', () => {
    assert.deepEqual(check(BASIC_METADATA, contents()), []);
  });

  const cases: [string, string, string, 'error' | 'warning' | 'info', RegExp, PackageContents?][] = [
    ['missing id', BASIC_METADATA.replace('<id>Contoso.Sample</id>', ''), 'NP0001', 'error', /no id/],
    ['invalid id', BASIC_METADATA.replace('Contoso.Sample<', 'Contoso..Sample!<'), 'NP0002', 'error', /not valid/],
    ['long id', BASIC_METADATA.replace('Contoso.Sample<', `${'A'.repeat(101)}<`), 'NP0003', 'error', /at most 100/],
    ['unreplaced token', BASIC_METADATA.replace('Contoso</authors>', '$author$</authors>'), 'NP0004', 'error', /\$author\$ was never replaced/],
    ['reserved prefix', BASIC_METADATA.replace('Contoso.Sample<', 'Microsoft.Contoso<'), 'NP0005', 'warning', /reserved/],
    ['missing version', BASIC_METADATA.replace('<version>1.0.0</version>', ''), 'NP0010', 'error', /no version/],
    ['invalid version', BASIC_METADATA.replace('1.0.0</version>', '1.0.beta</version>'), 'NP0011', 'error', /not a valid NuGet version/],
    ['long version', BASIC_METADATA.replace('1.0.0</version>', `1.0.0-${'a'.repeat(70)}</version>`), 'NP0012', 'error', /at most 64/],
    ['non-normalized version', BASIC_METADATA.replace('1.0.0</version>', '1.02.0.0</version>'), 'NP0013', 'warning', /publish and show it as 1\.2\.0/],
    ['SemVer2 version', BASIC_METADATA.replace('1.0.0</version>', '1.0.0-rc.1</version>'), 'NP0014', 'info', /SemVer 2\.0\.0/],
    ['SemVer2 dependency', `${BASIC_METADATA}<dependencies><dependency id="A" version="1.0.0+meta" /></dependencies>`, 'NP0015', 'info', /dependency/],
    ['missing description', BASIC_METADATA.replace('<description>A sample.</description>', ''), 'NP0020', 'error', /no description/],
    ['long description', BASIC_METADATA.replace('A sample.', 'x'.repeat(4001)), 'NP0021', 'error', /4000/],
    ['missing authors', BASIC_METADATA.replace('<authors>Contoso</authors>', ''), 'NP0022', 'error', /no authors/],
    ['long release notes', `${BASIC_METADATA}<releaseNotes>${'x'.repeat(35001)}</releaseNotes>`, 'NP0023', 'error', /35000/],
    ['long projectUrl', `${BASIC_METADATA}<projectUrl>https://x/${'a'.repeat(4000)}</projectUrl>`, 'NP0024', 'error', /4000/],
    ['long tags', `${BASIC_METADATA}<tags>${'tag '.repeat(1001)}</tags>`, 'NP0025', 'error', /4000/],
    ['licenseUrl', BASIC_METADATA.replace('<license type="expression">MIT</license>', '<licenseUrl>https://opensource.org/licenses/MIT</licenseUrl>'), 'NP0030', 'warning', /deprecated/],
    ['no license', BASIC_METADATA.replace('<license type="expression">MIT</license>', ''), 'NP0031', 'warning', /no license/],
    ['bad license type', BASIC_METADATA.replace('type="expression"', 'type="spdx"'), 'NP0032', 'error', /must be "expression" or "file"/],
    ['license file not txt/md', BASIC_METADATA.replace('<license type="expression">MIT</license>', '<license type="file">LICENSE.pdf</license>'), 'NP0033', 'error', /\.txt, \.md or have no extension.*NU5031/],
    ['license file missing', BASIC_METADATA.replace('<license type="expression">MIT</license>', '<license type="file">LICENSE.txt</license>'), 'NP0034', 'error', /not in the package/, contents()],
    ['invalid license expression', BASIC_METADATA.replace('>MIT<', '>MIT OR<'), 'NP0035', 'error', /not valid SPDX/],
    ['deprecated SPDX id', BASIC_METADATA.replace('>MIT<', '>GPL-3.0<'), 'NP0036', 'error', /GPL-3\.0-only/],
    ['licenseUrl mismatch', `${BASIC_METADATA}<licenseUrl>https://example.com/license</licenseUrl>`, 'NP0037', 'error', /does not match/],
    ['license acceptance without license', `${BASIC_METADATA.replace('<license type="expression">MIT</license>', '')}<requireLicenseAcceptance>true</requireLicenseAcceptance>`, 'NP0038', 'error', /no license to accept/],
    ['license expression version', BASIC_METADATA.replace('type="expression"', 'type="expression" version="2.0.0"'), 'NP0039', 'warning', /version 2\.0\.0/],
    ['iconUrl without icon', `${BASIC_METADATA.replace('<icon>icon.png</icon>', '')}<iconUrl>https://example.com/i.png</iconUrl>`, 'NP0040', 'warning', /deprecated/],
    ['icon missing', BASIC_METADATA, 'NP0041', 'error', /icon file "icon\.png" is not in the package/, contents(['README.md', 'lib/netstandard2.0/a.dll'])],
    ['icon not png/jpg', BASIC_METADATA.replace('icon.png', 'icon.gif'), 'NP0042', 'error', /png, \.jpg/],
    ['icon too big', BASIC_METADATA, 'NP0043', 'error', /1 MB/, contents(CLEAN_FILES, { 'icon.png': 2 * 1024 * 1024 })],
    ['no icon', BASIC_METADATA.replace('<icon>icon.png</icon>', ''), 'NP0044', 'info', /no icon/],
    ['readme missing', BASIC_METADATA, 'NP0050', 'error', /readme file "README\.md" is not in the package/, contents(['icon.png', 'lib/netstandard2.0/a.dll'])],
    ['readme not md', BASIC_METADATA.replace('<readme>README.md</readme>', '<readme>README.txt</readme>'), 'NP0051', 'error', /Markdown/],
    ['readme too big', BASIC_METADATA, 'NP0052', 'error', /1 MB/, contents(CLEAN_FILES, { 'README.md': 2 * 1024 * 1024 })],
    ['no readme', BASIC_METADATA.replace('<readme>README.md</readme>', ''), 'NP0053', 'info', /no readme/],
    ['http repository', BASIC_METADATA.replace('https://github.com', 'http://github.com'), 'NP0060', 'warning', /not an https URL/],
    ['no repository', BASIC_METADATA.replace(/<repository[^>]*\/>/, ''), 'NP0061', 'info', /no <repository/],
    ['repository without type', BASIC_METADATA.replace('type="git" ', ''), 'NP0062', 'info', /no type/],
    ['projectUrl not https', `${BASIC_METADATA}<projectUrl>ftp://example.com</projectUrl>`, 'NP0063', 'warning', /https/],
    ['package over 250 MB', BASIC_METADATA, 'NP0070', 'error', /250 MB/, contents(CLEAN_FILES, {}, 'nupkg', 251 * 1024 * 1024)],
    ['lib folder without dependency group', `${BASIC_METADATA}<dependencies><group targetFramework="net8.0" /></dependencies>`, 'NP0071', 'warning', /lib\/netstandard2\.0\/ has no matching dependency group/, contents()],
    // NuGet reads lib/net8/ as net8.0; lib/banana/ it cannot read (NuGet.Frameworks: "unsupported").
    ['unknown framework folder', BASIC_METADATA, 'NP0072', 'warning', /lib\/banana\/ is not a target framework/, contents([...CLEAN_FILES, 'lib/banana/a.dll'])],
    ['empty package', BASIC_METADATA, 'NP0073', 'error', /no files and no dependencies/, contents(['Contoso.Sample.nuspec', '_rels/.rels'])],
    ['symbol package with a dll', BASIC_METADATA, 'NP0074', 'error', /only \.pdb/, contents(['lib/net8.0/a.pdb', 'lib/net8.0/a.dll'], {}, 'snupkg')],
    ['unknown group framework', `${BASIC_METADATA}<dependencies><group targetFramework="banana1.0" /></dependencies>`, 'NP0076', 'warning', /banana1\.0/],
    ['invalid dependency id', `${BASIC_METADATA}<dependencies><dependency id="a b" version="1.0.0" /></dependencies>`, 'NP0077', 'error', /not a valid package id/],
    ['invalid dependency range', `${BASIC_METADATA}<dependencies><dependency id="A" version="[2.0,1.0]" /></dependencies>`, 'NP0078', 'error', /invalid version range/],
    ['dependency without version', `${BASIC_METADATA}<dependencies><dependency id="A" /></dependencies>`, 'NP0079', 'warning', /no version/],
    ['duplicate dependency', `${BASIC_METADATA}<dependencies><dependency id="A" version="1.0.0" /><dependency id="a" version="2.0.0" /></dependencies>`, 'NP0080', 'warning', /twice/],
  ];

  for (const [name, metadata, code, severity, message, pkg] of cases) {
    it(`${code} ${name}`, () => {
      const diagnostics = check(metadata, pkg);
      const finding = only(diagnostics, code);
      assert.equal(finding.severity, severity);
      assert.match(finding.message, message);
      assert.equal(hasBlockingErrors([finding]), severity === 'error');
    });
  }

  it('icon and iconUrl together (as Newtonsoft.Json 13.0.3 ships): no NP0040, as NuGet gives no NU5048 then', () => {
    const diagnostics = check(`${BASIC_METADATA}<iconUrl>https://example.com/i.png</iconUrl>`);
    assert.deepEqual(diagnostics.filter((diagnostic) => diagnostic.code === 'NP0040'), []);
  });

  it('NP0081 unknown namespace', () => {
    const diagnostics = validatePackage(parseNuspecText(nuspecXml(BASIC_METADATA, { namespace: 'urn:other' })));
    assert.equal(only(diagnostics, 'NP0081').severity, 'info');
  });

  it('locates findings on the nuspec line and column of their element', () => {
    const text = nuspecXml(BASIC_METADATA.replace('1.0.0</version>', '1.02.0</version>'));
    const finding = only(validatePackage(parseNuspecText(text)), 'NP0013');
    const line = text.split('\n').findIndex((l) => l.includes('1.02.0')) + 1;
    assert.equal(finding.line, line);
    assert.equal(text.slice(finding.start, finding.end), '1.02.0');
  });

  it('offers a quick fix from licenseUrl to a license expression', () => {
    const text = nuspecXml(BASIC_METADATA.replace('<license type="expression">MIT</license>', '<licenseUrl>https://licenses.nuget.org/Apache-2.0</licenseUrl>'));
    const finding = only(validatePackage(parseNuspecText(text)), 'NP0030');
    assert.ok(finding.fix);
    const fixed = text.slice(0, finding.fix.edit.start) + finding.fix.edit.newText + text.slice(finding.fix.edit.end);
    assert.match(fixed, /<license type="expression">Apache-2\.0<\/license>/);
    assert.doesNotMatch(fixed, /licenseUrl/);
    assert.deepEqual(codes(validatePackage(parseNuspecText(fixed))), []);
  });

  it('symbol packages skip the listing rules', () => {
    const diagnostics = check(BASIC_METADATA.replace('<license type="expression">MIT</license>', ''), contents(['lib/net8.0/a.pdb', 'x.nuspec'], {}, 'snupkg'));
    assert.deepEqual(codes(diagnostics), []);
  });
});

describe('license expressions', () => {
  it('parses SPDX syntax', () => {
    assert.equal(checkLicenseExpression('MIT').syntaxError, undefined);
    assert.equal(checkLicenseExpression('(MIT OR Apache-2.0) AND BSD-3-Clause').syntaxError, undefined);
    assert.equal(checkLicenseExpression('Apache-2.0 WITH LLVM-exception').syntaxError, undefined);
    assert.match(checkLicenseExpression('MIT or Apache-2.0').syntaxError ?? '', /upper case/);
    assert.match(checkLicenseExpression('(MIT').syntaxError ?? '', /not closed/);
    assert.match(checkLicenseExpression('MIT Apache-2.0').syntaxError ?? '', /unexpected/);
    assert.deepEqual(checkLicenseExpression('Foo-1.0').unknownIdentifiers, ['Foo-1.0']);
  });

  it('maps well-known license URLs', () => {
    assert.equal(expressionForLicenseUrl('https://licenses.nuget.org/MIT'), 'MIT');
    assert.equal(expressionForLicenseUrl('https://opensource.org/licenses/mit-license.php'), undefined);
    assert.equal(expressionForLicenseUrl('https://opensource.org/licenses/MIT'), 'MIT');
    assert.equal(expressionForLicenseUrl('http://www.apache.org/licenses/LICENSE-2.0'), 'Apache-2.0');
    assert.equal(expressionForLicenseUrl('https://example.com/license'), undefined);
  });
});

describe('file roles', () => {
  it('classifies files by role, framework and runtime, and groups them', () => {
    const files = ['lib/net8.0/A.dll', 'lib/netstandard2.0/A.dll', 'lib/net8.0/A.xml', 'ref/net8.0/A.dll', 'runtimes/linux-x64/native/libA.so',
      'runtimes/win-x64/lib/net8.0/A.dll', 'build/A.targets', 'buildTransitive/net8.0/A.props', 'analyzers/dotnet/cs/A.Analyzers.dll',
      'contentFiles/cs/net8.0/Code.cs', 'content/readme.txt', 'tools/install.ps1', 'README.md', 'A.nuspec', '_rels/.rels',
      '[Content_Types].xml', 'package/services/metadata/core-properties/x.psmdcp']
      .map((path) => classifyFile(path, 10, 5));
    const role = (path: string): string => files.find((file) => file.path === path)!.role;
    assert.equal(role('lib/net8.0/A.dll'), 'lib');
    assert.equal(role('runtimes/linux-x64/native/libA.so'), 'runtimes');
    assert.equal(files.find((file) => file.path === 'runtimes/win-x64/lib/net8.0/A.dll')?.framework?.shortName, 'net8.0');
    assert.equal(files.find((file) => file.path === 'runtimes/win-x64/lib/net8.0/A.dll')?.runtimeIdentifier, 'win-x64');
    assert.equal(files.find((file) => file.path === 'contentFiles/cs/net8.0/Code.cs')?.framework?.shortName, 'net8.0');
    assert.equal(files.find((file) => file.path === 'build/A.targets')?.framework, undefined);
    assert.equal(role('README.md'), 'other');
    assert.equal(role('A.nuspec'), 'metadata');
    assert.equal(role('[Content_Types].xml'), 'metadata');
    assert.equal(role('package/services/metadata/core-properties/x.psmdcp'), 'metadata');
    const groups = groupFiles(files).map((group) => `${group.role}:${group.framework}:${group.files.length}`);
    assert.deepEqual(groups.slice(0, 4), ['lib:net8.0:2', 'lib:netstandard2.0:1', 'ref:net8.0:1', 'runtimes::1']);
    assert.equal(groups[groups.length - 1], 'metadata::4');
  });
});

describe('where findings point', () => {
  it('a finding about <metadata> (or a missing element) underlines the <metadata> start tag, never the whole block', () => {
    const text = `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>Contoso.Utils</id>
    <version>1.0.0</version>
    <authors>Me</authors>
  </metadata>
</package>`;
    const findings = validatePackage(parseNuspecText(text));
    assert.ok(findings.some((finding) => finding.code === 'NP0020') && findings.some((finding) => finding.code === 'NP0053'));
    for (const finding of findings) {
      assert.equal(text.slice(finding.start, finding.end), '<metadata>', `${finding.code} points at ${JSON.stringify(text.slice(finding.start, finding.end))}`);
      assert.deepEqual([finding.line, finding.column], [3, 3]);
    }
    // An element with only text is still underlined at its text.
    const idFinding = validatePackage(parseNuspecText(text.replace('<id>Contoso.Utils</id>', '<id>bad id!</id>'))).find((finding) => finding.code === 'NP0002');
    assert.equal(text.replace('<id>Contoso.Utils</id>', '<id>bad id!</id>').slice(idFinding?.start, idFinding?.end), 'bad id!');
  });
});
