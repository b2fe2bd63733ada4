/**
 * Opens the CLI metadata of a PE image (ECMA-335 II.24) for reading whole tables: the bounded
 * Reader and table layout of assemblyFacts.ts, with typed accessors for cells, strings, blobs and
 * coded indexes. Every access is bounds-checked; anything inconsistent throws a RangeError, which
 * callers turn into "not a readable assembly".
 */
import { cliMetadataRoot, layoutTables, metadataStreams, Reader, TABLES, type Tables } from '../nupkg/assemblyFacts';

export { TABLES };

export interface Metadata {
  rows(table: number): number;
  /** A cell: a table's row (1-based) and column (0-based). */
  cell(table: number, row: number, column: number): number;
  string(index: number): string;
  /** The size of the #Blob heap: every blob index is below it. */
  readonly blobHeapSize: number;
  /** A cursor over one blob of the #Blob heap, `skip` bytes in: read in place, bounded by the blob's end. */
  blobCursor(index: number, skip?: number): Cursor;
}

/** A bounds-checked read position in one blob, over the image's own bytes (no copy, no view). */
export class Cursor {
  public constructor(public readonly bytes: Uint8Array, public offset: number, private limit: number) {}

  /** Where the blob ends (the cursor reads nothing at or past it). */
  public get end(): number {
    return this.limit;
  }

  /** Narrows the cursor to the next `length` bytes (a blob after its length prefix), `skip` of them passed over. */
  public within(length: number, skip: number): this {
    if (this.offset + length > this.limit) {
      throw new RangeError('blob runs past its heap');
    }
    this.limit = this.offset + length;
    this.offset += skip;
    return this;
  }

  /** Bytes left before the blob's end. */
  public remaining(): number {
    return this.limit - this.offset;
  }

  public peek(): number {
    if (this.offset >= this.limit) {
      throw new RangeError('signature ends early');
    }
    return this.bytes[this.offset];
  }

  public byte(): number {
    const value = this.peek();
    this.offset++;
    return value;
  }

  /** A compressed unsigned integer (ECMA-335 II.23.2; a blob's length prefix too, II.24.2.4). */
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
  return new MetadataImage(bytes, tables, strings, blobs);
}

/**
 * The image's tables and heaps. A class, so that every image shares one compiled form of these
 * hot reads. layoutTables has checked that every table lies inside the image, so a cell of a row
 * in range is read without further checks.
 */
class MetadataImage implements Metadata {
  private readonly rowCounts: Int32Array;
  private readonly starts: Int32Array;
  private readonly rowSizes: Int32Array;
  /** By table * 16 + column: the column's offset in its row, and its size (2 or 4). */
  private readonly columnOffsets: Int32Array;
  private readonly columnSizes: Int32Array;
  private readonly utf8 = new TextDecoder('utf-8');
  private readonly latin1: Buffer;
  /** Each string is decoded once: its slot (1 + position in `decoded`) by heap offset. Typed, so a large assembly's tens of thousands of names cost no hash table. */
  private readonly slots: Int32Array;
  private readonly decoded: string[] = [];
  public readonly blobHeapSize: number;

  public constructor(
    private readonly bytes: Uint8Array,
    tables: Tables,
    private readonly strings: { offset: number; size: number },
    private readonly blobs: { offset: number; size: number },
  ) {
    this.rowCounts = Int32Array.from(tables.rows);
    this.starts = Int32Array.from(tables.start);
    this.rowSizes = Int32Array.from(tables.rowSize);
    this.columnOffsets = new Int32Array(64 * 16);
    this.columnSizes = new Int32Array(64 * 16);
    tables.columns.forEach((columns, table) => columns.forEach((column, index) => {
      this.columnOffsets[table * 16 + index] = column.offset;
      this.columnSizes[table * 16 + index] = column.size;
    }));
    this.latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.slots = new Int32Array(strings.size);
    this.blobHeapSize = blobs.size;
  }

  public rows(table: number): number {
    return this.rowCounts[table];
  }

  public cell(table: number, row: number, column: number): number {
    if (row < 1 || row > this.rowCounts[table]) {
      throw new RangeError('row out of range');
    }
    const at = this.starts[table] + (row - 1) * this.rowSizes[table] + this.columnOffsets[table * 16 + column];
    const bytes = this.bytes;
    return this.columnSizes[table * 16 + column] === 2 ? bytes[at] | (bytes[at + 1] << 8) : (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  }

  public string(index: number): string {
    if (index >= this.strings.size) {
      throw new RangeError('string index out of range');
    }
    const slot = this.slots[index];
    if (slot !== 0) {
      return this.decoded[slot - 1];
    }
    const bytes = this.bytes;
    const start = this.strings.offset + index;
    const limit = this.strings.offset + this.strings.size;
    let end = start;
    let ascii = true;
    for (; end < limit && bytes[end] !== 0; end++) {
      ascii &&= bytes[end] < 0x80;
    }
    // ASCII (nearly every name) reads the same as Latin-1, which needs no UTF-8 decoder.
    const value = ascii ? this.latin1.toString('latin1', start, end) : this.utf8.decode(bytes.subarray(start, end));
    this.decoded.push(value);
    this.slots[index] = this.decoded.length;
    return value;
  }

  public blobCursor(index: number, skip = 0): Cursor {
    if (index >= this.blobs.size) {
      throw new RangeError('blob index out of range');
    }
    // One cursor: over the rest of the heap for the length prefix, then narrowed to the blob.
    const at = new Cursor(this.bytes, this.blobs.offset + index, this.blobs.offset + this.blobs.size);
    return at.within(at.number(), skip);
  }
}
