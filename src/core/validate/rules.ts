/**
 * nuget.org pre-publish rule checks (../shared/docs/nuget-facts.md "Rules a pre-publish check
 * should apply") plus package-content checks. Each finding has a stable code, a severity
 * (error = nuget.org would refuse it) and a message naming cause and fix.
 *
 * Where each error-severity rule comes from (the README's rule table says the same):
 *   NP0001-NP0003 id             NuGet.Packaging PackageIdValidator; the gallery's id rule (ASCII, 100 chars)
 *   NP0004 $token$ left          nuget pack refuses unreplaced tokens
 *   NP0010-NP0012 version        NuGet.Versioning parse; the gallery's 64-character limit
 *   NP0020-NP0025 fields         nuspec schema (required id/version/authors/description); gallery metadata lengths
 *   NP0032-NP0038 license        NU5030 (file missing), NU5031 (extension: .txt, .md or none), NU5035 (licenseUrl with
 *                                <license>), gallery license validation (SPDX, deprecated ids, licenseUrl must be
 *                                NuGet's https://licenses.nuget.org/<expression, percent-encoded>)
 *   NP0041-NP0043 icon           NU5046 (missing), NU5045 (not PNG/JPEG), gallery 1 MB limit
 *   NP0050-NP0052 readme         NU5039 (missing), gallery Markdown and 1 MB limits
 *   NP0070 size                  gallery upload limit (250 MB)
 *   NP0073 empty                 NU5017 (no files and no dependencies)
 *   NP0074 symbol package        gallery symbol package validation (allowed file types)
 *   NP0077-NP0080 dependencies   NuGet.Packaging dependency id and VersionRange parsing
 * The fidelity test (test/integration/fidelity.test.ts) checks that no real package nuget.org
 * accepted gets any of these errors.
 */
import { parseFramework } from '../frameworks';
import { FRAMEWORK_ROLES, type PackageFile } from '../nupkg/files';
import { toEntryName, type PackageKind } from '../nupkg/package';
import { wholeElement } from '../nuspec/locate';
import { KNOWN_NUSPEC_NAMESPACES, type ParsedNuspec } from '../nuspec/parse';
import { isSemVer2, MAX_VERSION_LENGTH, normalizeVersion, parseVersion, parseVersionRange, rangeIsSemVer2, fullVersion } from '../version';
import type { Diagnostic, QuickFix, Severity } from './diagnostic';
import { checkLicenseExpression, expressionForLicenseUrl } from './spdx';

/** What is known about the package around the nuspec; absent when checking a .nuspec in the editor. */
export interface PackageContents {
  readonly kind: PackageKind;
  readonly fileSize: number;
  readonly files: readonly PackageFile[];
}

export const ID_PATTERN = /^[A-Za-z0-9_]+([.-][A-Za-z0-9_]+)*$/;
export const MAX_ID_LENGTH = 100;
export const MAX_DESCRIPTION = 4000;
export const MAX_RELEASE_NOTES = 35000;
export const MAX_URL_OR_TAGS = 4000;
export const MAX_ICON_BYTES = 1024 * 1024;
export const MAX_README_BYTES = 1024 * 1024;
export const MAX_PACKAGE_BYTES = 250 * 1024 * 1024;
const SYMBOL_EXTENSIONS = ['.pdb', '.nuspec', '.xml', '.psmdcp', '.rels', '.p7s'];
/** Prefixes reserved on nuget.org by well-known owners: a push by anyone else gets 409. */
const WELL_KNOWN_RESERVED_PREFIXES = ['Microsoft.', 'System.', 'NuGet.', 'Azure.', 'AWSSDK.', 'Google.', 'Newtonsoft.', 'xunit.', 'NUnit.', 'Serilog.', 'AutoMapper.', 'Amazon.', 'JetBrains.', 'Mono.', 'Xamarin.', 'Windows.', 'Aspire.', 'MSTest.'];

class Findings {
  public readonly list: Diagnostic[] = [];

  public constructor(private readonly parsed: ParsedNuspec) {}

  /**
   * Adds a finding located at the element: its text when it has only text, else its start tag (a
   * finding about <metadata> or another element with children underlines the tag, not the block).
   */
  public add(code: string, severity: Severity, message: string, element?: string, fix?: QuickFix, occurrence = 0): void {
    const path = element ? `package/${element}` : undefined;
    const content = path ? this.parsed.locator.findContent(path, occurrence) : undefined;
    const textOnly = content && !this.parsed.text.slice(content.start, content.end).includes('<') ? content : undefined;
    const range = path ? (textOnly ?? this.parsed.locator.find(path, occurrence)) : undefined;
    const fallback = range ?? (path ? this.parsed.locator.find('package/metadata') : undefined);
    this.list.push({
      code, severity, message, element,
      line: fallback?.line, column: fallback?.column, start: fallback?.start,
      end: fallback ? Math.max(fallback.end, fallback.start + 1) : undefined,
      fix,
    });
  }
}

export function validatePackage(parsed: ParsedNuspec, contents?: PackageContents): Diagnostic[] {
  const findings = new Findings(parsed);
  checkNamespace(parsed, findings);
  checkTokens(parsed, findings);
  checkId(parsed, findings);
  checkVersion(parsed, findings);
  const symbols = contents?.kind === 'snupkg';
  if (!symbols) {
    checkRequiredText(parsed, findings);
    checkLicense(parsed, findings, contents);
    checkIcon(parsed, findings, contents);
    checkReadme(parsed, findings, contents);
    checkUrls(parsed, findings);
    checkDependencies(parsed, findings);
  }
  if (contents) {
    checkContents(parsed, findings, contents);
  }
  return findings.list;
}

function checkNamespace({ nuspec }: ParsedNuspec, findings: Findings): void {
  if (!KNOWN_NUSPEC_NAMESPACES.includes(nuspec.namespace)) {
    findings.add('NP0081', 'info', `The nuspec namespace "${nuspec.namespace}" is not one NuGet defines. Use http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd.`);
  }
}

function checkTokens({ text, locator }: ParsedNuspec, findings: Findings): void {
  const metadataStart = locator.find('package/metadata');
  const metadataEnd = locator.findContent('package/metadata');
  const body = metadataStart && metadataEnd ? text.slice(metadataStart.start, metadataEnd.end) : text;
  const offset = metadataStart?.start ?? 0;
  const stripped = body.replace(/<!--[\s\S]*?-->/g, (m) => ' '.repeat(m.length));
  for (const match of stripped.matchAll(/\$([A-Za-z_][\w.-]*)\$/g)) {
    const position = locator.position(offset + (match.index ?? 0));
    findings.list.push({
      code: 'NP0004', severity: 'error',
      message: `The token ${match[0]} was never replaced. Pack with a value for it (e.g. -p ${match[1]}=…) or write the value in the nuspec.`,
      line: position.line, column: position.column, start: offset + (match.index ?? 0), end: offset + (match.index ?? 0) + match[0].length,
    });
  }
}

function checkId({ nuspec }: ParsedNuspec, findings: Findings): void {
  const id = nuspec.metadata.id;
  if (id === '') {
    findings.add('NP0001', 'error', 'The package has no id. Add <id>Your.Package</id> to <metadata>.', 'metadata/id');
    return;
  }
  if (/^\$\w+\$$/.test(id)) {
    return; // reported as an unreplaced token
  }
  if (!ID_PATTERN.test(id)) {
    findings.add('NP0002', 'error', `The id "${id}" is not valid: use letters, digits and underscores, separated by single dots or hyphens (e.g. Contoso.Utils).`, 'metadata/id');
  }
  if (id.length > MAX_ID_LENGTH) {
    findings.add('NP0003', 'error', `The id is ${id.length} characters long; nuget.org allows at most ${MAX_ID_LENGTH}. Shorten it.`, 'metadata/id');
  }
  const reserved = WELL_KNOWN_RESERVED_PREFIXES.find((prefix) => id.toLowerCase().startsWith(prefix.toLowerCase()));
  if (reserved) {
    findings.add('NP0005', 'warning', `The id starts with "${reserved}", a prefix reserved on nuget.org by its owner: unless your account owns it, the push fails with 409. Choose an id under your own prefix.`, 'metadata/id');
  }
}

function checkVersion({ nuspec }: ParsedNuspec, findings: Findings): void {
  const text = nuspec.metadata.version;
  if (text === '') {
    findings.add('NP0010', 'error', 'The package has no version. Add <version>1.0.0</version> to <metadata>.', 'metadata/version');
    return;
  }
  if (/^\$\w+\$$/.test(text)) {
    return;
  }
  if (text.length > MAX_VERSION_LENGTH) {
    findings.add('NP0012', 'error', `The version is ${text.length} characters long; nuget.org allows at most ${MAX_VERSION_LENGTH}. Shorten the prerelease label or metadata.`, 'metadata/version');
  }
  const version = parseVersion(text);
  if (!version) {
    findings.add('NP0011', 'error', `"${text}" is not a valid NuGet version. Use MAJOR.MINOR.PATCH[-prerelease][+metadata], e.g. 1.2.3 or 1.2.3-beta.1.`, 'metadata/version');
    return;
  }
  const normalized = fullVersion(version);
  if (normalized !== text) {
    findings.add('NP0013', 'warning', `The version "${text}" is not normalized: NuGet will publish and show it as ${normalizeVersion(version)}. Write <version>${normalized}</version>.`, 'metadata/version');
  }
  if (isSemVer2(version)) {
    findings.add('NP0014', 'info', `Version ${text} is SemVer 2.0.0 (${version.metadata ? 'build metadata' : 'dotted prerelease label'}): only NuGet 4.3+ / Visual Studio 2017 15.3+ clients see it.`, 'metadata/version');
  }
}

function checkRequiredText({ nuspec }: ParsedNuspec, findings: Findings): void {
  const m = nuspec.metadata;
  if (m.description.trim() === '') {
    findings.add('NP0020', 'error', 'The package has no description. Add <description> saying what the package does.', 'metadata/description');
  } else if (m.description.length > MAX_DESCRIPTION) {
    findings.add('NP0021', 'error', `The description is ${m.description.length} characters; nuget.org allows ${MAX_DESCRIPTION}. Shorten it and move details to the readme.`, 'metadata/description');
  }
  if (m.authors.length === 0) {
    findings.add('NP0022', 'error', 'The package has no authors. Add <authors>Your Name</authors>.', 'metadata/authors');
  }
  if ((m.releaseNotes?.length ?? 0) > MAX_RELEASE_NOTES) {
    findings.add('NP0023', 'error', `The release notes are ${m.releaseNotes?.length} characters; nuget.org allows ${MAX_RELEASE_NOTES}. Link to a changelog instead.`, 'metadata/releaseNotes');
  }
  if ((m.projectUrl?.length ?? 0) > MAX_URL_OR_TAGS) {
    findings.add('NP0024', 'error', `The projectUrl is longer than ${MAX_URL_OR_TAGS} characters. Use a shorter URL.`, 'metadata/projectUrl');
  }
  if ((m.tagsText?.length ?? 0) > MAX_URL_OR_TAGS) {
    findings.add('NP0025', 'error', `The tags are ${m.tagsText?.length} characters; nuget.org allows ${MAX_URL_OR_TAGS}. Keep the few that people search for.`, 'metadata/tags');
  }
}

function licenseUrlFix(parsed: ParsedNuspec, url: string): QuickFix | undefined {
  const expression = expressionForLicenseUrl(url);
  const range = wholeElement(parsed.locator, parsed.text, 'package/metadata/licenseUrl');
  if (!expression || !range || parsed.nuspec.metadata.license) {
    return undefined;
  }
  return { title: `Replace licenseUrl with <license type="expression">${expression}</license>`, edit: { ...range, newText: `<license type="expression">${expression}</license>` } };
}

function checkLicense(parsed: ParsedNuspec, findings: Findings, contents?: PackageContents): void {
  const { license, licenseUrl, requireLicenseAcceptance } = parsed.nuspec.metadata;
  if (licenseUrl !== undefined && !license) {
    const fix = licenseUrlFix(parsed, licenseUrl);
    findings.add('NP0030', 'warning', `<licenseUrl> is deprecated. Use <license type="expression">${fix ? expressionForLicenseUrl(licenseUrl) : 'MIT'}</license> for an SPDX license, or <license type="file">LICENSE.txt</license> with the file in the package.`, 'metadata/licenseUrl', fix);
  }
  if (!license && licenseUrl === undefined) {
    findings.add('NP0031', 'warning', 'The package has no license. Add <license type="expression">MIT</license> (or your SPDX expression), or <license type="file">LICENSE.txt</license>.', 'metadata');
  }
  if (requireLicenseAcceptance && !license && licenseUrl === undefined) {
    findings.add('NP0038', 'error', 'requireLicenseAcceptance is true but there is no license to accept. Add a <license> or set requireLicenseAcceptance to false.', 'metadata/requireLicenseAcceptance');
  }
  if (!license) {
    return;
  }
  if (license.type !== 'expression' && license.type !== 'file') {
    findings.add('NP0032', 'error', `<license type="${license.type}"> is not valid: the type must be "expression" or "file".`, 'metadata/license');
    return;
  }
  if (license.version !== undefined && license.version !== '1.0.0') {
    findings.add('NP0039', 'warning', `License expression version ${license.version} is newer than nuget.org understands (1.0.0). Remove the version attribute.`, 'metadata/license');
  }
  if (license.type === 'expression') {
    const check = checkLicenseExpression(license.value);
    if (license.value.trim() === '' || check.syntaxError) {
      findings.add('NP0035', 'error', `The license expression "${license.value}" is not valid SPDX${check.syntaxError ? `: ${check.syntaxError}` : ''}. Write e.g. MIT or Apache-2.0 OR MIT.`, 'metadata/license');
    } else {
      for (const { id, replacement } of check.deprecated) {
        findings.add('NP0036', 'error', `The SPDX identifier ${id} is deprecated and nuget.org refuses it. Use ${replacement}.`, 'metadata/license');
      }
      if (check.unknownIdentifiers.length > 0) {
        findings.add('NP0036', 'warning', `${check.unknownIdentifiers.join(', ')} is not a common SPDX identifier; nuget.org accepts only OSI/FSF-approved SPDX licenses (check the spelling at spdx.org/licenses), or use <license type="file">.`, 'metadata/license');
      }
    }
    // NuGet writes the licenseUrl with the expression percent-encoded (MIT%20OR%20Apache-2.0): compare decoded.
    const expected = `https://licenses.nuget.org/${license.value.trim()}`;
    if (licenseUrl !== undefined && safeDecodeUri(licenseUrl.trim()) !== expected && licenseUrl !== 'https://aka.ms/deprecateLicenseUrl') {
      findings.add('NP0037', 'error', `licenseUrl "${licenseUrl}" does not match the license expression; nuget.org refuses the mismatch. Remove <licenseUrl> (packing adds ${expected}).`, 'metadata/licenseUrl');
    }
    return;
  }
  // NU5031: a license file is .txt, .md, or has no extension at all (LICENSE, COPYING).
  const fileName = license.value.replace(/\\/g, '/').split('/').pop() ?? '';
  const extension = fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.')).toLowerCase() : '';
  if (extension !== '' && extension !== '.txt' && extension !== '.md') {
    findings.add('NP0033', 'error', `The license file "${license.value}" must be .txt, .md or have no extension (NuGet refuses others, NU5031). Rename it, e.g. LICENSE.txt.`, 'metadata/license');
  }
  if (contents && !hasEntry(contents, license.value)) {
    findings.add('NP0034', 'error', `The license file "${license.value}" is not in the package. Add it to the package (e.g. <None Include="${license.value}" Pack="true" PackagePath="" />) or fix the path.`, 'metadata/license');
  }
  if (licenseUrl !== undefined && licenseUrl !== 'https://aka.ms/deprecateLicenseUrl') {
    findings.add('NP0037', 'error', 'A license file goes with licenseUrl https://aka.ms/deprecateLicenseUrl only; nuget.org refuses other URLs. Remove <licenseUrl>.', 'metadata/licenseUrl');
  }
}

function entrySize(contents: PackageContents, path: string): number | undefined {
  const wanted = toEntryName(path).toLowerCase();
  return contents.files.find((file) => file.path.toLowerCase() === wanted || decodeURI(file.path).toLowerCase() === wanted)?.size;
}

function hasEntry(contents: PackageContents, path: string): boolean {
  return entrySize(contents, path) !== undefined;
}

function checkIcon(parsed: ParsedNuspec, findings: Findings, contents?: PackageContents): void {
  const { icon, iconUrl } = parsed.nuspec.metadata;
  // As NuGet (NU5048): only an <iconUrl> without an <icon> is worth a warning; with both, clients
  // that know <icon> use it and older ones fall back to the URL (Newtonsoft.Json 13.0.3 does this).
  if (iconUrl !== undefined && icon === undefined) {
    findings.add('NP0040', 'warning', '<iconUrl> is deprecated and nuget.org no longer shows remote icons. Put a PNG/JPEG (≤ 1 MB) in the package and reference it with <icon>icon.png</icon>.', 'metadata/iconUrl');
  }
  if (icon === undefined) {
    if (iconUrl === undefined) {
      findings.add('NP0044', 'info', 'The package has no icon; nuget.org shows a default one. Add <icon>icon.png</icon> with a 128×128 PNG in the package.', 'metadata');
    }
    return;
  }
  if (!/\.(png|jpe?g)$/i.test(icon)) {
    findings.add('NP0042', 'error', `The icon "${icon}" must be a .png, .jpg or .jpeg file. Convert it to PNG.`, 'metadata/icon');
  }
  if (contents) {
    const size = entrySize(contents, icon);
    if (size === undefined) {
      findings.add('NP0041', 'error', `The icon file "${icon}" is not in the package. Add it (e.g. <None Include="${icon}" Pack="true" PackagePath="" />) or fix the path.`, 'metadata/icon');
    } else if (size > MAX_ICON_BYTES) {
      findings.add('NP0043', 'error', `The icon is ${size} bytes; nuget.org allows 1 MB. Use a smaller image (128×128 is enough).`, 'metadata/icon');
    }
  }
}

function checkReadme(parsed: ParsedNuspec, findings: Findings, contents?: PackageContents): void {
  const { readme } = parsed.nuspec.metadata;
  if (readme === undefined) {
    findings.add('NP0053', 'info', 'The package has no readme; nuget.org shows it on the package page. Add <readme>README.md</readme> with the file in the package.', 'metadata');
    return;
  }
  if (!/\.md$/i.test(readme)) {
    findings.add('NP0051', 'error', `The readme "${readme}" must be a Markdown (.md) file. Rename it.`, 'metadata/readme');
  }
  if (contents) {
    const size = entrySize(contents, readme);
    if (size === undefined) {
      findings.add('NP0050', 'error', `The readme file "${readme}" is not in the package. Add it (e.g. <None Include="${readme}" Pack="true" PackagePath="" />) or fix the path.`, 'metadata/readme');
    } else if (size > MAX_README_BYTES) {
      findings.add('NP0052', 'error', `The readme is ${size} bytes; nuget.org allows 1 MB. Shorten it and link to longer docs.`, 'metadata/readme');
    }
  }
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

function checkUrls({ nuspec }: ParsedNuspec, findings: Findings): void {
  const { repository, projectUrl } = nuspec.metadata;
  if (!repository || !repository.url) {
    findings.add('NP0061', 'info', 'The package has no <repository url="https://…"> element; nuget.org links the source from it. Add it (SDK projects: set RepositoryUrl, or use Source Link).', repository ? 'metadata/repository' : 'metadata');
  } else {
    if (!isHttpsUrl(repository.url)) {
      findings.add('NP0060', 'warning', `The repository URL "${repository.url}" is not an https URL; nuget.org links only https repositories. Use the https clone URL.`, 'metadata/repository');
    }
    if (!repository.type) {
      findings.add('NP0062', 'info', 'The <repository> has no type. Add type="git" (or your VCS).', 'metadata/repository');
    }
  }
  if (projectUrl !== undefined && projectUrl.length <= MAX_URL_OR_TAGS && !isHttpsUrl(projectUrl)) {
    findings.add('NP0063', 'warning', `The projectUrl "${projectUrl}" is not an absolute https URL. Use https://….`, 'metadata/projectUrl');
  }
}

function checkDependencies({ nuspec }: ParsedNuspec, findings: Findings): void {
  let semver2 = false;
  nuspec.metadata.dependencyGroups.forEach((group, groupIndex) => {
    const element = nuspec.metadata.dependenciesGrouped && group.targetFramework !== '' ? 'metadata/dependencies/group' : 'metadata/dependencies';
    if (group.targetFramework !== '' && !parseFramework(group.targetFramework).known) {
      findings.add('NP0076', 'warning', `The dependency group targetFramework "${group.targetFramework}" is not a framework NuGet knows. Use a moniker such as net8.0 or netstandard2.0.`, element, undefined, groupIndex);
    }
    const seen = new Set<string>();
    for (const dependency of group.dependencies) {
      const where = `${dependency.id || '(no id)'}${group.targetFramework ? ` (${group.targetFramework})` : ''}`;
      if (!ID_PATTERN.test(dependency.id)) {
        findings.add('NP0077', 'error', `The dependency id "${dependency.id}" is not a valid package id. Fix the id attribute.`, element, undefined, groupIndex);
      }
      if (seen.has(dependency.id.toLowerCase())) {
        findings.add('NP0080', 'warning', `The dependency ${where} is listed twice in the same group. Keep one.`, element, undefined, groupIndex);
      }
      seen.add(dependency.id.toLowerCase());
      if (dependency.range.trim() === '') {
        findings.add('NP0079', 'warning', `The dependency ${where} has no version, so any version satisfies it (NuGet picks the lowest). Add version="x.y.z".`, element, undefined, groupIndex);
        continue;
      }
      const range = parseVersionRange(dependency.range);
      if (!range) {
        findings.add('NP0078', 'error', `The dependency ${where} has an invalid version range "${dependency.range}". Use 1.0.0, [1.0.0,2.0.0) or [1.2.3].`, element, undefined, groupIndex);
      } else if (rangeIsSemVer2(range)) {
        semver2 = true;
      }
    }
  });
  if (semver2) {
    findings.add('NP0015', 'info', 'A dependency version range uses a SemVer 2.0.0 version, which makes this package SemVer 2.0.0: only NuGet 4.3+ clients see it.', 'metadata/dependencies');
  }
}

function checkContents(parsed: ParsedNuspec, findings: Findings, contents: PackageContents): void {
  if (contents.fileSize > MAX_PACKAGE_BYTES) {
    findings.add('NP0070', 'error', `The package is ${(contents.fileSize / 1048576).toFixed(1)} MB; nuget.org accepts at most 250 MB. Split it or move large assets out.`);
  }
  if (contents.kind === 'snupkg') {
    const bad = contents.files.filter((file) => !SYMBOL_EXTENSIONS.some((extension) => file.path.toLowerCase().endsWith(extension)));
    if (bad.length > 0) {
      findings.add('NP0074', 'error', `A symbol package may hold only .pdb, .nuspec, .xml, .psmdcp, .rels and .p7s files; it has ${bad.slice(0, 3).map((file) => file.path).join(', ')}${bad.length > 3 ? ` and ${bad.length - 3} more` : ''}. Remove them (pack with -p:SymbolPackageFormat=snupkg).`);
    }
    return;
  }
  const payload = contents.files.filter((file) => file.role !== 'metadata');
  const hasDependencies = parsed.nuspec.metadata.dependencyGroups.some((group) => group.dependencies.length > 0) || parsed.nuspec.metadata.frameworkReferenceGroups.length > 0;
  if (payload.length === 0 && !hasDependencies) {
    findings.add('NP0073', 'error', 'The package has no files and no dependencies, so installing it does nothing. Add files (lib/, build/, content…) or dependencies.');
  }
  const unknownFolders = new Set<string>();
  for (const file of payload) {
    if (FRAMEWORK_ROLES.has(file.role) && file.framework && !file.framework.known) {
      unknownFolders.add(file.path.split('/').slice(0, file.role === 'contentFiles' ? 3 : 2).join('/'));
    }
  }
  for (const folder of unknownFolders) {
    findings.add('NP0072', 'warning', `The folder ${folder}/ is not a target framework NuGet knows, so its files are never used. Rename it to a moniker such as net8.0 or netstandard2.0.`);
  }
  if (parsed.nuspec.metadata.dependenciesGrouped) {
    const groupFrameworks = new Set(parsed.nuspec.metadata.dependencyGroups.map((group) => parseFramework(group.targetFramework).shortName));
    const libFrameworks = new Set(payload.filter((file) => (file.role === 'lib' || file.role === 'ref') && file.framework?.known).map((file) => file.framework!.shortName));
    for (const framework of libFrameworks) {
      if (!groupFrameworks.has(framework)) {
        findings.add('NP0071', 'warning', `lib/${framework}/ has no matching dependency group, so NuGet may pick another group's dependencies for ${framework} (NU5128). Add <group targetFramework="${framework}" /> to <dependencies>.`, 'metadata/dependencies');
      }
    }
  }
}

/** decodeURI that leaves malformed escapes as they are. */
function safeDecodeUri(text: string): string {
  try {
    return decodeURI(text);
  } catch {
    return text;
  }
}
