/**
 * Nuspec parsing with fast-xml-parser. A linear pre-scan (prescan.ts) refuses DOCTYPE and entity
 * declarations, unclosed constructs and absurd element/attribute counts before the parser sees the
 * text (no entity expansion, no external entities, no super-linear work); only XML's five
 * predefined entities and character references are decoded. Accepts any nuspec namespace (none, 2010/07 ...
 * 2013/05), UTF-8 with or without BOM, and UTF-16 with a BOM.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { NuspecParseError } from '../errors';
import { NuspecLocator } from './locate';
import { prescanNuspec } from './prescan';
import type {
  Nuspec, NuspecContentFile, NuspecDependency, NuspecDependencyGroup, NuspecFileSpec, NuspecFrameworkAssembly,
  NuspecFrameworkReferenceGroup, NuspecLicense, NuspecMetadata, NuspecPackageType, NuspecReferenceGroup, NuspecRepository,
} from './types';

/** Largest nuspec we parse. Real ones are a few kB; nuget.org's own field limits sum to ~50 kB. */
export const MAX_NUSPEC_BYTES = 4 * 1024 * 1024;

export const KNOWN_NUSPEC_NAMESPACES: readonly string[] = [
  '',
  'http://schemas.microsoft.com/packaging/2010/07/nuspec.xsd',
  'http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd',
  'http://schemas.microsoft.com/packaging/2011/10/nuspec.xsd',
  'http://schemas.microsoft.com/packaging/2012/06/nuspec.xsd',
  'http://schemas.microsoft.com/packaging/2013/01/nuspec.xsd',
  'http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd',
];

export interface ParsedNuspec {
  readonly nuspec: Nuspec;
  readonly text: string;
  readonly locator: NuspecLocator;
}

const FIX_XML = 'Fix the XML of the .nuspec (or pack the package again).';

/**
 * Decodes nuspec bytes as NuGet does: a BOM (UTF-8, UTF-16 LE/BE), else UTF-16 recognised by its
 * first "<", else the XML declaration's single-byte encoding (ISO-8859-1, windows-1252...), else
 * strict UTF-8 (invalid bytes are an error, not U+FFFD).
 */
export function decodeNuspecBytes(bytes: Uint8Array): string {
  if (bytes.length > MAX_NUSPEC_BYTES) {
    throw new NuspecParseError('NP0920', `The nuspec is ${bytes.length} bytes, more than the ${MAX_NUSPEC_BYTES} bytes a nuspec can reasonably be.`, 'Shorten the metadata (nuget.org limits description to 4000 and release notes to 35000 characters).');
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  }
  // No BOM: "<" as UTF-16 ("<\0" or "\0<") gives the byte order away, as XML readers detect it.
  if (bytes[0] === 0x3c && bytes[1] === 0x00) {
    return new TextDecoder('utf-16le').decode(bytes);
  }
  if (bytes[0] === 0x00 && bytes[1] === 0x3c) {
    return new TextDecoder('utf-16be').decode(bytes);
  }
  const declared = declaredEncoding(bytes);
  if (declared && SINGLE_BYTE_ENCODINGS.has(declared)) {
    return new TextDecoder(declared).decode(bytes);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    throw new NuspecParseError('NP0921', `The nuspec is not valid UTF-8 (first bad byte at offset ${offset}).`, 'Save the .nuspec as UTF-8 and pack again.');
  }
}

/** Single-byte encodings an XML declaration may name, read as NuGet (System.Xml) reads them. */
const SINGLE_BYTE_ENCODINGS = new Set(['iso-8859-1', 'latin1', 'windows-1252', 'us-ascii', 'ascii', 'iso-8859-2', 'iso-8859-15', 'windows-1250', 'windows-1251']);

/** The encoding named in the XML declaration, lower case ("utf-8" when it names none). */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const match = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  return match?.[1].toLowerCase();
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    try {
      decoder.decode(bytes.subarray(0, middle + 1));
      low = middle + 1;
    } catch {
      // A cut in the middle of a valid sequence also fails; step past up to 3 continuation bytes.
      let valid = false;
      for (let extra = 1; extra <= 3 && middle + 1 + extra <= bytes.length; extra++) {
        try {
          decoder.decode(bytes.subarray(0, middle + 1 + extra));
          valid = true;
          break;
        } catch {
          // keep looking
        }
      }
      if (valid) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
  }
  return low;
}

/** Line and column of an offset, counted only when an error needs them. */
function positionIn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const ARRAY_PATHS = new Set([
  'package.metadata.dependencies.dependency',
  'package.metadata.dependencies.group',
  'package.metadata.dependencies.group.dependency',
  'package.metadata.frameworkAssemblies.frameworkAssembly',
  'package.metadata.frameworkReferences.group',
  'package.metadata.frameworkReferences.group.frameworkReference',
  'package.metadata.references.reference',
  'package.metadata.references.group',
  'package.metadata.references.group.reference',
  'package.metadata.packageTypes.packageType',
  'package.metadata.contentFiles.files',
  'package.files.file',
]);

function createParser(): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    // References are decoded by decodeReferences in one linear pass (the parser's own entity
    // handling runs one regex per known entity over every value: 0.6 s for a 4 MB nuspec).
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    textNodeName: '#text',
    isArray: (_name: string, jpath: unknown): boolean => ARRAY_PATHS.has(String(jpath)),
  });
}

/** Parses nuspec text; throws NuspecParseError with line/column for anything malformed. */
export function parseNuspecText(text: string): ParsedNuspec {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (source.length > MAX_NUSPEC_BYTES) {
    throw new NuspecParseError('NP0920', `The nuspec is ${source.length} characters, more than the ${MAX_NUSPEC_BYTES} a nuspec can reasonably be.`, 'Shorten the metadata.');
  }
  // Linear and bounded first: the locator and the parsers below only ever see text that passed.
  prescanNuspec(source, (offset) => positionIn(source, offset));
  const locator = new NuspecLocator(source);
  const valid = XMLValidator.validate(source, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new NuspecParseError('NP0923', `The nuspec is not well-formed XML: ${msg} (line ${line}, column ${col}).`, FIX_XML, line, col);
  }
  let tree: Record<string, unknown>;
  try {
    tree = createParser().parse(source) as Record<string, unknown>;
  } catch (error) {
    throw new NuspecParseError('NP0923', `The nuspec is not well-formed XML: ${(error as Error).message}.`, FIX_XML);
  }
  return { nuspec: toNuspec(tree, source, locator), text: source, locator };
}

export function parseNuspecBytes(bytes: Uint8Array): ParsedNuspec {
  return parseNuspecText(decodeNuspecBytes(bytes));
}

type XmlNode = Record<string, unknown>;

/**
 * XML's five predefined entities and character references (the pre-scan refused any other). Native
 * replaceAll passes, "&amp;" last so "&amp;lt;" stays "&lt;": no per-match garbage (a callback
 * replace over 800,000 references spent 0.7 s in the garbage collector).
 */
export function decodeReferences(value: string): string {
  if (!value.includes('&')) {
    return value;
  }
  let result = value;
  if (result.includes('&#')) {
    result = result.replace(/&#(?:(\d{1,7})|x([0-9a-fA-F]{1,6}));/g, (whole, decimal: string | undefined, hex: string | undefined) => {
      const code = decimal !== undefined ? Number(decimal) : parseInt(hex ?? '', 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    });
  }
  return result.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&apos;', "'").replaceAll('&amp;', '&');
}

function single(node: unknown, name: string, where: string): XmlNode | undefined {
  if (node === undefined || node === null || typeof node !== 'object') {
    return undefined;
  }
  const value = (node as XmlNode)[name];
  if (Array.isArray(value)) {
    throw new NuspecParseError('NP0924', `The nuspec has ${value.length} <${name}> elements in <${where}>; there must be one.`, 'Merge them into one element.');
  }
  if (value === undefined) {
    return undefined;
  }
  return typeof value === 'object' && value !== null ? (value as XmlNode) : { '#text': value };
}

function text(node: unknown, name: string): string | undefined {
  if (node === undefined || node === null || typeof node !== 'object') {
    return undefined;
  }
  const value = (node as XmlNode)[name];
  if (Array.isArray(value)) {
    throw new NuspecParseError('NP0924', `The nuspec has ${value.length} <${name}> elements; there must be at most one.`, 'Keep one of them.');
  }
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'object') {
    const inner = (value as XmlNode)['#text'];
    return inner === undefined ? '' : decodeReferences(String(inner));
  }
  return decodeReferences(String(value));
}

function attr(node: unknown, name: string): string | undefined {
  if (node === undefined || node === null || typeof node !== 'object') {
    return undefined;
  }
  const value = (node as XmlNode)[`@_${name}`];
  return value === undefined ? undefined : decodeReferences(String(value));
}

function list(node: unknown, name: string): XmlNode[] {
  if (node === undefined || node === null || typeof node !== 'object') {
    return [];
  }
  const value = (node as XmlNode)[name];
  if (value === undefined) {
    return [];
  }
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => (typeof item === 'object' && item !== null ? (item as XmlNode) : { '#text': item }));
}

function bool(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === 'true';
}

function splitList(value: string | undefined, separator: RegExp): string[] {
  return (value ?? '').split(separator).map((item) => item.trim()).filter((item) => item.length > 0);
}

function packageNamespace(source: string): string {
  const match = /<(?:[\w.-]+:)?package\b([^>]*)>/.exec(source);
  const ns = match ? /\sxmlns(?::[\w.-]+)?\s*=\s*["']([^"']*)["']/.exec(match[1]) : null;
  return ns ? ns[1] : '';
}

function toNuspec(tree: XmlNode, source: string, locator: NuspecLocator): Nuspec {
  const pkg = single(tree, 'package', 'document');
  if (!pkg) {
    throw new NuspecParseError('NP0924', 'The nuspec has no <package> root element.', 'Start the file with <package><metadata>…</metadata></package>.');
  }
  const metadata = single(pkg, 'metadata', 'package');
  if (!metadata) {
    const at = locator.find('package');
    throw new NuspecParseError('NP0924', 'The nuspec has no <metadata> element inside <package>.', 'Add <metadata> with at least id, version, authors and description.', at?.line, at?.column);
  }
  const filesNode = single(pkg, 'files', 'package');
  return {
    namespace: packageNamespace(source),
    metadata: toMetadata(metadata),
    files: filesNode === undefined ? undefined : list(filesNode, 'file').map(toFileSpec),
  };
}

function toMetadata(node: XmlNode): NuspecMetadata {
  const dependencies = single(node, 'dependencies', 'metadata');
  const groups = list(dependencies, 'group');
  const flat = list(dependencies, 'dependency');
  const dependencyGroups: NuspecDependencyGroup[] = groups.map((group) => ({
    targetFramework: attr(group, 'targetFramework') ?? '',
    dependencies: list(group, 'dependency').map(toDependency),
  }));
  // As NuGet.Packaging: flat dependencies (no groups) form one "any" group; an empty <dependencies /> forms none.
  if (flat.length > 0 && groups.length === 0) {
    dependencyGroups.unshift({ targetFramework: '', dependencies: flat.map(toDependency) });
  }
  const references = single(node, 'references', 'metadata');
  const referenceGroups: NuspecReferenceGroup[] = list(references, 'group').map((group) => ({
    targetFramework: attr(group, 'targetFramework') ?? '',
    files: list(group, 'reference').map((ref) => attr(ref, 'file') ?? ''),
  }));
  const flatReferences = list(references, 'reference');
  if (flatReferences.length > 0) {
    referenceGroups.unshift({ targetFramework: '', files: flatReferences.map((ref) => attr(ref, 'file') ?? '') });
  }
  const licenseNode = single(node, 'license', 'metadata');
  const license: NuspecLicense | undefined = licenseNode
    ? { type: attr(licenseNode, 'type') ?? '', value: text({ v: licenseNode }, 'v') ?? '', version: attr(licenseNode, 'version') }
    : undefined;
  const repositoryNode = single(node, 'repository', 'metadata');
  const repository: NuspecRepository | undefined = repositoryNode
    ? { type: attr(repositoryNode, 'type'), url: attr(repositoryNode, 'url'), branch: attr(repositoryNode, 'branch'), commit: attr(repositoryNode, 'commit') }
    : undefined;
  const tagsText = text(node, 'tags');
  return {
    id: text(node, 'id') ?? '',
    version: text(node, 'version') ?? '',
    title: text(node, 'title'),
    authors: splitList(text(node, 'authors'), /,/),
    owners: splitList(text(node, 'owners'), /,/),
    description: text(node, 'description') ?? '',
    summary: text(node, 'summary'),
    releaseNotes: text(node, 'releaseNotes'),
    copyright: text(node, 'copyright'),
    language: text(node, 'language'),
    tags: splitList(tagsText, /[\s,;]+/),
    tagsText,
    license,
    licenseUrl: text(node, 'licenseUrl'),
    icon: text(node, 'icon'),
    iconUrl: text(node, 'iconUrl'),
    readme: text(node, 'readme'),
    projectUrl: text(node, 'projectUrl'),
    repository,
    requireLicenseAcceptance: bool(text(node, 'requireLicenseAcceptance')),
    developmentDependency: bool(text(node, 'developmentDependency')),
    serviceable: bool(text(node, 'serviceable')),
    packageTypes: list(single(node, 'packageTypes', 'metadata'), 'packageType').map((item): NuspecPackageType => ({ name: attr(item, 'name') ?? '', version: attr(item, 'version') })),
    minClientVersion: attr(node, 'minClientVersion'),
    dependenciesGrouped: groups.length > 0,
    dependencyGroups,
    frameworkAssemblies: list(single(node, 'frameworkAssemblies', 'metadata'), 'frameworkAssembly').map((item): NuspecFrameworkAssembly => ({ assemblyName: attr(item, 'assemblyName') ?? '', targetFramework: attr(item, 'targetFramework') })),
    frameworkReferenceGroups: list(single(node, 'frameworkReferences', 'metadata'), 'group').map((group): NuspecFrameworkReferenceGroup => ({
      targetFramework: attr(group, 'targetFramework') ?? '',
      references: list(group, 'frameworkReference').map((ref) => attr(ref, 'name') ?? ''),
    })),
    referencesGrouped: list(references, 'group').length > 0,
    referenceGroups,
    contentFiles: list(single(node, 'contentFiles', 'metadata'), 'files').map((item): NuspecContentFile => ({
      include: attr(item, 'include') ?? '', exclude: attr(item, 'exclude'), buildAction: attr(item, 'buildAction'),
      copyToOutput: attr(item, 'copyToOutput'), flatten: attr(item, 'flatten'),
    })),
  };
}

function toDependency(node: XmlNode): NuspecDependency {
  return { id: attr(node, 'id') ?? '', range: attr(node, 'version') ?? '', include: attr(node, 'include'), exclude: attr(node, 'exclude') };
}

function toFileSpec(node: XmlNode): NuspecFileSpec {
  return { src: attr(node, 'src') ?? '', target: attr(node, 'target'), exclude: attr(node, 'exclude') };
}
