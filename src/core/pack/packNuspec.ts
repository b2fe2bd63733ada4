/**
 * Packs a .nuspec natively (no .NET needed): tokens, <files>, OPC parts, deterministic zip,
 * optional .snupkg. The inspector's rule checks run before anything is written; the package is
 * written to a temporary file in the output folder and renamed at the end, so a failure (bad
 * input, read-only folder, full disk) leaves nothing half written.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { NuGetPublisherError } from '../errors';
import { fsFailure, readRegularFile } from '../fsSafe';
import { forgetTemp, trackTemp } from '../tempFiles';
import { classifyFile } from '../nupkg/files';
import { openPackage } from '../nupkg/package';
import { wholeElement } from '../nuspec/locate';
import { decodeNuspecBytes, MAX_NUSPEC_BYTES, parseNuspecText, type ParsedNuspec } from '../nuspec/parse';
import { sortDiagnostics, type Diagnostic } from '../validate/diagnostic';
import { MAX_PACKAGE_BYTES, validatePackage } from '../validate/rules';
import { fullVersion, normalizeVersion, parseVersion } from '../version';
import { escapeXml } from '../xml';
import { contentTypesXml, corePropertiesName, corePropertiesXml, relsXml } from './opcParts';
import { resolveFiles, type PackFile } from './resolveFiles';
import { replaceTokens, type PackProperties } from './tokens';
import { deflate, prepareBuffer, ZipWriter, type PreparedEntry, type ZipSink } from './zipWriter';

export interface OutputSink extends ZipSink {
  close(): Promise<void>;
}

export interface PackNuspecOptions {
  readonly nuspecPath: string;
  /** Folder that <files> src paths are relative to; default: the nuspec's folder. */
  readonly basePath?: string;
  /** Default: the nuspec's folder. */
  readonly outputDir?: string;
  readonly properties?: PackProperties;
  /** Also write a .snupkg holding the .pdb files (and leave them out of the .nupkg). */
  readonly symbols?: boolean;
  /** Fixed entry order and timestamps: the same inputs give byte-identical packages. Default true. */
  readonly deterministic?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Where bytes go (tests inject failing sinks); default: a new file. */
  readonly openSink?: (path: string) => Promise<OutputSink>;
}

export interface PackNuspecResult {
  readonly packagePath: string;
  readonly symbolsPath?: string;
  readonly id: string;
  readonly version: string;
  readonly fileCount: number;
  readonly warnings: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Fixed time for deterministic packages (zip stores local time without zone; this is UTC). */
const DETERMINISTIC_TIME = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));
const SMALL_FILE = 1024 * 1024;
const WINDOW = 16;
const SAMPLE = 64 * 1024;

/**
 * A new file as a sink. Appends are gathered into 1 MB writes (packages have many small entries),
 * copied into one reused batch buffer: the sink never keeps a caller's buffer after `append`
 * resolves, so callers may reuse theirs, and packing allocates no buffer per entry.
 */
export async function fileSink(path: string): Promise<OutputSink> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    throw writeError(error, path);
  }
  const batch = Buffer.allocUnsafe(1024 * 1024);
  let pendingBytes = 0;
  let position = 0;
  const writeAt = async (data: Buffer, at: number): Promise<void> => {
    await handle.write(data, 0, data.length, at).catch((error: unknown) => {
      throw writeError(error, path);
    });
  };
  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) {
      return;
    }
    const length = pendingBytes;
    pendingBytes = 0;
    await writeAt(batch.subarray(0, length), position);
    position += length;
  };
  return {
    append: async (data: Buffer): Promise<void> => {
      if (pendingBytes + data.length > batch.length) {
        await flush();
      }
      if (data.length >= batch.length) {
        await writeAt(data, position);
        position += data.length;
        return;
      }
      data.copy(batch, pendingBytes);
      pendingBytes += data.length;
    },
    writeAt: async (data: Buffer, at: number): Promise<void> => {
      await flush();
      await writeAt(data, at);
    },
    close: async (): Promise<void> => {
      try {
        await flush();
      } finally {
        await handle.close();
      }
    },
  };
}

function writeError(error: unknown, path: string): NuGetPublisherError {
  const code = (error as NodeJS.ErrnoException).code;
  const folder = dirname(path);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new NuGetPublisherError('NP1030', `The output folder ${folder} is not writable (${code}).`, 'Choose another output folder or fix its permissions.');
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new NuGetPublisherError('NP1031', `The disk holding ${folder} is full (${code}); nothing was written.`, 'Free some space and pack again.');
  }
  if (code === 'ENOENT') {
    return new NuGetPublisherError('NP1032', `The output folder ${folder} does not exist.`, 'Create it or choose another.');
  }
  return fsFailure(error, 'NP1033', `Writing ${basename(path)}`, folder, 'Nothing was written.');
}

/** The nuspec as it goes into the package: no <files>, normalized version, licenseUrl as NuGet adds it. */
function packedNuspecText(parsed: ParsedNuspec): string {
  const { text, locator, nuspec } = parsed;
  const edits: { start: number; end: number; text: string }[] = [];
  const files = wholeElement(locator, text, 'package/files');
  if (files) {
    const lineStart = text.lastIndexOf('\n', files.start - 1);
    const onlyWhitespace = /^\s*$/.test(text.slice(lineStart + 1, files.start));
    edits.push({ start: onlyWhitespace ? lineStart : files.start, end: files.end, text: '' });
  }
  const version = parseVersion(nuspec.metadata.version);
  const versionContent = locator.findContent('package/metadata/version');
  if (version && versionContent && fullVersion(version) !== nuspec.metadata.version) {
    edits.push({ start: versionContent.start, end: versionContent.end, text: fullVersion(version) });
  }
  const license = nuspec.metadata.license;
  const licenseElement = wholeElement(locator, text, 'package/metadata/license');
  if (license && licenseElement && nuspec.metadata.licenseUrl === undefined) {
    const url = license.type === 'expression' ? `https://licenses.nuget.org/${encodeURI(license.value.trim())}` : 'https://aka.ms/deprecateLicenseUrl';
    const indent = /[ \t]*$/.exec(text.slice(text.lastIndexOf('\n', licenseElement.start - 1) + 1, licenseElement.start))?.[0] ?? '    ';
    edits.push({ start: licenseElement.end, end: licenseElement.end, text: `\n${indent}<licenseUrl>${url}</licenseUrl>` });
  }
  let result = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}

function symbolsNuspecText(parsed: ParsedNuspec): string {
  const m = parsed.nuspec.metadata;
  const version = parseVersion(m.version);
  return `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>${escapeXml(m.id)}</id>
    <version>${escapeXml(version ? fullVersion(version) : m.version)}</version>
    <authors>${escapeXml(m.authors.join(','))}</authors>
    <description>${escapeXml(m.description)}</description>
    <packageTypes>
      <packageType name="SymbolsPackage" />
    </packageTypes>
  </metadata>
</package>
`;
}

interface PackagePlan {
  readonly path: string;
  readonly nuspecName: string;
  readonly nuspecText: string;
  readonly files: readonly PackFile[];
}

/** Picks store or deflate for a large file from a sample of its first 64 kB. */
async function methodFor(file: PackFile): Promise<0 | 8> {
  const handle = await open(file.source, 'r');
  try {
    const sample = Buffer.alloc(Math.min(SAMPLE, file.size));
    await handle.read(sample, 0, sample.length, 0);
    const compressed = await deflate(sample, 1);
    return compressed.length < sample.length * 0.95 ? 8 : 0;
  } finally {
    await handle.close();
  }
}

async function writePackage(plan: PackagePlan, parsed: ParsedNuspec, options: PackNuspecOptions, deterministic: boolean): Promise<void> {
  const temp = join(dirname(plan.path), `.${basename(plan.path)}.${randomBytes(4).toString('hex')}.tmp`);
  trackTemp(temp);
  const sink = await (options.openSink ?? fileSink)(temp).catch((error: unknown) => {
    forgetTemp(temp);
    throw writeError(error, plan.path);
  });
  let closed = false;
  try {
    const writer = new ZipWriter(sink, deterministic ? DETERMINISTIC_TIME : new Date());
    const metadata = parsed.nuspec.metadata;
    const psmdcp = corePropertiesName(metadata.id, metadata.version, deterministic);
    const payload = [...plan.files].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
    const total = payload.reduce((sum, file) => sum + file.size, 0);
    let done = 0;
    await writer.addPrepared('_rels/.rels', await prepareBuffer(Buffer.from(relsXml(plan.nuspecName, psmdcp, deterministic))));
    await writer.addPrepared(plan.nuspecName, await prepareBuffer(Buffer.from(plan.nuspecText, 'utf8')));
    // Small files are read and deflated ahead, WINDOW at a time (zlib runs on the thread pool,
    // so both cores work); they are written strictly in order. Large files stream.
    const pending = new Map<number, Promise<PreparedEntry | 0 | 8>>();
    const start = (index: number): void => {
      const file = payload[index];
      if (file && !pending.has(index)) {
        // Small files: a synchronous read from the page cache costs less than four thread-pool hops.
        pending.set(index, file.size <= SMALL_FILE ? Promise.resolve().then(() => prepareBuffer(readFileSync(file.source))) : methodFor(file));
      }
    };
    for (let index = 0; index < Math.min(WINDOW, payload.length); index++) {
      start(index);
    }
    for (let index = 0; index < payload.length; index++) {
      if (options.signal?.aborted) {
        throw new NuGetPublisherError('NP1040', 'Packing was cancelled; nothing was written.', '');
      }
      const file = payload[index];
      const prepared = await pending.get(index)!;
      pending.delete(index);
      start(index + WINDOW);
      if (typeof prepared === 'number') {
        await writer.addFile(file.target, file.source, file.size, prepared);
      } else {
        if (prepared.size !== file.size) {
          throw new NuGetPublisherError('NP1020', `The file ${file.source} changed while it was being packed.`, 'Pack again when nothing is writing to it.');
        }
        await writer.addPrepared(file.target, prepared);
      }
      done += file.size;
      options.onProgress?.(done, total);
    }
    const names = ['_rels/.rels', plan.nuspecName, ...payload.map((file) => file.target), psmdcp];
    await writer.addPrepared('[Content_Types].xml', await prepareBuffer(Buffer.from(contentTypesXml(names))));
    await writer.addPrepared(psmdcp, await prepareBuffer(Buffer.from(corePropertiesXml({ id: metadata.id, version: metadata.version, authors: metadata.authors, description: metadata.description, tags: metadata.tags }))));
    await writer.finish();
    await sink.close();
    closed = true;
    // Read the result back with the inspector's reader before it takes the final name.
    const check = await openPackage(temp);
    await check.close();
    await rename(temp, plan.path).catch((error: unknown) => {
      throw writeError(error, plan.path);
    });
    forgetTemp(temp);
  } catch (error) {
    if (!closed) {
      await sink.close().catch(() => undefined);
    }
    await unlink(temp).catch(() => undefined);
    forgetTemp(temp);
    // Errors from the sink (full disk, I/O) become a clear cause; our own errors pass through.
    throw error instanceof NuGetPublisherError || typeof (error as NodeJS.ErrnoException).code !== 'string' ? error : writeError(error, plan.path);
  }
}

export async function packNuspec(options: PackNuspecOptions): Promise<PackNuspecResult> {
  const nuspecPath = resolve(options.nuspecPath);
  let raw: Buffer;
  try {
    raw = await readRegularFile(nuspecPath, MAX_NUSPEC_BYTES, 'NP1000');
  } catch (error) {
    const cause = error instanceof NuGetPublisherError ? error.message : (error as NodeJS.ErrnoException).code ?? 'error';
    throw new NuGetPublisherError('NP1000', `The nuspec ${nuspecPath} cannot be read (${cause}).`, 'Check the path.');
  }
  const { text, unreplaced } = replaceTokens(decodeNuspecBytes(raw), options.properties ?? {});
  if (unreplaced.length > 0) {
    throw new NuGetPublisherError('NP1002', `The nuspec uses ${unreplaced.map((name) => `$${name}$`).join(', ')} but no value was given for ${unreplaced.length === 1 ? 'it' : 'them'}.`, `Pass ${unreplaced.map((name) => `${name}=…`).join(';')} as properties (CLI: --properties "${unreplaced.map((name) => `${name}=value`).join(';')}").`);
  }
  const parsed = parseNuspecText(text);
  const basePath = resolve(options.basePath ?? dirname(nuspecPath));
  const outputDir = resolve(options.outputDir ?? dirname(nuspecPath));
  const deterministic = options.deterministic ?? true;
  const { files, warnings } = await resolveFiles(parsed.nuspec.files, basePath);
  const symbolFiles = options.symbols ? files.filter((file) => /\.pdb$/i.test(file.target)) : [];
  const mainFiles = options.symbols ? files.filter((file) => !/\.pdb$/i.test(file.target)) : files;
  if (options.symbols && symbolFiles.length === 0) {
    warnings.push('Symbols were requested but no .pdb file is in the package files, so no .snupkg was written.');
  }
  const packedText = packedNuspecText(parsed);
  const packed = parseNuspecText(packedText);
  const m = packed.nuspec.metadata;
  const nuspecName = `${m.id}.nuspec`;
  // The size rule (NP0070) needs the compressed size: it is checked on the written package below.
  const contents = {
    kind: 'nupkg' as const,
    fileSize: 0,
    files: [nuspecName, ...mainFiles.map((file) => file.target)].map((path, index) => classifyFile(path, index === 0 ? packedText.length : mainFiles[index - 1].size, 0)),
  };
  const diagnostics = sortDiagnostics(validatePackage(packed, contents));
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length > 0) {
    throw new NuGetPublisherError('NP1003', `The package breaks ${errors.length} nuget.org rule${errors.length === 1 ? '' : 's'}: ${errors.map((error) => `${error.code} ${error.message}`).join(' ')}`, 'Fix the nuspec (the Problems panel shows where) and pack again; nothing was written.');
  }
  const version = parseVersion(m.version);
  const fileVersion = version ? normalizeVersion(version) : m.version;
  const packagePath = join(outputDir, `${m.id}.${fileVersion}.nupkg`);
  await writePackage({ path: packagePath, nuspecName, nuspecText: packedText, files: mainFiles }, packed, options, deterministic);
  const written = (await stat(packagePath)).size;
  if (written > MAX_PACKAGE_BYTES) {
    warnings.push(`NP0070: the package is ${(written / 1048576).toFixed(1)} MB; nuget.org accepts at most 250 MB (other feeds may take it).`);
  }
  let symbolsPath: string | undefined;
  if (symbolFiles.length > 0) {
    symbolsPath = join(outputDir, `${m.id}.${fileVersion}.snupkg`);
    try {
      await writePackage({ path: symbolsPath, nuspecName, nuspecText: symbolsNuspecText(packed), files: symbolFiles }, packed, options, deterministic);
    } catch (error) {
      await unlink(packagePath).catch(() => undefined);
      throw error;
    }
  }
  return { packagePath, symbolsPath, id: m.id, version: m.version, fileCount: mainFiles.length, warnings, diagnostics };
}
