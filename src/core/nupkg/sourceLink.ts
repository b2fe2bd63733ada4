/**
 * Source Link (the `documents` map a debugger uses to fetch sources: dotnet/designs
 * "source-link.md"): does the JSON parse, does it cover every document of the PDB, and does it
 * point at the repository and commit the nuspec names?
 * - A key ending in `*` matches every path that starts with the rest of the key, and the `*` of
 *   its URL takes the remainder; other keys match one path exactly. Matching ignores ASCII case,
 *   as the debuggers on Windows do.
 * - Documents whose source is embedded in the PDB need no mapping.
 */

export interface SourceLinkMapping {
  readonly key: string;
  readonly url: string;
}

export interface SourceLinkCheck {
  /** The JSON parsed into a documents map of strings. */
  readonly valid: boolean;
  readonly mappings: readonly SourceLinkMapping[];
  /** Documents neither mapped nor embedded (the first few). */
  readonly unmapped: readonly string[];
  readonly unmappedCount: number;
  /** Mapped URLs that disagree with the nuspec's repository (host or commit), the first few. */
  readonly disagreements: readonly string[];
}

/** The documents map, or undefined when the JSON is not a Source Link document. */
export function parseSourceLink(json: string): SourceLinkMapping[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  const documents = parsed !== null && typeof parsed === 'object' ? (parsed as { documents?: unknown }).documents : undefined;
  if (documents === null || typeof documents !== 'object' || Array.isArray(documents)) {
    return undefined;
  }
  const mappings: SourceLinkMapping[] = [];
  for (const [key, url] of Object.entries(documents as Record<string, unknown>)) {
    if (typeof url !== 'string' || key.length === 0) {
      return undefined;
    }
    mappings.push({ key, url });
  }
  return mappings;
}

/** Whether one document path is covered by a mapping. */
export function isMapped(document: string, mappings: readonly SourceLinkMapping[]): boolean {
  const path = document.toLowerCase();
  return mappings.some(({ key }) => {
    const lower = key.toLowerCase();
    return lower.endsWith('*') ? path.startsWith(lower.slice(0, -1)) : path === lower;
  });
}

/** Hosts a mapped URL may have for a repository on `host` (raw-content hosts of the big forges). */
export function sourceHostsFor(host: string): string[] {
  const lower = host.toLowerCase();
  const aliases: Record<string, string[]> = {
    'github.com': ['raw.githubusercontent.com'],
    'bitbucket.org': ['api.bitbucket.org'],
  };
  return [lower, ...(aliases[lower] ?? [])];
}

export interface RepositoryFacts {
  readonly url?: string;
  readonly commit?: string;
}

/** The mapped URLs that do not agree with the nuspec's repository url (host) and commit. */
export function repositoryDisagreements(mappings: readonly SourceLinkMapping[], repository: RepositoryFacts): string[] {
  let hosts: string[] | undefined;
  try {
    hosts = repository.url ? sourceHostsFor(new URL(repository.url).hostname) : undefined;
  } catch {
    hosts = undefined;
  }
  const commit = repository.commit?.trim().toLowerCase();
  const wrong: string[] = [];
  for (const { url } of mappings) {
    let host: string | undefined;
    try {
      host = new URL(url.replace(/\*/g, 'x')).hostname.toLowerCase();
    } catch {
      host = undefined;
    }
    if ((hosts && (!host || !hosts.includes(host))) || (commit && !url.toLowerCase().includes(commit))) {
      wrong.push(url);
    }
  }
  return wrong;
}

/** The whole check of one PDB's Source Link against its documents and the nuspec. */
export function checkSourceLink(json: string, documents: readonly string[], embedded: ReadonlySet<number>, repository: RepositoryFacts): SourceLinkCheck {
  const mappings = parseSourceLink(json);
  if (!mappings) {
    return { valid: false, mappings: [], unmapped: [], unmappedCount: 0, disagreements: [] };
  }
  const unmapped: string[] = [];
  let unmappedCount = 0;
  documents.forEach((document, index) => {
    if (!embedded.has(index + 1) && !isMapped(document, mappings)) {
      unmappedCount++;
      if (unmapped.length < 3) {
        unmapped.push(document);
      }
    }
  });
  return { valid: true, mappings, unmapped, unmappedCount, disagreements: repositoryDisagreements(mappings, repository).slice(0, 3) };
}
