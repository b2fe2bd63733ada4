/** The entry names of a zip as NuGet reads them (unescaped part names), in archive order. */
import { ZipArchive } from '../../src/core/nupkg/zipReader';

export async function entryNames(path: string): Promise<string[]> {
  const archive = await ZipArchive.open(path);
  try {
    return archive.entries.map((entry) => entry.name);
  } finally {
    await archive.close();
  }
}
