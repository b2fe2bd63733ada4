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

/** OPC packaging parts every .nupkg carries besides the nuspec. */
export function isPackagingPart(path: string): boolean {
  const lower = path.toLowerCase();
  return lower.startsWith('_rels/') || lower.startsWith('package/services/metadata/') || lower === '[content_types].xml' || lower === '.signature.p7s';
}

export function classifyFile(path: string, size: number, compressedSize: number): PackageFile {
  const segments = path.split('/');
  if (segments.length === 1 && (path.toLowerCase().endsWith('.nuspec') || isPackagingPart(path))) {
    return { path, size, compressedSize, role: 'metadata' };
  }
  if (isPackagingPart(path)) {
    return { path, size, compressedSize, role: 'metadata' };
  }
  const role = segments.length > 1 ? ROLE_BY_FOLDER[segments[0].toLowerCase()] : undefined;
  if (!role) {
    return { path, size, compressedSize, role: 'other' };
  }
  const framework = frameworkFolder(role, segments);
  const runtimeIdentifier = role === 'runtimes' && segments.length > 2 ? segments[1] : undefined;
  return { path, size, compressedSize, role, framework, runtimeIdentifier };
}

/** Which path segment names the framework, per role; undefined when the file sits at the role root. */
function frameworkFolder(role: FileRole, segments: string[]): TargetFramework | undefined {
  // The framework folder must have something below it (lib/net8.0/a.dll, not lib/a.dll).
  const at = (index: number): TargetFramework | undefined => (segments.length > index + 1 ? parseFramework(segments[index]) : undefined);
  switch (role) {
    case 'lib':
    case 'ref':
    case 'build':
    case 'buildTransitive':
    case 'buildMultiTargeting':
    case 'tools':
      return at(1);
    case 'runtimes':
      return segments[2]?.toLowerCase() === 'lib' ? at(3) : undefined;
    case 'contentFiles':
      return at(2);
    case 'content':
      return undefined;
    default:
      return undefined;
  }
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
