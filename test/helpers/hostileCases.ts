/** The hostile packages of the hostile tests: each must give one clear NP error (core: unit; CLI: integration). */
import JSZip from 'jszip';
import { BASIC_METADATA, buildZip, nuspecXml, samplePackage } from './rawZip';

export interface HostileCase {
  readonly name: string;
  readonly file: () => Buffer | Promise<Buffer>;
  readonly code: string;
  readonly message: RegExp;
}

const nuspec = nuspecXml(BASIC_METADATA);

export const CASES: HostileCase[] = [
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
