/**
 * Reads NuGet.Config files for "Import Feeds from NuGet.Config": <packageSources> (<add>,
 * <remove>, <clear/>), <disabledPackageSources>, <packageSourceCredentials> and <apikeys>.
 * Files are merged as NuGet does: the user-level file first, then the folders from the root down
 * to the workspace; a later (closer) file overrides a source of the same name, and its <clear/>
 * drops everything defined before it. Encrypted passwords and API keys (DPAPI) can only be read
 * on Windows by the user who wrote them: they are reported, never decoded.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { NuGetPublisherError } from '../errors';

export interface ConfigCredentials {
  readonly username?: string;
  /** ClearTextPassword: importable. */
  readonly password?: string;
  /** Password (DPAPI-encrypted): Windows-only, not importable. */
  readonly encrypted: boolean;
}

export interface ConfigSource {
  readonly name: string;
  readonly source: string;
  readonly enabled: boolean;
  /** The file that defined it. */
  readonly file: string;
  readonly credentials?: ConfigCredentials;
  /** An <apikeys> entry exists for this source (always DPAPI-encrypted). */
  readonly encryptedApiKey: boolean;
}

export interface ConfigFile {
  readonly path: string;
  readonly text: string;
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const MAX_CONFIG_BYTES = 1024 * 1024;

function parseOrdered(file: ConfigFile): OrderedNode[] {
  if (file.text.length > MAX_CONFIG_BYTES) {
    throw new NuGetPublisherError('NP3101', `${file.path} is larger than 1 MB; that is not a NuGet.Config.`, 'Check the file.');
  }
  const stripped = file.text.replace(/<!--[\s\S]*?-->/g, '');
  if (/<!(DOCTYPE|ENTITY)/i.test(stripped)) {
    throw new NuGetPublisherError('NP3102', `${file.path} contains a DOCTYPE or ENTITY declaration; NuGet.Config files never need one and it enables XML entity attacks.`, 'Remove the declaration.');
  }
  const valid = XMLValidator.validate(file.text);
  if (valid !== true) {
    throw new NuGetPublisherError('NP3103', `${file.path} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}).`, 'Fix the file, then import again.');
  }
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, processEntities: true, htmlEntities: false, ignoreDeclaration: true });
  return parser.parse(file.text) as OrderedNode[];
}

function childrenOf(nodes: OrderedNode[], name: string): OrderedNode[] {
  const found = nodes.find((node) => Object.keys(node).some((key) => key.toLowerCase() === name.toLowerCase()));
  if (!found) {
    return [];
  }
  const key = Object.keys(found).find((candidate) => candidate !== ':@')!;
  return (found[key] as OrderedNode[]) ?? [];
}

function sections(nodes: OrderedNode[], name: string): OrderedNode[][] {
  return nodes.filter((node) => Object.keys(node).some((key) => key.toLowerCase() === name.toLowerCase())).map((node) => {
    const key = Object.keys(node).find((candidate) => candidate !== ':@')!;
    return (node[key] as OrderedNode[]) ?? [];
  });
}

function tagOf(node: OrderedNode): string {
  return (Object.keys(node).find((key) => key !== ':@') ?? '').toLowerCase();
}

function attrs(node: OrderedNode): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(node[':@'] ?? {})) {
    result[key.toLowerCase()] = String(value);
  }
  return result;
}

/** NuGet encodes spaces in credential element names as _x0020_ (XmlConvert). */
function decodeXmlName(name: string): string {
  return name.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function expandEnv(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/%([^%]+)%/g, (whole, name: string) => env[name] ?? whole);
}

/** Merges the files (lowest priority first) into the effective source list. */
export function readNuGetConfigs(files: readonly ConfigFile[], env: NodeJS.ProcessEnv = process.env): ConfigSource[] {
  const sources = new Map<string, { name: string; source: string; file: string }>();
  const disabled = new Map<string, boolean>();
  const credentials = new Map<string, ConfigCredentials>();
  const apiKeys = new Set<string>();
  for (const file of files) {
    const root = childrenOf(parseOrdered(file), 'configuration');
    for (const section of sections(root, 'packageSources')) {
      for (const node of section) {
        const tag = tagOf(node);
        const { key, value } = attrs(node);
        if (tag === 'clear') {
          sources.clear();
        } else if (tag === 'remove' && key) {
          sources.delete(key.toLowerCase());
        } else if (tag === 'add' && key && value) {
          const expanded = expandEnv(value, env);
          const resolved = /^[a-z][a-z0-9+.-]*:\/\//i.test(expanded) || isAbsolute(expanded) ? expanded : resolve(dirname(file.path), expanded);
          sources.delete(key.toLowerCase()); // a redefinition moves to the end, as in NuGet
          sources.set(key.toLowerCase(), { name: key, source: resolved, file: file.path });
        }
      }
    }
    for (const section of sections(root, 'disabledPackageSources')) {
      for (const node of section) {
        const { key, value } = attrs(node);
        if (tagOf(node) === 'clear') {
          disabled.clear();
        } else if (tagOf(node) === 'add' && key) {
          disabled.set(key.toLowerCase(), (value ?? '').toLowerCase() === 'true');
        }
      }
    }
    for (const section of sections(root, 'packageSourceCredentials')) {
      for (const node of section) {
        const name = decodeXmlName(tagOf(node) === '' ? '' : Object.keys(node).find((key) => key !== ':@')!);
        const entries = (node[Object.keys(node).find((key) => key !== ':@')!] as OrderedNode[]) ?? [];
        let username: string | undefined;
        let password: string | undefined;
        let encrypted = false;
        for (const entry of entries) {
          const { key, value } = attrs(entry);
          if (tagOf(entry) !== 'add' || !key) {
            continue;
          }
          if (key.toLowerCase() === 'username') {
            username = expandEnv(value ?? '', env);
          } else if (key.toLowerCase() === 'cleartextpassword') {
            password = expandEnv(value ?? '', env);
          } else if (key.toLowerCase() === 'password') {
            encrypted = true;
          }
        }
        credentials.set(name.toLowerCase(), { username, password, encrypted: encrypted && password === undefined });
      }
    }
    for (const section of sections(root, 'apikeys')) {
      for (const node of section) {
        const { key } = attrs(node);
        if (tagOf(node) === 'add' && key) {
          apiKeys.add(key.toLowerCase());
        }
      }
    }
  }
  return [...sources.values()].map((entry) => ({
    ...entry,
    enabled: !disabled.get(entry.name.toLowerCase()),
    credentials: credentials.get(entry.name.toLowerCase()),
    encryptedApiKey: apiKeys.has(entry.source.toLowerCase()) || apiKeys.has(entry.source.toLowerCase().replace(/\/$/, '')),
  }));
}

/** File names NuGet looks for in each folder (case matters on Linux and macOS). */
export const CONFIG_FILE_NAMES = ['nuget.config', 'NuGet.config', 'NuGet.Config'] as const;

/** The folders whose NuGet.Config NuGet would read for a workspace, lowest priority first. */
export function configSearchFolders(workspaceFolder: string | undefined, home: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  const userFolder = platform === 'win32' ? resolve(env.APPDATA ?? resolve(home, 'AppData', 'Roaming'), 'NuGet') : resolve(home, '.nuget', 'NuGet');
  const folders = [userFolder];
  if (workspaceFolder) {
    const chain: string[] = [];
    for (let folder = resolve(workspaceFolder); ; folder = dirname(folder)) {
      chain.unshift(folder);
      if (dirname(folder) === folder) {
        break;
      }
    }
    folders.push(...chain.filter((folder) => folder !== userFolder));
  }
  return folders;
}
