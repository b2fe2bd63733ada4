/**
 * A portable PDB (Portable PDB Format v1.0: ECMA-335 metadata with debug tables): its id, its
 * source documents, and the module's custom debug information that package health reads
 * (Source Link, embedded sources, compilation options). The same bounded reader as the assembly
 * facts: every offset checked, row counts capped, one pass over each table, and any
 * inconsistency gives `undefined` rather than an exception.
 */
import { compressedAt, layoutTables, metadataStreams, Reader, TABLES } from './assemblyFacts';

/** Custom debug information kinds (GUIDs from the Portable PDB spec). */
export const CDI = {
  SourceLink: 'cc110556-a091-4d38-9fec-25ab9a351a6a',
  EmbeddedSource: '0e8a571b-6926-466e-b4ad-8ab04611f5fe',
  CompilationOptions: 'b5feec05-8cd0-4a83-96da-466284bb4bd8',
} as const;

export interface PortablePdbFacts {
  /** The 20-byte PDB id: GUID then stamp. */
  readonly id: Uint8Array;
  /** File offset of the id (the PDB checksum hashes the file with these 20 bytes zeroed). */
  readonly idOffset: number;
  /** Every document's name, in table order. */
  readonly documents: readonly string[];
  /** Rows (1-based) of documents whose source is embedded. */
  readonly embeddedDocuments: ReadonlySet<number>;
  /** The module's Source Link JSON, when present (undefined when absent). */
  readonly sourceLink?: string;
  readonly compilationOptions: boolean;
}

/** More documents than this is not a PDB we read. */
const MAX_DOCUMENTS = 1 << 20;
const MODULE_PARENT = (1 << 5) | 7; // HasCustomDebugInformation: Module (tag 7), row 1
const DOCUMENT_TAG = 22;

export function isPortablePdb(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x42 && bytes[1] === 0x53 && bytes[2] === 0x4a && bytes[3] === 0x42;
}

/** Formats 16 GUID bytes (little-endian first three fields) as .NET writes a Guid. */
export function guidString(bytes: Uint8Array): string {
  const hex = (from: number, to: number, reverse: boolean): string => {
    const part = Array.from(bytes.subarray(from, to));
    return (reverse ? part.reverse() : part).map((byte) => byte.toString(16).padStart(2, '0')).join('');
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`;
}

export function readPortablePdb(bytes: Uint8Array): PortablePdbFacts | undefined {
  try {
    return read(new Reader(bytes));
  } catch {
    return undefined;
  }
}

function read(reader: Reader): PortablePdbFacts | undefined {
  const streams = metadataStreams(reader, 0);
  if (!streams) {
    return undefined;
  }
  const pdb = streams.get('#Pdb');
  const tablesStream = streams.get('#~') ?? streams.get('#-');
  const blobs = streams.get('#Blob');
  const guids = streams.get('#GUID');
  if (!pdb || !tablesStream || !blobs || !guids) {
    return undefined;
  }
  reader.slice(blobs.offset, blobs.size);
  reader.slice(guids.offset, guids.size);
  const id = reader.slice(pdb.offset, 20);
  // #Pdb: id, entry point, the type-system tables the debug tables index into, and their row counts.
  const referencedLow = reader.u32(pdb.offset + 24);
  const referencedHigh = reader.u32(pdb.offset + 28);
  const referenced = new Array<number>(64).fill(0);
  let countAt = pdb.offset + 32;
  for (let table = 0; table < 64; table++) {
    if ((table < 32 ? (referencedLow >>> table) & 1 : (referencedHigh >>> (table - 32)) & 1) === 1) {
      referenced[table] = reader.u32(countAt);
      countAt += 4;
    }
  }
  const heapSizes = reader.u8(tablesStream.offset + 6);
  const tables = layoutTables(reader, tablesStream.offset + 24 + ((heapSizes & 0x40) !== 0 ? 4 : 0), heapSizes,
    reader.u32(tablesStream.offset + 8), reader.u32(tablesStream.offset + 12), referenced);
  if (tables.rows[TABLES.Document] > MAX_DOCUMENTS) {
    return undefined;
  }
  const cell = (table: number, row: number, column: number): number => {
    const { offset, size } = tables.columns[table][column];
    return reader.index(tables.start[table] + (row - 1) * tables.rowSize[table] + offset, size);
  };
  const blob = (index: number): Uint8Array => {
    if (index >= blobs.size) {
      throw new RangeError('blob index out of range');
    }
    const [length, header] = compressedAt(reader, blobs.offset + index);
    if (index + header + length > blobs.size) {
      throw new RangeError('blob runs past its heap');
    }
    return reader.slice(blobs.offset + index + header, length);
  };
  const guid = (index: number): string => {
    if (index === 0 || index * 16 > guids.size) {
      return '';
    }
    return guidString(reader.slice(guids.offset + (index - 1) * 16, 16));
  };
  const utf8 = new TextDecoder('utf-8');

  const documents: string[] = [];
  for (let row = 1; row <= tables.rows[TABLES.Document]; row++) {
    documents.push(documentName(blob(cell(TABLES.Document, row, 0)), blob, utf8));
  }

  let sourceLink: string | undefined;
  let compilationOptions = false;
  const embeddedDocuments = new Set<number>();
  for (let row = 1; row <= tables.rows[TABLES.CustomDebugInformation]; row++) {
    const parent = cell(TABLES.CustomDebugInformation, row, 0);
    const kind = guid(cell(TABLES.CustomDebugInformation, row, 1));
    if (parent === MODULE_PARENT) {
      if (kind === CDI.SourceLink && sourceLink === undefined) {
        sourceLink = utf8.decode(blob(cell(TABLES.CustomDebugInformation, row, 2)));
      } else if (kind === CDI.CompilationOptions) {
        compilationOptions = true;
      }
    } else if ((parent & 0x1f) === DOCUMENT_TAG && kind === CDI.EmbeddedSource) {
      embeddedDocuments.add(parent >>> 5);
    }
  }
  return { id, idOffset: pdb.offset, documents, embeddedDocuments, ...(sourceLink !== undefined ? { sourceLink } : {}), compilationOptions };
}

/** A document name blob: a separator byte, then blob indexes of the UTF-8 parts. */
function documentName(value: Uint8Array, blob: (index: number) => Uint8Array, utf8: { decode(bytes: Uint8Array): string }): string {
  if (value.length === 0) {
    return '';
  }
  const separator = value[0] === 0 ? '' : String.fromCharCode(value[0]);
  const parts: string[] = [];
  const reader = new Reader(value);
  for (let at = 1; at < value.length;) {
    const [index, size] = compressedAt(reader, at);
    at += size;
    parts.push(index === 0 ? '' : utf8.decode(blob(index)));
  }
  return parts.join(separator);
}
