/** activate(): wires the services and registers everything; nothing else. */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { useHealthReader } from './core/health';
import { configureEditorNetwork } from './vscode/network';
import { analysisInWorker } from './core/analysisWorkerClient';
import { useApiDiffReader } from './core/api/apiDiff';
import { removeTempsNow } from './core/tempFiles';
import { registerCommands, commandFactories } from './vscode/commands/index';
import { readSettings, watchSettings } from './vscode/config';
import { InspectorEditorProvider, lastPostedMessages, liveInspectorPanels } from './vscode/inspector/inspectorEditor';
import { PackageContentsView, PackageFileSystem, usePackageContentsView } from './vscode/inspector/packageFileSystem';
import type { ToWebview } from './shared/protocol';
import { createLog, shownMessages, showError, type Log } from './vscode/log';
import { KeyStore } from './vscode/keys/keyStore';
import { initWalkthrough, markDone, openWalkthroughOnFirstRun } from './vscode/walkthrough';
import { KeysPanel, keysPanelMessages } from './vscode/keys/keysPanel';
import { SnapshotProvider, shownDiffs } from './vscode/diff/diffCommands';
import { registerSigning } from './vscode/signing/signingCommands';
import type { PackageDiff } from './core/diff/packageDiff';
import { remindExpiringKeys, scheduleExpiryReminders } from './vscode/keys/expiryReminders';
import type { ToKeysWebview } from './shared/keysProtocol';
import { FeedTreeProvider } from './vscode/explorer/feedTree';
import { TrackerService } from './vscode/track/trackerService';
import { readFeeds } from './vscode/feeds/feedSettings';
import type { PublishReport } from './core/publish/publish';
import { NuspecDiagnostics } from './vscode/nuspecDiagnostics';
import { PackageProblems } from './vscode/packageProblems';
import type { Services } from './vscode/services';
import { answerQuestionsWith, askedQuestions, type Question, type TestAnswerer } from './vscode/dialogs';

/** The Explorer's Package Contents view (Open Package as Folder), kept for the commands. */
function registerPackageContents(): vscode.Disposable {
  const { view, disposable } = PackageContentsView.register();
  usePackageContentsView(view);
  packageContents = view;
  return disposable;
}

let packageContents: PackageContentsView | undefined;

/** What activate() returns: used by the extension-host tests. */
export interface ExtensionApi {
  readonly commandIds: readonly string[];
  readonly services: Services;
  /** The last message posted to each open inspector, by package URI. */
  readonly inspectorMessages: ReadonlyMap<string, ToWebview>;
  /** Every notification text shown through the log's notify (scrubbed of secrets). */
  readonly shownMessages: readonly string[];
  readonly log: Log;
  /** Every message posted to the keys webview. */
  readonly keysPanelMessages: readonly ToKeysWebview[];
  /** The release diffs shown, newest last. */
  readonly shownDiffs: readonly PackageDiff[];
  /** Runs the expiry reminder check now (it also runs at start-up and every 6 hours). */
  readonly remindExpiringKeys: () => Promise<string[]>;
  /** Webview panels (inspectors and the keys panel) not yet disposed. */
  readonly liveWebviews: () => number;
  /** Every confirmation, password box and pick-many question asked (dialogs.ts), newest last. */
  readonly askedQuestions: readonly Question[];
  /** The Explorer's Package Contents view. */
  packageContents(): PackageContentsView | undefined;
  /** The thread that answered the last health read or API diff (0 would be the extension host's). */
  analysisThreadId(): number | undefined;
  /** Answers those questions in the tests (the shipped bundle has no such door). */
  readonly answerQuestionsWith: (answerer: TestAnswerer | undefined) => void;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi | undefined {
  const started = performance.now();
  const log = createLog(context);
  try {
    // First, so that the settings cache is dropped before any other listener reads a changed setting.
    context.subscriptions.push(watchSettings());
    // Before anything may send a request: every request follows VS Code's proxy and certificate settings.
    context.subscriptions.push(configureEditorNetwork(context, log));
    const packageProblems = new PackageProblems();
    context.subscriptions.push(packageProblems);
    const keys = new KeyStore(context, log);
    const onPublished = new vscode.EventEmitter<PublishReport>();
    context.subscriptions.push(keys, onPublished);
    const tracker = new TrackerService(context, log, keys, onPublished.event);
    // Reads carry the Basic credentials stored for the feed's origin (GitHub Packages and Azure Artifacts need them).
    const feedTree = new FeedTreeProvider(keys);
    context.subscriptions.push(tracker, feedTree, vscode.window.createTreeView('nugetPublisher.feeds', { treeDataProvider: feedTree, showCollapseAll: true }));
    const services: Services = { context, log, packageProblems, keys, onPublished, tracker, feedTree };

    // Package health (PDBs inflated, hashed and walked) and API diffs (whole metadata tables) are
    // read on a worker thread, not the extension host's.
    const analysis = analysisInWorker(join(context.extensionPath, 'dist', 'analysisWorker.js'));
    useHealthReader(analysis.health);
    useApiDiffReader((older, newer) => analysis.api(older, newer));
    context.subscriptions.push({ dispose: () => { useHealthReader(undefined); useApiDiffReader(undefined); void analysis.dispose(); } });
    readFeeds(log); // reports unusable feed entries once, in the log
    initWalkthrough(context);
    if (readFeeds().feeds.some((feed) => feed.kind !== 'nuget.org')) {
      markDone('feedAdded');
    }
    if (keys.list().length > 0) {
      markDone('keyStored');
    }
    context.subscriptions.push(
      keys.onDidChange(() => keys.list().length > 0 && markDone('keyStored')),
      onPublished.event(() => markDone('published')),
      // The Feeds view shows what was just published (its package's versions are read again).
      onPublished.event((report) => feedTree.refreshPackage(report.feed.name, report.id)),
      tracker.onDidChange(() => tracker.list().length > 0 && markDone('tracked')),
    );
    context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('nugetPublisher.feeds')) {
        // A feed besides nuget.org completes the walkthrough's first step.
        if (readFeeds(log).feeds.some((feed) => feed.kind !== 'nuget.org')) {
          markDone('feedAdded');
        }
      }
    }));
    log.info('activate', `NuGet Publisher ${context.extension.packageJSON.version as string} on VS Code ${vscode.version}; settings ${JSON.stringify({ ...readSettings(), feeds: undefined })}`);
    context.subscriptions.push(
      ...registerCommands(services),
      InspectorEditorProvider.register(services),
      PackageFileSystem.register(),
      registerPackageContents(),
      new NuspecDiagnostics(log),
      KeysPanel.register(services),
      registerSigning(),
      SnapshotProvider.register(),
      scheduleExpiryReminders(services),
    );
    // Measured by `npm run bench` (scripts/bench-activation.mjs): activate() from entry to return.
    log.info('activate', `activated in ${(performance.now() - started).toFixed(1)} ms`);
    void openWalkthroughOnFirstRun(context, readSettings().openWalkthroughOnFirstRun).catch((error: unknown) => log.warn('activate', `could not open the walkthrough: ${String(error)}`));
    // The API exists for the extension-host tests only: the shipped bundle has none of it.
    return NP_TEST_HOOKS ? { commandIds: Object.keys(commandFactories), services, inspectorMessages: lastPostedMessages, shownMessages, log, keysPanelMessages, remindExpiringKeys: () => remindExpiringKeys(services), shownDiffs, liveWebviews: () => liveInspectorPanels.size + (KeysPanel.isOpen() ? 1 : 0), askedQuestions, answerQuestionsWith, analysisThreadId: () => analysis.lastThreadId(), packageContents: () => packageContents } : undefined;
  } catch (error) {
    // VS Code does not show activation errors: log them and tell the user.
    const detail = error instanceof Error ? error.stack ?? error.message : String(error);
    log.error('activate', `activation failed: ${detail}`);
    void showError(log, `NuGet Publisher failed to start: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

export function deactivate(): void {
  // Everything else is disposed through context.subscriptions; a pack or push cut short by the
  // window closing leaves no temporary file behind.
  removeTempsNow();
}
