/**
 * "NuGet: Manage Keys and Owners": one webview panel (restored after a reload by a serializer)
 * whose messages are handled by the core KeysPanelController. Key values never cross into the
 * webview: adding and replacing run the password-box commands. Every posted message is recorded
 * so the tests can prove that.
 */
import * as vscode from 'vscode';
import { openExternalSafely } from '../openExternal';
import { packageDetailsUrl, type SearchHit } from '../../core/feeds/feedReads';
import type { Feed } from '../../core/feeds/feed';
import { hasResource, resourceUrl } from '../../core/feeds/serviceIndex';
import { KeysPanelController, ownersFeed } from '../../core/keys/keysPanel';
import type { KeyRecord } from '../../core/keys/keys';
import { describeError } from '../../core/errors';
import { isFromKeysWebview, type OwnersFeed, type ToKeysWebview } from '../../shared/keysProtocol';
import { readFeeds } from '../feeds/feedSettings';
import { notify } from '../log';
import { scrubDeep } from '../../core/secrets/scrubber';
import type { FeedClient } from '../../core/feeds/feedClient';
import type { Services } from '../services';
import { renderHtml, webviewOptions } from '../webview/html';
import { removeKey, replaceKey, testKey, addKey } from './keyCommands';
import { readSettings } from '../config';

export const KEYS_VIEW_TYPE = 'nugetPublisher.keys';

/** Every message posted to the keys webview (the tests scan them for secrets). */
export const keysPanelMessages: ToKeysWebview[] = [];

function reminderDays(): number {
  return readSettings().keys.expiryReminderDays;
}

async function loadOwners(clientFor: (feed: Feed) => FeedClient): Promise<OwnersFeed[]> {
  const result: OwnersFeed[] = [];
  for (const feed of readFeeds().feeds) {
    if (feed.kind === 'folder' || feed.kind === 'nuget-server') {
      result.push({ feedName: feed.name, owners: [], packages: [], note: `${feed.kind === 'folder' ? 'A folder feed' : 'nuget-server'} has no package owners: whoever may write to it can publish any id.` });
      continue;
    }
    if (feed.kind !== 'nuget.org') {
      result.push({ feedName: feed.name, owners: [], packages: [], note: 'This feed has no owner concept in the NuGet protocol: permissions are managed on the server itself.' });
      continue;
    }
    if (!feed.owners?.length) {
      result.push({ feedName: feed.name, owners: [], packages: [], note: 'Add your nuget.org user and organization names as "owners" to this feed in the nugetPublisher.feeds setting to see your packages and their owners.' });
      continue;
    }
    try {
      const client = clientFor(feed);
      const index = await client.serviceIndex();
      const hits = new Map<string, SearchHit[]>();
      for (const owner of feed.owners) {
        hits.set(owner, (await client.search({ q: `owner:${owner}`, take: 200 })).data);
      }
      const ownerTemplate = hasResource(index, 'ownerDetails') ? resourceUrl(index, 'ownerDetails') : undefined;
      result.push(ownersFeed(feed, hits, {
        packagePage: (id) => packageDetailsUrl(index, id),
        ownerPage: (owner) => (ownerTemplate ? ownerTemplate.replace('{owner}', encodeURIComponent(owner)) : `https://www.nuget.org/profiles/${encodeURIComponent(owner)}`),
      }));
    } catch (error) {
      result.push({ feedName: feed.name, owners: [], packages: [], error: describeError(error) });
    }
  }
  return result;
}

export class KeysPanel implements vscode.Disposable {
  private static current: KeysPanel | undefined;

  /** Is the panel open (not yet disposed)? */
  public static isOpen(): boolean {
    return KeysPanel.current !== undefined;
  }
  private readonly disposables: vscode.Disposable[] = [];
  private readonly controller: KeysPanelController;

  public static show(services: Services): KeysPanel {
    if (KeysPanel.current) {
      KeysPanel.current.panel.reveal();
      return KeysPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(KEYS_VIEW_TYPE, 'NuGet Keys and Owners', vscode.ViewColumn.Active, { ...webviewOptions(services.context.extensionUri), retainContextWhenHidden: false });
    KeysPanel.current = new KeysPanel(panel, services);
    return KeysPanel.current;
  }

  /** Restores the panel after a reload (its webview state keeps the tab and the glob text). */
  public static register(services: Services): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(KEYS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => {
        panel.webview.options = webviewOptions(services.context.extensionUri);
        KeysPanel.current?.dispose();
        KeysPanel.current = new KeysPanel(panel, services);
      },
    });
  }

  private readonly scrub: (text: string) => string;

  private constructor(private readonly panel: vscode.WebviewPanel, services: Services) {
    this.scrub = (text) => services.log.scrub(text);
    const ref = (record: KeyRecord): { origin: string; label: string } => ({ origin: record.origin, label: record.label });
    this.controller = new KeysPanelController({
      records: () => services.keys.list(),
      feeds: () => readFeeds().feeds,
      reminderDays,
      post: (message) => this.post(message),
      addKey: (feed) => addKey(services, feed ? { feed } : {}),
      replaceKey: (record) => replaceKey(services, ref(record)),
      testKey: (record) => testKey(services, ref(record)),
      removeKey: (record) => removeKey(services, ref(record)),
      updateKey: (record, changes) => services.keys.update(record, changes),
      openExternal: (url) => openExternalSafely(url),
      // Owners are read through each feed's client, with the credentials stored for its origin.
      owners: () => loadOwners((feed) => services.keys.clientFor(feed)),
      showError: (message) => void notify(services.log, 'error', message),
    });
    panel.iconPath = vscode.Uri.joinPath(services.context.extensionUri, 'media', 'icon.png');
    panel.webview.html = renderHtml(panel.webview, services.context.extensionUri, { title: 'NuGet Keys and Owners', script: 'keys.js', styles: ['keys.css'] });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isFromKeysWebview(message)) {
          services.log.warn('keys', `ignored an unexpected message from the keys webview: ${JSON.stringify(message)?.slice(0, 200)}`);
          return;
        }
        this.controller.handle(message).catch((error: unknown) => void notify(services.log, 'error', `NuGet: ${describeError(error)}`));
      }),
      services.keys.onDidChange(() => this.post(this.controller.state())),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('nugetPublisher')) {
          this.post(this.controller.state());
        }
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(raw: ToKeysWebview): void {
    // Nothing secret is ever put in these messages; the scrub is the second line of defence.
    const message = scrubDeep(raw, this.scrub);
    if (NP_TEST_HOOKS) {
      keysPanelMessages.push(message);
      if (keysPanelMessages.length > 500) {
        keysPanelMessages.shift();
      }
    }
    void this.panel.webview.postMessage(message);
  }

  public dispose(): void {
    if (KeysPanel.current === this) {
      KeysPanel.current = undefined;
    }
    this.disposables.forEach((disposable) => disposable.dispose());
    this.panel.dispose();
  }
}

