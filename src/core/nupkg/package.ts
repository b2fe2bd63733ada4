/**
 * Opens a .nupkg/.snupkg: central directory + nuspec only. The result holds an open file
 * handle for on-demand reads (readme, icon, license); call close() when done.
 */
import { basename } from 'node:path';
import { PackageReadError, NuspecParseError } from '../errors';
import { MAX_NUSPEC_BYTES, parseNuspecBytes, type ParsedNuspec } from '../nuspec/parse';
import { classifyFile, type PackageFile } from './files';
import { ZipArchive, type ZipEntry } from './zipReader';

export type PackageKind = 'nupkg' | 'snupkg';

export interface OpenedPackage {
  readonly path: string;
  readonly kind: PackageKind;
  readonly fileSize: number;
  readonly nuspecEntry: string;
  readonly nuspec: ParsedNuspec;
  /** Every file entry (directories left out), in archive order. */
  readonly files: readonly PackageFile[];
  /** The zip itself, for checks over its raw layout (a signature's content hash). */
  readonly archive: ZipArchive;
  /** Reads a file from the package, refusing more than maxBytes. */
  readFile(path: string, maxBytes: number): Promise<Buffer>;
  hasFile(path: string): boolean;
  close(): Promise<void>;
}

export function packageKind(path: string): PackageKind {
  return path.toLowerCase().endsWith('.snupkg') ? 'snupkg' : 'nupkg';
}

/** Finds the one nuspec at the archive root. */
function findNuspec(entries: readonly ZipEntry[]): ZipEntry {
  const nuspecs = entries.filter((entry) => !entry.isDirectory && !entry.name.includes('/') && entry.name.toLowerCase().endsWith('.nuspec'));
  if (nuspecs.length === 0) {
    throw new PackageReadError('NP0930', 'The package has no .nuspec file at its root, so it is not a NuGet package (or it is corrupt).', 'Pack it again with dotnet pack or nuget pack.');
  }
  if (nuspecs.length > 1) {
    throw new PackageReadError('NP0931', `The package has ${nuspecs.length} .nuspec files at its root (${nuspecs.map((entry) => entry.name).join(', ')}); NuGet requires exactly one.`, 'Pack it again so that only one manifest is at the root.');
  }
  return nuspecs[0];
}

/** Normalizes a path as given in nuspec metadata (icon, readme, license file) to an entry name. */
export function toEntryName(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.?\//, '');
}

export async function openPackage(path: string): Promise<OpenedPackage> {
  const archive = await ZipArchive.open(path);
  try {
    const nuspecEntry = findNuspec(archive.entries);
    if (nuspecEntry.uncompressedSize > MAX_NUSPEC_BYTES) {
      throw new PackageReadError('NP0920', `The nuspec ${nuspecEntry.name} is ${nuspecEntry.uncompressedSize} bytes, more than the ${MAX_NUSPEC_BYTES} bytes a nuspec can reasonably be.`, 'Shorten the metadata and pack again.');
    }
    let nuspec: ParsedNuspec;
    try {
      nuspec = parseNuspecBytes(await archive.read(nuspecEntry, MAX_NUSPEC_BYTES));
    } catch (error) {
      if (error instanceof NuspecParseError) {
        throw new PackageReadError(error.code, `${nuspecEntry.name}: ${error.message.replace(error.fix, '').trim()}`, error.fix);
      }
      throw error;
    }
    const fileEntries = archive.entries.filter((entry) => !entry.isDirectory);
    const files = fileEntries.map((entry) => classifyFile(entry.name, entry.uncompressedSize, entry.compressedSize));
    // Built on the first lookup only (readme, icon...): opening stays proportional to the directory.
    let byName: Map<string, ZipEntry> | undefined;
    const lookup = (name: string): ZipEntry | undefined => {
      byName ??= new Map(fileEntries.map((entry) => [entry.name.toLowerCase(), entry]));
      return byName.get(toEntryName(name).toLowerCase()) ?? byName.get(encodeURI(toEntryName(name)).toLowerCase());
    };
    return {
      path,
      kind: packageKind(path),
      fileSize: archive.fileSize,
      archive,
      nuspecEntry: nuspecEntry.name,
      nuspec,
      files,
      hasFile: (name: string): boolean => lookup(name) !== undefined,
      readFile: async (name: string, maxBytes: number): Promise<Buffer> => {
        const entry = lookup(name);
        if (!entry) {
          throw new PackageReadError('NP0932', `The package ${basename(path)} has no file ${name}.`, 'Add the file to the package (or fix the path in the nuspec).');
        }
        return archive.read(entry, maxBytes);
      },
      close: (): Promise<void> => archive.close(),
    };
  } catch (error) {
    await archive.close();
    throw error;
  }
}
