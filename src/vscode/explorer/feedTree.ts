/**
 * The "Feeds" view: feeds → packages → versions. Children load lazily and are cached until
 * Refresh; a refresh aborts the requests still running for the old tree; lists come in pages of
 * 100 with a "Load more" node; a failure becomes an error node naming the cause, never a crash
 * or an empty tree.
 */
import * as vscode from 'vscode';
import { describeError, NuGetPublisherError } from '../../core/errors';
import { feedOrigin, type Feed } from '../../core/feeds/feed';
import { folderPackages, PAGE_SIZE, type PackageInfo, type VersionInfo } from '../../core/feeds/explorerModel';
import { readFeeds } from '../feeds/feedSettings';
import type { KeyStore } from '../keys/keyStore';

export type TreeNode = FeedNode | PackageNode | VersionNode | MoreNode | MessageNode;

/** Node shapes double as command arguments: { feed, id, version } is what Unlist/Relist/Track take. */
export interface FeedNode { readonly kind: 'feed'; readonly feed: string; readonly name: string; readonly feedInfo: Feed }
export interface PackageNode { readonly kind: 'package'; readonly feed: string; readonly id: string; readonly info: PackageInfo; readonly feedInfo: Feed }
export interface VersionNode { readonly kind: 'version'; readonly feed: string; readonly id: string; readonly version: string; readonly info: VersionInfo; readonly feedInfo: Feed }
export interface MoreNode { readonly kind: 'more'; readonly parent: FeedNode | PackageNode; readonly key: string }
export interface MessageNode { readonly kind: 'message'; readonly text: string; readonly detail?: string; readonly error?: boolean; readonly command?: vscode.Command }

function compact(count: number | undefined): string {
  if (count === undefined) {
    return '';
  }
  return count >= 1e6 ? `${(count / 1e6).toFixed(1)}M` : count >= 1e3 ? `${(count / 1e3).toFixed(1)}K` : String(count);
}

function formatDate(iso: string | undefined): string {
  return iso && !iso.startsWith('1900-') ? iso.slice(0, 10) : '';
}

export class FeedTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  public readonly onDidChangeTreeData = this.changed.event;
  /** Loaded items per node key, and how far paging has gone. */
  private readonly loaded = new Map<string, { items: TreeNode[]; next?: number }>();
  private controller = new AbortController();
  private readonly disposables: vscode.Disposable[] = [];

  public constructor(private readonly keys: KeyStore) {
    this.disposables.push(this.changed, vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('nugetPublisher.feeds')) {
        this.refresh();
      }
    }), keys.onDidChange(() => this.changed.fire(undefined)));
    void this.updateContext();
  }

  /** Drops every cache and aborts what is still loading. */
  public refresh(node?: FeedNode | PackageNode): void {
    if (node) {
      for (const key of [...this.loaded.keys()]) {
        if (key.startsWith(this.key(node))) {
          this.loaded.delete(key);
        }
      }
    } else {
      this.controller.abort();
      this.controller = new AbortController();
      this.loaded.clear();
    }
    void this.updateContext();
    this.changed.fire(node);
  }

  /**
   * Reloads one package's versions, keeping the feed's package list as it was (after an unlist the
   * package leaves search results, but it is still the package the user is looking at).
   */
  public refreshPackage(feedName: string, id: string): void {
    const key = `${feedName}\u0000${id.toLowerCase()}`;
    this.loaded.delete(key);
    this.versionCache.delete(key);
    this.changed.fire(undefined);
  }

  private async updateContext(): Promise<void> {
    const { feeds } = readFeeds();
    await vscode.commands.executeCommand('setContext', 'nugetPublisher.noFeeds', feeds.length === 0);
  }

  private key(node: FeedNode | PackageNode): string {
    return node.kind === 'feed' ? `${node.feed}` : `${node.feed}\u0000${node.id.toLowerCase()}`;
  }

  public getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'feed': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = node.feedInfo.kind;
        item.tooltip = `${node.feedInfo.source}\n${node.feedInfo.kind}`;
        item.iconPath = new vscode.ThemeIcon(node.feedInfo.kind === 'folder' ? 'folder-library' : 'globe');
        item.contextValue = `feed-${node.feedInfo.kind}`;
        item.id = `feed:${node.feed}`;
        return item;
      }
      case 'package': {
        const item = new vscode.TreeItem(node.info.id, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = [node.info.latest, node.info.totalDownloads !== undefined ? `${compact(node.info.totalDownloads)} downloads` : undefined].filter(Boolean).join(' · ');
        item.tooltip = new vscode.MarkdownString([`**${node.info.id}**${node.info.verified ? ' $(verified-filled) verified prefix' : ''}`, node.info.description ?? '', node.info.owners.length ? `Owners: ${node.info.owners.join(', ')}` : ''].filter(Boolean).join('\n\n'), true);
        item.iconPath = new vscode.ThemeIcon(node.info.verified ? 'verified-filled' : 'package');
        item.contextValue = `package-${node.feedInfo.kind}`;
        item.id = `package:${node.feed}:${node.id.toLowerCase()}`;
        return item;
      }
      case 'version': {
        const { info } = node;
        const item = new vscode.TreeItem(info.version, vscode.TreeItemCollapsibleState.None);
        item.description = [info.listed ? '' : 'unlisted', formatDate(info.published), info.semVer2 ? 'SemVer 2.0.0' : '', info.deprecated ? `deprecated: ${info.deprecated}` : ''].filter(Boolean).join(' · ');
        item.tooltip = `${node.id} ${info.version}${info.listed ? '' : ' (unlisted: hidden from search, still restorable)'}${info.deprecated ? `\nDeprecated: ${info.deprecated}` : ''}`;
        // Unlisted versions are greyed out.
        item.iconPath = new vscode.ThemeIcon(info.deprecated ? 'warning' : info.listed ? 'tag' : 'eye-closed', info.listed ? undefined : new vscode.ThemeColor('disabledForeground'));
        item.contextValue = `version-${info.listed ? 'listed' : 'unlisted'}-${node.feedInfo.kind}`;
        item.id = `version:${node.feed}:${node.id.toLowerCase()}:${info.version.toLowerCase()}`;
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'nugetPublisher.loadMore', title: 'Load more', arguments: [node] };
        item.contextValue = 'more';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.tooltip = node.detail ?? node.text;
        item.iconPath = new vscode.ThemeIcon(node.error ? 'error' : 'info', node.error ? new vscode.ThemeColor('errorForeground') : undefined);
        item.command = node.command;
        item.contextValue = node.error ? 'error' : 'message';
        return item;
      }
    }
  }

  public async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      return this.roots();
    }
    if (node.kind !== 'feed' && node.kind !== 'package') {
      return [];
    }
    const key = this.key(node);
    let entry = this.loaded.get(key);
    if (!entry) {
      try {
        entry = await this.loadPage(node, 0, this.controller.signal);
      } catch (error) {
        if (this.controller.signal.aborted) {
          return [];
        }
        // Not cached: Refresh (or expanding again) tries once more. A feed that wants credentials
        // to read gets an "Add Key…" action on the error node.
        const code = error instanceof NuGetPublisherError ? error.code : '';
        if (code === 'NP3006' || code === 'NP4003') {
          return [{ kind: 'message', text: `${node.feedInfo.name} wants credentials to read: Add Key…`, detail: describeError(error), error: true, command: { command: 'nugetPublisher.addKey', title: 'Add Key…', arguments: [{ feed: node.feedInfo.name }] } }];
        }
        return [{ kind: 'message', text: `Cannot load: ${describeError(error)}`, detail: describeError(error), error: true }];
      }
      this.loaded.set(key, entry);
    }
    return entry.next !== undefined ? [...entry.items, { kind: 'more', parent: node, key }] : entry.items;
  }

  /** "Load more…": appends the next page to the cached list. */
  public async loadMore(more: MoreNode): Promise<void> {
    const entry = this.loaded.get(more.key);
    if (!entry || entry.next === undefined) {
      return;
    }
    try {
      const page = await this.loadPage(more.parent, entry.next, this.controller.signal);
      this.loaded.set(more.key, { items: [...entry.items, ...page.items], next: page.next });
    } catch (error) {
      this.loaded.set(more.key, { items: [...entry.items, { kind: 'message', text: `Cannot load more: ${describeError(error)}`, error: true }], next: undefined });
    }
    this.changed.fire(more.parent);
  }

  private roots(): TreeNode[] {
    const { feeds, problems } = readFeeds();
    const nodes: TreeNode[] = feeds.map((feed) => ({ kind: 'feed', feed: feed.name, name: feed.name, feedInfo: feed }));
    if (feeds.length > 0 && this.keys.list().length === 0 && feeds.some((feed) => feedOrigin(feed) !== undefined)) {
      nodes.unshift({ kind: 'message', text: 'No API key stored yet: Add Key…', detail: 'Publishing to nuget.org and most servers needs a key; folder feeds do not.', command: { command: 'nugetPublisher.addKey', title: 'Add Key…' } });
    }
    for (const problem of problems) {
      nodes.push({ kind: 'message', text: problem.message, error: true, command: { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['nugetPublisher.feeds'] } });
    }
    return nodes;
  }

  /** Versions of a package are fetched whole (one registration walk) and paged locally. */
  private readonly versionCache = new Map<string, VersionInfo[]>();

  private async loadPage(node: FeedNode | PackageNode, start: number, signal: AbortSignal): Promise<{ items: TreeNode[]; next?: number }> {
    const feed = node.feedInfo;
    if (node.kind === 'feed') {
      if (feed.kind === 'v2') {
        // A V2 push endpoint takes pushes, unlists and relists but cannot be browsed.
        return { items: [{ kind: 'message', text: 'A V2 push endpoint: publish, unlist and relist work; it cannot be browsed.', detail: 'Add the server\'s V3 index.json URL as another feed to browse it.' }] };
      }
      if (feed.kind === 'folder') {
        const all = await folderPackages(feed);
        if (all.length === 0) {
          // An empty folder says so (it used to expand to nothing, which looked broken).
          return { items: [{ kind: 'message', text: 'No packages yet: publish one here', detail: `Nothing has been published to ${feed.source} yet.`, command: { command: 'nugetPublisher.publishPackage', title: 'Publish package' } }] };
        }
        const slice = all.slice(start, start + PAGE_SIZE);
        return { items: slice.map((info) => this.packageNode(feed, info)), next: start + PAGE_SIZE < all.length ? start + PAGE_SIZE : undefined };
      }
      const client = this.keys.clientFor(feed);
      if (feed.kind === 'nuget.org' && !feed.owners?.length) {
        return { items: [{ kind: 'message', text: 'Set your owner names to list your packages', detail: 'Click to enter your nuget.org user and organization names.', command: { command: 'nugetPublisher.setFeedOwners', title: 'Set Owner Names…', arguments: [{ feed: feed.name }] } }] };
      }
      if (feed.owners?.length) {
        // Each owner's packages (nuget.org `owner:NAME`); owners are few, so their lists are joined.
        const seen = new Set<string>();
        const items: TreeNode[] = [];
        for (const owner of feed.owners) {
          for (let skip = 0, more = true; more; ) {
            const page = await client.packages(`owner:${owner}`, skip, signal);
            for (const info of page.items) {
              if (!seen.has(info.id.toLowerCase())) {
                seen.add(info.id.toLowerCase());
                items.push(this.packageNode(feed, info));
              }
            }
            more = page.next !== undefined && items.length < 2000;
            skip = page.next ?? skip;
          }
        }
        return { items: items.length ? items : [{ kind: 'message', text: `No packages for ${feed.owners.join(', ')}` }] };
      }
      const page = await client.packages('', start, signal);
      const items = page.items.map((info) => this.packageNode(feed, info));
      return { items: items.length || start > 0 ? items : [{ kind: 'message', text: 'No packages yet' }], next: page.next };
    }
    const cacheKey = this.key(node);
    let versions = this.versionCache.get(cacheKey);
    if (!versions || start === 0) {
      versions = await this.keys.clientFor(feed).packageVersions(node.id, signal);
      this.versionCache.set(cacheKey, versions);
    }
    const slice = versions.slice(start, start + PAGE_SIZE);
    return { items: slice.map((info) => ({ kind: 'version', feed: feed.name, id: node.id, version: info.version, info, feedInfo: feed })), next: start + PAGE_SIZE < versions.length ? start + PAGE_SIZE : undefined };
  }

  private packageNode(feed: Feed, info: PackageInfo): PackageNode {
    return { kind: 'package', feed: feed.name, id: info.id, info, feedInfo: feed };
  }

  public dispose(): void {
    this.controller.abort();
    this.disposables.forEach((disposable) => disposable.dispose());
  }
}
