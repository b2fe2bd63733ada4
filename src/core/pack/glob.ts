/**
 * NuGet-style wildcards for <file src="..." exclude="..."/>: `*` (within one folder),
 * `**` (any depth, including none), `?` (one character). Paths use "/" after normalization;
 * "\" in nuspecs (the Windows habit) is accepted.
 */
export function normalizeSlashes(path: string): string {
  return path.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
}

export function hasWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a relative glob to an anchored RegExp over "/"-separated relative paths. */
export function globToRegExp(pattern: string): RegExp {
  const normalized = normalizeSlashes(pattern).replace(/^\.\//, '');
  let source = '';
  for (let i = 0; i < normalized.length; i++) {
    const ch = normalized[i];
    if (ch === '*') {
      if (normalized[i + 1] === '*') {
        // "**/" matches zero or more folders; a trailing "**" matches everything below.
        if (normalized[i + 2] === '/') {
          source += '(?:.*/)?';
          i += 2;
        } else {
          source += '.*';
          i += 1;
        }
      } else {
        source += '[^/]*';
      }
    } else if (ch === '?') {
      source += '[^/]';
    } else {
      source += escapeRegExp(ch);
    }
  }
  return new RegExp(`^${source}$`);
}

/** The folder part of a pattern before its first wildcard segment ("bin/Release/**\/*.dll" -> "bin/Release"). */
export function literalPrefix(pattern: string): string {
  const segments = normalizeSlashes(pattern).split('/').slice(0, -1);
  const firstWild = segments.findIndex(hasWildcard);
  return (firstWild < 0 ? segments : segments.slice(0, firstWild)).join('/');
}
