/**
 * A raw zip writer for hostile test inputs: it writes exactly what it is told, including lies
 * (declared sizes, unsafe names, duplicates), which real zip libraries refuse to produce.
 */
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../src/core/nupkg/crc32';

export interface RawEntry {
  readonly name: string;
  readonly data: Buffer | string;
  readonly method?: 0 | 8;
  /** Overrides the uncompressed size written in the headers. */
  readonly declaredSize?: number;
  readonly utf8Flag?: boolean;
  readonly rawName?: Buffer;
}

export function buildZip(entries: readonly RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    const method = entry.method ?? 8;
    const stored = method === 8 ? deflateRawSync(data) : data;
    const name = entry.rawName ?? Buffer.from(entry.name, 'utf8');
    const size = entry.declaredSize ?? data.length;
    const flags = entry.utf8Flag ? 0x800 : 0;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A minimal valid nuspec. */
export function nuspecXml(metadata: string, options: { namespace?: string; extra?: string } = {}): string {
  const ns = options.namespace ?? 'http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd';
  return `<?xml version="1.0" encoding="utf-8"?>\n<package${ns ? ` xmlns="${ns}"` : ''}>\n  <metadata>\n${metadata}\n  </metadata>${options.extra ?? ''}\n</package>\n`;
}

export const BASIC_METADATA = `    <id>Contoso.Sample</id>
    <version>1.0.0</version>
    <authors>Contoso</authors>
    <description>A sample.</description>
    <license type="expression">MIT</license>
    <readme>README.md</readme>
    <icon>icon.png</icon>
    <repository type="git" url="https://github.com/contoso/sample" commit="abc" />`;

/** A valid small package: nuspec + readme + icon + one lib file. */
export function samplePackage(overrides: { nuspec?: string; extra?: RawEntry[] } = {}): Buffer {
  return buildZip([
    { name: 'Contoso.Sample.nuspec', data: overrides.nuspec ?? nuspecXml(BASIC_METADATA) },
    { name: 'README.md', data: '# Sample\n' },
    { name: 'icon.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
    { name: 'lib/netstandard2.0/Contoso.Sample.dll', data: Buffer.alloc(1000, 1) },
    ...(overrides.extra ?? []),
  ]);
}
