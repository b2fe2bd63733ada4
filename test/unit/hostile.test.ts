/**
 * Hostile inputs: each must give a clear, one-line error (a PackageReadError with a stable code
 * from the core, exit 2 from the CLI) — no crash, no hang, nothing inflated beyond the limits.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import JSZip from 'jszip';
import { PackageReadError } from '../../src/core/errors';
import { openPackage } from '../../src/core/nupkg/package';
import { runCli } from '../helpers/cli';
import { BASIC_METADATA, buildZip, nuspecXml, samplePackage } from '../helpers/rawZip';
import { writeTemp } from '../helpers/temp';

interface HostileCase {
  readonly name: string;
  readonly file: () => Buffer | Promise<Buffer>;
  readonly code: string;
  readonly message: RegExp;
}

const nuspec = nuspecXml(BASIC_METADATA);

const CASES: HostileCase[] = [
  { name: 'not a zip', file: () => Buffer.from('this is a text file, not a package\n'.repeat(20)), code: 'NP0901', message: /not a zip/ },
  { name: 'empty file', file: () => Buffer.alloc(0), code: 'NP0901', message: /too short/ },
  { name: 'truncated zip', file: () => samplePackage().subarray(0, 300), code: 'NP0902', message: /truncated/ },
  { name: 'truncated in the central directory', file: () => { const zip = samplePackage(); return zip.subarray(0, zip.length - 40); }, code: 'NP0902', message: /truncated|corrupt/ },
  {
    name: 'zip bomb (declared size deflate cannot produce)',
    file: () => buildZip([{ name: 'x.nuspec', data: nuspec }, { name: 'lib/net8.0/bomb.bin', data: Buffer.alloc(1000), declaredSize: 0xfffffff0 }]),
    code: 'NP0909', message: /zip bomb/,
  },
  {
    name: 'zip bomb in the nuspec itself (lies about its size)',
    file: () => buildZip([{ name: 'x.nuspec', data: `${nuspec}${' '.repeat(5 * 1024 * 1024)}`, declaredSize: 1000 }]),
    code: 'NP0912', message: /zip bomb|inflates to more/,
  },
  { name: 'entry with ../', file: () => samplePackage({ extra: [{ name: '../../etc/evil.txt', data: 'x' }] }), code: 'NP0906', message: /path traversal/ },
  { name: 'entry with nested ..', file: () => samplePackage({ extra: [{ name: 'lib/../../evil.txt', data: 'x' }] }), code: 'NP0906', message: /\.\./ },
  { name: 'absolute entry', file: () => samplePackage({ extra: [{ name: '/etc/evil.txt', data: 'x' }] }), code: 'NP0906', message: /absolute/ },
  { name: 'drive-letter entry', file: () => samplePackage({ extra: [{ name: 'C:\\Windows\\evil.dll', data: 'x' }] }), code: 'NP0906', message: /drive letter/ },
  { name: 'backslash traversal', file: () => samplePackage({ extra: [{ name: '..\\evil.txt', data: 'x' }] }), code: 'NP0906', message: /\.\./ },
  { name: 'duplicate entries', file: () => samplePackage({ extra: [{ name: 'README.md', data: 'again' }] }), code: 'NP0907', message: /twice/ },
  { name: 'duplicate entries differing in case', file: () => samplePackage({ extra: [{ name: 'readme.MD', data: 'again' }] }), code: 'NP0907', message: /twice/ },
  { name: 'two nuspecs', file: () => samplePackage({ extra: [{ name: 'Other.nuspec', data: nuspec }] }), code: 'NP0931', message: /2 \.nuspec/ },
  { name: 'no nuspec', file: () => buildZip([{ name: 'lib/net8.0/a.dll', data: 'x' }]), code: 'NP0930', message: /no \.nuspec/ },
  { name: 'nuspec with DOCTYPE', file: () => buildZip([{ name: 'x.nuspec', data: nuspec.replace('<package', '<!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<package') }]), code: 'NP0922', message: /DOCTYPE/ },
  { name: 'nuspec with invalid UTF-8', file: () => { const bytes = Buffer.from(nuspec); bytes[bytes.indexOf('Contoso')] = 0xc3; bytes[bytes.indexOf('Contoso') + 1] = 0x28; return buildZip([{ name: 'x.nuspec', data: bytes }]); }, code: 'NP0921', message: /UTF-8/ },
  { name: '50 MB nuspec', file: () => buildZip([{ name: 'x.nuspec', data: `${nuspec}<!--${'a'.repeat(50 * 1024 * 1024)}-->` }]), code: 'NP0920', message: /bytes/ },
  { name: 'malformed nuspec XML', file: () => buildZip([{ name: 'x.nuspec', data: '<package><metadata><id>x</metadata></package>' }]), code: 'NP0923', message: /well-formed/ },
  { name: 'corrupt deflate data', file: () => { const zip = samplePackage(); const at = zip.indexOf('Contoso.Sample.nuspec') + 'Contoso.Sample.nuspec'.length; zip.fill(0xff, at, at + 20); return zip; }, code: 'NP0913', message: /corrupt/ },
  { name: 'invalid UTF-8 entry name marked UTF-8', file: () => buildZip([{ name: 'x.nuspec', data: nuspec }, { name: '', rawName: Buffer.from([0x61, 0xff, 0x62]), data: 'x', utf8Flag: true }]), code: 'NP0905', message: /UTF-8/ },
  { name: 'unsupported compression method', file: () => { const zip = samplePackage(); const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); zip.writeUInt16LE(14, central + 10); return zip; }, code: 'NP0908', message: /compression method 14/ },
  { name: 'encrypted entry', file: () => { const zip = samplePackage(); const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); zip.writeUInt16LE(1, central + 8); return zip; }, code: 'NP0908', message: /encrypted/ },
  {
    name: 'a jszip-made zip with a traversal entry',
    file: async () => {
      const zip = new JSZip();
      zip.file('x.nuspec', nuspec);
      zip.file('lib/../../../tmp/pwn.txt', 'x', { createFolders: false });
      return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    },
    code: 'NP0906', message: /path traversal/,
  },
];

describe('hostile packages', () => {
  for (const testCase of CASES) {
    it(`${testCase.name}: clear error from the core and exit 2 from the CLI`, async () => {
      const path = writeTemp('hostile.nupkg', await testCase.file());
      await assert.rejects(openPackage(path), (error: unknown) => {
        assert.ok(error instanceof PackageReadError, `expected PackageReadError, got ${String(error)}`);
        assert.equal(error.code, testCase.code, error.message);
        assert.match(error.message, testCase.message);
        assert.ok(error.fix.length > 0, 'names a fix');
        return true;
      });
      const cli = runCli(['inspect', path, '--json']);
      assert.equal(cli.status, 2, cli.stderr);
      assert.equal(cli.stdout, '');
      const lines = cli.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `one line: ${cli.stderr}`);
      assert.match(lines[0], new RegExp(`^${testCase.code}: `));
    });
  }

  it('a missing file and a folder are clear errors too', () => {
    const missing = runCli(['inspect', '/nonexistent/x.nupkg']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^NP0900: .*does not exist/);
    const folder = runCli(['inspect', '/tmp']);
    assert.equal(folder.status, 2);
    assert.match(folder.stderr, /^NP090\d: /);
  });

  it('reads a valid jszip-made package (jszip writes, our reader reads)', async () => {
    const zip = new JSZip();
    zip.file('Contoso.Sample.nuspec', nuspecXml(BASIC_METADATA));
    zip.file('README.md', '# hi');
    zip.file('icon.png', Buffer.from([1, 2, 3]));
    zip.file('lib/net8.0/Contoso.Sample.dll', Buffer.alloc(5000, 7));
    const path = writeTemp('ok.nupkg', await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const pkg = await openPackage(path);
    try {
      assert.equal(pkg.nuspec.nuspec.metadata.id, 'Contoso.Sample');
      assert.deepEqual(pkg.files.map((file) => file.path).sort(), ['Contoso.Sample.nuspec', 'README.md', 'icon.png', 'lib/net8.0/Contoso.Sample.dll'].sort());
      assert.deepEqual(await pkg.readFile('lib/net8.0/Contoso.Sample.dll', 10_000), Buffer.alloc(5000, 7));
      await assert.rejects(pkg.readFile('lib/net8.0/Contoso.Sample.dll', 100), /more than the 100 bytes/);
    } finally {
      await pkg.close();
    }
  });
});
