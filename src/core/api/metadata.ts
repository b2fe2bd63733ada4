/**
 * Opens the CLI metadata of a PE image (ECMA-335 II.24) for reading whole tables: the bounded
 * Reader and table layout of assemblyFacts.ts, with typed accessors for cells, strings, blobs and
 * coded indexes. Every access is bounds-checked; anything inconsistent throws a RangeError, which
 * callers turn into "not a readable assembly".
 */
import { cliMetadataRoot, layoutTables, metadataStreams, Reader, TABLES, type Tables } from '../nupkg/assemblyFacts';

export { TABLES };

export interface Metadata {
  readonly rows: (table: number) => number;
  /** A cell: a table's row (1-based) and column (0-based). */
  readonly cell: (table: number, row: number, column: number) => number;
  readonly string: (index: number) => string;
  /** The size of the #Blob heap: every blob index is below it. */
  readonly blobHeapSize: number;
  /** A cursor over one blob of the #Blob heap, `skip` bytes in: read in place, bounded by the blob's end. */
  readonly blobCursor: (index: number, skip?: number) => Cursor;
}

/** A bounds-checked read position in one blob, over the image's own bytes (no copy, no view). */
export class Cursor {
  public constructor(public readonly bytes: Uint8Array, public offset: number, public readonly end: number) {}

  /** Bytes left before the blob's end. */
  public remaining(): number {
    return this.end - this.offset;
  }

  public peek(): number {
    if (this.offset >= this.end) {
      throw new RangeError('signature ends early');
    }
    return this.bytes[this.offset];
  }

  public byte(): number {
    const value = this.peek();
    this.offset++;
    return value;
  }

  /** A compressed unsigned integer (ECMA-335 II.23.2). */
  public number(): number {
    const first = this.byte();
    if ((first & 0x80) === 0) {
      return first;
    }
    if ((first & 0xc0) === 0x80) {
      return ((first & 0x3f) << 8) | this.byte();
    }
    return ((first & 0x1f) << 24) | (this.byte() << 16) | (this.byte() << 8) | this.byte();
  }
}

/** Rows past this in any table is not an assembly whose API we read. */
const MAX_ROWS = 1 << 22;

export function openMetadata(bytes: Uint8Array): Metadata | undefined {
  const reader = new Reader(bytes);
  const root = cliMetadataRoot(reader);
  const streams = root === undefined ? undefined : metadataStreams(reader, root);
  if (!streams) {
    return undefined;
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
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Each string is decoded once: its slot (1 + position in `decoded`) by heap offset. Typed, so a
  // large assembly's tens of thousands of names cost no hash table.
  const slots = new Int32Array(strings.size);
  const decoded: string[] = [];
  return {
    rows: (table) => tables.rows[table],
    blobHeapSize: blobs.size,
    cell: (table, row, column) => {
      if (row < 1 || row > tables.rows[table]) {
        throw new RangeError('row out of range');
      }
      const { offset, size } = tables.columns[table][column];
      return reader.index(tables.start[table] + (row - 1) * tables.rowSize[table] + offset, size);
    },
    string: (index) => {
      if (index >= strings.size) {
        throw new RangeError('string index out of range');
      }
      const slot = slots[index];
      if (slot !== 0) {
        return decoded[slot - 1];
      }
      const start = strings.offset + index;
      const limit = strings.offset + strings.size;
      let end = start;
      let ascii = true;
      for (; end < limit && bytes[end] !== 0; end++) {
        ascii &&= bytes[end] < 0x80;
      }
      // ASCII (nearly every name) reads the same as Latin-1, which needs no UTF-8 decoder.
      const value = ascii ? latin1.toString('latin1', start, end) : utf8.decode(bytes.subarray(start, end));
      decoded.push(value);
      slots[index] = decoded.length;
      return value;
    },
    blobCursor: (index, skip = 0) => {
      if (index >= blobs.size) {
        throw new RangeError('blob index out of range');
      }
      // The blob's length, a compressed unsigned integer (ECMA-335 II.24.2.4), read in place.
      const heapEnd = blobs.offset + blobs.size;
      let at = blobs.offset + index;
      const first = bytes[at];
      const width = (first & 0x80) === 0 ? 1 : (first & 0xc0) === 0x80 ? 2 : 4;
      if (at + width > heapEnd) {
        throw new RangeError('signature ends early');
      }
      const length = width === 1 ? first : width === 2 ? ((first & 0x3f) << 8) | bytes[at + 1] : ((first & 0x1f) << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
      at += width;
      if (at + length > heapEnd) {
        throw new RangeError('blob runs past its heap');
      }
      return new Cursor(bytes, at + skip, at + length);
    },
  };
}
