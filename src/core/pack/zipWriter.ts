/**
 * A streaming, deterministic zip writer for packages. Entries are written in the order given,
 * local headers carry real sizes (no data descriptors: the header is patched after the data is
 * streamed), names use "/" and get the UTF-8 flag only when non-ASCII, timestamps are fixed in
 * deterministic mode. Memory stays bounded: large files are streamed, never held whole.
 */
import { collisionKey, collisionReason } from '../nupkg/entryNames';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import { NuGetPublisherError } from '../errors';
import { crc32 } from '../nupkg/crc32';

/** Read size for streamed entries. */
const STORED_CHUNK = 1024 * 1024;

/**
 * Where the archive goes: appends, plus a positional write to patch a local header. A sink must
 * not keep `data` after the returned promise resolves (the writer reuses its buffers).
 */
export interface ZipSink {
  append(data: Buffer): Promise<void>;
  writeAt(data: Buffer, position: number): Promise<void>;
}

export interface PreparedEntry {
  readonly method: 0 | 8;
  readonly crc: number;
  readonly size: number;
  readonly data: Buffer;
}

export { crc32 };

/** DOS date/time of a Date (local fields, as zip tools do; we use UTC for reproducibility). */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

const ZIP32_LIMIT = 0xffffffff;

interface CentralRecord {
  readonly name: Buffer;
  readonly utf8: boolean;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly offset: number;
}

/** Deflates a buffer (async: zlib runs it on the thread pool, so several run on both cores). */
export function deflate(data: Buffer, level = 6): Promise<Buffer> {
  return new Promise((resolve, reject) => zlib.deflateRaw(data, { level }, (error, result) => (error ? reject(error) : resolve(result))));
}

/** Below this, deflating in this thread costs less than handing the buffer to the thread pool. */
const INLINE_DEFLATE = 32 * 1024;

/** Compresses a whole small buffer, storing it when deflate does not pay off. */
export async function prepareBuffer(data: Buffer, allowDeflate = true): Promise<PreparedEntry> {
  const crc = crc32(data);
  if (allowDeflate && data.length > 0) {
    // The output buffer sized to the input (zlib's default is 16 KB per call): fewer bytes to collect.
    const compressed = data.length < INLINE_DEFLATE ? zlib.deflateRawSync(data, { level: 6, chunkSize: Math.max(64, data.length + 64) }) : await deflate(data);
    if (compressed.length < data.length) {
      return { method: 8, crc, size: data.length, data: compressed };
    }
  }
  return { method: 0, crc, size: data.length, data };
}

export class ZipWriter {
  private offset = 0;
  private readonly central: CentralRecord[] = [];
  /** Collision key (entryNames.ts) → the name first written under it. */
  private readonly names = new Map<string, string>();
  private readonly stamp: { time: number; date: number };

  public constructor(private readonly sink: ZipSink, timestamp: Date) {
    this.stamp = dosDateTime(timestamp);
  }

  public get bytesWritten(): number {
    return this.offset;
  }

  /** Adds an entry whose data is already prepared (small files, generated parts). */
  public async addPrepared(name: string, entry: PreparedEntry): Promise<void> {
    const header = this.localHeader(name, entry.method, entry.crc, entry.data.length, entry.size);
    await this.put(header.bytes);
    await this.put(entry.data);
    this.central.push({ name: header.name, utf8: header.utf8, method: entry.method, crc: entry.crc, compressedSize: entry.data.length, size: entry.size, offset: header.offset });
  }

  /** Streams a file from disk: deflated (level 6) or stored, then patches the local header. */
  public async addFile(name: string, path: string, size: number, method: 0 | 8): Promise<void> {
    const header = this.localHeader(name, method, 0, 0, size);
    await this.put(header.bytes);
    let crc = 0;
    let compressedSize = 0;
    let read = 0;
    if (method === 0) {
      // Stored (incompressible) files: one reused buffer, so memory stays flat whatever the size.
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.allocUnsafe(STORED_CHUNK);
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, read);
          if (bytesRead === 0 || read + bytesRead > size) {
            read += bytesRead;
            break;
          }
          const chunk = buffer.subarray(0, bytesRead);
          crc = crc32(chunk, crc);
          read += bytesRead;
          compressedSize += bytesRead;
          await this.put(chunk);
        }
      } finally {
        await handle.close();
      }
      return this.endFile(header, path, size, method, crc, compressedSize, read);
    }
    const source = createReadStream(path, { highWaterMark: STORED_CHUNK });
    const stream = source.pipe(zlib.createDeflateRaw({ level: 6 }));
    source.on('data', (chunk: string | Buffer) => {
      const bytes = chunk as Buffer;
      crc = crc32(bytes, crc);
      read += bytes.length;
    });
    source.on('error', (error) => stream.destroy(error));
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      compressedSize += chunk.length;
      await this.put(chunk);
    }
    return this.endFile(header, path, size, method, crc, compressedSize, read);
  }

  /** Checks the size read, patches the local header and records the central directory entry. */
  private async endFile(header: { offset: number; name: Buffer; utf8: boolean }, path: string, size: number, method: 0 | 8, crc: number, compressedSize: number, read: number): Promise<void> {
    if (read !== size) {
      throw new NuGetPublisherError('NP1020', `The file ${path} changed while it was being packed (${read} bytes read, ${size} expected).`, 'Pack again when nothing is writing to it.');
    }
    const patch = Buffer.alloc(12);
    patch.writeUInt32LE(crc, 0);
    patch.writeUInt32LE(compressedSize, 4);
    patch.writeUInt32LE(size, 8);
    await this.sink.writeAt(patch, header.offset + 14);
    this.central.push({ name: header.name, utf8: header.utf8, method, crc, compressedSize, size, offset: header.offset });
  }

  /** Writes the central directory and end record. */
  public async finish(): Promise<void> {
    const start = this.offset;
    for (const record of this.central) {
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(record.utf8 ? 0x800 : 0, 8);
      header.writeUInt16LE(record.method, 10);
      header.writeUInt16LE(this.stamp.time, 12);
      header.writeUInt16LE(this.stamp.date, 14);
      header.writeUInt32LE(record.crc, 16);
      header.writeUInt32LE(record.compressedSize, 20);
      header.writeUInt32LE(record.size, 24);
      header.writeUInt16LE(record.name.length, 28);
      header.writeUInt32LE(record.offset, 42);
      await this.put(Buffer.concat([header, record.name]));
    }
    const size = this.offset - start;
    if (this.central.length > 0xffff || this.offset > ZIP32_LIMIT) {
      throw new NuGetPublisherError('NP1021', `The package would hold ${this.central.length} entries / ${this.offset} bytes, beyond what a zip without zip64 holds.`, 'Split the package (nuget.org accepts at most 250 MB anyway).');
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.central.length, 8);
    end.writeUInt16LE(this.central.length, 10);
    end.writeUInt32LE(size, 12);
    end.writeUInt32LE(start, 16);
    await this.put(end);
  }

  private localHeader(name: string, method: number, crc: number, compressedSize: number, size: number): { bytes: Buffer; name: Buffer; utf8: boolean; offset: number } {
    // The reader's rule (entryNames.ts): names that are one file on Windows or to nuget.org.
    const key = collisionKey(name);
    const previous = this.names.get(key);
    if (previous !== undefined) {
      throw new NuGetPublisherError('NP1012', `Two files would be packed as "${name}"${previous !== name ? ` (and "${previous}": ${collisionReason(previous, name)})` : ''}.`, 'Change one target in <files> so every file has its own path.');
    }
    this.names.set(key, name);
    if (size > ZIP32_LIMIT || this.offset > ZIP32_LIMIT) {
      throw new NuGetPublisherError('NP1021', `The entry ${name} or the package passes 4 GB, beyond what a zip without zip64 holds.`, 'Split the package (nuget.org accepts at most 250 MB anyway).');
    }
    const nameBytes = Buffer.from(name, 'utf8');
    const utf8 = nameBytes.length !== name.length || /[^\x00-\x7f]/.test(name);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(utf8 ? 0x800 : 0, 6);
    header.writeUInt16LE(method, 8);
    header.writeUInt16LE(this.stamp.time, 10);
    header.writeUInt16LE(this.stamp.date, 12);
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(compressedSize, 18);
    header.writeUInt32LE(size, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    return { bytes: Buffer.concat([header, nameBytes]), name: nameBytes, utf8, offset: this.offset };
  }

  private async put(data: Buffer): Promise<void> {
    await this.sink.append(data);
    this.offset += data.length;
  }
}
