/**
 * Writes a minimal .NET assembly image (PE32, one .text section, ECMA-335 metadata) for the
 * assembly reader's tests: an Assembly row with a name and version, a TargetFrameworkAttribute
 * (a MemberRef constructor), and as many TypeDefs, MethodDefs and extra assembly-level custom
 * attributes with MethodDef constructors as asked: the shape that made the old reader quadratic.
 * System.Reflection.Metadata reads these images too (the tests check that it does).
 */

export interface ImageOptions {
  readonly name: string;
  readonly version: readonly [number, number, number, number];
  readonly targetFramework: string;
  /** TypeDefs (each owning one MethodDef). */
  readonly types: number;
  /** Extra custom attributes on the assembly, each with a MethodDef constructor. */
  readonly attributes: number;
  /** Custom attributes on the types (not on the assembly): rows the reader walks past. */
  readonly typeAttributes?: number;
}

class Bytes {
  private readonly parts: Buffer[] = [];
  public length = 0;
  public u8(value: number): this {
    return this.raw(Buffer.from([value & 0xff]));
  }
  public u16(value: number): this {
    const buffer = Buffer.alloc(2);
    buffer.writeUInt16LE(value);
    return this.raw(buffer);
  }
  public u32(value: number): this {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value >>> 0);
    return this.raw(buffer);
  }
  /** An index of 2 or 4 bytes. */
  public index(value: number, size: number): this {
    return size === 2 ? this.u16(value) : this.u32(value);
  }
  public raw(buffer: Buffer): this {
    this.parts.push(buffer);
    this.length += buffer.length;
    return this;
  }
  public pad(alignment: number): this {
    return this.raw(Buffer.alloc((alignment - (this.length % alignment)) % alignment));
  }
  public done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A heap of NUL-terminated strings, index 0 being the empty string. */
function stringHeap(values: readonly string[]): { bytes: Buffer; at: Map<string, number> } {
  const at = new Map<string, number>();
  const parts = [Buffer.from([0])];
  let offset = 1;
  for (const value of values) {
    at.set(value, offset);
    const bytes = Buffer.from(`${value}\0`, 'utf8');
    parts.push(bytes);
    offset += bytes.length;
  }
  return { bytes: Buffer.concat(parts), at };
}

export function buildAssemblyImage(options: ImageOptions): Buffer {
  const strings = stringHeap([options.name, 'T', 'Hostile', 'TargetFrameworkAttribute', 'System.Runtime.Versioning', '.ctor', 'M', '<Module>']);
  const s = (value: string): number => strings.at.get(value)!;
  // Blob heap: 0 empty; 1: a method signature (default, 0 params, void); 4: the attribute value.
  const tfm = Buffer.from(options.targetFramework, 'utf8');
  const blob = Buffer.concat([Buffer.from([0, 3, 0x20, 0x00, 0x01]), Buffer.from([5 + tfm.length, 0x01, 0x00, tfm.length]), tfm, Buffer.from([0, 0])]);
  const SIGNATURE = 1;
  const VALUE = 5;
  const methods = options.types;
  const typeAttributes = options.typeAttributes ?? 0;
  const rows: Record<number, number> = { 0x00: 1, 0x01: 1, 0x02: options.types, 0x06: methods, 0x0a: 1, 0x0c: 1 + options.attributes + typeAttributes, 0x20: 1 };
  const big = (limit: number, ...counts: number[]): number => (Math.max(...counts) < limit ? 2 : 4);
  const hasCustomAttribute = big(1 << 11, methods, options.types, 1, 1);
  const customAttributeType = big(1 << 13, methods, 1);
  const typeDefOrRef = big(1 << 14, options.types, 1);
  const memberRefParent = big(1 << 13, options.types, 1, methods);
  const methodIndex = big(1 << 16, methods);
  const tables = new Bytes();
  tables.u32(0).u8(2).u8(0).u8(0).u8(1);
  const present = Object.keys(rows).map(Number).sort((a, b) => a - b);
  let valid = 0n;
  for (const table of present) {
    valid |= 1n << BigInt(table);
  }
  tables.u32(Number(valid & 0xffffffffn)).u32(Number(valid >> 32n)).u32(0).u32(0);
  for (const table of present) {
    tables.u32(rows[table]);
  }
  // Module: generation, name, mvid, encid, encbaseid.
  tables.u16(0).u16(s('<Module>')).u16(1).u16(0).u16(0);
  // TypeRef: resolution scope (Module row 1 = tag 0), name, namespace.
  tables.u16(1 << 2).u16(s('TargetFrameworkAttribute')).u16(s('System.Runtime.Versioning'));
  // TypeDef: flags, name, namespace, extends, field list, method list.
  for (let type = 1; type <= options.types; type++) {
    tables.u32(0).u16(s('T')).u16(s('Hostile')).index(0, typeDefOrRef).u16(1).index(type, methodIndex);
  }
  // MethodDef: RVA, impl flags, flags, name, signature, param list.
  for (let method = 1; method <= methods; method++) {
    tables.u32(0).u16(0).u16(0x0006).u16(s('M')).u16(SIGNATURE).u16(1);
  }
  // MemberRef: class (TypeRef row 1: tag 1), name .ctor, signature.
  tables.index((1 << 3) | 1, memberRefParent).u16(s('.ctor')).u16(SIGNATURE);
  // CustomAttribute: parent (Assembly row 1: tag 14), type, value. First the framework attribute.
  const assembly = (1 << 5) | 14;
  tables.index(assembly, hasCustomAttribute).index((1 << 3) | 3, customAttributeType).u16(VALUE);
  for (let attribute = 0; attribute < options.attributes; attribute++) {
    const method = 1 + (attribute * 7919) % methods; // spread over every type
    tables.index(assembly, hasCustomAttribute).index((method << 3) | 2, customAttributeType).u16(0);
  }
  // On TypeDefs (tag 3): rows the reader must walk past (it does not rely on their order).
  for (let attribute = 0; attribute < typeAttributes; attribute++) {
    const type = 1 + (attribute % options.types);
    tables.index((type << 5) | 3, hasCustomAttribute).index((1 << 3) | 3, customAttributeType).u16(0);
  }
  // Assembly: hash algorithm, version (4 × u16), flags, public key, name, culture.
  tables.u32(0x8004).u16(options.version[0]).u16(options.version[1]).u16(options.version[2]).u16(options.version[3]).u32(0).u16(0).u16(s(options.name)).u16(0);
  const tableBytes = tables.pad(4).done();
  const stringBytes = new Bytes().raw(strings.bytes).pad(4).done();
  const blobBytes = new Bytes().raw(blob).pad(4).done();
  const guidBytes = Buffer.alloc(16, 7);

  const version = Buffer.from('v4.0.30319\0\0', 'latin1');
  const streams: [string, Buffer][] = [['#~', tableBytes], ['#Strings', stringBytes], ['#GUID', guidBytes], ['#Blob', blobBytes]];
  const headerLength = 16 + version.length + 4 + streams.reduce((sum, [name]) => sum + 8 + ((name.length + 4) & ~3), 0);
  const root = new Bytes().u32(0x424a5342).u16(1).u16(1).u32(0).u32(version.length).raw(version).u16(0).u16(streams.length);
  let offset = headerLength;
  for (const [name, bytes] of streams) {
    root.u32(offset).u32(bytes.length).raw(Buffer.from(name, 'latin1')).pad(4);
    if (name.length % 4 === 0) {
      root.u32(0); // the NUL terminator needs its own padded word
    }
    offset += bytes.length;
  }
  const metadata = Buffer.concat([root.done(), ...streams.map(([, bytes]) => bytes)]);

  const TEXT_RVA = 0x2000;
  const TEXT_RAW = 0x200;
  const cli = new Bytes().u32(72).u16(2).u16(5).u32(TEXT_RVA + 72).u32(metadata.length).u32(1).u32(0);
  cli.raw(Buffer.alloc(72 - cli.length));
  const text = new Bytes().raw(cli.done()).raw(metadata).pad(0x200).done();

  const image = new Bytes();
  image.raw(Buffer.from('MZ', 'latin1')).raw(Buffer.alloc(0x3a)).u32(0x80).raw(Buffer.alloc(0x80 - 0x40));
  image.raw(Buffer.from('PE\0\0', 'latin1')).u16(0x14c).u16(1).u32(0).u32(0).u32(0).u16(0xe0).u16(0x2102);
  // Optional header (PE32).
  image.u16(0x10b).u8(8).u8(0).u32(text.length).u32(0).u32(0).u32(0).u32(TEXT_RVA).u32(0).u32(0x400000);
  image.u32(0x2000).u32(0x200).u16(4).u16(0).u16(0).u16(0).u16(4).u16(0).u32(0);
  image.u32(TEXT_RVA + Math.ceil(text.length / 0x2000) * 0x2000).u32(0x200).u32(0).u16(3).u16(0x8540);
  image.u32(0x100000).u32(0x1000).u32(0x100000).u32(0x1000).u32(0).u32(16);
  for (let directory = 0; directory < 16; directory++) {
    if (directory === 14) {
      image.u32(TEXT_RVA).u32(72);
    } else {
      image.u32(0).u32(0);
    }
  }
  // The section table: .text.
  image.raw(Buffer.from('.text\0\0\0', 'latin1')).u32(text.length).u32(TEXT_RVA).u32(text.length).u32(TEXT_RAW).u32(0).u32(0).u16(0).u16(0).u32(0x60000020);
  image.raw(Buffer.alloc(TEXT_RAW - image.length));
  return Buffer.concat([image.done(), text]);
}
