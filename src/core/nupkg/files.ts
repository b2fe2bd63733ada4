/**
 * Groups package files by their role (lib, ref, runtimes, build, ...) and target framework,
 * following NuGet's folder conventions.
 */
import { parseFramework, type TargetFramework } from '../frameworks';

export type FileRole =
  | 'lib' | 'ref' | 'runtimes' | 'build' | 'buildTransitive' | 'buildMultiTargeting' | 'analyzers'
  | 'contentFiles' | 'content' | 'tools' | 'metadata' | 'other';

export interface PackageFile {
  readonly path: string;
  readonly size: number;
  readonly compressedSize: number;
  readonly role: FileRole;
  /** The framework folder the file sits in, when its role has one. */
  readonly framework?: TargetFramework;
  /** For runtimes/{rid}/... files. */
  readonly runtimeIdentifier?: string;
}

const ROLE_BY_FOLDER: Readonly<Record<string, FileRole>> = {
  lib: 'lib', ref: 'ref', runtimes: 'runtimes', build: 'build', buildtransitive: 'buildTransitive',
  buildmultitargeting: 'buildMultiTargeting', analyzers: 'analyzers', contentfiles: 'contentFiles',
  content: 'content', tools: 'tools',
};

/** The entry a signed package carries its signature in (NuGet's "package signature file"). */
export const SIGNATURE_FILE = '.signature.p7s';

/** OPC packaging parts every .nupkg carries besides the nuspec. */
export function isPackagingPart(path: string): boolean {
  const lower = path.toLowerCase();
  return lower.startsWith('_rels/') || lower.startsWith('package/services/metadata/') || lower === '[content_types].xml' || lower === SIGNATURE_FILE;
}

/** Classifies one entry by its folder; written to avoid splitting every path (packages have many entries). */
export function classifyFile(path: string, size: number, compressedSize: number): PackageFile {
  const slash = path.indexOf('/');
  if (slash < 0) {
    return { path, size, compressedSize, role: path.toLowerCase().endsWith('.nuspec') || isPackagingPart(path) ? 'metadata' : 'other' };
  }
  const top = path.slice(0, slash).toLowerCase();
  if ((top === '_rels' || top === 'package') && isPackagingPart(path)) {
    return { path, size, compressedSize, role: 'metadata' };
  }
  const role = ROLE_BY_FOLDER[top];
  if (!role) {
    return { path, size, compressedSize, role: 'other' };
  }
  const framework = frameworkFolder(role, path);
  const runtimeIdentifier = role === 'runtimes' ? folderAt(path, 1) : undefined;
  return { path, size, compressedSize, role, framework, runtimeIdentifier };
}

/** Packages repeat the same few framework folders thousands of times: parse each name once. */
const frameworkCache = new Map<string, TargetFramework>();

function cachedFramework(name: string): TargetFramework {
  let framework = frameworkCache.get(name);
  if (!framework) {
    framework = parseFramework(name);
    if (frameworkCache.size < 10_000) {
      frameworkCache.set(name, framework);
    }
  }
  return framework;
}

/** The n-th "/"-separated segment of a path, if a further segment follows it (so it is a folder). */
function folderAt(path: string, index: number): string | undefined {
  let start = 0;
  for (let i = 0; i < index; i++) {
    start = path.indexOf('/', start) + 1;
    if (start === 0) {
      return undefined;
    }
  }
  const end = path.indexOf('/', start);
  return end < 0 ? undefined : path.slice(start, end);
}

/** The framework folder of a file, per role; undefined when the file sits at the role root. */
function frameworkFolder(role: FileRole, path: string): TargetFramework | undefined {
  let folder: string | undefined;
  switch (role) {
    case 'lib':
    case 'ref':
    case 'build':
    case 'buildTransitive':
    case 'buildMultiTargeting':
    case 'tools':
      folder = folderAt(path, 1);
      break;
    case 'runtimes':
      folder = folderAt(path, 2)?.toLowerCase() === 'lib' ? folderAt(path, 3) : undefined;
      break;
    case 'contentFiles':
      folder = folderAt(path, 2);
      break;
    default:
      folder = undefined;
  }
  return folder === undefined ? undefined : cachedFramework(folder);
}

export interface FileGroup {
  readonly role: FileRole;
  /** Canonical framework short name, or "" when the files sit outside framework folders. */
  readonly framework: string;
  readonly files: readonly PackageFile[];
}

const ROLE_ORDER: readonly FileRole[] = ['lib', 'ref', 'runtimes', 'build', 'buildTransitive', 'buildMultiTargeting', 'analyzers', 'contentFiles', 'content', 'tools', 'other', 'metadata'];

/** Groups files by role then framework, in a stable, readable order. */
export function groupFiles(files: readonly PackageFile[]): FileGroup[] {
  const groups = new Map<string, { role: FileRole; framework: string; files: PackageFile[] }>();
  for (const file of files) {
    const framework = file.framework?.shortName ?? '';
    const key = `${file.role}\u0000${framework}`;
    let group = groups.get(key);
    if (!group) {
      group = { role: file.role, framework, files: [] };
      groups.set(key, group);
    }
    group.files.push(file);
  }
  return [...groups.values()].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.framework.localeCompare(b.framework));
}

/** Roles whose sub-folders must be framework names (so an unknown name is a mistake). */
export const FRAMEWORK_ROLES: ReadonlySet<FileRole> = new Set<FileRole>(['lib', 'ref', 'contentFiles']);
