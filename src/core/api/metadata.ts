/**
 * Opens the CLI metadata of a PE image (ECMA-335 II.24) for reading whole tables: the bounded
 * Reader and table layout of assemblyFacts.ts, with typed accessors for cells, strings, blobs and
 * coded indexes. Every access is bounds-checked; anything inconsistent throws a RangeError, which
 * callers turn into "not a readable assembly".
 */
import { fileOffset, layoutTables, Reader, TABLES, type Tables } from '../nupkg/assemblyFacts';

export { TABLES };

export interface Metadata {
  readonly rows: (table: number) => number;
  /** A cell: a table's row (1-based) and column (0-based). */
  readonly cell: (table: number, row: number, column: number) => number;
  readonly string: (index: number) => string;
  readonly blob: (index: number) => Uint8Array;
}

/** Rows past this in any table is not an assembly whose API we read. */
const MAX_ROWS = 1 << 22;

export function openMetadata(bytes: Uint8Array): Metadata | undefined {
  const reader = new Reader(bytes);
  if (reader.u16(0) !== 0x5a4d) {
    return undefined;
  }
  const pe = reader.u32(0x3c);
  if (reader.u32(pe) !== 0x00004550) {
    return undefined;
  }
  const sectionCount = reader.u16(pe + 6);
  const optionalSize = reader.u16(pe + 20);
  const optional = pe + 24;
  const magic = reader.u16(optional);
  const directories = optional + (magic === 0x20b ? 112 : magic === 0x10b ? 96 : NaN);
  if (Number.isNaN(directories) || sectionCount > 96) {
    return undefined;
  }
  const cliRva = reader.u32(directories + 14 * 8);
  if (cliRva === 0) {
    return undefined;
  }
  const sections = Array.from({ length: sectionCount }, (_, index) => {
    const at = optional + optionalSize + index * 40;
    return { size: reader.u32(at + 8), va: reader.u32(at + 12), rawSize: reader.u32(at + 16), raw: reader.u32(at + 20) };
  });
  const root = fileOffset(sections, reader.u32(fileOffset(sections, cliRva) + 8));
  if (reader.u32(root) !== 0x424a5342) {
    return undefined;
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
  const tablesStream = streams.get('#~') ?? streams.get('#-');
  const strings = streams.get('#Strings');
  const blobs = streams.get('#Blob') ?? { offset: 0, size: 0 };
  if (!tablesStream || !strings) {
    return undefined;
  }
  reader.slice(strings.offset, strings.size);
  reader.slice(blobs.offset, blobs.size);
  const heapSizes = reader.u8(tablesStream.offset + 6);
  const tables: Tables = layoutTables(reader, tablesStream.offset + 24 + ((heapSizes & 0x40) !== 0 ? 4 : 0), heapSizes, reader.u32(tablesStream.offset + 8), reader.u32(tablesStream.offset + 12));
  if (tables.rows.some((count) => count > MAX_ROWS)) {
    return undefined;
  }
  const utf8 = new TextDecoder('utf-8');
  const stringCache = new Map<number, string>();
  return {
    rows: (table) => tables.rows[table],
    cell: (table, row, column) => {
      if (row < 1 || row > tables.rows[table]) {
        throw new RangeError('row out of range');
      }
      const { offset, size } = tables.columns[table][column];
      return reader.index(tables.start[table] + (row - 1) * tables.rowSize[table] + offset, size);
    },
    string: (index) => {
      let value = stringCache.get(index);
      if (value === undefined) {
        if (index >= strings.size) {
          throw new RangeError('string index out of range');
        }
        let end = strings.offset + index;
        const limit = strings.offset + strings.size;
        while (end < limit && bytes[end] !== 0) {
          end++;
        }
        value = utf8.decode(bytes.subarray(strings.offset + index, end));
        stringCache.set(index, value);
      }
      return value;
    },
    blob: (index) => {
      if (index >= blobs.size) {
        throw new RangeError('blob index out of range');
      }
      const [length, header] = compressedAt(reader, blobs.offset + index);
      if (index + header + length > blobs.size) {
        throw new RangeError('blob runs past its heap');
      }
      return reader.slice(blobs.offset + index + header, length);
    },
  };
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
