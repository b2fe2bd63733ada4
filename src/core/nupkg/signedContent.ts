/**
 * The hash a NuGet signature commits to: the package's bytes as if `.signature.p7s` had never been
 * added (NuGet.Packaging's SignedPackageArchiveUtility): everything before the signature's local
 * entry, the central directory without the signature's record, and the end record with one entry
 * fewer and its size and offset adjusted. A file changed after signing gives another hash, so the
 * inspector can say so without dotnet. Zip64 archives are not checked (undefined).
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

const SIGNATURE_FILE = '.signature.p7s';
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;

interface Layout {
  readonly eocd: number;
  readonly eocdBytes: Buffer;
  readonly sigLocal: number;
  /** Header, name, extra field and data (NuGet's "extra entry size"). */
  readonly sigLocalSize: number;
  /** A data descriptor after the data (12 bytes), skipped too. */
  readonly dataDescriptor: number;
  readonly sigCentral: number;
  readonly sigCentralSize: number;
  readonly size: number;
}

async function layoutOf(path: string): Promise<Layout | undefined> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let at = tailLength - 22;
    while (at >= 0 && tail.readUInt32LE(at) !== EOCD) {
      at--;
    }
    if (at < 0) {
      return undefined;
    }
    const entries = tail.readUInt16LE(at + 10);
    const cdSize = tail.readUInt32LE(at + 12);
    const cdOffset = tail.readUInt32LE(at + 16);
    if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff || cdOffset + cdSize > size) {
      return undefined; // zip64 (or damaged): not checked
    }
    const central = Buffer.alloc(cdSize);
    await handle.read(central, 0, cdSize, cdOffset);
    for (let pos = 0; pos + 46 <= cdSize && central.readUInt32LE(pos) === CENTRAL;) {
      const nameLength = central.readUInt16LE(pos + 28);
      const recordSize = 46 + nameLength + central.readUInt16LE(pos + 30) + central.readUInt16LE(pos + 32);
      if (central.toString('utf8', pos + 46, pos + 46 + nameLength) === SIGNATURE_FILE) {
        const sigLocal = central.readUInt32LE(pos + 42);
        const local = Buffer.alloc(30);
        await handle.read(local, 0, 30, sigLocal);
        const dataDescriptor = (local.readUInt16LE(6) & 0x08) !== 0 ? 12 : 0;
        const sigLocalSize = 30 + local.readUInt16LE(26) + local.readUInt16LE(28) + central.readUInt32LE(pos + 20);
        return { eocd: size - tailLength + at, eocdBytes: tail.subarray(at), sigLocal, sigLocalSize, dataDescriptor, sigCentral: cdOffset + pos, sigCentralSize: recordSize, size };
      }
      pos += recordSize;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/** Hashes [start, end) of an open file through one reused 1 MB buffer (flat memory for any size). */
async function hashRange(hash: ReturnType<typeof createHash>, handle: FileHandle, buffer: Buffer, start: number, end: number): Promise<void> {
  for (let position = start; position < end;) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - position), position);
    if (bytesRead === 0) {
      throw new Error('the package ended early while its content hash was computed');
    }
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
}

/** Base64 hash of the package without its signature file; undefined when it cannot be computed (unsigned, zip64). */
export async function unsignedContentHash(path: string, algorithm: 'sha256' | 'sha384' | 'sha512'): Promise<string | undefined> {
  const layout = await layoutOf(path);
  if (!layout) {
    return undefined;
  }
  const hash = createHash(algorithm);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    await hashRange(hash, handle, buffer, 0, layout.sigLocal);
    await hashRange(hash, handle, buffer, layout.sigLocal + layout.sigLocalSize + layout.dataDescriptor, layout.sigCentral);
    await hashRange(hash, handle, buffer, layout.sigCentral + layout.sigCentralSize, layout.eocd + 4);
  } finally {
    await handle.close();
  }
  // The end record as it was before signing: one entry fewer, the directory smaller and earlier.
  const end = Buffer.from(layout.eocdBytes.subarray(4));
  end.writeUInt16LE(end.readUInt16LE(4) - 1, 4);
  end.writeUInt16LE(end.readUInt16LE(6) - 1, 6);
  end.writeUInt32LE(end.readUInt32LE(8) - layout.sigCentralSize, 8);
  end.writeUInt32LE(end.readUInt32LE(12) - layout.sigLocalSize, 12);
  hash.update(end);
  return hash.digest('base64');
}
