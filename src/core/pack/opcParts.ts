/** The OPC parts NuGet puts around the nuspec and payload: _rels/.rels, [Content_Types].xml, the .psmdcp. */
import { createHash, randomBytes } from 'node:crypto';
import { escapeXml } from '../xml';


function relationshipId(seed: string, deterministic: boolean): string {
  const bytes = deterministic ? createHash('sha256').update(seed).digest() : randomBytes(8);
  return `R${bytes.toString('hex').slice(0, 16).toUpperCase()}`;
}

/** 32 hex digits naming the core-properties part (stable in deterministic mode). */
/** The core-properties part: "nuget.psmdcp" in a deterministic pack, as today's NuGet (dotnet pack) names it; a random name otherwise, as NuGet.exe does. */
export function corePropertiesName(_id: string, _version: string, deterministic: boolean): string {
  return `package/services/metadata/core-properties/${deterministic ? 'nuget' : randomBytes(16).toString('hex')}.psmdcp`;
}

export function relsXml(nuspecName: string, psmdcpName: string, deterministic: boolean): string {
  return '<?xml version="1.0" encoding="utf-8"?>'
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    + `<Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/${escapeXml(nuspecName)}" Id="${relationshipId(`manifest:${nuspecName}`, deterministic)}" />`
    + `<Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="/${escapeXml(psmdcpName)}" Id="${relationshipId(`core:${psmdcpName}`, deterministic)}" />`
    + '</Relationships>';
}

/** One Default per extension (rels, psmdcp, then each payload extension as application/octet). */
export function contentTypesXml(entryNames: readonly string[]): string {
  const extensions: string[] = [];
  const overrides: string[] = [];
  for (const name of entryNames) {
    const file = name.slice(name.lastIndexOf('/') + 1);
    const dot = file.lastIndexOf('.');
    if (dot <= 0 || dot === file.length - 1) {
      overrides.push(name);
      continue;
    }
    const extension = file.slice(dot + 1).toLowerCase();
    if (extension !== 'rels' && extension !== 'psmdcp' && !extensions.includes(extension)) {
      extensions.push(extension);
    }
  }
  return '<?xml version="1.0" encoding="utf-8"?>'
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />'
    + '<Default Extension="psmdcp" ContentType="application/vnd.openxmlformats-package.core-properties+xml" />'
    + extensions.map((extension) => `<Default Extension="${escapeXml(extension)}" ContentType="application/octet" />`).join('')
    + overrides.map((name) => `<Override PartName="/${escapeXml(name)}" ContentType="application/octet" />`).join('')
    + '</Types>';
}

export interface CoreProperties {
  readonly id: string;
  readonly version: string;
  readonly authors: readonly string[];
  readonly description: string;
  readonly tags: readonly string[];
}

export function corePropertiesXml(properties: CoreProperties): string {
  return '<?xml version="1.0" encoding="utf-8"?>'
    + '<coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">'
    + `<dc:creator>${escapeXml(properties.authors.join(', '))}</dc:creator>`
    + `<dc:description>${escapeXml(properties.description)}</dc:description>`
    + `<dc:identifier>${escapeXml(properties.id)}</dc:identifier>`
    + `<version>${escapeXml(properties.version)}</version>`
    + `<keywords>${escapeXml(properties.tags.join(' '))}</keywords>`
    + '<lastModifiedBy>NuGet Publisher for VS Code</lastModifiedBy>'
    + '</coreProperties>';
}
