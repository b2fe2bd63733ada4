/**
 * A package as a read-only folder: `nupkg:/<package file name>/<entry path>?<the package's URI>`:
 * the path names the package, so entries of two packages (two versions of one id) never look like
 * one folder's, and the query says where the package is. VS Code shows such
 * documents read-only (the file system says so), names the tab after the entry
 * (`Contoso.Utils.nuspec`), and never asks to save them. Reads go through the random-access
 * package reader with a size cap; nothing can be written, renamed or deleted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { openPackage, type OpenedPackage } from '../../core/nupkg/package';
import { forgetTemp, trackTemp } from '../../core/tempFiles';

export const PACKAGE_SCHEME = 'nupkg';

/** Largest entry served (a larger one is refused with its size). */
const MAX_ENTRY_BYTES = 16 * 1048576;

/** The URI of an entry inside a package. */
export function entryUri(packageUri: vscode.Uri, entryPath: string): vscode.Uri {
  const entry = entryPath.replace(/^\/+/, '');
  return vscode.Uri.from({ scheme: PACKAGE_SCHEME, path: `/${basename(packageUri.path)}${entry ? `/${entry}` : ''}`, query: packageUri.toString() });
}

export interface LocalCopy {
  readonly path: string;
  release(): Promise<void>;
}

/** The package as a local file: itself, or a temporary copy of a remote one (released after use). */
export async function localCopy(uri: vscode.Uri): Promise<LocalCopy> {
  if (uri.scheme === 'file') {
    return { path: uri.fsPath, release: async () => undefined };
  }
  const folder = await mkdtemp(join(tmpdir(), 'nuget-inspect-'));
  trackTemp(folder); // removed on deactivation if still in use
  const release = async (): Promise<void> => {
    await rm(folder, { recursive: true, force: true });
    forgetTemp(folder);
  };
  const path = join(folder, basename(uri.path));
  await vscode.workspace.fs.writeFile(vscode.Uri.file(path), await vscode.workspace.fs.readFile(uri));
  return { path, release };
}

/** Runs `use` on the opened package (a .nupkg/.snupkg URI). */
export async function withPackage<T>(packageUri: vscode.Uri, use: (pkg: OpenedPackage) => Promise<T>): Promise<T> {
  const local = await localCopy(packageUri);
  try {
    const pkg = await openPackage(local.path);
    try {
      return await use(pkg);
    } finally {
      await pkg.close();
    }
  } finally {
    await local.release();
  }
}

/** The package behind a nupkg: URI (its query). */
function packageOf(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.parse(uri.query, true);
}

/** The entry path inside the package: the URI's path after its first segment (the package's file name). */
function entryPath(uri: vscode.Uri): string {
  return uri.path.replace(/^\/+/, '').split('/').slice(1).join('/');
}

export class PackageFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  public readonly onDidChangeFile = this.changed.event;

  public static register(): vscode.Disposable {
    return vscode.workspace.registerFileSystemProvider(PACKAGE_SCHEME, new PackageFileSystem(), { isReadonly: true, isCaseSensitive: true });
  }

  public watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined); // a package does not change under us
  }

  public async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const path = entryPath(uri);
    return withPackage(packageOf(uri), async (pkg) => {
      const names = [pkg.nuspecEntry, ...pkg.files.map((file) => file.path)];
      const file = pkg.files.find((candidate) => candidate.path === path);
      if (file || path === pkg.nuspecEntry) {
        return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: file?.size ?? 0, permissions: vscode.FilePermission.Readonly };
      }
      if (path === '' || names.some((name) => name.startsWith(`${path}/`))) {
        return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
      }
      throw vscode.FileSystemError.FileNotFound(uri);
    });
  }

  public async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const prefix = entryPath(uri) ? `${entryPath(uri)}/` : '';
    return withPackage(packageOf(uri), async (pkg) => {
      const children = new Map<string, vscode.FileType>();
      for (const name of new Set([pkg.nuspecEntry, ...pkg.files.map((file) => file.path)])) {
        if (name.startsWith(prefix)) {
          const [first, ...rest] = name.slice(prefix.length).split('/');
          children.set(first, rest.length > 0 ? vscode.FileType.Directory : vscode.FileType.File);
        }
      }
      return [...children.entries()];
    });
  }

  public async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const path = entryPath(uri);
    return withPackage(packageOf(uri), async (pkg) => {
      if (path !== pkg.nuspecEntry && !pkg.hasFile(path)) {
        throw vscode.FileSystemError.FileNotFound(uri);
      }
      return pkg.readFile(path, MAX_ENTRY_BYTES);
    });
  }

  public createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  public writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  public delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  public rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}

/** Files opened as text: the package's XML, MSBuild, scripts, docs and sources. */
const TEXT_EXTENSIONS = /\.(nuspec|xml|props|targets|ps1|psm1|psd1|md|txt|json|cs|fs|vb|fsx|csx|config|rels|psmdcp|ya?ml|csv|html?|css|js|mjs|ts|editorconfig|ruleset|tt|resx|xaml|sh|cmd|bat|ini|toml|in|transform|pp)$/i;

/**
 * Opens one entry of a package in a read-only editor tab (syntax colouring from its extension);
 * a binary entry is refused with its size and SHA-256, so the user can still identify it.
 */
export async function openPackageEntry(packageUri: vscode.Uri, path: string, show: (message: string) => void): Promise<vscode.TextEditor | undefined> {
  const uri = entryUri(packageUri, path);
  const data = await vscode.workspace.fs.readFile(uri);
  const looksBinary = !TEXT_EXTENSIONS.test(path) || data.subarray(0, 8192).includes(0);
  if (looksBinary) {
    const { createHash } = await import('node:crypto');
    show(`${path} is a binary file (${data.length.toLocaleString('en-US')} bytes, SHA-256 ${createHash('sha256').update(data).digest('hex').toUpperCase()}): not opened as text.`);
    return undefined;
  }
  return vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

interface ContentsNode {
  readonly uri: vscode.Uri;
  readonly type: vscode.FileType;
  /** The package root (a top-level node), with its package's URI. */
  readonly packageUri?: vscode.Uri;
}

/**
 * "Package Contents" in the Explorer: the packages opened as folders, each a read-only tree over the
 * nupkg: file system. Adding a workspace folder instead reloaded the window (a single-folder
 * workspace becomes an untitled multi-root one) and closed the open tabs; this view keeps the window.
 */
export class PackageContentsView implements vscode.TreeDataProvider<ContentsNode> {
  public static readonly VIEW_ID = 'nugetPublisher.packageContents';
  private readonly packages: vscode.Uri[] = [];
  private readonly changed = new vscode.EventEmitter<ContentsNode | undefined>();
  public readonly onDidChangeTreeData = this.changed.event;

  public static register(): { view: PackageContentsView; disposable: vscode.Disposable } {
    const view = new PackageContentsView();
    const tree = vscode.window.createTreeView(PackageContentsView.VIEW_ID, { treeDataProvider: view, showCollapseAll: true });
    return { view, disposable: vscode.Disposable.from(tree, view.changed) };
  }

  /** Shows a package in the view (first in the list), without touching the workspace. */
  public async add(packageUri: vscode.Uri): Promise<void> {
    const index = this.packages.findIndex((uri) => uri.toString() === packageUri.toString());
    if (index >= 0) {
      this.packages.splice(index, 1);
    }
    this.packages.unshift(packageUri);
    await vscode.commands.executeCommand('setContext', 'nugetPublisher.packageContentsOpen', true);
    this.changed.fire(undefined);
    await vscode.commands.executeCommand(`${PackageContentsView.VIEW_ID}.focus`);
  }

  public close(node?: ContentsNode): void {
    const target = node?.packageUri;
    this.packages.splice(0, this.packages.length, ...this.packages.filter((uri) => target !== undefined && uri.toString() !== target.toString()));
    void vscode.commands.executeCommand('setContext', 'nugetPublisher.packageContentsOpen', this.packages.length > 0);
    this.changed.fire(undefined);
  }

  public list(): readonly vscode.Uri[] {
    return this.packages;
  }

  public async getChildren(node?: ContentsNode): Promise<ContentsNode[]> {
    if (!node) {
      return this.packages.map((packageUri) => ({ uri: entryUri(packageUri, ''), type: vscode.FileType.Directory, packageUri }));
    }
    const entries = await vscode.workspace.fs.readDirectory(node.uri);
    return entries
      .sort(([a, aType], [b, bType]) => (aType === bType ? a.localeCompare(b) : aType === vscode.FileType.Directory ? -1 : 1))
      .map(([name, type]) => ({ uri: vscode.Uri.from({ scheme: PACKAGE_SCHEME, path: `${node.uri.path}/${name}`, query: node.uri.query }), type }));
  }

  public getTreeItem(node: ContentsNode): vscode.TreeItem {
    const folder = node.type === vscode.FileType.Directory;
    const item = new vscode.TreeItem(node.packageUri ? basename(node.packageUri.path) : basename(node.uri.path), folder ? (node.packageUri ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None);
    item.resourceUri = node.uri;
    item.contextValue = node.packageUri ? 'packageRoot' : folder ? 'packageFolder' : 'packageEntry';
    if (node.packageUri) {
      item.description = 'read-only';
      item.tooltip = node.packageUri.fsPath || node.packageUri.toString();
    }
    if (!folder) {
      item.command = { command: 'nugetPublisher.openPackageEntry', title: 'Open', arguments: [vscode.Uri.parse(node.uri.query, true), entryPath(node.uri)] };
    }
    return item;
  }
}

let contentsView: PackageContentsView | undefined;

/** The Package Contents view, once registered by activate(). */
export function usePackageContentsView(view: PackageContentsView): void {
  contentsView = view;
}

/** "Close Package" on a package in the Package Contents view. */
export function closePackageContents(node?: unknown): void {
  contentsView?.close(node as ContentsNode | undefined);
}

/** Shows the package in the Explorer's Package Contents view, as a read-only folder; the window stays as it is. */
export async function openPackageAsFolder(packageUri: vscode.Uri): Promise<boolean> {
  if (!contentsView) {
    return false;
  }
  await contentsView.add(packageUri);
  return true;
}
