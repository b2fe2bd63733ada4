/**
 * Assembly facts from a .dll's CLI metadata (ECMA-335 II.24-25): assembly name and version, the
 * TargetFrameworkAttribute, and whether it is a reference assembly (ReferenceAssemblyAttribute).
 * No maintained JavaScript library reads CLI metadata, so this is a minimal reader of our own with
 * hard limits: every offset is bounds-checked against the bytes it was given, table and heap sizes
 * are capped, nothing is allocated from a size the file states, and any inconsistency gives
 * `undefined` (not a .NET assembly) instead of an exception. It is checked against
 * System.Reflection.Metadata on the real-package corpus and fuzzed.
 */

export interface AssemblyFacts {
  readonly name: string;
  /** major.minor.build.revision */
  readonly version: string;
  /** The TargetFrameworkAttribute's framework name (".NETCoreApp,Version=v8.0"), when present. */
  readonly targetFramework?: string;
  readonly referenceAssembly: boolean;
}

/** More rows than this in any table is not an assembly we read (real ones have far fewer). */
const MAX_ROWS = 1 << 24;

/** Bounds-checked little-endian reads over one buffer (shared with the portable PDB reader). */
export class Reader {
  public constructor(private readonly bytes: Uint8Array, private readonly view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)) {}

  public get length(): number {
    return this.bytes.length;
  }

  private check(offset: number, size: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + size > this.bytes.length) {
      throw new RangeError('out of bounds');
    }
  }

  public u8(offset: number): number {
    this.check(offset, 1);
    return this.view.getUint8(offset);
  }

  public u16(offset: number): number {
    this.check(offset, 2);
    return this.view.getUint16(offset, true);
  }

  public u32(offset: number): number {
    this.check(offset, 4);
    return this.view.getUint32(offset, true);
  }

  public index(offset: number, size: number): number {
    return size === 2 ? this.u16(offset) : this.u32(offset);
  }

  /** A NUL-terminated UTF-8 string starting at offset, at most `max` bytes. */
  public cString(offset: number, max: number): string {
    this.check(offset, 1);
    let end = offset;
    while (end < this.bytes.length && end - offset < max && this.bytes[end] !== 0) {
      end++;
    }
    return new TextDecoder('utf-8').decode(this.bytes.subarray(offset, end));
  }

  public slice(offset: number, size: number): Uint8Array {
    this.check(offset, size);
    return this.bytes.subarray(offset, offset + size);
  }
}

/** Table numbers used below (ECMA-335 II.22). */
const T = {
  Module: 0x00, TypeRef: 0x01, TypeDef: 0x02, FieldPtr: 0x03, Field: 0x04, MethodPtr: 0x05, MethodDef: 0x06, ParamPtr: 0x07, Param: 0x08,
  InterfaceImpl: 0x09, MemberRef: 0x0a, Constant: 0x0b, CustomAttribute: 0x0c, FieldMarshal: 0x0d, DeclSecurity: 0x0e, ClassLayout: 0x0f,
  FieldLayout: 0x10, StandAloneSig: 0x11, EventMap: 0x12, EventPtr: 0x13, Event: 0x14, PropertyMap: 0x15, PropertyPtr: 0x16, Property: 0x17,
  MethodSemantics: 0x18, MethodImpl: 0x19, ModuleRef: 0x1a, TypeSpec: 0x1b, ImplMap: 0x1c, FieldRVA: 0x1d, EncLog: 0x1e, EncMap: 0x1f,
  Assembly: 0x20, AssemblyProcessor: 0x21, AssemblyOS: 0x22, AssemblyRef: 0x23, AssemblyRefProcessor: 0x24, AssemblyRefOS: 0x25, File: 0x26,
  ExportedType: 0x27, ManifestResource: 0x28, NestedClass: 0x29, GenericParam: 0x2a, MethodSpec: 0x2b, GenericParamConstraint: 0x2c,
  // Portable PDB tables (Portable PDB v1.0 spec).
  Document: 0x30, MethodDebugInformation: 0x31, LocalScope: 0x32, LocalVariable: 0x33, LocalConstant: 0x34, ImportScope: 0x35,
  StateMachineMethod: 0x36, CustomDebugInformation: 0x37,
} as const;
export { T as TABLES };

/** Coded indexes: tag bits and the tables they point into (-1: an unused tag). */
const CODED: Readonly<Record<string, readonly number[]>> = {
  TypeDefOrRef: [T.TypeDef, T.TypeRef, T.TypeSpec],
  HasConstant: [T.Field, T.Param, T.Property],
  HasCustomAttribute: [T.MethodDef, T.Field, T.TypeRef, T.TypeDef, T.Param, T.InterfaceImpl, T.MemberRef, T.Module, T.DeclSecurity, T.Property, T.Event,
    T.StandAloneSig, T.ModuleRef, T.TypeSpec, T.Assembly, T.AssemblyRef, T.File, T.ExportedType, T.ManifestResource, T.GenericParam, T.GenericParamConstraint, T.MethodSpec],
  HasFieldMarshal: [T.Field, T.Param],
  HasDeclSecurity: [T.TypeDef, T.MethodDef, T.Assembly],
  MemberRefParent: [T.TypeDef, T.TypeRef, T.ModuleRef, T.MethodDef, T.TypeSpec],
  HasSemantics: [T.Event, T.Property],
  MethodDefOrRef: [T.MethodDef, T.MemberRef],
  MemberForwarded: [T.Field, T.MethodDef],
  Implementation: [T.File, T.AssemblyRef, T.ExportedType],
  CustomAttributeType: [-1, -1, T.MethodDef, T.MemberRef, -1],
  ResolutionScope: [T.Module, T.ModuleRef, T.AssemblyRef, T.TypeRef],
  TypeOrMethodDef: [T.TypeDef, T.MethodDef],
  HasCustomDebugInformation: [T.MethodDef, T.Field, T.TypeRef, T.TypeDef, T.Param, T.InterfaceImpl, T.MemberRef, T.Module, T.DeclSecurity, T.Property, T.Event,
    T.StandAloneSig, T.ModuleRef, T.TypeSpec, T.Assembly, T.AssemblyRef, T.File, T.ExportedType, T.ManifestResource, T.GenericParam, T.GenericParamConstraint, T.MethodSpec,
    T.Document, T.LocalScope, T.LocalVariable, T.LocalConstant, T.ImportScope],
};

const TAG_BITS: Readonly<Record<string, number>> = {
  TypeDefOrRef: 2, HasConstant: 2, HasCustomAttribute: 5, HasFieldMarshal: 1, HasDeclSecurity: 2, MemberRefParent: 3, HasSemantics: 1,
  MethodDefOrRef: 1, MemberForwarded: 1, Implementation: 2, CustomAttributeType: 3, ResolutionScope: 2, TypeOrMethodDef: 1, HasCustomDebugInformation: 5,
};

/** A column: a fixed size in bytes, a heap ('s' strings, 'g' GUIDs, 'b' blobs), a table index, or a coded index. */
type Column = number | 's' | 'g' | 'b' | { table: number } | { coded: string };

const t = (table: number): Column => ({ table });
const c = (coded: string): Column => ({ coded });

const SCHEMA: Readonly<Record<number, readonly Column[]>> = {
  [T.Module]: [2, 's', 'g', 'g', 'g'],
  [T.TypeRef]: [c('ResolutionScope'), 's', 's'],
  [T.TypeDef]: [4, 's', 's', c('TypeDefOrRef'), t(T.Field), t(T.MethodDef)],
  [T.FieldPtr]: [t(T.Field)],
  [T.Field]: [2, 's', 'b'],
  [T.MethodPtr]: [t(T.MethodDef)],
  [T.MethodDef]: [4, 2, 2, 's', 'b', t(T.Param)],
  [T.ParamPtr]: [t(T.Param)],
  [T.Param]: [2, 2, 's'],
  [T.InterfaceImpl]: [t(T.TypeDef), c('TypeDefOrRef')],
  [T.MemberRef]: [c('MemberRefParent'), 's', 'b'],
  [T.Constant]: [2, c('HasConstant'), 'b'],
  [T.CustomAttribute]: [c('HasCustomAttribute'), c('CustomAttributeType'), 'b'],
  [T.FieldMarshal]: [c('HasFieldMarshal'), 'b'],
  [T.DeclSecurity]: [2, c('HasDeclSecurity'), 'b'],
  [T.ClassLayout]: [2, 4, t(T.TypeDef)],
  [T.FieldLayout]: [4, t(T.Field)],
  [T.StandAloneSig]: ['b'],
  [T.EventMap]: [t(T.TypeDef), t(T.Event)],
  [T.EventPtr]: [t(T.Event)],
  [T.Event]: [2, 's', c('TypeDefOrRef')],
  [T.PropertyMap]: [t(T.TypeDef), t(T.Property)],
  [T.PropertyPtr]: [t(T.Property)],
  [T.Property]: [2, 's', 'b'],
  [T.MethodSemantics]: [2, t(T.MethodDef), c('HasSemantics')],
  [T.MethodImpl]: [t(T.TypeDef), c('MethodDefOrRef'), c('MethodDefOrRef')],
  [T.ModuleRef]: ['s'],
  [T.TypeSpec]: ['b'],
  [T.ImplMap]: [2, c('MemberForwarded'), 's', t(T.ModuleRef)],
  [T.FieldRVA]: [4, t(T.Field)],
  [T.EncLog]: [4, 4],
  [T.EncMap]: [4],
  [T.Assembly]: [4, 2, 2, 2, 2, 4, 'b', 's', 's'],
  [T.AssemblyProcessor]: [4],
  [T.AssemblyOS]: [4, 4, 4],
  [T.AssemblyRef]: [2, 2, 2, 2, 4, 'b', 's', 's', 'b'],
  [T.AssemblyRefProcessor]: [4, t(T.AssemblyRef)],
  [T.AssemblyRefOS]: [4, 4, 4, t(T.AssemblyRef)],
  [T.File]: [4, 's', 'b'],
  [T.ExportedType]: [4, 4, 's', 's', c('Implementation')],
  [T.ManifestResource]: [4, 4, 's', c('Implementation')],
  [T.NestedClass]: [t(T.TypeDef), t(T.TypeDef)],
  [T.GenericParam]: [2, 2, c('TypeOrMethodDef'), 's'],
  [T.MethodSpec]: [c('MethodDefOrRef'), 'b'],
  [T.GenericParamConstraint]: [t(T.GenericParam), c('TypeDefOrRef')],
  [T.Document]: ['b', 'g', 'b', 'g'],
  [T.MethodDebugInformation]: [t(T.Document), 'b'],
  [T.LocalScope]: [t(T.MethodDef), t(T.ImportScope), t(T.LocalVariable), t(T.LocalConstant), 4, 4],
  [T.LocalVariable]: [2, 2, 's'],
  [T.LocalConstant]: ['s', 'b'],
  [T.ImportScope]: [t(T.ImportScope), 'b'],
  [T.StateMachineMethod]: [t(T.MethodDef), t(T.MethodDef)],
  [T.CustomDebugInformation]: [c('HasCustomDebugInformation'), 'g', 'b'],
};

export interface Tables {
  readonly rows: number[];
  /** Offset of each table's first row, and each table's row size and column offsets. */
  readonly start: number[];
  readonly rowSize: number[];
  readonly columns: { offset: number; size: number }[][];
}

export interface Section {
  readonly va: number;
  readonly size: number;
  readonly raw: number;
  readonly rawSize: number;
}

/** The PE headers (PE/COFF spec): where the data directories and the sections are; undefined when not a PE image. */
export function peLayout(reader: Reader): { directories: number; sections: Section[] } | undefined {
  if (reader.u16(0) !== 0x5a4d) {
    return undefined; // no "MZ"
  }
  const pe = reader.u32(0x3c);
  if (reader.u32(pe) !== 0x00004550) {
    return undefined; // no "PE\0\0"
  }
  const sectionCount = reader.u16(pe + 6);
  const optionalSize = reader.u16(pe + 20);
  const optional = pe + 24;
  const magic = reader.u16(optional);
  const directories = optional + (magic === 0x20b ? 112 : magic === 0x10b ? 96 : NaN);
  if (Number.isNaN(directories) || sectionCount > 96) {
    return undefined;
  }
  const sections = Array.from({ length: sectionCount }, (_, index) => {
    const at = optional + optionalSize + index * 40;
    return { size: reader.u32(at + 8), va: reader.u32(at + 12), rawSize: reader.u32(at + 16), raw: reader.u32(at + 20) };
  });
  return { directories, sections };
}

/** The file offset of a PE image's CLI metadata root, through its CLI header; undefined for a native image. */
export function cliMetadataRoot(reader: Reader): number | undefined {
  const layout = peLayout(reader);
  const cliRva = layout ? reader.u32(layout.directories + 14 * 8) : 0;
  if (!layout || cliRva === 0) {
    return undefined; // not a PE image, or a native DLL
  }
  return fileOffset(layout.sections, reader.u32(fileOffset(layout.sections, cliRva) + 8));
}

/** The streams of a metadata root ("BSJB" at `root`: an assembly's, or a portable PDB's at 0), as file offsets. */
export function metadataStreams(reader: Reader, root: number): Map<string, { offset: number; size: number }> | undefined {
  if (reader.u32(root) !== 0x424a5342) {
    return undefined; // no "BSJB"
  }
  const versionLength = reader.u32(root + 12);
  if (versionLength > 255) {
    return undefined;
  }
  let at = root + 16 + versionLength;
  const streamCount = reader.u16(at + 2);
  at += 4;
  const streams = new Map<string, { offset: number; size: number }>();
  for (let index = 0; index < Math.min(streamCount, 16); index++) {
    const name = reader.cString(at + 8, 32);
    streams.set(name, { offset: root + reader.u32(at), size: reader.u32(at + 4) });
    at += 8 + ((name.length + 4) & ~3);
  }
  return streams;
}

/** A compressed unsigned integer (ECMA-335 II.23.2): [value, bytes it took]. */
export function compressedAt(reader: { u8(offset: number): number }, at: number): [number, number] {
  const first = reader.u8(at);
  if ((first & 0x80) === 0) {
    return [first, 1];
  }
  if ((first & 0xc0) === 0x80) {
    return [((first & 0x3f) << 8) | reader.u8(at + 1), 2];
  }
  return [((first & 0x1f) << 24) | (reader.u8(at + 1) << 16) | (reader.u8(at + 2) << 8) | reader.u8(at + 3), 4];
}

/** RVA to file offset through the section table. */
export function fileOffset(sections: readonly Section[], rva: number): number {
  const section = sections.find((candidate) => rva >= candidate.va && rva < candidate.va + Math.max(candidate.size, candidate.rawSize));
  if (!section) {
    throw new RangeError('RVA outside every section');
  }
  return section.raw + (rva - section.va);
}

/**
 * Where each table's rows are. `referenced` holds the row counts of tables kept in another file
 * (a portable PDB's type-system tables, from its #Pdb stream): they size indexes but have no rows here.
 */
export function layoutTables(reader: Reader, at: number, heapSizes: number, validLow: number, validHigh: number, referenced: readonly number[] = []): Tables {
  const rows = new Array<number>(64).fill(0);
  let offset = at;
  for (let table = 0; table < 64; table++) {
    const present = table < 32 ? (validLow >>> table) & 1 : (validHigh >>> (table - 32)) & 1;
    if (present) {
      if (!(table in SCHEMA)) {
        throw new RangeError(`table 0x${table.toString(16)} is not one an assembly has`);
      }
      rows[table] = reader.u32(offset);
      if (rows[table] > MAX_ROWS) {
        throw new RangeError('too many rows');
      }
      offset += 4;
    }
  }
  const heap = (bit: number): number => ((heapSizes & bit) !== 0 ? 4 : 2);
  const sizing = (table: number): number => Math.max(rows[table], referenced[table] ?? 0);
  const size = (column: Column): number => {
    if (typeof column === 'number') {
      return column;
    }
    if (column === 's') {
      return heap(0x01);
    }
    if (column === 'g') {
      return heap(0x02);
    }
    if (column === 'b') {
      return heap(0x04);
    }
    if ('table' in column) {
      return sizing(column.table) < 0x10000 ? 2 : 4;
    }
    const largest = Math.max(...CODED[column.coded].map((table) => (table < 0 ? 0 : sizing(table))));
    return largest < 1 << (16 - TAG_BITS[column.coded]) ? 2 : 4;
  };
  const start: number[] = [];
  const rowSize: number[] = [];
  const columns: { offset: number; size: number }[][] = [];
  for (let table = 0; table < 64; table++) {
    const schema = SCHEMA[table] ?? [];
    let columnOffset = 0;
    columns[table] = schema.map((column) => {
      const entry = { offset: columnOffset, size: size(column) };
      columnOffset += entry.size;
      return entry;
    });
    start[table] = offset;
    rowSize[table] = columnOffset;
    offset += rows[table] * columnOffset;
  }
  if (offset > reader.length) {
    throw new RangeError('tables run past the end');
  }
  return { rows, start, rowSize, columns };
}

/**
 * Bounds of one read. Every step is linear in the image (each table walked once, each
 * constructor resolved once), and the work is also capped: at most MAX_ASSEMBLY_ATTRIBUTES
 * custom attributes on the assembly are looked at, and at most `budgetMs` of time is spent
 * (checked every STEP rows); past either the read stops with `capped` (NP0087 in the inspector).
 */
export const MAX_ASSEMBLY_ATTRIBUTES = 10_000;
const STEP = 8192;

export interface ReadLimits {
  /** Time the read may take in all (default 1 s). */
  readonly budgetMs?: number;
}

export type AssemblyReading = { readonly facts?: AssemblyFacts; readonly capped?: string };

class Capped extends Error {}

/** Reads the metadata of a PE image; undefined when it is not a readable .NET assembly (or the read was capped). */
export function readAssemblyFacts(bytes: Uint8Array, limits: ReadLimits = {}): AssemblyFacts | undefined {
  return runSync(bytes, limits).facts;
}

/** The same read, with the reason when it was capped. */
export function readAssemblyFactsChecked(bytes: Uint8Array, limits: ReadLimits = {}): AssemblyReading {
  return runSync(bytes, limits);
}

/**
 * The same read in chunks: it gives the event loop back every STEP rows, so an extension host
 * (or any caller) stays responsive while a large image is read.
 */
export async function readAssemblyFactsAsync(bytes: Uint8Array, limits: ReadLimits = {}): Promise<AssemblyReading> {
  const steps = read(new Reader(bytes), deadline(limits));
  try {
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) {
        return { facts: step.value };
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    return error instanceof Capped ? { capped: error.message } : {};
  }
}

function deadline(limits: ReadLimits): number {
  return performance.now() + (limits.budgetMs ?? 1000);
}

function runSync(bytes: Uint8Array, limits: ReadLimits): AssemblyReading {
  try {
    const steps = read(new Reader(bytes), deadline(limits));
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) {
        return { facts: step.value };
      }
    }
  } catch (error) {
    return error instanceof Capped ? { capped: error.message } : {};
  }
}

function* read(reader: Reader, until: number): Generator<void, AssemblyFacts | undefined> {
  const root = cliMetadataRoot(reader);
  const streams = root === undefined ? undefined : metadataStreams(reader, root);
  if (!streams) {
    return undefined; // not a PE image, a native DLL, or no "BSJB" metadata
  }
  const tablesStream = streams.get('#~') ?? streams.get('#-');
  const strings = streams.get('#Strings');
  const blobs = streams.get('#Blob');
  if (!tablesStream || !strings || !blobs) {
    return undefined;
  }
  reader.slice(strings.offset, strings.size);
  reader.slice(blobs.offset, blobs.size);
  const heapSizes = reader.u8(tablesStream.offset + 6);
  const tables = layoutTables(reader, tablesStream.offset + 24 + ((heapSizes & 0x40) !== 0 ? 4 : 0), heapSizes, reader.u32(tablesStream.offset + 8), reader.u32(tablesStream.offset + 12));
  if (tables.rows[T.Assembly] === 0) {
    return undefined; // a module, not an assembly
  }
  const cell = (table: number, row: number, column: number): number => {
    if (row < 1 || row > tables.rows[table]) {
      throw new RangeError('row out of range');
    }
    const { offset, size } = tables.columns[table][column];
    return reader.index(tables.start[table] + (row - 1) * tables.rowSize[table] + offset, size);
  };
  const string = (index: number): string => {
    if (index >= strings.size) {
      throw new RangeError('string index out of range');
    }
    return reader.cString(strings.offset + index, Math.min(1024, strings.size - index));
  };
  const blob = (index: number): Uint8Array => {
    if (index >= blobs.size) {
      throw new RangeError('blob index out of range');
    }
    const first = reader.u8(blobs.offset + index);
    const [length, header] = (first & 0x80) === 0 ? [first, 1] : (first & 0xc0) === 0x80 ? [((first & 0x3f) << 8) | reader.u8(blobs.offset + index + 1), 2]
      : [((first & 0x1f) << 24) | (reader.u8(blobs.offset + index + 1) << 16) | (reader.u8(blobs.offset + index + 2) << 8) | reader.u8(blobs.offset + index + 3), 4];
    if (index + header + length > blobs.size) {
      throw new RangeError('blob runs past its heap');
    }
    return reader.slice(blobs.offset + index + header, length);
  };
  const name = string(cell(T.Assembly, 1, 7));
  const version = [1, 2, 3, 4].map((column) => cell(T.Assembly, 1, column)).join('.');

  // The first MethodDef of each TypeDef, read once: a constructor defined here belongs to the last
  // type whose method list starts at or before it (a binary search, not a walk per attribute).
  let methodListStarts: Uint32Array | undefined;
  const typeOfMethod = (method: number): number | undefined => {
    methodListStarts ??= Uint32Array.from({ length: tables.rows[T.TypeDef] }, (_, index) => cell(T.TypeDef, index + 1, 5));
    let low = 0;
    let high = methodListStarts.length - 1;
    let found: number | undefined;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (methodListStarts[middle] <= method) {
        found = middle + 1;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  };

  /** The full name of an attribute's type (namespace.name), from its constructor reference; each constructor resolved once. */
  const resolved = new Map<number, string | undefined>();
  const attributeType = (type: number): string | undefined => {
    if (resolved.has(type)) {
      return resolved.get(type);
    }
    const name = resolveAttributeType(type);
    resolved.set(type, name);
    return name;
  };
  const resolveAttributeType = (type: number): string | undefined => {
    const tag = type & 0x7;
    const row = type >>> 3;
    let typeDef: number | undefined;
    let typeRef: number | undefined;
    if (tag === 3) {
      const parent = cell(T.MemberRef, row, 0);
      const parentTag = parent & 0x7;
      if (parentTag === 1) {
        typeRef = parent >>> 3;
      } else if (parentTag === 0) {
        typeDef = parent >>> 3;
      }
    } else if (tag === 2) {
      // A constructor defined in this assembly: the type whose method list holds it.
      typeDef = typeOfMethod(row);
    }
    if (typeRef !== undefined) {
      return `${string(cell(T.TypeRef, typeRef, 2))}.${string(cell(T.TypeRef, typeRef, 1))}`;
    }
    return typeDef !== undefined ? `${string(cell(T.TypeDef, typeDef, 2))}.${string(cell(T.TypeDef, typeDef, 1))}` : undefined;
  };

  let targetFramework: string | undefined;
  let referenceAssembly = false;
  const assemblyParent = (1 << 5) | 14; // HasCustomAttribute: Assembly (tag 14), row 1
  let onAssembly = 0;
  for (let row = 1; row <= tables.rows[T.CustomAttribute]; row++) {
    if (row % STEP === 0) {
      if (performance.now() > until) {
        throw new Capped(`reading its metadata took longer than the inspector allows (${tables.rows[T.CustomAttribute]} custom attributes)`);
      }
      yield;
    }
    if (cell(T.CustomAttribute, row, 0) !== assemblyParent) {
      continue;
    }
    if (++onAssembly > MAX_ASSEMBLY_ATTRIBUTES) {
      throw new Capped(`it has more than ${MAX_ASSEMBLY_ATTRIBUTES} assembly-level custom attributes`);
    }
    const type = attributeType(cell(T.CustomAttribute, row, 1));
    if (type === 'System.Runtime.CompilerServices.ReferenceAssemblyAttribute') {
      referenceAssembly = true;
    } else if (type === 'System.Runtime.Versioning.TargetFrameworkAttribute') {
      targetFramework = firstStringArgument(blob(cell(T.CustomAttribute, row, 2)));
    }
  }
  return { name, version, ...(targetFramework !== undefined ? { targetFramework } : {}), referenceAssembly };
}

/** A custom attribute value: prolog 0x0001, then the first fixed argument as a SerString. */
function firstStringArgument(value: Uint8Array): string | undefined {
  if (value.length < 3 || value[0] !== 0x01 || value[1] !== 0x00 || value[2] === 0xff) {
    return undefined;
  }
  const first = value[2];
  const [length, header] = (first & 0x80) === 0 ? [first, 1] : (first & 0xc0) === 0x80 && value.length > 3 ? [((first & 0x3f) << 8) | value[3], 2] : [-1, 0];
  if (length < 0 || 2 + header + length > value.length) {
    return undefined;
  }
  return new TextDecoder('utf-8').decode(value.subarray(2 + header, 2 + header + length));
}
