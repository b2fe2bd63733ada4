/**
 * NuGet versions: SemVer 2.0.0 plus NuGet's legacy 4th part, with NuGet's normalization
 * (leading zeros stripped, a zero 4th part dropped, metadata ignored for identity,
 * prerelease compared case-insensitively). The `semver` package orders prerelease labels.
 */
import * as semver from 'semver';

export interface NuGetVersion {
  readonly original: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly revision: number;
  /** Dot-separated prerelease labels, as written (may be empty). */
  readonly release: readonly string[];
  readonly metadata: string;
}

export const MAX_VERSION_LENGTH = 64;

const VERSION_PATTERN =
  /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Parses a NuGet version string; returns undefined when it is not one. */
export function parseVersion(text: string): NuGetVersion | undefined {
  const trimmed = text.trim();
  const match = VERSION_PATTERN.exec(trimmed);
  if (!match) {
    return undefined;
  }
  const numbers = [match[1], match[2], match[3], match[4]].map((part) => (part === undefined ? 0 : Number(part)));
  if (numbers.some((value) => !Number.isSafeInteger(value) || value > 2147483647)) {
    return undefined;
  }
  return {
    original: trimmed,
    major: numbers[0],
    minor: numbers[1],
    patch: numbers[2],
    revision: numbers[3],
    release: match[5] ? match[5].split('.') : [],
    metadata: match[6] ?? '',
  };
}

/** NuGet's normalized form (no metadata): "01.2.0.0-Beta" -> "1.2.0-Beta". */
export function normalizeVersion(version: NuGetVersion): string {
  let core = `${version.major}.${version.minor}.${version.patch}`;
  if (version.revision !== 0) {
    core += `.${version.revision}`;
  }
  return version.release.length > 0 ? `${core}-${version.release.join('.')}` : core;
}

/** Normalized form including "+metadata" (what nuget.org shows as the full version). */
export function fullVersion(version: NuGetVersion): string {
  const normalized = normalizeVersion(version);
  return version.metadata ? `${normalized}+${version.metadata}` : normalized;
}

/** A version is SemVer 2.0.0 when its prerelease has several labels or it has metadata. */
export function isSemVer2(version: NuGetVersion): boolean {
  return version.release.length > 1 || version.metadata.length > 0;
}

/** Orders versions the way NuGet does; metadata is ignored. */
export function compareVersions(a: NuGetVersion, b: NuGetVersion): number {
  const parts: (keyof NuGetVersion)[] = ['major', 'minor', 'patch', 'revision'];
  for (const part of parts) {
    const difference = (a[part] as number) - (b[part] as number);
    if (difference !== 0) {
      return Math.sign(difference);
    }
  }
  if (a.release.length === 0 || b.release.length === 0) {
    return Math.sign(b.release.length - a.release.length);
  }
  const left = `0.0.0-${a.release.join('.').toLowerCase()}`;
  const right = `0.0.0-${b.release.join('.').toLowerCase()}`;
  return semver.compare(left, right, { loose: true });
}

/** The NuGet versions among `texts`, newest first (anything that is not a version is left out). */
export function newestFirst(texts: readonly string[]): string[] {
  return texts.filter((text) => parseVersion(text)).sort((a, b) => compareVersions(parseVersion(b)!, parseVersion(a)!));
}

export function versionsEqual(a: NuGetVersion, b: NuGetVersion): boolean {
  return compareVersions(a, b) === 0;
}

/** A version range as NuGet writes it in dependencies: "1.0", "[1.0,2.0)", "(,3]", "[1.2.3]". */
export interface VersionRange {
  readonly original: string;
  readonly min?: NuGetVersion;
  readonly minInclusive: boolean;
  readonly max?: NuGetVersion;
  readonly maxInclusive: boolean;
}

/** Parses a NuGet version range; returns undefined when malformed. An empty string means "any". */
export function parseVersionRange(text: string): VersionRange | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { original: trimmed, minInclusive: true, maxInclusive: false };
  }
  const first = trimmed[0];
  if (first !== '[' && first !== '(') {
    const min = parseVersion(trimmed);
    return min ? { original: trimmed, min, minInclusive: true, maxInclusive: false } : undefined;
  }
  const last = trimmed[trimmed.length - 1];
  if (last !== ']' && last !== ')') {
    return undefined;
  }
  const inner = trimmed.slice(1, -1);
  const bounds = inner.split(',');
  if (bounds.length > 2) {
    return undefined;
  }
  const minInclusive = first === '[';
  const maxInclusive = last === ']';
  if (bounds.length === 1) {
    // "[1.0]" is an exact version; "(1.0)" is meaningless.
    const exact = parseVersion(bounds[0]);
    if (!exact || !minInclusive || !maxInclusive) {
      return undefined;
    }
    return { original: trimmed, min: exact, minInclusive: true, max: exact, maxInclusive: true };
  }
  const minText = bounds[0].trim();
  const maxText = bounds[1].trim();
  const min = minText ? parseVersion(minText) : undefined;
  const max = maxText ? parseVersion(maxText) : undefined;
  if ((minText && !min) || (maxText && !max) || (!min && !max)) {
    return undefined;
  }
  if (min && max) {
    const order = compareVersions(min, max);
    if (order > 0 || (order === 0 && !(minInclusive && maxInclusive))) {
      return undefined;
    }
  }
  return { original: trimmed, min, minInclusive, max, maxInclusive };
}

/** Human-readable range: "≥ 1.0.0", "≥ 1.0.0 and < 2.0.0", "= 1.2.3", "any version". */
export function describeRange(range: VersionRange): string {
  const { min, max } = range;
  if (min && max && versionsEqual(min, max)) {
    return `= ${normalizeVersion(min)}`;
  }
  const parts: string[] = [];
  if (min) {
    parts.push(`${range.minInclusive ? '≥' : '>'} ${normalizeVersion(min)}`);
  }
  if (max) {
    parts.push(`${range.maxInclusive ? '≤' : '<'} ${normalizeVersion(max)}`);
  }
  return parts.length > 0 ? parts.join(' and ') : 'any version';
}

export function rangeIsSemVer2(range: VersionRange): boolean {
  return (range.min !== undefined && isSemVer2(range.min)) || (range.max !== undefined && isSemVer2(range.max));
}

/** A range as NuGet's VersionRange.ToNormalizedString writes it: "[1.0.0, )", "[1.0.0, 2.0.0)", "[1.2.3, 1.2.3]", "(, 3.0.0]", "(, )". */
export function normalizeRange(range: VersionRange): string {
  const { min, max } = range;
  const open = min && range.minInclusive ? '[' : '(';
  const close = max && range.maxInclusive ? ']' : ')';
  return `${open}${min ? normalizeVersion(min) : ''}, ${max ? normalizeVersion(max) : ''}${close}`;
}
