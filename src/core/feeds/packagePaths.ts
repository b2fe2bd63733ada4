/**
 * The one place that turns a package id and version (from a nuspec, a feed, a setting or a tree
 * node: all untrusted) into file-system paths. The id and version are checked before any
 * file-system call, and the result is checked to lie inside the folder it belongs to (after
 * resolving symbolic links), so an id such as "../outside" or ".." can never write or read
 * outside a folder feed or a download folder.
 */
import { mkdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { NuGetPublisherError } from '../errors';
import { MAX_VERSION_LENGTH, normalizeVersion, parseVersion } from '../version';
import { isLoopback } from '../http/keySafety';

/**
 * NuGet's own id rule (NuGet.Packaging PackageIdValidator: `^\w+([.-]\w+)*$`, at most 100
 * characters, .NET's \w being letters, marks, digits and connectors). nuget.org narrows it to
 * ASCII (rule NP0001); either way no id can hold a path separator or be "." or "..".
 */
const NUGET_ID = /^[\p{L}\p{Mn}\p{Nd}\p{Pc}]+([.-][\p{L}\p{Mn}\p{Nd}\p{Pc}]+)*$/u;
export const MAX_ID_LENGTH = 100;

export function isValidPackageId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_ID_LENGTH && NUGET_ID.test(id);
}

/** Shows an untrusted string in a message: quoted, control characters escaped, at most 120 characters. */
export function quoteUntrusted(text: string): string {
  const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return JSON.stringify(shown);
}

export function checkPackageId(id: string): string {
  if (!isValidPackageId(id)) {
    throw new NuGetPublisherError('NP2022', `${quoteUntrusted(id)} is not a valid package id: NuGet ids are letters, digits and "_", joined by "." or "-", at most ${MAX_ID_LENGTH} characters (so never a path).`, 'Fix the <id> in the nuspec and pack again; a package with this id is never written to a feed or a folder.');
  }
  return id;
}

/** The lower-case normalized version ("1.0.0-rc.1"), after checking that it is a NuGet version. */
export function checkPackageVersion(version: string): string {
  const parsed = version.length <= MAX_VERSION_LENGTH ? parseVersion(version) : undefined;
  if (!parsed) {
    throw new NuGetPublisherError('NP2023', `${quoteUntrusted(version)} is not a valid NuGet version (such as 1.2.3 or 1.2.3-beta.1, at most ${MAX_VERSION_LENGTH} characters).`, 'Fix the <version> in the nuspec and pack again.');
  }
  return normalizeVersion(parsed).toLowerCase();
}

export interface FolderFeedLocation {
  /** The feed root, symbolic links resolved. */
  readonly root: string;
  readonly lowerId: string;
  readonly lowerVersion: string;
  /** {root}/{lowerid} */
  readonly idFolder: string;
  /** {root}/{lowerid}/{lowerversion} */
  readonly versionFolder: string;
  /** {root}/{lowerid}/{lowerversion}/{lowerid}.{lowerversion}.nupkg */
  readonly nupkg: string;
}

/** Throws unless `path` is `root` itself or lies below it. */
export function assertInside(root: string, path: string, what: string): void {
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new NuGetPublisherError('NP2024', `${what} would be written at ${path}, outside ${root}; nothing was written.`, 'This is refused to keep a feed from writing elsewhere; check the package id and any links inside the folder.');
  }
}

/** Resolves symbolic links of the longest existing prefix of `path`. */
async function realpathOfExisting(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = resolve(path, '..');
    return parent === path ? path : join(await realpathOfExisting(parent), relative(parent, path));
  }
}

/**
 * Where a version lives in a hierarchical folder feed. The root is created when missing (as
 * `dotnet nuget push` does); the id and version are checked first, and the id folder is checked
 * to resolve inside the root (a symbolic link out of the feed is refused).
 */
export async function folderFeedLocation(feedRoot: string, id: string, version: string, options: { create?: boolean } = {}): Promise<FolderFeedLocation> {
  const lowerId = checkPackageId(id).toLowerCase();
  const lowerVersion = checkPackageVersion(version);
  if (options.create) {
    await mkdir(feedRoot, { recursive: true });
  }
  const root = await realpathOfExisting(resolve(feedRoot));
  const idFolder = join(root, lowerId);
  assertInside(root, await realpathOfExisting(idFolder), `${id} ${version}`);
  const versionFolder = join(idFolder, lowerVersion);
  assertInside(root, await realpathOfExisting(versionFolder), `${id} ${version}`);
  return { root, lowerId, lowerVersion, idFolder, versionFolder, nupkg: join(versionFolder, `${lowerId}.${lowerVersion}.nupkg`) };
}

/** The file a downloaded version is kept in, inside `folder`: `{lowerid}.{lowerversion}.nupkg`. */
export function downloadPath(folder: string, id: string, version: string): string {
  const name = `${checkPackageId(id).toLowerCase()}.${checkPackageVersion(version)}.nupkg`;
  const path = join(folder, name);
  assertInside(resolve(folder), resolve(path), `The download of ${id} ${version}`);
  return path;
}

/**
 * A URL a feed supplied (package page, owner page, license link) that may be opened in the
 * browser: https, or http to this machine only. Anything else (javascript:, file:, command:,
 * vscode:, data:) is refused.
 */
export function safeExternalUrl(url: string | undefined): string | undefined {
  if (!url) {
    return undefined;
  }
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopback(parsed.hostname))) {
      return parsed.toString();
    }
  } catch {
    // not a URL
  }
  return undefined;
}
