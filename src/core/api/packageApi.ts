/**
 * The API diff of two versions of a package, paired as ApiCompat's package baseline validation
 * pairs them: for every compile-time asset group (ref/<tfm>, else lib/<tfm>), runtime group
 * (lib/<tfm>) and runtime-specific group (runtimes/<rid>/lib/<tfm>) of the older package, the group
 * of the newer package that a project on that framework would use, assembly by file name. Each
 * difference names both package paths, as ApiCompat's suppression file does; the verdict says
 * which version number the release needs (SemVer), and whether the new number gives it.
 */
import { frameworkString, parseFramework } from '../frameworks';
import type { OpenedPackage } from '../nupkg/package';
import { parseVersion } from '../version';
import { compareApi } from './apiCompare';
import { readApiSurface, type ApiSurface } from './apiSurface';

export interface ApiBreak {
  readonly diagnosticId: string;
  readonly target: string;
  /** Package-relative paths of the older and the newer assembly. */
  readonly left: string;
  readonly right: string;
}

export type ApiVerdict = 'major' | 'minor' | 'patch';

export interface PackageApiDiff {
  readonly verdict: ApiVerdict;
  readonly breaking: ApiBreak[];
  /** DocIds added to the public API (in any paired assembly). */
  readonly added: string[];
  /** Assemblies whose API could not be read (not .NET, too large, damaged). */
  readonly unread: string[];
}

const MAX_ASSEMBLY_BYTES = 64 * 1024 * 1024;
const MAX_ASSEMBLIES = 400;

interface AssetGroup {
  readonly kind: 'compile' | 'runtime' | 'runtime-specific';
  readonly rid: string;
  readonly framework: string;
  /** file name (lower case) -> package path */
  readonly files: Map<string, string>;
}

function assetGroups(pkg: Pick<OpenedPackage, 'files'>): AssetGroup[] {
  const groups = new Map<string, AssetGroup>();
  const add = (kind: AssetGroup['kind'], rid: string, framework: string, path: string): void => {
    const key = `${kind}|${rid}|${framework}`;
    let group = groups.get(key);
    if (!group) {
      group = { kind, rid, framework, files: new Map() };
      groups.set(key, group);
    }
    group.files.set(path.split('/').pop()!.toLowerCase(), path);
  };
  const dlls = pkg.files.filter((file) => /\.(dll|exe)$/i.test(file.path) && !/\.resources\.dll$/i.test(file.path));
  const refFrameworks = new Set(dlls.filter((file) => file.role === 'ref' && file.framework).map((file) => file.framework!.shortName));
  for (const file of dlls) {
    const parts = file.path.split('/');
    if (file.role === 'lib' && file.framework && parts.length === 3) {
      add('runtime', '', file.framework.shortName, file.path);
      if (!refFrameworks.has(file.framework.shortName)) {
        add('compile', '', file.framework.shortName, file.path);
      }
    } else if (file.role === 'ref' && file.framework && parts.length === 3) {
      add('compile', '', file.framework.shortName, file.path);
    } else if (file.role === 'runtimes' && parts[2]?.toLowerCase() === 'lib' && parts.length === 5) {
      add('runtime-specific', parts[1], parseFramework(parts[3]).shortName, file.path);
    }
  }
  return [...groups.values()];
}

/** The .NET Standard version each portable profile can use (NuGet's DefaultPortableFrameworkMappings). */
const PORTABLE_STANDARD: Readonly<Record<number, number>> = { 7: 1.1, 31: 1.0, 32: 1.2, 44: 1.2, 49: 1.0, 78: 1.0, 84: 1.0, 111: 1.1, 151: 1.2, 157: 1.0, 259: 1.0 };

/** A framework as (family, version), for the nearest-compatible choice below. */
function family(shortName: string): { family: string; version: number } | undefined {
  if (shortName.startsWith('portable-')) {
    const profile = /Profile(\d+)/.exec(frameworkString(shortName));
    return profile ? { family: 'portable', version: PORTABLE_STANDARD[Number(profile[1])] ?? 0 } : undefined;
  }
  const match = /^(net|netcoreapp|netstandard)(\d+(?:\.\d+)*)$/.exec(shortName.split('-')[0]);
  if (!match) {
    return undefined;
  }
  const [major, minor = '0'] = match[2].includes('.') ? match[2].split('.') : match[1] === 'net' ? [match[2][0], match[2].slice(1, 2) || '0'] : [match[2], '0'];
  const version = Number(major) + Number(minor) / 10;
  if (match[1] === 'net' && !match[2].includes('.')) {
    return { family: 'netfx', version: Number(match[2].padEnd(3, '0')) / 100 };
  }
  return { family: match[1] === 'netstandard' ? 'netstandard' : 'netcore', version };
}

/** The .NET Standard version a framework implements (NuGet's compatibility table, the common cases). */
function standardFor(target: { family: string; version: number }): number {
  if (target.family === 'netcore') {
    return target.version >= 3 ? 2.1 : target.version >= 2 ? 2.0 : 1.6;
  }
  if (target.family === 'portable') {
    return target.version;
  }
  if (target.family === 'netfx') {
    return target.version >= 4.61 ? 2.0 : target.version >= 4.6 ? 1.3 : target.version >= 4.51 ? 1.2 : target.version >= 4.5 ? 1.1 : 0;
  }
  return target.version;
}

/** The candidate framework a project targeting `target` would use: the same, else the nearest compatible one. */
export function nearestFramework(target: string, candidates: readonly string[]): string | undefined {
  if (candidates.includes(target)) {
    return target;
  }
  const wanted = family(target);
  if (!wanted) {
    return undefined;
  }
  let best: { name: string; score: number } | undefined;
  for (const name of candidates) {
    const candidate = family(name);
    if (!candidate) {
      continue;
    }
    let score: number | undefined;
    if (candidate.family === wanted.family && candidate.family !== 'portable' && candidate.version <= wanted.version) {
      score = 100 + candidate.version;
    } else if (candidate.family === 'netstandard' && candidate.version <= standardFor(wanted)) {
      score = candidate.version;
    }
    if (score !== undefined && (!best || score > best.score)) {
      best = { name, score };
    }
  }
  return best?.name;
}

/** The API diff of two packages (older first). Each assembly is read once. */
export async function comparePackageApis(older: OpenedPackage, newer: OpenedPackage): Promise<PackageApiDiff> {
  const surfaces = new Map<string, ApiSurface | undefined>();
  const unread: string[] = [];
  /** Assemblies being read and inflated (on the thread pool) ahead of their turn, by surface key. */
  const reading = new Map<string, Promise<Buffer | undefined>>();
  const readAhead = (pkg: OpenedPackage, path: string): void => {
    const key = `${pkg === older ? 'L' : 'R'}${path}`;
    if (!surfaces.has(key) && !reading.has(key) && surfaces.size + reading.size < MAX_ASSEMBLIES) {
      reading.set(key, pkg.readFile(path, MAX_ASSEMBLY_BYTES).catch(() => undefined));
    }
  };
  const surfaceOf = async (pkg: OpenedPackage, path: string): Promise<ApiSurface | undefined> => {
    const key = `${pkg === older ? 'L' : 'R'}${path}`;
    if (!surfaces.has(key)) {
      readAhead(pkg, path);
      const bytes = await reading.get(key);
      reading.delete(key);
      const surface = bytes ? readApiSurface(bytes) : undefined;
      if (!surface) {
        unread.push(path);
      }
      surfaces.set(key, surface);
      await new Promise<void>((resolve) => setImmediate(resolve)); // one assembly per turn of the event loop
    }
    return surfaces.get(key);
  };
  const breaking = new Map<string, ApiBreak>();
  const added = new Set<string>();
  // The assembly pairs first, so that each surface can be let go after its last comparison
  // (a large package's surfaces are tens of megabytes each while they are built).
  const pairs: { leftPath: string; rightPath: string }[] = [];
  const compared = new Set<string>();
  const newGroups = assetGroups(newer);
  for (const group of assetGroups(older)) {
    const candidates = newGroups.filter((other) => other.kind === group.kind && other.rid === group.rid);
    const framework = nearestFramework(group.framework, candidates.map((other) => other.framework));
    const match = candidates.find((other) => other.framework === framework);
    if (!match) {
      // PKV006: no asset in the new package for a framework the old one supported.
      const target = frameworkString(group.framework);
      breaking.set(`PKV006|${target}||`, { diagnosticId: 'PKV006', target, left: '', right: '' });
      continue;
    }
    for (const [name, leftPath] of group.files) {
      const rightPath = match.files.get(name);
      // A lib/-only package pairs the same two files as compile and as runtime assets: compared once.
      if (!rightPath || compared.has(`${leftPath}|${rightPath}`)) {
        continue;
      }
      compared.add(`${leftPath}|${rightPath}`);
      pairs.push({ leftPath, rightPath });
    }
  }
  const usesLeft = new Map<string, number>();
  const usesRight = new Map<string, number>();
  for (const { leftPath, rightPath } of pairs) {
    usesLeft.set(leftPath, (usesLeft.get(leftPath) ?? 0) + 1);
    usesRight.set(rightPath, (usesRight.get(rightPath) ?? 0) + 1);
  }
  /** Counts one use of a surface; the last use lets it go (a later ask would read it again, which none does). */
  const release = (uses: Map<string, number>, prefix: string, path: string): void => {
    const left = (uses.get(path) ?? 1) - 1;
    uses.set(path, left);
    if (left === 0) {
      surfaces.set(`${prefix}${path}`, undefined);
    }
  };
  for (const [index, { leftPath, rightPath }] of pairs.entries()) {
    // The next pair's assemblies inflate while this pair's surfaces are built and compared.
    readAhead(older, leftPath);
    readAhead(newer, rightPath);
    const next = pairs[index + 1];
    if (next) {
      readAhead(older, next.leftPath);
      readAhead(newer, next.rightPath);
    }
    const [left, right] = [await surfaceOf(older, leftPath), await surfaceOf(newer, rightPath)];
    release(usesLeft, 'L', leftPath);
    release(usesRight, 'R', rightPath);
    if (!left || !right) {
      continue;
    }
    const comparison = compareApi(left, right);
    for (const change of comparison.breaking) {
      breaking.set(`${change.diagnosticId}|${change.target}|${leftPath}|${rightPath}`, { ...change, left: leftPath, right: rightPath });
    }
    comparison.added.forEach((docId) => added.add(docId));
  }
  const list = [...breaking.values()].sort((a, b) => a.diagnosticId.localeCompare(b.diagnosticId) || a.target.localeCompare(b.target) || a.left.localeCompare(b.left) || a.right.localeCompare(b.right));
  return { verdict: list.length > 0 ? 'major' : added.size > 0 ? 'minor' : 'patch', breaking: list, added: [...added].sort(), unread: [...new Set(unread)] };
}

/**
 * Whether the version number gives the release what its API needs (SemVer 2.0.0):
 * - a break needs a new major version; while the major version is 0 a new minor version is
 *   enough (SemVer: "anything may change at any time" in 0.y.z, and the convention is the minor);
 * - added API needs at least a new minor version;
 * - a prerelease of the same major.minor.patch as the older version may change anything (it is
 *   not yet a release), and so may a release that follows its own prereleases.
 * Returns a sentence when the bump is smaller than needed, else undefined.
 */
export function versionBumpProblem(olderVersion: string, newerVersion: string, verdict: ApiVerdict): string | undefined {
  const older = parseVersion(olderVersion);
  const newer = parseVersion(newerVersion);
  if (!older || !newer || verdict === 'patch') {
    return undefined;
  }
  const sameCore = older.major === newer.major && older.minor === newer.minor && older.patch === newer.patch;
  if (sameCore && (older.release.length > 0 || newer.release.length > 0)) {
    return undefined;
  }
  const given = newer.major > older.major ? 'major' : newer.major === older.major && newer.minor > older.minor ? 'minor' : 'patch';
  const needed = verdict === 'major' && newer.major === 0 && older.major === 0 ? 'minor' : verdict;
  const order = { patch: 0, minor: 1, major: 2 };
  if (order[given] >= order[needed]) {
    return undefined;
  }
  const what = verdict === 'major' ? 'breaks the public API' : 'adds public API';
  return `${olderVersion} → ${newerVersion} is a ${given} version, but the release ${what}: it needs a new ${needed} version${needed === 'major' ? ` (${older.major + 1}.0.0)` : ` (${older.major}.${older.minor + 1}.0)`}.`;
}
