/**
 * The hash a NuGet signature commits to: the package's bytes as if `.signature.p7s` had never been
 * added (NuGet.Packaging's SignedPackageArchiveUtility): everything before the signature's local
 * entry, the central directory without the signature's record, and the end record with one entry
 * fewer and its size and offset adjusted. A file changed after signing gives another hash, so the
 * inspector can say so without dotnet. Zip64 archives are not checked (undefined).
 * The layout comes from the package's own zip reader (zipReader.ts), which has validated it.
 */
import { createHash } from 'node:crypto';
import { SIGNATURE_FILE } from './files';
import type { ZipArchive } from './zipReader';

/** Base64 hash of the package without its signature file; undefined when it cannot be computed (unsigned, zip64). */
export async function unsignedContentHash(archive: ZipArchive, algorithm: 'sha256' | 'sha384' | 'sha512'): Promise<string | undefined> {
  const signature = archive.entries.find((entry) => entry.rawName === SIGNATURE_FILE);
  const end = archive.endRecord;
  if (!signature || end.zip64) {
    return undefined;
  }
  // Header, name, extra field and data (NuGet's "extra entry size"); a data descriptor after the data is skipped too.
  const localLength = (await archive.localHeaderLength(signature)) + signature.compressedSize;
  const dataDescriptor = (signature.flags & 0x08) !== 0 ? 12 : 0;
  const hash = createHash(algorithm);
  const update = (chunk: Buffer): void => void hash.update(chunk);
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  await archive.forEachChunk(0, signature.localHeaderOffset, buffer, update);
  await archive.forEachChunk(signature.localHeaderOffset + localLength + dataDescriptor, signature.centralRecordOffset, buffer, update);
  await archive.forEachChunk(signature.centralRecordOffset + signature.centralRecordLength, end.offset + 4, buffer, update);
  // The end record as it was before signing: one entry fewer, the directory smaller and earlier.
  const record = Buffer.from(end.bytes.subarray(4));
  record.writeUInt16LE(record.readUInt16LE(4) - 1, 4);
  record.writeUInt16LE(record.readUInt16LE(6) - 1, 6);
  record.writeUInt32LE(record.readUInt32LE(8) - signature.centralRecordLength, 8);
  record.writeUInt32LE(record.readUInt32LE(12) - localLength, 12);
  hash.update(record);
  return hash.digest('base64');
}
