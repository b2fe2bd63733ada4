/**
 * A PE image's debug directory (PE/COFF spec "The .debug Section"; the .NET entries are described
 * in System.Reflection.Metadata's PE-COFF.md): where its PDB is and how to recognise it.
 * - CodeView (type 2): the PDB's GUID and age, and its path; minor version 0x504d ('PM') marks a
 *   portable PDB, whose id is that GUID plus the entry's time stamp.
 * - Reproducible (16): the compiler was deterministic.
 * - EmbeddedPortablePdb (17): "MPDB", the PDB's size, then the PDB deflated.
 * - PdbChecksum (19): a hash algorithm's name and the hash of the PDB (its id zeroed).
 * Every read is bounds-checked (assemblyFacts' Reader), the entry count and the embedded PDB's
 * size are capped, and anything inconsistent gives `undefined` rather than an exception.
 */
import { inflateRaw } from 'node:zlib';
import { promisify } from 'node:util';
import { fileOffset, peLayout, Reader } from './assemblyFacts';

export interface CodeViewEntry {
  /** 16 bytes, as stored. */
  readonly guid: Uint8Array;
  readonly age: number;
  readonly stamp: number;
  readonly path: string;
  /** Points at a portable PDB (minor version 0x504d). */
  readonly portable: boolean;
}

export interface PdbChecksumEntry {
  readonly algorithm: string;
  readonly checksum: Uint8Array;
}

export interface PeDebugInfo {
  /** The image has a CLI header (a .NET assembly or module). */
  readonly managed: boolean;
  readonly codeView: readonly CodeViewEntry[];
  readonly checksums: readonly PdbChecksumEntry[];
  readonly reproducible: boolean;
  /** The EmbeddedPortablePdb entry's data: "MPDB", size, deflated PDB. */
  readonly embeddedPdb?: Uint8Array;
}

const DEBUG_ENTRY_SIZE = 28;
/** Real images have a handful of entries; more than this is not an image we read. */
const MAX_DEBUG_ENTRIES = 64;
/** The largest embedded PDB we inflate (real ones are a few MB). */
export const MAX_EMBEDDED_PDB_BYTES = 64 * 1024 * 1024;

export const DebugType = { CodeView: 2, Reproducible: 16, EmbeddedPortablePdb: 17, PdbChecksum: 19 } as const;

/** Reads the debug directory; undefined when the bytes are not a PE image. */
export function readPeDebug(bytes: Uint8Array): PeDebugInfo | undefined {
  try {
    return read(new Reader(bytes));
  } catch {
    return undefined;
  }
}

function read(reader: Reader): PeDebugInfo | undefined {
  const layout = peLayout(reader);
  if (!layout) {
    return undefined;
  }
  const { directories, sections } = layout;
  const managed = reader.u32(directories + 14 * 8) !== 0;
  const debugRva = reader.u32(directories + 6 * 8);
  const debugSize = reader.u32(directories + 6 * 8 + 4);
  const codeView: CodeViewEntry[] = [];
  const checksums: PdbChecksumEntry[] = [];
  let reproducible = false;
  let embeddedPdb: Uint8Array | undefined;
  if (debugRva !== 0 && debugSize !== 0) {
    const at = fileOffset(sections, debugRva);
    const count = Math.floor(debugSize / DEBUG_ENTRY_SIZE);
    if (count > MAX_DEBUG_ENTRIES) {
      return undefined;
    }
    for (let index = 0; index < count; index++) {
      const entry = at + index * DEBUG_ENTRY_SIZE;
      const stamp = reader.u32(entry + 4);
      const minor = reader.u16(entry + 10);
      const type = reader.u32(entry + 12);
      const size = reader.u32(entry + 16);
      const pointer = reader.u32(entry + 24);
      if (type === DebugType.Reproducible) {
        reproducible = true;
        continue;
      }
      if (size === 0 || pointer === 0) {
        continue;
      }
      const data = reader.slice(pointer, size);
      if (type === DebugType.CodeView) {
        const parsed = parseCodeView(data, stamp, minor === 0x504d);
        if (parsed) {
          codeView.push(parsed);
        }
      } else if (type === DebugType.PdbChecksum) {
        const end = data.indexOf(0);
        if (end > 0) {
          checksums.push({ algorithm: new TextDecoder('utf-8').decode(data.subarray(0, end)), checksum: data.subarray(end + 1) });
        }
      } else if (type === DebugType.EmbeddedPortablePdb && embeddedPdb === undefined) {
        embeddedPdb = data;
      }
    }
  }
  return { managed, codeView, checksums, reproducible, ...(embeddedPdb ? { embeddedPdb } : {}) };
}

/** "RSDS", GUID, age, NUL-terminated UTF-8 path. */
function parseCodeView(data: Uint8Array, stamp: number, portable: boolean): CodeViewEntry | undefined {
  if (data.length < 24 || data[0] !== 0x52 || data[1] !== 0x53 || data[2] !== 0x44 || data[3] !== 0x53) {
    return undefined;
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const end = data.indexOf(0, 24);
  return { guid: data.slice(4, 20), age: view.getUint32(20, true), stamp, path: new TextDecoder('utf-8').decode(data.subarray(24, end < 0 ? data.length : end)), portable };
}

const inflate = promisify(inflateRaw);

/**
 * The embedded portable PDB, inflated off the event loop (zlib's thread pool) and never past its
 * stated size or MAX_EMBEDDED_PDB_BYTES; undefined when the data is not an intact embedded PDB.
 */
export async function inflateEmbeddedPdb(data: Uint8Array): Promise<Uint8Array | undefined> {
  if (data.length < 8 || data[0] !== 0x4d || data[1] !== 0x50 || data[2] !== 0x44 || data[3] !== 0x42) {
    return undefined;
  }
  const size = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(4, true);
  if (size === 0 || size > MAX_EMBEDDED_PDB_BYTES) {
    return undefined;
  }
  try {
    const pdb = await inflate(data.subarray(8), { maxOutputLength: size });
    return pdb.length === size ? pdb : undefined;
  } catch {
    return undefined;
  }
}
