/**
 * Resolves a nuspec's <files> into (source file, package path) pairs the way nuget.exe does:
 * `src` globs relative to the base path, `exclude` globs, `target` folders (a target whose
 * extension differs from the source's is a folder), `**` keeping relative paths and plain `*`
 * flattening, and, without <files>, everything under the nuspec's folder except .nuspec and
 * package files and dot-files (nuget.exe's default excludes, also applied to wildcards).
 */
import { statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { NuGetPublisherError } from '../errors';
import type { NuspecFileSpec } from '../nuspec/types';
import { globToRegExp, hasWildcard, literalPrefix, normalizeSlashes } from './glob';

export interface PackFile {
  /** Absolute path on disk. */
  readonly source: string;
  /** Path inside the package, "/"-separated. */
  readonly target: string;
  readonly size: number;
}

export interface ResolvedFiles {
  readonly files: PackFile[];
  readonly warnings: string[];
}

const MAX_FILES = 100_000;

/** Every file below `folder`, as "/"-separated relative paths; dot-files and dot-folders skipped. */
async function walk(folder: string, recursive: boolean): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string, prefix: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return;
      }
      throw error;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) {
        continue;
      }
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (recursive) {
          await visit(join(dir, entry.name), path);
        }
      } else if (entry.isFile()) {
        found.push(path);
        if (found.length > MAX_FILES) {
          throw new NuGetPublisherError('NP1013', `More than ${MAX_FILES} files match under ${folder}.`, 'Narrow the <file src> patterns.');
        }
      }
    }
  };
  await visit(folder, '');
  return found;
}

/** nuget.exe's default excludes besides dot-files: packages and manifests are never payload. */
function isPackageFile(path: string): boolean {
  return /\.(s?nupkg|nuspec)$/i.test(path);
}

function joinTarget(folder: string, name: string): string {
  const cleanFolder = normalizeSlashes(folder).replace(/^\.?\/+/, '').replace(/\/+$/, '');
  return cleanFolder ? `${cleanFolder}/${name}` : name;
}

/** Target for a single (non-wildcard) source: a target with the source's extension is the file itself. */
function singleTarget(source: string, target: string | undefined): string {
  const name = basename(source);
  if (!target) {
    return name;
  }
  const normalized = normalizeSlashes(target);
  if (normalized.endsWith('/')) {
    return joinTarget(normalized, name);
  }
  const targetExtension = extname(normalized).toLowerCase();
  if (targetExtension !== '' && targetExtension === extname(source).toLowerCase()) {
    return normalized.replace(/^\.?\/+/, '');
  }
  return joinTarget(normalized, name);
}

/** Size of a regular file, or undefined. Synchronous: one cheap call per file beats a thread-pool hop. */
async function fileSize(path: string): Promise<number | undefined> {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats?.isFile() ? stats.size : undefined;
}

export async function resolveFiles(specs: readonly NuspecFileSpec[] | undefined, basePath: string): Promise<ResolvedFiles> {
  const warnings: string[] = [];
  const files: PackFile[] = [];
  const add = async (source: string, target: string): Promise<void> => {
    const size = await fileSize(source);
    if (size !== undefined) {
      files.push({ source, target: normalizeSlashes(target), size });
    }
  };
  if (specs === undefined) {
    for (const path of await walk(basePath, true)) {
      const source = join(basePath, path);
      if (!isPackageFile(path)) {
        await add(source, path);
      }
    }
    return { files, warnings };
  }
  for (const spec of specs) {
    if (!spec.src.trim()) {
      throw new NuGetPublisherError('NP1014', 'A <file> element has no src attribute.', 'Add src="path/or/glob" to every <file>.');
    }
    const src = normalizeSlashes(spec.src.trim());
    const excludes = (spec.exclude ?? '').split(';').map((item) => item.trim()).filter(Boolean).map(globToRegExp);
    const excluded = (source: string): boolean => {
      const rel = normalizeSlashes(relative(basePath, source));
      return excludes.some((pattern) => pattern.test(rel) || pattern.test(basename(source)));
    };
    if (!hasWildcard(src)) {
      const source = isAbsolute(spec.src) ? spec.src : resolve(basePath, src);
      const stats = await stat(source).catch(() => undefined);
      if (!stats) {
        throw new NuGetPublisherError('NP1010', `The file ${src} in <files> does not exist (looked for ${source}).`, 'Fix the src path, or build the project first so the file exists.');
      }
      if (stats.isDirectory()) {
        // src="content/" includes the folder's content recursively under target.
        for (const path of await walk(source, true)) {
          const file = join(source, path);
          if (!excluded(file)) {
            await add(file, joinTarget(spec.target ?? '', path));
          }
        }
        continue;
      }
      if (!excluded(source)) {
        await add(source, singleTarget(source, spec.target));
      }
      continue;
    }
    const prefix = literalPrefix(src);
    const root = isAbsolute(spec.src) ? prefix || '/' : resolve(basePath, prefix);
    const rest = normalizeSlashes(prefix ? src.slice(prefix.length).replace(/^\//, '') : src);
    const recursive = rest.includes('/') || rest.includes('**');
    const pattern = globToRegExp(rest);
    const keepPaths = rest.includes('**');
    let matched = 0;
    for (const path of await walk(root, recursive)) {
      if (!pattern.test(path)) {
        continue;
      }
      const source = join(root, path);
      if (excluded(source) || isPackageFile(path)) {
        continue;
      }
      matched++;
      // "**" keeps the path below the literal prefix; a plain "*" flattens into the target.
      const relativeTarget = keepPaths ? path : basename(path);
      await add(source, joinTarget(spec.target ?? '', relativeTarget));
    }
    if (matched === 0) {
      warnings.push(`The pattern "${spec.src}" in <files> matched no files (base path ${basePath}).`);
    }
  }
  return { files, warnings };
}
