/** Inspector sections: metadata table, dependency groups, file tree. */
import type { InspectorFile, InspectorHealth, InspectorModel } from '../../src/shared/protocol';
import { describeRange, parseFramework, parseVersionRange } from '../../src/shared/webviewCore';
import { formatBytes, h } from '../dom';

function row(label: string, value: Node | string | undefined): HTMLElement | null {
  if (value === undefined || value === '') {
    return null;
  }
  return h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, value));
}

function link(url: string | undefined): Node | string | undefined {
  if (!url) {
    return undefined;
  }
  return /^https?:\/\//i.test(url) ? h('a', { href: url }, url) : url;
}

export function renderMetadata(model: InspectorModel): HTMLElement {
  const m = model.metadata;
  const repository = m.repository
    ? [m.repository.type, m.repository.url, m.repository.branch && `branch ${m.repository.branch}`, m.repository.commit && `commit ${m.repository.commit}`].filter(Boolean).join(' · ')
    : undefined;
  const rows = [
    row('Id', m.id), row('Version', m.version), row('Title', m.title), row('Authors', m.authors.join(', ')),
    row('Owners', m.owners.join(', ')), row('Description', m.description), row('Summary', m.summary),
    row('Release notes', m.releaseNotes), row('Copyright', m.copyright), row('Language', m.language),
    row('Tags', m.tags.join(' ')),
    row('License', m.license ? `${m.license.type}: ${m.license.value}${m.license.version ? ` (version ${m.license.version})` : ''}` : undefined),
    row('License URL', link(m.licenseUrl)), row('Icon', m.icon), row('Icon URL', link(m.iconUrl)), row('Readme', m.readme),
    row('Project URL', link(m.projectUrl)), row('Repository', repository),
    row('Require license acceptance', String(m.requireLicenseAcceptance)),
    row('Development dependency', String(m.developmentDependency)), row('Serviceable', String(m.serviceable)),
    row('Package types', m.packageTypes.map((type) => `${type.name}${type.version ? ` ${type.version}` : ''}`).join(', ')),
    row('Min. client version', m.minClientVersion),
    row('Framework assemblies', m.frameworkAssemblies.map((item) => `${item.assemblyName}${item.targetFramework ? ` (${item.targetFramework})` : ''}`).join(', ')),
    row('Framework references', m.frameworkReferenceGroups.map((group) => `${group.targetFramework || 'any'}: ${group.references.join(', ')}`).join('; ')),
    row('References', m.referenceGroups.map((group) => `${group.targetFramework || 'any'}: ${group.files.join(', ')}`).join('; ')),
    row('Content files', m.contentFiles.map((item) => [item.include, item.exclude && `exclude ${item.exclude}`, item.buildAction && `buildAction ${item.buildAction}`, item.copyToOutput && `copyToOutput ${item.copyToOutput}`, item.flatten && `flatten ${item.flatten}`].filter(Boolean).join(' ')).join('; ')),
    row('Nuspec namespace', model.nuspecNamespace || '(none)'),
    row('Package size', `${formatBytes(model.fileSize)} (${model.fileSize} bytes)`),
  ];
  const body = h('tbody');
  rows.forEach((item) => item && body.appendChild(item));
  return h('table', { class: 'metadata', id: 'metadata' }, body);
}

export function renderDependencies(model: InspectorModel): HTMLElement {
  const groups = model.metadata.dependencyGroups;
  if (groups.length === 0) {
    return h('p', { class: 'muted', id: 'dependencies' }, 'This package has no dependencies.');
  }
  const container = h('div', { id: 'dependencies' });
  for (const group of groups) {
    const framework = group.targetFramework ? parseFramework(group.targetFramework) : undefined;
    const heading = framework ? `${framework.displayName} (${group.targetFramework})` : 'All frameworks';
    const list = h('ul', { class: 'dependency-list' });
    if (group.dependencies.length === 0) {
      list.appendChild(h('li', { class: 'muted' }, 'No dependencies'));
    }
    for (const dependency of group.dependencies) {
      const range = parseVersionRange(dependency.range);
      list.appendChild(h('li', { 'data-id': dependency.id },
        h('strong', {}, dependency.id), ' ', h('code', {}, dependency.range || '*'),
        h('span', { class: 'muted' }, ` ${range ? describeRange(range) : 'invalid range'}`),
        dependency.include ? h('span', { class: 'muted' }, ` include: ${dependency.include}`) : null,
        dependency.exclude ? h('span', { class: 'muted' }, ` exclude: ${dependency.exclude}`) : null));
    }
    container.appendChild(h('div', { class: 'dependency-group', 'data-framework': group.targetFramework }, h('h3', {}, heading), list));
  }
  return container;
}

interface FolderNode {
  readonly folders: Map<string, FolderNode>;
  readonly files: InspectorFile[];
  size: number;
}

function buildTree(files: readonly InspectorFile[]): FolderNode {
  const root: FolderNode = { folders: new Map(), files: [], size: 0 };
  for (const file of files) {
    const segments = file.path.split('/');
    let node = root;
    node.size += file.size;
    for (const segment of segments.slice(0, -1)) {
      let next = node.folders.get(segment);
      if (!next) {
        next = { folders: new Map(), files: [], size: 0 };
        node.folders.set(segment, next);
      }
      next.size += file.size;
      node = next;
    }
    node.files.push(file);
  }
  return root;
}

function treeItems(node: FolderNode, depth: number): HTMLElement[] {
  const items: HTMLElement[] = [];
  for (const [name, folder] of [...node.folders.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const item = h('vscode-tree-item', depth < 2 ? { open: '' } : {}, name, h('span', { class: 'entry-size' }, formatBytes(folder.size)));
    treeItems(folder, depth + 1).forEach((child) => item.appendChild(child));
    items.push(item);
  }
  for (const file of [...node.files].sort((a, b) => a.path.localeCompare(b.path))) {
    const name = file.path.split('/').pop() ?? file.path;
    const description = `${formatBytes(file.size)}${file.frameworkDisplay ? ` · ${file.frameworkDisplay}` : ''}`;
    items.push(h('vscode-tree-item', { 'data-entry': file.path, title: `${file.path} — ${file.size} bytes (${file.compressedSize} compressed), role ${file.role}` }, name, h('span', { class: 'entry-size' }, description)));
  }
  return items;
}

const ROLE_LABELS: Readonly<Record<string, string>> = {
  lib: 'Assemblies (lib)', ref: 'Reference assemblies (ref)', runtimes: 'Runtime-specific (runtimes)', build: 'MSBuild (build)',
  buildTransitive: 'MSBuild, transitive (buildTransitive)', buildMultiTargeting: 'MSBuild, multi-targeting', analyzers: 'Analyzers',
  contentFiles: 'Content files (contentFiles)', content: 'Content (content, legacy)', tools: 'Tools', other: 'Other files', metadata: 'Package metadata',
};

function renderFileGroups(model: InspectorModel): HTMLElement {
  const body = h('tbody');
  for (const group of model.fileGroups) {
    body.appendChild(h('tr', {},
      h('th', { scope: 'row' }, ROLE_LABELS[group.role] ?? group.role),
      h('td', {}, group.framework ? `${group.frameworkDisplay} (${group.framework})` : '—'),
      h('td', {}, `${group.count} file${group.count === 1 ? '' : 's'}, ${formatBytes(group.size)}`)));
  }
  return h('table', { class: 'metadata file-groups', id: 'file-groups', 'aria-label': 'Files by role and framework' }, body);
}

let onOpenEntry: ((path: string) => void) | undefined;

/** What opening a file in the tree does (main.ts posts it to the extension). */
export function setOpenEntryHandler(handler: (path: string) => void): void {
  onOpenEntry = handler;
}

export function renderFileTree(model: InspectorModel): HTMLElement {
  const tree = h('vscode-tree', { id: 'file-tree', 'aria-label': 'Package files (double-click or Enter opens a file)', indentGuides: '' });
  treeItems(buildTree(model.files), 0).forEach((item) => tree.appendChild(item));
  // A file opens in an editor tab, read-only (the extension refuses binaries, naming size and hash).
  const open = (event: Event): void => {
    const item = (event.target as HTMLElement | null)?.closest?.('vscode-tree-item[data-entry]');
    const path = item?.getAttribute('data-entry');
    if (path) {
      onOpenEntry?.(path);
    }
  };
  tree.addEventListener('dblclick', open);
  tree.addEventListener('keydown', (event) => (event as KeyboardEvent).key === 'Enter' && open(event));
  return h('div', {}, renderFileGroups(model), tree);
}

/** A date and time as the user reads them (UTC, so it is the same for everyone who compares). */
function when(iso: string | undefined): string | undefined {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : undefined;
}

const CONTENT_STATE: Readonly<Record<InspectorModel['signedContent'], { text: string; className: string }>> = {
  unsigned: { text: 'This package is not signed.', className: 'muted' },
  matches: { text: 'The content matches what was signed.', className: 'sev-ok' },
  changed: { text: 'A file changed after signing: the content no longer matches the signature, and NuGet will refuse to install it.', className: 'sev-error' },
  'not checked': { text: 'The signed content could not be checked here (a Zip64 package or an unreadable signature); Verify Signature runs NuGet\'s own check.', className: 'sev-warning' },
};

/**
 * Signatures as `dotnet nuget verify --all` lists them (primary first, then the repository
 * countersignature), the content check, the last verification, and the Verify / Sign actions.
 */
export function renderSignatures(model: InspectorModel, actions: readonly HTMLElement[]): HTMLElement {
  const container = h('div', { id: 'signatures' });
  const state = CONTENT_STATE[model.signedContent];
  container.appendChild(h('p', { class: state.className, id: 'signed-content', 'data-state': model.signedContent }, state.text));
  model.signatures.forEach((signature, index) => {
    const kind = signature.type === 'author' ? 'Author' : signature.type === 'repository' ? 'Repository' : 'Unknown';
    const rows = [
      row('Signed by', signature.subject), row('Issued by', signature.issuer),
      row('Certificate SHA-256', h('code', {}, signature.sha256)),
      row('Valid', `${when(signature.validFrom)} to ${when(signature.validTo)}`),
      row('Timestamp', signature.timestamp ? `${when(signature.timestamp)}${signature.timestampAuthority ? ` by ${signature.timestampAuthority}` : ''}` : 'none (the signature is valid only while its certificate is)'),
      row('Service index', link(signature.serviceIndex)), row('Owners', signature.owners?.join(', ')),
    ];
    const body = h('tbody');
    rows.forEach((item) => item && body.appendChild(item));
    container.appendChild(h('div', { class: 'signature', 'data-type': signature.type },
      h('h3', {}, `${kind} ${index === 0 ? 'signature' : 'countersignature'}`), h('table', { class: 'metadata' }, body)));
  });
  if (model.verification) {
    const verification = model.verification;
    container.appendChild(h('div', { id: 'verification', 'data-ok': String(verification.ok) },
      h('p', { class: verification.ok ? 'sev-ok' : 'sev-error' }, `dotnet nuget verify --all: ${verification.ok ? 'verified' : 'failed'} (${when(verification.at)})`),
      ...verification.lines.map((line) => h('p', { class: 'muted' }, line))));
  }
  container.appendChild(h('div', { class: 'actions' }, ...actions));
  return container;
}

/** What each assembly says about itself (read from its CLI metadata). */
export function renderAssemblies(model: InspectorModel): HTMLElement {
  const assemblies = model.assemblies ?? [];
  if (assemblies.length === 0) {
    return h('p', { class: 'muted', id: 'assemblies' }, 'No .NET assemblies in lib/, ref/ or runtimes/.');
  }
  const body = h('tbody');
  for (const assembly of assemblies) {
    body.appendChild(h('tr', { 'data-path': assembly.path },
      h('td', { class: 'path-cell', 'data-label': 'File' }, h('code', {}, assembly.path)), h('td', { 'data-label': 'Assembly' }, assembly.name), h('td', { 'data-label': 'Version' }, assembly.version),
      h('td', { 'data-label': 'Target framework' }, assembly.targetFramework ?? h('span', { class: 'muted' }, 'not stated')),
      h('td', { 'data-label': 'Kind' }, assembly.referenceAssembly ? 'reference assembly' : 'implementation')));
  }
  return h('table', { class: 'metadata', id: 'assemblies' },
    h('thead', {}, h('tr', {}, h('th', {}, 'File'), h('th', {}, 'Assembly'), h('th', {}, 'Version'), h('th', {}, 'Target framework'), h('th', {}, 'Kind'))), body);
}

const PDB_WORDS: Record<InspectorHealth['pdb'], string> = { embedded: 'embedded', package: 'in the package', snupkg: '.snupkg beside it', none: 'none' };

/** One yes/no cell: a word (not only a mark) so it reads the same in every theme and to a screen reader. */
function verdict(ok: boolean, yes = 'yes', no = 'no'): HTMLElement {
  return h('span', { class: ok ? 'sev-ok' : 'sev-warning' }, `${ok ? '✓' : '✗'} ${ok ? yes : no}`);
}

/**
 * Package health per assembly (NuGet Package Explorer's health panel): where its symbols are,
 * Source Link, deterministic build, compiler flags; each ✗ explained with its fix under the table.
 */
export function renderHealth(model: InspectorModel): HTMLElement {
  const health = model.health ?? [];
  if (health.length === 0) {
    return h('p', { class: 'muted', id: 'health' }, model.kind === 'snupkg' ? 'A symbol package: its PDBs are checked against the .nupkg beside it (see Checks).' : 'No .NET assemblies in lib/, ref/, runtimes/ or tools/.');
  }
  const body = h('tbody');
  const notes = h('ul', { class: 'health-notes' });
  const byNote = new Map<string, string[]>();
  for (const entry of health) {
    const symbols = entry.pdb === 'none' ? verdict(false, '', 'none')
      : entry.pdbMatches === false ? verdict(false, '', `${PDB_WORDS[entry.pdb]}, from another build`)
        : entry.portable === false ? verdict(false, '', `${PDB_WORDS[entry.pdb]}, Windows PDB`)
          : verdict(true, PDB_WORDS[entry.pdb]);
    body.appendChild(h('tr', { 'data-path': entry.file },
      h('td', { class: 'path-cell', 'data-label': 'File' }, h('code', {}, entry.file)), h('td', { 'data-label': 'Symbols' }, symbols), h('td', { 'data-label': 'Source Link' }, verdict(entry.sourceLink)),
      h('td', { 'data-label': 'Deterministic' }, verdict(entry.deterministic)), h('td', { 'data-label': 'Compiler flags' }, verdict(entry.compilerFlags)),
      h('td', { 'data-label': 'Embedded sources' }, String(entry.embeddedSources))));
    for (const note of entry.notes) {
      byNote.set(note, [...(byNote.get(note) ?? []), entry.file]);
    }
  }
  // One line per problem, naming its assemblies (nine builds of one library share their notes).
  for (const [note, files] of byNote) {
    const shown = files.slice(0, 3).flatMap((file, index) => [...(index > 0 ? [', '] : []), h('code', {}, file)]);
    notes.appendChild(h('li', {}, ...shown, files.length > 3 ? ` and ${files.length - 3} more` : '', `: ${note}`));
  }
  const table = h('table', { class: 'metadata', id: 'health' },
    h('thead', {}, h('tr', {}, h('th', {}, 'File'), h('th', {}, 'Symbols'), h('th', {}, 'Source Link'), h('th', {}, 'Deterministic'), h('th', {}, 'Compiler flags'), h('th', {}, 'Embedded sources'))), body);
  return h('div', { id: 'health-section' }, table, ...(notes.childNodes.length > 0 ? [notes] : []));
}

/** The Health section's badge: how many assemblies have every check passing. */
export function healthSummary(model: InspectorModel): string {
  const health = model.health ?? [];
  const healthy = health.filter((entry) => entry.notes.length === 0).length;
  return health.length === 0 ? '' : `${healthy} of ${health.length} healthy`;
}
