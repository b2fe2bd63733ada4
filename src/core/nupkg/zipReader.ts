/**
 * Random-access zip reader for opening packages. It reads the end-of-central-directory record,
 * then the central directory, and inflates only the entries asked for (the nuspec, a readme...),
 * so opening a 200 MB package costs the same as opening a 20 kB one. jszip would load and index
 * the whole archive in memory first (see README "Design notes").
 *
 * Hostile archives are refused with a PackageReadError naming cause and fix: not a zip, truncated,
 * multi-disk, encrypted, unsupported compression, entries outside the archive, sizes deflate cannot
 * produce (zip bombs), path traversal / absolute names, duplicate names, oversized reads.
 */
import { collisionKey, collisionReason } from './entryNames';
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';
import { PackageReadError } from '../errors';
import { crc32 } from './crc32';
import { assertRegularFile, fileKind } from '../fsSafe';

export interface ZipEntry {
  /**
   * The part name as NuGet reads it: the stored name with OPC percent-escapes decoded
   * ("lib/portable-net45%2Bwin8/_._" is "lib/portable-net45+win8/_._", "%20" a space).
   */
  readonly name: string;
  /** The name exactly as stored in the zip (what the local header repeats). */
  readonly rawName: string;
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
  readonly isDirectory: boolean;
  /** Length in bytes of the name as stored (the local header must repeat it). */
  readonly nameLength: number;
  /** The name was decoded as latin1 (not UTF-8). */
  readonly rawLatin1: boolean;
  /** Where the next entry (or the central directory) starts: this entry's data must end before. */
  dataLimit: number;
  /** Where this entry's central directory record starts in the file, and its length in bytes. */
  readonly centralRecordOffset: number;
  readonly centralRecordLength: number;
}

/** The end-of-central-directory record as stored (what a hash over the whole archive ends with). */
export interface EndRecord {
  readonly offset: number;
  /** The record and what follows it to the end of the file (its comment). */
  readonly bytes: Buffer;
  /** The counts, sizes and offsets are in a zip64 record instead. */
  readonly zip64: boolean;
}

export interface ZipLimits {
  /** Largest central directory we accept, in bytes. */
  readonly maxCentralDirectoryBytes: number;
  readonly maxEntries: number;
}

const inflateRawAsync = promisify(inflateRaw);
const DEFAULT_LIMITS: ZipLimits = { maxCentralDirectoryBytes: 64 * 1024 * 1024, maxEntries: 500_000 };

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
/** Deflate cannot expand data by more than about 1032:1; larger claims are lies. */
const MAX_DEFLATE_RATIO = 1032;

const NOT_A_ZIP_FIX = 'Open a .nupkg/.snupkg produced by dotnet pack or nuget pack, or pack the package again.';

function fail(code: string, cause: string, fix: string = NOT_A_ZIP_FIX): never {
  throw new PackageReadError(code, cause, fix);
}

export class ZipArchive {
  private constructor(
    private readonly handle: FileHandle,
    public readonly fileSize: number,
    public readonly entries: readonly ZipEntry[],
    private readonly dataEnd: number,
    public readonly endRecord: EndRecord,
  ) {}

  /** Opens a zip by its central directory only. The caller must `close()` it. */
  public static async open(path: string, limits: ZipLimits = DEFAULT_LIMITS): Promise<ZipArchive> {
    let handle: FileHandle;
    try {
      // stat before open: opening a FIFO for reading blocks until a writer comes (forever).
      await assertRegularFile(path, (kind) => fail('NP0900', `${path} is ${kind}, not a package file.`, 'Choose a .nupkg or .snupkg file.'));
      // O_NONBLOCK: a FIFO swapped in after the stat still cannot block the open.
      handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (error) {
      if (error instanceof PackageReadError) {
        throw error;
      }
      const code = (error as NodeJS.ErrnoException).code;
      const cause = code === 'ENOENT' ? `The file ${path} does not exist.` : code === 'EACCES' ? `The file ${path} cannot be read (permission denied).` : code === 'EISDIR' ? `${path} is a folder, not a package file.` : `The file ${path} cannot be opened (${code ?? 'unknown error'}).`;
      return fail('NP0900', cause, 'Check the path and permissions.');
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) {
        fail('NP0900', `${path} is ${fileKind(stats)}, not a package file.`, 'Choose a .nupkg or .snupkg file.');
      }
      const { size } = stats;
      const { entries, centralDirectoryOffset, endRecord } = await readCentralDirectory(handle, size, limits);
      return new ZipArchive(handle, size, entries, centralDirectoryOffset, endRecord);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  public async close(): Promise<void> {
    await this.handle.close();
  }

  /**
   * Reads and inflates one entry, refusing (before inflating) anything whose stored or declared
   * size exceeds maxBytes, and stopping inflation at maxBytes whatever the header claims.
   */
  public async read(entry: ZipEntry, maxBytes: number): Promise<Buffer> {
    if (entry.uncompressedSize > maxBytes) {
      fail('NP0910', `The entry ${entry.name} is ${entry.uncompressedSize} bytes, more than the ${maxBytes} bytes allowed for it.`, 'Make the file smaller, or raise the limit in the settings if you trust this package.');
    }
    // Deflate expands incompressible data by at most ~0.1% + a few bytes per 64 kB block.
    if (entry.compressedSize > maxBytes + Math.ceil(maxBytes / 1000) + 65536) {
      fail('NP0910', `The entry ${entry.name} has ${entry.compressedSize} compressed bytes, more than ${maxBytes} bytes can take.`, 'Do not use this package; pack it again from source.');
    }
    const header = await readExactly(this.handle, entry.localHeaderOffset, 30);
    if (header.readUInt32LE(0) !== SIG_LOCAL) {
      fail('NP0911', `The local header of ${entry.name} is missing or corrupt.`);
    }
    await this.checkLocalHeader(entry, header);
    const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (dataStart + entry.compressedSize > Math.min(this.dataEnd, entry.dataLimit)) {
      fail('NP0911', `The data of ${entry.name} runs into the next entry or past the archive's data area: the zip is corrupt or crafted (overlapping entries).`, 'Do not use this package; pack it again from source.');
    }
    const compressed = await readExactly(this.handle, dataStart, entry.compressedSize);
    let data: Buffer;
    if (entry.method === 0) {
      data = compressed;
    } else {
      try {
        // One output chunk of the declared size (+1 to see the end): the default 16 kB chunks are
        // joined with a copy at the end, 0.1 s for the 31 MB of a large package's assemblies. A
        // size that lies only costs more chunks; maxOutputLength still stops a bomb. Inflated on
        // libuv's thread pool, so that a caller can read the next entry while it works on this one.
        const chunkSize = Math.min(Math.max(64, entry.uncompressedSize + 1), Math.max(64, maxBytes));
        data = await inflateRawAsync(compressed, { maxOutputLength: Math.max(1, maxBytes), chunkSize });
      } catch (error) {
        const tooBig = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
        return tooBig
          ? fail('NP0912', `The entry ${entry.name} inflates to more than ${maxBytes} bytes although it declares ${entry.uncompressedSize}: this is a zip bomb or a corrupt archive.`, 'Do not use this package; pack it again from source.')
          : fail('NP0913', `The compressed data of ${entry.name} is corrupt (${(error as Error).message}).`);
      }
    }
    if (data.length !== entry.uncompressedSize) {
      fail('NP0913', `The entry ${entry.name} holds ${data.length} bytes but declares ${entry.uncompressedSize}: the zip is corrupt.`);
    }
    if (crc32(data) !== entry.crc32) {
      fail('NP0913', `The checksum (CRC-32) of ${entry.name} does not match: the zip is corrupt.`);
    }
    return data;
  }

  /** The length of an entry's local header (its fixed part, name and extra field): where its data starts. */
  public async localHeaderLength(entry: ZipEntry): Promise<number> {
    const header = await readExactly(this.handle, entry.localHeaderOffset, 30);
    if (header.readUInt32LE(0) !== SIG_LOCAL) {
      fail('NP0911', `The local header of ${entry.name} is missing or corrupt.`);
    }
    return 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  }

  /** Hands the raw bytes [start, end) of the file to `use`, a chunk at a time through `buffer` (flat memory for any size). */
  public async forEachChunk(start: number, end: number, buffer: Buffer, use: (chunk: Buffer) => void): Promise<void> {
    for (let position = start; position < end;) {
      const { bytesRead } = await this.handle.read(buffer, 0, Math.min(buffer.length, end - position), position);
      if (bytesRead === 0) {
        fail('NP0902', 'The file ends unexpectedly: it is truncated (an interrupted download or copy?).');
      }
      use(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  }

  /**
   * The local header must agree with the central directory (name, method, and sizes when they are
   * not deferred to a data descriptor): a zip whose two views differ is read differently by
   * different tools, which is how content is smuggled past a check.
   */
  private async checkLocalHeader(entry: ZipEntry, header: Buffer): Promise<void> {
    const nameLength = header.readUInt16LE(26);
    const disagrees = (what: string): never => fail('NP0915', `The local header of ${entry.name} disagrees with the central directory (${what}): the zip is corrupt or crafted to show different contents to different tools.`, 'Do not use this package; pack it again from source.');
    if (nameLength !== entry.nameLength) {
      disagrees('name length');
    }
    if (header.readUInt16LE(8) !== entry.method) {
      disagrees('compression method');
    }
    const deferred = (header.readUInt16LE(6) & 0x8) !== 0;
    const compressed = header.readUInt32LE(18);
    const uncompressed = header.readUInt32LE(22);
    if (!deferred && compressed !== 0xffffffff && uncompressed !== 0xffffffff && (compressed !== entry.compressedSize || uncompressed !== entry.uncompressedSize)) {
      disagrees('sizes');
    }
    const localName = await readExactly(this.handle, entry.localHeaderOffset + 30, nameLength);
    if (!localName.equals(Buffer.from(entry.rawName, entry.rawLatin1 ? 'latin1' : 'utf8'))) {
      disagrees('name');
    }
  }
}

async function readExactly(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  // allocUnsafe: every byte is overwritten by the read loop below (or we throw).
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) {
      fail('NP0902', 'The file ends unexpectedly: it is truncated (an interrupted download or copy?).');
    }
    done += bytesRead;
  }
  return buffer;
}

interface CentralDirectory {
  entries: ZipEntry[];
  centralDirectoryOffset: number;
  endRecord: EndRecord;
}

async function readCentralDirectory(handle: FileHandle, size: number, limits: ZipLimits): Promise<CentralDirectory> {
  if (size < EOCD_SIZE) {
    fail('NP0901', `The file is ${size} bytes long: too short to be a zip archive, so it is not a NuGet package.`);
  }
  const tailLength = Math.min(size, EOCD_SIZE + MAX_COMMENT);
  const tailStart = size - tailLength;
  const tail = await readExactly(handle, tailStart, tailLength);
  const eocd = findEndOfCentralDirectory(tail);
  if (eocd < 0) {
    const head = await readExactly(handle, 0, 4);
    return head.readUInt32LE(0) === SIG_LOCAL
      ? fail('NP0902', 'The zip has no end-of-central-directory record: the file is truncated (an interrupted download or copy?).')
      : fail('NP0901', 'The file is not a zip archive, so it is not a NuGet package (a .nupkg is a zip file).');
  }
  const disk = tail.readUInt16LE(eocd + 4);
  const cdDisk = tail.readUInt16LE(eocd + 6);
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  let recordStart = tailStart + eocd;
  let zip64 = false;
  if (disk !== 0 || cdDisk !== 0) {
    fail('NP0903', 'The zip spans several disks (a split archive), which NuGet cannot read.', 'Create the package as a single file.');
  }
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const zip64End = await readZip64End(handle, tailStart + eocd);
    ({ count, cdSize, cdOffset } = zip64End);
    recordStart = zip64End.recordStart;
    zip64 = true;
  }
  if (cdOffset + cdSize > recordStart) {
    fail('NP0902', 'The zip central directory points past the end of the file: it is truncated or corrupt.');
  }
  if (cdSize > limits.maxCentralDirectoryBytes || count > limits.maxEntries) {
    fail('NP0904', `The zip declares ${count} entries in a ${cdSize}-byte directory, beyond the ${limits.maxEntries} entries / ${limits.maxCentralDirectoryBytes} bytes this tool reads.`, 'Split the package; nuget.org also limits packages to 250 MB.');
  }
  const directory = await readExactly(handle, cdOffset, cdSize);
  // A copy: the end record outlives the 64 kB tail it was found in.
  const endRecord = { offset: tailStart + eocd, bytes: Buffer.from(tail.subarray(eocd)), zip64 };
  return { entries: parseEntries(directory, count, cdOffset), centralDirectoryOffset: cdOffset, endRecord };
}

function findEndOfCentralDirectory(tail: Buffer): number {
  for (let at = tail.length - EOCD_SIZE; at >= 0; at--) {
    if (tail.readUInt32LE(at) === SIG_EOCD && at + EOCD_SIZE + tail.readUInt16LE(at + 20) <= tail.length) {
      return at;
    }
  }
  return -1;
}

async function readZip64End(handle: FileHandle, eocdPosition: number): Promise<{ count: number; cdSize: number; cdOffset: number; recordStart: number }> {
  if (eocdPosition < 20) {
    fail('NP0902', 'The zip64 locator is missing: the zip is corrupt.');
  }
  const locator = await readExactly(handle, eocdPosition - 20, 20);
  if (locator.readUInt32LE(0) !== SIG_ZIP64_LOCATOR) {
    fail('NP0902', 'The zip declares zip64 sizes but has no zip64 locator: it is corrupt.');
  }
  const recordStart = Number(locator.readBigUInt64LE(8));
  if (recordStart + 56 > eocdPosition) {
    fail('NP0902', 'The zip64 end record lies outside the file: the zip is corrupt.');
  }
  const record = await readExactly(handle, recordStart, 56);
  if (record.readUInt32LE(0) !== SIG_ZIP64_EOCD) {
    fail('NP0902', 'The zip64 end record is corrupt.');
  }
  return {
    count: safeNumber(record.readBigUInt64LE(32)),
    cdSize: safeNumber(record.readBigUInt64LE(40)),
    cdOffset: safeNumber(record.readBigUInt64LE(48)),
    recordStart,
  };
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    fail('NP0902', 'The zip declares a size beyond any real file: it is corrupt.');
  }
  return Number(value);
}

function parseEntries(directory: Buffer, count: number, dataEnd: number): ZipEntry[] {
  // One latin1 string for the whole directory: ASCII names are then cheap substrings of it
  // (10,000 separate Buffer.toString calls cost ~20 ms).
  const directoryText = directory.toString('latin1');
  // DataView getters are engine builtins: fast even before the JIT warms up (Buffer.readUInt*LE is not).
  const view = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);
  const entries: ZipEntry[] = [];
  const seen = new Map<string, string>();
  let at = 0;
  for (let index = 0; index < count; index++) {
    if (at + 46 > directory.length || view.getUint32(at, true) !== SIG_CENTRAL) {
      fail('NP0902', `The zip central directory is corrupt at entry ${index + 1} of ${count}.`);
    }
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > directory.length) {
      fail('NP0902', `The zip central directory is corrupt at entry ${index + 1} of ${count}.`);
    }
    const rawName = decodeName(directory, directoryText, at + 46, at + 46 + nameLength, (flags & 0x800) !== 0);
    const name = rawName.includes('%') ? unescapePartName(rawName) : rawName;
    let compressedSize = view.getUint32(at + 20, true);
    let uncompressedSize = view.getUint32(at + 24, true);
    let localHeaderOffset = view.getUint32(at + 42, true);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      ({ compressedSize, uncompressedSize, localHeaderOffset } = readZip64Extra(
        directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength),
        { compressedSize, uncompressedSize, localHeaderOffset },
        name,
      ));
    }
    const entry: ZipEntry = {
      name, method, flags, compressedSize, uncompressedSize, localHeaderOffset,
      crc32: view.getUint32(at + 16, true),
      isDirectory: name.endsWith('/'),
      rawName,
      nameLength,
      // A UTF-8 name with non-ASCII characters has more bytes than characters; latin1 has as many.
      rawLatin1: nameLength === rawName.length,
      dataLimit: dataEnd,
      centralRecordOffset: dataEnd + at, // the central directory starts where the data ends
      centralRecordLength: end - at,
    };
    checkEntry(entry, dataEnd);
    // One file on Windows and to nuget.org's duplicate check (entryNames.ts): `a\b` and `a/b`,
    // trailing dots or spaces, letter case under .NET's OrdinalIgnoreCase.
    const key = collisionKey(name);
    const previous = seen.get(key);
    if (previous !== undefined) {
      fail('NP0907', `The zip holds the entry "${name}" twice${previous !== name ? ` (also as "${previous}": ${collisionReason(previous, name)})` : ''}; nuget.org refuses packages with duplicate entries, and a Windows install would take one file's bytes for the other.`, 'Pack the package again so every file has its own name.');
    }
    seen.set(key, name);
    entries.push(entry);
    at = end;
  }
  if (at !== directory.length) {
    fail('NP0914', `The zip's end record declares ${count} entries, but its central directory holds more: entries would be hidden from some tools and seen by others.`, 'Do not use this package; pack it again from source.');
  }
  assignDataLimits(entries, dataEnd);
  return entries;
}

/**
 * Each entry's local header and data must end before the next entry starts: overlapping entries
 * are how "non-recursive" zip bombs make 2,000 files out of one deflate stream. Entries are
 * nearly always in offset order already, so the sort is usually skipped.
 */
function assignDataLimits(entries: ZipEntry[], dataEnd: number): void {
  let ordered: ZipEntry[] = entries;
  for (let i = 1; i < entries.length; i++) {
    if (entries[i].localHeaderOffset < entries[i - 1].localHeaderOffset) {
      ordered = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
      break;
    }
  }
  for (let i = 0; i < ordered.length; i++) {
    const entry = ordered[i];
    const limit = i + 1 < ordered.length ? ordered[i + 1].localHeaderOffset : dataEnd;
    if (entry.localHeaderOffset + 30 + entry.nameLength + entry.compressedSize > limit) {
      fail('NP0914', `The zip entries "${entry.name}" and "${i + 1 < ordered.length ? ordered[i + 1].name : '(central directory)'}" overlap: the archive reuses the same bytes for several files (a zip bomb or a crafted zip). NuGet refuses such packages.`, 'Do not use this package; pack it again from source.');
    }
    entry.dataLimit = limit;
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Decodes an entry name without per-byte JavaScript loops (they are slow before the JIT warms
 * up, and packages have many entries): ASCII names are substrings of the latin1 directory text.
 */
function decodeName(directory: Buffer, directoryText: string, start: number, end: number, utf8Flag: boolean): string {
  const latin1 = directoryText.substring(start, end);
  if (!NON_ASCII.test(latin1)) {
    return latin1;
  }
  try {
    return STRICT_UTF8.decode(directory.subarray(start, end));
  } catch {
    if (utf8Flag) {
      fail('NP0905', 'A zip entry name is marked UTF-8 but is not valid UTF-8.');
    }
    return latin1;
  }
}

function readZip64Extra(
  extra: Buffer,
  current: { compressedSize: number; uncompressedSize: number; localHeaderOffset: number },
  name: string,
): { compressedSize: number; uncompressedSize: number; localHeaderOffset: number } {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = (): number => {
        if (field + 8 > at + 4 + length) {
          fail('NP0902', `The zip64 sizes of ${name} are missing: the zip is corrupt.`);
        }
        const value = safeNumber(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      const uncompressedSize = current.uncompressedSize === 0xffffffff ? next() : current.uncompressedSize;
      const compressedSize = current.compressedSize === 0xffffffff ? next() : current.compressedSize;
      const localHeaderOffset = current.localHeaderOffset === 0xffffffff ? next() : current.localHeaderOffset;
      return { compressedSize, uncompressedSize, localHeaderOffset };
    }
    at += 4 + length;
  }
  return fail('NP0902', `The zip64 sizes of ${name} are missing: the zip is corrupt.`);
}

/**
 * Decodes OPC percent-escapes as NuGet does (Uri.UnescapeDataString): runs of %XX are decoded as
 * UTF-8, and a run that is not valid UTF-8 (or a stray "%") stays as written.
 */
export function unescapePartName(name: string): string {
  return name.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** Structural and safety checks on one central-directory entry. */
function checkEntry(entry: ZipEntry, dataEnd: number): void {
  const { name } = entry;
  // Both spellings: "%2e%2e/x" is "../x" once unescaped.
  const unsafe = unsafeNameReason(name) ?? unsafeNameReason(entry.rawName);
  if (unsafe) {
    fail('NP0906', `The zip entry "${name}" ${unsafe}; NuGet refuses to extract such a package (path traversal).`, 'Do not use this package; pack it again from a clean folder.');
  }
  if ((entry.flags & 0x1) !== 0) {
    fail('NP0908', `The zip entry "${name}" is encrypted; NuGet packages cannot be encrypted.`, 'Pack the package again without encryption.');
  }
  if (entry.method !== 0 && entry.method !== 8) {
    fail('NP0908', `The zip entry "${name}" uses compression method ${entry.method}; NuGet reads only stored (0) and deflate (8).`, 'Pack the package again with dotnet pack or nuget pack.');
  }
  if (entry.localHeaderOffset + 30 + entry.compressedSize > dataEnd) {
    fail('NP0902', `The zip entry "${name}" lies outside the archive's data: the zip is truncated or corrupt.`);
  }
  if (entry.method === 0 && entry.compressedSize !== entry.uncompressedSize) {
    fail('NP0909', `The stored entry "${name}" declares ${entry.uncompressedSize} bytes but holds ${entry.compressedSize}: the zip is corrupt or a zip bomb.`, 'Do not use this package; pack it again from source.');
  }
  if (entry.method === 8 && entry.uncompressedSize > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) {
    fail('NP0909', `The entry "${name}" declares ${entry.uncompressedSize} bytes from ${entry.compressedSize} compressed bytes, which deflate cannot produce: this is a zip bomb or a corrupt zip.`, 'Do not use this package; pack it again from source.');
  }
}

/** Why a name would escape the extraction folder, or undefined when it is safe. */
export function unsafeNameReason(name: string): string | undefined {
  // Fast path: no dot-dot, no leading slash or backslash, no drive colon, no NUL.
  if (!name.includes('..') && name[0] !== '/' && name[0] !== '\\' && name[1] !== ':' && !name.includes('\0')) {
    return undefined;
  }
  if (name.includes('\0')) {
    return 'contains a NUL character';
  }
  const normalized = name.replace(/\\/g, '/');
  if (normalized.startsWith('/')) {
    return 'is an absolute path';
  }
  if (/^[A-Za-z]:/.test(normalized)) {
    return 'starts with a drive letter';
  }
  if (normalized.split('/').some((segment) => segment === '..')) {
    return 'contains a ".." segment';
  }
  return undefined;
}
