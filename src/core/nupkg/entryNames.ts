/**
 * When two entry names are one file where packages are extracted. NuGet extracts on Windows too,
 * and there these are the same file:
 * - `a\b` and `a/b` (nuget.org's duplicate check turns `\` into `/` first);
 * - names equal under .NET's StringComparer.OrdinalIgnoreCase (nuget.org's duplicate check, and
 *   the Windows file system): each code point upper-cased by its simple (one-to-one) mapping, so
 *   Greek σ, ς and Σ are one letter while ß and SS, ı and I, ſ and S stay apart;
 * - a path segment with trailing dots or spaces (`x.dll.` and `x.dll`): Win32 path normalization
 *   drops them ("Do not end a file or directory name with a space or a period").
 * The case rule is checked against .NET's own OrdinalIgnoreCase through NuGet.Packaging in
 * test/integration/entryNames.test.ts.
 */

/**
 * One code point's simple upper-case mapping, as .NET's OrdinalIgnoreCase applies it: full
 * mappings (ß → SS) are not simple, and no non-ASCII letter folds into ASCII (.NET keeps dotless
 * ı apart from I and long ſ apart from S).
 */
function simpleUpper(codePoint: string): string {
  const upper = codePoint.toUpperCase();
  if ([...upper].length !== 1 || upper < '\u0080') {
    return codePoint;
  }
  return upper;
}

/** The key under which two entry names collide on Windows and at nuget.org. */
export function collisionKey(name: string): string {
  const segments = name.replace(/\\/g, '/').split('/').map((segment) => segment.replace(/[. ]+$/, ''));
  let key = '';
  for (const codePoint of segments.join('/')) {
    key += /[a-z]/.test(codePoint) ? codePoint.toUpperCase() : codePoint < '\u0080' ? codePoint : simpleUpper(codePoint);
  }
  return key;
}

/** Why two names collide, in words (for NP0907 and NP1012). */
export function collisionReason(first: string, second: string): string {
  if (first === second) {
    return 'the same name';
  }
  const slashes = (name: string): string => name.replace(/\\/g, '/');
  if (slashes(first) === slashes(second)) {
    return '"\\" and "/" are the same separator on Windows';
  }
  const trimmed = (name: string): string => slashes(name).split('/').map((segment) => segment.replace(/[. ]+$/, '')).join('/');
  if (trimmed(first) === trimmed(second)) {
    return 'Windows drops trailing dots and spaces from file names';
  }
  return 'they differ only in letter case (the same name on Windows and to nuget.org)';
}
