/** The entry names of a zip as NuGet reads them (unescaped part names), in archive order. */
import { ZipArchive } from '../../src/core/nupkg/zipReader';
import { openPackage } from '../../src/core/nupkg/package';

export async function entryNames(path: string): Promise<string[]> {
  const archive = await ZipArchive.open(path);
  try {
    return archive.entries.map((entry) => entry.name);
  } finally {
    await archive.close();
  }
}

/** One entry's bytes, read with our package reader. */
export async function entryBytes(path: string, entry: string): Promise<Buffer> {
  const pkg = await openPackage(path);
  try {
    return await pkg.readFile(entry, 64 * 1024 * 1024);
  } finally {
    await pkg.close();
  }
}
