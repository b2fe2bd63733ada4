/**
 * Local folder feeds in NuGet's hierarchical layout (as `nuget add` and `dotnet nuget push` to a
 * hierarchical folder write it): {lowerid}/{lowerversion}/{lowerid}.{lowerversion}.nupkg,
 * .nupkg.sha512 (base64 SHA-512), {lowerid}.nuspec and .nupkg.metadata. Files are written to temporary names and renamed, so a failure leaves no
 * half-published version.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NuGetPublisherError } from '../errors';
import { openPackage } from '../nupkg/package';
import { normalizeVersion, parseVersion } from '../version';

export interface FolderPushResult {
  readonly outcome: 'created' | 'skipped-duplicate';
  readonly folder: string;
}

async function sha512Base64(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('base64');
}

export async function pushToFolder(packagePath: string, feed: string, options: { skipDuplicate?: boolean } = {}): Promise<FolderPushResult> {
  const pkg = await openPackage(packagePath);
  let nuspecText: string;
  let id: string;
  let version: string;
  try {
    const metadata = pkg.nuspec.nuspec.metadata;
    const parsed = parseVersion(metadata.version);
    if (!parsed || !metadata.id) {
      throw new NuGetPublisherError('NP2020', `${packagePath} has no valid id and version.`, 'Fix the nuspec and pack again.');
    }
    id = metadata.id.toLowerCase();
    version = normalizeVersion(parsed).toLowerCase();
    nuspecText = pkg.nuspec.text;
  } finally {
    await pkg.close();
  }
  const folder = join(feed, id, version);
  const nupkg = join(folder, `${id}.${version}.nupkg`);
  if (await stat(nupkg).then(() => true, () => false)) {
    if (options.skipDuplicate) {
      return { outcome: 'skipped-duplicate', folder };
    }
    throw new NuGetPublisherError('NP2409', `The folder feed ${feed} already has ${id} ${version}.`, 'Bump the version, or turn on skip-duplicate.');
  }
  const stage = join(feed, id, `.${version}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(stage, { recursive: true });
    await copyFile(packagePath, join(stage, `${id}.${version}.nupkg`));
    const hash = await sha512Base64(packagePath);
    await writeFile(join(stage, `${id}.${version}.nupkg.sha512`), hash);
    await writeFile(join(stage, '.nupkg.metadata'), `${JSON.stringify({ version: 2, contentHash: hash, source: null }, null, 2)}\n`);
    await writeFile(join(stage, `${id}.nuspec`), nuspecText);
    await rename(stage, folder);
  } catch (error) {
    await rm(stage, { recursive: true, force: true });
    if (error instanceof NuGetPublisherError) {
      throw error;
    }
    throw new NuGetPublisherError('NP2021', `Writing ${id} ${version} to the folder feed ${feed} failed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); nothing was published.`, 'Check that the folder exists and is writable.');
  }
  return { outcome: 'created', folder };
}
