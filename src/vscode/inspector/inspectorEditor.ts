/**
 * Read-only custom editor for .nupkg/.snupkg files: opens the package with the core reader,
 * posts the view model to the webview after its "ready" handshake, mirrors findings (or the read
 * error) to the Problems panel, and reloads when the file changes on disk.
 */
import { markDone } from '../walkthrough';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { scrubDeep } from '../../core/secrets/scrubber';
import { NuGetPublisherError, describeError } from '../../core/errors';
import { inspectPackageFile } from '../../core/inspect';
import { entryUri, localCopy, withPackage, type LocalCopy } from './packageFileSystem';
import { buildInspectorModel } from '../../core/inspectorModel';
import { readPackageAssemblies } from '../../core/nupkg/packageAssemblies';
import { sortDiagnostics } from '../../core/validate/diagnostic';
import { isFromWebview, type FromWebview, type InspectorVerification, type ToWebview } from '../../shared/protocol';
import { readSettings } from '../config';
import type { Services } from '../services';
import { renderHtml, webviewOptions } from '../webview/html';

export const INSPECTOR_VIEW_TYPE = 'nugetPublisher.packageInspector';

class PackageDocument implements vscode.CustomDocument {
  public constructor(public readonly uri: vscode.Uri, private readonly onDispose: () => void) {}

  public dispose(): void {
    this.onDispose();
  }
}

/** The last message posted for each package, read by the extension-host tests. */
export const lastPostedMessages = new Map<string, ToWebview>();
/** Inspector webview panels not yet disposed (tests wait for 0 before opening the next one). */
export const liveInspectorPanels = new Set<vscode.WebviewPanel>();
/** The last Verify Signature of each package (by URI), shown in its inspector. */
export const verifications = new Map<string, InspectorVerification>();
/** How each open inspector reloads, by package URI (after Verify or Sign). */
const reloaders = new Map<string, Set<() => Promise<void>>>();

/** Reloads every open inspector of a package. */
export async function reloadInspectors(uri: vscode.Uri): Promise<void> {
  await Promise.all([...(reloaders.get(uri.toString()) ?? [])].map((reload) => reload()));
}

export class InspectorEditorProvider implements vscode.CustomReadonlyEditorProvider<PackageDocument> {
  public constructor(private readonly services: Services) {}

  public static register(services: Services): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(INSPECTOR_VIEW_TYPE, new InspectorEditorProvider(services), {
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    });
  }

  public openCustomDocument(uri: vscode.Uri): PackageDocument {
    return new PackageDocument(uri, () => this.services.packageProblems.clear(uri));
  }

  public resolveCustomEditor(document: PackageDocument, panel: vscode.WebviewPanel): void {
    const { context, log } = this.services;
    panel.webview.options = webviewOptions(context.extensionUri);
    panel.webview.html = renderHtml(panel.webview, context.extensionUri, { title: basename(document.uri.path), script: 'inspector.js', styles: ['inspector.css'] });
    const post = (raw: ToWebview): void => {
      const message = scrubDeep(raw, log.scrub);
      if (NP_TEST_HOOKS) {
        lastPostedMessages.set(document.uri.toString(), message);
      }
      void panel.webview.postMessage(message);
    };
    // Loading starts on the first "ready"; later "ready"s (the webview repeats it until it hears
    // from us, and sends it again after a reload) re-post the result.
    let latest: Promise<ToWebview> | undefined;
    const load = async (): Promise<void> => {
      post({ type: 'loading', fileName: basename(document.uri.path) });
      latest = this.inspect(document.uri);
      post(await latest);
    };
    const answerReady = async (): Promise<void> => {
      if (!latest) {
        await load();
        return;
      }
      post(await latest);
    };
    const subscriptions: vscode.Disposable[] = [];
    subscriptions.push(panel.webview.onDidReceiveMessage((raw: unknown) => {
      if (!isFromWebview(raw)) {
        log.warn('inspector', 'ignored a malformed message from the webview');
        return;
      }
      void this.onMessage(raw, document, load, answerReady);
    }));
    if (document.uri.scheme === 'file') {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(document.uri, '..'), basename(document.uri.path)));
      // A changed file is another package: an earlier verification no longer says anything about it.
      const changed = (): void => {
        verifications.delete(document.uri.toString());
        void load();
      };
      subscriptions.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed));
    }
    liveInspectorPanels.add(panel);
    const key = document.uri.toString();
    reloaders.set(key, (reloaders.get(key) ?? new Set()).add(load));
    panel.onDidDispose(() => {
      liveInspectorPanels.delete(panel);
      reloaders.get(key)?.delete(load);
      subscriptions.forEach((item) => item.dispose());
    });
  }

  private async onMessage(message: FromWebview, document: PackageDocument, load: () => Promise<void>, answerReady: () => Promise<void>): Promise<void> {
    switch (message.type) {
      case 'ready':
        await answerReady();
        break;
      case 'reload':
        await load();
        break;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage('Copied to the clipboard', 2000);
        break;
      case 'showNuspec':
        await this.showNuspec(document.uri);
        break;
      case 'openEntry':
        await vscode.commands.executeCommand('nugetPublisher.openPackageEntry', document.uri, message.path);
        break;
      case 'verify':
        await vscode.commands.executeCommand('nugetPublisher.verifySignature', document.uri);
        break;
      case 'sign':
        await vscode.commands.executeCommand('nugetPublisher.signPackage', document.uri);
        break;
    }
  }

  /** Reads and checks the package; never throws: failures become an "error" message. */
  public async inspect(uri: vscode.Uri): Promise<ToWebview> {
    const { log, packageProblems } = this.services;
    const fileName = basename(uri.path);
    const started = Date.now();
    let local: LocalCopy | undefined;
    try {
      local = await localCopy(uri);
      const inspection = await inspectPackageFile(local.path);
      try {
        // Assembly facts and their findings (NP0085/NP0086) belong to the inspector's view.
        const { assemblies, diagnostics: assemblyFindings } = await readPackageAssemblies(inspection.pkg);
        const diagnostics = sortDiagnostics([...inspection.diagnostics, ...assemblyFindings]);
        const model = { ...(await buildInspectorModel({ ...inspection, diagnostics }, readSettings().inspector.maxPreviewBytes)), verification: verifications.get(uri.toString()), assemblies, health: inspection.health };
        packageProblems.showFindings(uri, diagnostics);
        log.info('inspector', `opened ${fileName} (${model.metadata.id} ${model.metadata.version}) in ${Date.now() - started} ms: ${diagnostics.length} finding(s)`);
        markDone('inspected');
        return { type: 'inspection', model };
      } finally {
        await inspection.pkg.close();
      }
    } catch (error) {
      const code = error instanceof NuGetPublisherError ? error.code : 'NP0999';
      const message = error instanceof NuGetPublisherError ? error.message : `Unexpected error: ${describeError(error)}`;
      packageProblems.showReadError(uri, code, message);
      log.error('inspector', `cannot read ${fileName}: ${code} ${message}`);
      return { type: 'error', code, message, fileName };
    } finally {
      await local?.release();
    }
  }

  private async showNuspec(uri: vscode.Uri): Promise<void> {
    try {
      await showNuspec(uri);
    } catch (error) {
      void vscode.window.showErrorMessage(describeError(error));
    }
  }
}

/** Opens the nuspec of a package (a .nupkg/.snupkg URI) as a read-only XML document beside (nupkg: file system). */
export async function showNuspec(packageUri: vscode.Uri): Promise<vscode.TextEditor> {
  const name = await withPackage(packageUri, async (pkg) => basename(pkg.nuspecEntry.replace(/\\/g, '/')));
  const uri = entryUri(packageUri, name);
  const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'xml');
  return vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}


/** The package shown by the active inspector tab, if the active tab is one. */
export function activeInspectorUri(): vscode.Uri | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return tab instanceof vscode.TabInputCustom && tab.viewType === INSPECTOR_VIEW_TYPE ? tab.uri : undefined;
}

/**
 * The package a command acts on: the one it was given (Explorer menu, inspector, script), else
 * the one in the active inspector, else one the user picks.
 */
export async function packageTarget(arg: unknown, openLabel: string, extensions: readonly string[] = ['nupkg', 'snupkg']): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) {
    return arg;
  }
  return activeInspectorUri() ?? (await vscode.window.showOpenDialog({ filters: { 'NuGet packages': [...extensions] }, openLabel }))?.[0];
}
