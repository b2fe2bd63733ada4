/**
 * Builds the inspector's view model from an opened package: metadata, files, diagnostics and
 * the small previews (icon, readme, license), each read with a size cap.
 */
import { describeError } from './errors';
import { parseFramework } from './frameworks';
import { groupFiles } from './nupkg/files';
import type { Inspection } from './inspect';
import { basename } from 'node:path';
import { isSemVer2, normalizeVersion, parseVersion } from './version';
import type { InspectorModel } from '../shared/protocol';

const ICON_TYPES: Readonly<Record<string, string>> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg' };

export async function buildInspectorModel({ pkg, diagnostics, signature }: Inspection, maxPreviewBytes: number): Promise<InspectorModel> {
  const metadata = pkg.nuspec.nuspec.metadata;
  const version = parseVersion(metadata.version);
  const previewProblems: string[] = [];
  const preview = async (path: string | undefined, what: string): Promise<Buffer | undefined> => {
    if (!path || !pkg.hasFile(path)) {
      return undefined;
    }
    try {
      return await pkg.readFile(path, maxPreviewBytes);
    } catch (error) {
      previewProblems.push(`The ${what} cannot be shown: ${describeError(error)}`);
      return undefined;
    }
  };
  const iconBytes = await preview(metadata.icon, 'icon');
  const iconType = metadata.icon ? ICON_TYPES[metadata.icon.toLowerCase().replace(/^.*\./, '')] : undefined;
  const readme = await preview(metadata.readme, 'readme');
  const license = metadata.license?.type === 'file' ? await preview(metadata.license.value, 'license file') : undefined;
  return {
    fileName: basename(pkg.path),
    kind: pkg.kind,
    fileSize: pkg.fileSize,
    normalizedVersion: version ? normalizeVersion(version) : null,
    semVer2: version ? isSemVer2(version) : false,
    metadata,
    nuspecNamespace: pkg.nuspec.nuspec.namespace,
    files: pkg.files.map((file) => ({
      path: file.path, size: file.size, compressedSize: file.compressedSize, role: file.role,
      framework: file.framework?.shortName, frameworkDisplay: file.framework?.displayName,
    })),
    fileGroups: groupFiles(pkg.files).map((group) => ({
      role: group.role,
      framework: group.framework,
      frameworkDisplay: group.framework ? parseFramework(group.framework).displayName : '',
      count: group.files.length,
      size: group.files.reduce((sum, file) => sum + file.size, 0),
    })),
    diagnostics: diagnostics.map(({ code, severity, message, line }) => ({ code, severity, message, line })),
    iconDataUri: iconBytes && iconType ? `data:${iconType};base64,${iconBytes.toString('base64')}` : undefined,
    readmeMarkdown: readme ? new TextDecoder('utf-8').decode(readme) : undefined,
    licenseText: license ? new TextDecoder('utf-8').decode(license) : undefined,
    previewProblems,
    signatures: signature.signatures,
    signedContent: signature.content,
  };
}
