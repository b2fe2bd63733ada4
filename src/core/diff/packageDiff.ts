/**
 * What changed between two versions of a package: metadata fields, dependencies per framework,
 * files (added, removed, size changed), target frameworks (a dropped one is breaking), license and
 * readme. Also a canonical text of each package, so VS Code's side-by-side diff editor can show
 * them next to each other.
 */
import { parseFramework } from '../frameworks';
import { createHash } from 'node:crypto';
import { openPackage } from '../nupkg/package';
import { describeRange, parseVersionRange } from '../version';
import { versionBumpProblem, type PackageApiDiff } from '../api/packageApi';

export interface PackageSnapshot {
  readonly id: string;
  readonly version: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** framework ("" for any) → dependency id → range. */
  readonly dependencies: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly frameworks: readonly string[];
  readonly files: ReadonlyMap<string, number>;
  readonly license: string;
  /** A hash of the readme's text, to tell whether it changed. */
  readonly readme?: { readonly path: string; readonly size: number; readonly hash: string };
}

export interface FieldChange {
  readonly field: string;
  readonly before?: string;
  readonly after?: string;
}

export interface DependencyChange {
  readonly framework: string;
  readonly id: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: string;
  readonly after?: string;
}

export interface FileChange {
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: number;
  readonly after?: number;
}

export interface PackageDiff {
  readonly before: { readonly id: string; readonly version: string };
  readonly after: { readonly id: string; readonly version: string };
  readonly metadata: readonly FieldChange[];
  readonly dependencies: readonly DependencyChange[];
  readonly files: readonly FileChange[];
  readonly droppedFrameworks: readonly string[];
  readonly addedFrameworks: readonly string[];
  readonly license?: FieldChange;
  readonly readme?: FieldChange;
  /** Plain sentences for changes that break consumers. */
  readonly breaking: readonly string[];
  /** The public API diff (ApiCompat's rules), when it was computed. */
  readonly api?: PackageApiDiff;
  /** When the new version number is smaller than the API change needs (SemVer). */
  readonly versionProblem?: string;
}

/** Adds the API diff, and what it says about the version number. */
export function withApi(diff: PackageDiff, api: PackageApiDiff): PackageDiff {
  const versionProblem = versionBumpProblem(diff.before.version, diff.after.version, api.verdict);
  return { ...diff, api, ...(versionProblem ? { versionProblem } : {}) };
}

/** The API verdict in words: "needs a major version: 3 breaking changes". */
export function describeApi(api: PackageApiDiff): string {
  const added = api.added.length > 0 ? `${api.added.length} API${api.added.length === 1 ? '' : 's'} added` : '';
  if (api.verdict === 'major') {
    return `API: needs a major version: ${api.breaking.length} breaking change${api.breaking.length === 1 ? '' : 's'}${added ? `, ${added}` : ''}.`;
  }
  return api.verdict === 'minor' ? `API: needs a minor version: ${added}, nothing removed or broken.` : 'API: a patch: no public API added or broken.';
}

const README_LIMIT = 1024 * 1024;

export async function snapshot(path: string): Promise<PackageSnapshot> {
  const pkg = await openPackage(path);
  try {
    const m = pkg.nuspec.nuspec.metadata;
    const metadata: Record<string, string> = {};
    const put = (field: string, value: string | undefined | boolean): void => {
      if (value !== undefined && value !== '' && value !== false) {
        metadata[field] = String(value);
      }
    };
    put('title', m.title);
    put('authors', m.authors.join(', '));
    put('owners', m.owners.join(', '));
    put('description', m.description);
    put('summary', m.summary);
    put('releaseNotes', m.releaseNotes);
    put('copyright', m.copyright);
    put('language', m.language);
    put('tags', m.tags.join(' '));
    put('projectUrl', m.projectUrl);
    put('icon', m.icon ?? m.iconUrl);
    put('repository', m.repository ? [m.repository.type, m.repository.url, m.repository.branch, m.repository.commit].filter(Boolean).join(' ') : undefined);
    put('requireLicenseAcceptance', m.requireLicenseAcceptance);
    put('developmentDependency', m.developmentDependency);
    put('minClientVersion', m.minClientVersion);
    put('packageTypes', m.packageTypes.map((type) => type.name).join(', '));
    const dependencies = new Map<string, Map<string, string>>();
    for (const group of m.dependencyGroups) {
      const ids = new Map<string, string>();
      for (const dependency of group.dependencies) {
        const range = parseVersionRange(dependency.range);
        ids.set(dependency.id, range ? describeRange(range) : dependency.range);
      }
      // One key per framework, however it is spelled (".NETStandard2.0" is netstandard2.0).
      dependencies.set(group.targetFramework ? parseFramework(group.targetFramework).shortName : '', ids);
    }
    const frameworks = new Set<string>();
    for (const file of pkg.files) {
      if ((file.role === 'lib' || file.role === 'ref') && file.framework) {
        frameworks.add(file.framework.shortName);
      }
    }
    for (const group of m.dependencyGroups) {
      if (group.targetFramework) {
        frameworks.add(parseFramework(group.targetFramework).shortName);
      }
    }
    const files = new Map<string, number>();
    for (const file of pkg.files) {
      if (file.role !== 'metadata') {
        files.set(file.path, file.size);
      }
    }
    const license = m.license ? `${m.license.type}: ${m.license.value}` : m.licenseUrl ? `url: ${m.licenseUrl}` : '(none)';
    let readme: PackageSnapshot['readme'];
    if (m.readme && pkg.hasFile(m.readme)) {
      const bytes = await pkg.readFile(m.readme, README_LIMIT).catch(() => undefined);
      if (bytes) {
        readme = { path: m.readme, size: bytes.length, hash: createHash('sha256').update(bytes).digest('hex') };
      }
    }
    return { id: m.id, version: m.version, metadata, dependencies, frameworks: [...frameworks].sort(), files, license, readme };
  } finally {
    await pkg.close();
  }
}

export function diffPackages(before: PackageSnapshot, after: PackageSnapshot): PackageDiff {
  const metadata: FieldChange[] = [];
  for (const field of [...new Set([...Object.keys(before.metadata), ...Object.keys(after.metadata)])].sort()) {
    if (before.metadata[field] !== after.metadata[field]) {
      metadata.push({ field, before: before.metadata[field], after: after.metadata[field] });
    }
  }
  const dependencies: DependencyChange[] = [];
  for (const framework of [...new Set([...before.dependencies.keys(), ...after.dependencies.keys()])].sort()) {
    const was = before.dependencies.get(framework) ?? new Map<string, string>();
    const now = after.dependencies.get(framework) ?? new Map<string, string>();
    for (const id of [...new Set([...was.keys(), ...now.keys()])].sort((a, b) => a.localeCompare(b))) {
      if (!now.has(id)) {
        dependencies.push({ framework, id, change: 'removed', before: was.get(id) });
      } else if (!was.has(id)) {
        dependencies.push({ framework, id, change: 'added', after: now.get(id) });
      } else if (was.get(id) !== now.get(id)) {
        dependencies.push({ framework, id, change: 'changed', before: was.get(id), after: now.get(id) });
      }
    }
  }
  const files: FileChange[] = [];
  for (const path of [...new Set([...before.files.keys(), ...after.files.keys()])].sort()) {
    const [was, now] = [before.files.get(path), after.files.get(path)];
    if (now === undefined) {
      files.push({ path, change: 'removed', before: was });
    } else if (was === undefined) {
      files.push({ path, change: 'added', after: now });
    } else if (was !== now) {
      files.push({ path, change: 'changed', before: was, after: now });
    }
  }
  const droppedFrameworks = before.frameworks.filter((framework) => !after.frameworks.includes(framework));
  const addedFrameworks = after.frameworks.filter((framework) => !before.frameworks.includes(framework));
  const license = before.license !== after.license ? { field: 'license', before: before.license, after: after.license } : undefined;
  const readme = before.readme?.hash !== after.readme?.hash
    ? { field: 'readme', before: before.readme ? `${before.readme.path} (${before.readme.size} bytes)` : '(none)', after: after.readme ? `${after.readme.path} (${after.readme.size} bytes)` : '(none)' }
    : undefined;
  const breaking = [
    ...droppedFrameworks.map((framework) => `Target framework ${framework} is dropped: projects on it can no longer use the new version.`),
    ...(before.id.toLowerCase() !== after.id.toLowerCase() ? [`The id changes from ${before.id} to ${after.id}.`] : []),
    // Assemblies removed from frameworks that remain (a dropped framework is already named above).
    ...files.filter((file) => file.change === 'removed' && /^(lib|ref)\//i.test(file.path) && /\.dll$/i.test(file.path) && !droppedFrameworks.includes(parseFramework(file.path.split('/')[1] ?? '').shortName))
      .map((file) => `Assembly ${file.path} is removed.`),
  ];
  return { before: { id: before.id, version: before.version }, after: { id: after.id, version: after.version }, metadata, dependencies, files, droppedFrameworks, addedFrameworks, license, readme, breaking };
}

function size(bytes: number | undefined): string {
  return bytes === undefined ? '' : bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** The summary lines of a diff (shown above the side-by-side view and in the CLI). */
export function describeDiff(diff: PackageDiff): string[] {
  const lines: string[] = [`${diff.before.id} ${diff.before.version} → ${diff.after.version}`];
  if (diff.breaking.length) {
    lines.push('BREAKING:', ...diff.breaking.map((line) => `  ! ${line}`));
  }
  if (diff.api) {
    lines.push(describeApi(diff.api));
    if (diff.versionProblem) {
      lines.push(`  ! ${diff.versionProblem}`);
    }
    const shown = diff.api.breaking.slice(0, 50);
    lines.push(...shown.map((change) => `  ${change.diagnosticId} ${change.target}${change.left ? ` (${change.left === change.right ? change.left : `${change.left} → ${change.right}`})` : ''}`));
    if (diff.api.breaking.length > shown.length) {
      lines.push(`  …and ${diff.api.breaking.length - shown.length} more (--json lists them all)`);
    }
    if (diff.api.unread.length > 0) {
      lines.push(`  (not read: ${diff.api.unread.slice(0, 3).join(', ')}${diff.api.unread.length > 3 ? ` and ${diff.api.unread.length - 3} more` : ''})`);
    }
  }
  if (diff.addedFrameworks.length) {
    lines.push(`Frameworks added: ${diff.addedFrameworks.join(', ')}`);
  }
  for (const change of diff.metadata) {
    lines.push(`${change.field}: ${change.before ?? '(none)'} → ${change.after ?? '(none)'}`.slice(0, 300));
  }
  if (diff.license) {
    lines.push(`License: ${diff.license.before} → ${diff.license.after}`);
  }
  if (diff.readme) {
    lines.push(`Readme changed: ${diff.readme.before} → ${diff.readme.after}`);
  }
  for (const change of diff.dependencies) {
    const where = change.framework || 'any framework';
    lines.push(change.change === 'added' ? `+ dependency ${change.id} ${change.after} (${where})` : change.change === 'removed' ? `- dependency ${change.id} ${change.before} (${where})` : `~ dependency ${change.id} ${change.before} → ${change.after} (${where})`);
  }
  for (const change of diff.files) {
    lines.push(change.change === 'added' ? `+ ${change.path} (${size(change.after)})` : change.change === 'removed' ? `- ${change.path} (${size(change.before)})` : `~ ${change.path} ${size(change.before)} → ${size(change.after)}`);
  }
  if (lines.length === 1) {
    lines.push('No differences besides the version.');
  }
  return lines;
}

/** A canonical text of a package for the side-by-side diff editor (same layout for both sides). */
export function snapshotText(pkg: PackageSnapshot): string {
  const lines = [`${pkg.id} ${pkg.version}`, '', '[metadata]'];
  for (const [field, value] of Object.entries(pkg.metadata).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${field}: ${value.replace(/\r?\n/g, ' ')}`);
  }
  lines.push(`license: ${pkg.license}`, `readme: ${pkg.readme ? `${pkg.readme.path} (${pkg.readme.size} bytes, sha256 ${pkg.readme.hash.slice(0, 12)})` : '(none)'}`, '', '[frameworks]', ...pkg.frameworks, '', '[dependencies]');
  for (const [framework, ids] of [...pkg.dependencies.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${framework || '(any framework)'}:`);
    for (const [id, range] of [...ids.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${id} ${range}`);
    }
  }
  lines.push('', '[files]');
  for (const [path, bytes] of [...pkg.files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${path}  ${size(bytes)}`);
  }
  return `${lines.join('\n')}\n`;
}
