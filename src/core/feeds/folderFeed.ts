/**
 * Local folder feeds in NuGet's hierarchical layout (as `nuget add` and `dotnet nuget push` to a
 * hierarchical folder write it): {lowerid}/{lowerversion}/{lowerid}.{lowerversion}.nupkg,
 * .nupkg.sha512 (base64 SHA-512), {lowerid}.nuspec and .nupkg.metadata.
 *
 * Safety: the id and version are checked and the destination is contained in the feed before any
 * file-system call (packagePaths.ts). Files are staged in a hidden folder and renamed in one step,
 * so a failure leaves no half-published version; stages left by a killed process are swept after
 * an hour; when several pushes of one version race, one rename wins and the others report the
 * duplicate (or skip it with skip-duplicate).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NuGetPublisherError } from '../errors';
import { fsFailure, makeFolder } from '../fsSafe';
import { openPackage } from '../nupkg/package';
import { forgetTemp, trackTemp } from '../tempFiles';
import { checkPackageId, checkPackageVersion, folderFeedLocation } from './packagePaths';

export interface FolderPushResult {
  readonly outcome: 'created' | 'skipped-duplicate';
  readonly folder: string;
}

/** Stages older than this belong to a process that died: they are removed by the next push. */
export const STALE_STAGE_MS = 60 * 60_000;
const STAGE_NAME = /^\..+\.[0-9a-f]{8}\.tmp$/;

async function sha512Base64(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('base64');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Removes `.{version}.{hex}.tmp` stages older than an hour in a package's folder. */
export async function sweepStaleStages(idFolder: string, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const entry of await readdir(idFolder, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory() && STAGE_NAME.test(entry.name)) {
      const path = join(idFolder, entry.name);
      const modified = (await stat(path).catch(() => undefined))?.mtimeMs ?? now;
      if (now - modified > STALE_STAGE_MS) {
        await rm(path, { recursive: true, force: true });
        removed++;
      }
    }
  }
  return removed;
}

export async function pushToFolder(packagePath: string, feed: string, options: { skipDuplicate?: boolean } = {}): Promise<FolderPushResult> {
  const pkg = await openPackage(packagePath);
  let nuspecText: string;
  let id: string;
  let version: string;
  try {
    const metadata = pkg.nuspec.nuspec.metadata;
    // Checked before anything touches the feed: the id becomes a folder name.
    id = checkPackageId(metadata.id);
    version = metadata.version;
    checkPackageVersion(version);
    nuspecText = pkg.nuspec.text;
  } finally {
    await pkg.close();
  }
  await makeFolder(feed, 'NP2021', 'the folder feed');
  const location = await folderFeedLocation(feed, id, version);
  const { lowerId, lowerVersion, idFolder, versionFolder, nupkg } = location;
  const duplicate = (): FolderPushResult => {
    if (options.skipDuplicate) {
      return { outcome: 'skipped-duplicate', folder: versionFolder };
    }
    throw new NuGetPublisherError('NP2409', `The folder feed ${feed} already has ${lowerId} ${lowerVersion}.`, 'Bump the version, or turn on skip-duplicate.');
  };
  if (await exists(nupkg)) {
    return duplicate();
  }
  await sweepStaleStages(idFolder);
  const stage = join(idFolder, `.${lowerVersion}.${randomBytes(4).toString('hex')}.tmp`);
  trackTemp(stage);
  try {
    await makeFolder(stage, 'NP2021', `a staging folder in ${feed}`);
    await copyFile(packagePath, join(stage, `${lowerId}.${lowerVersion}.nupkg`));
    const hash = await sha512Base64(packagePath);
    await writeFile(join(stage, `${lowerId}.${lowerVersion}.nupkg.sha512`), hash);
    await writeFile(join(stage, '.nupkg.metadata'), `${JSON.stringify({ version: 2, contentHash: hash, source: null }, null, 2)}\n`);
    await writeFile(join(stage, `${lowerId}.nuspec`), nuspecText);
    try {
      await rename(stage, versionFolder);
    } catch (error) {
      // Another push of the same version renamed first: that is a duplicate, not a failure.
      if (await exists(nupkg)) {
        await rm(stage, { recursive: true, force: true });
        return duplicate();
      }
      throw error;
    }
  } catch (error) {
    await rm(stage, { recursive: true, force: true });
    throw fsFailure(error, 'NP2021', `Writing ${id} ${lowerVersion} to the folder feed ${feed}`, feed, 'Nothing was published.');
  } finally {
    forgetTemp(stage);
  }
  return { outcome: 'created', folder: versionFolder };
}
