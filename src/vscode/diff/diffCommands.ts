/**
 * Release diff in VS Code's own side-by-side diff editor: each package is rendered as a canonical
 * text (metadata, frameworks, dependencies per framework, files with sizes) by a read-only
 * document provider; the breaking changes and the summary go to a notification and the log.
 * "Compare Packages…" (two local files), "Compare with Published Version…" (a feed's latest) and
 * "Show Changes" in the publish confirmation all end here.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { describeApi, describeDiff, diffPackages, snapshot, snapshotText, withApi, type PackageDiff } from '../../core/diff/packageDiff';
import { readApiDiff } from '../../core/api/apiDiff';
import { describeError } from '../../core/errors';
import { latestPublished } from '../../core/diff/latestPublished';
import type { Feed } from '../../core/feeds/feed';
import { findFeed, pickFeed } from '../feeds/feedSettings';
import { notify } from '../log';
import type { Services } from '../services';
import { pickWorkspacePackage } from '../workspacePicks';
import { activeInspectorUri } from '../inspector/inspectorEditor';

export const SNAPSHOT_SCHEME = 'nuget-package';

/** The most recent diffs shown (for tests). */
export const shownDiffs: PackageDiff[] = [];

/** Serves nuget-package:/<name>?<file path> as the package's canonical text. */
export class SnapshotProvider implements vscode.TextDocumentContentProvider {
  public async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    return snapshotText(await snapshot(decodeURIComponent(uri.query)));
  }

  public static register(): vscode.Disposable {
    return vscode.workspace.registerTextDocumentContentProvider(SNAPSHOT_SCHEME, new SnapshotProvider());
  }
}

function snapshotUri(path: string, label: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SNAPSHOT_SCHEME, path: `/${label}.txt`, query: encodeURIComponent(path) });
}

/** Opens the side-by-side diff of two package files and reports the summary. */
export async function showDiff(services: Services, olderPath: string, newerPath: string, olderLabel?: string, chosenBecause?: string): Promise<PackageDiff> {
  const [older, newer] = [await snapshot(olderPath), await snapshot(newerPath)];
  // The public API diff (ApiCompat's rules) runs on the analysis worker; without it the rest still shows.
  const api = await readApiDiff(olderPath, newerPath).catch((error: unknown) => {
    services.log.warn('diff', `the API of ${basename(olderPath)} and ${basename(newerPath)} was not compared: ${describeError(error)}`);
    return undefined;
  });
  const diff = api ? withApi(diffPackages(older, newer), api) : diffPackages(older, newer);
  if (NP_TEST_HOOKS) {
    shownDiffs.push(diff);
    if (shownDiffs.length > 20) {
      shownDiffs.shift();
    }
  }
  const title = `${newer.id}: ${olderLabel ?? older.version} ↔ ${newer.version}${diff.breaking.length ? ` (${diff.breaking.length} breaking)` : ''}`;
  await vscode.commands.executeCommand('vscode.diff', snapshotUri(olderPath, `${older.id} ${older.version}`), snapshotUri(newerPath, `${newer.id} ${newer.version}`), title, { preview: true });
  const lines = describeDiff(diff);
  services.log.info('diff', lines.join('\n'));
  const headline = diff.breaking.length
    ? `${newer.id} ${older.version} → ${newer.version}: ${diff.breaking.length} breaking change${diff.breaking.length === 1 ? '' : 's'}: ${diff.breaking.join(' ')}`
    : `${newer.id} ${older.version} → ${newer.version}: ${lines.length - 1} change${lines.length === 2 ? '' : 's'} (${diff.dependencies.length} dependencies, ${diff.files.length} files, ${diff.metadata.length} metadata fields).`;
  // The API verdict, and a version number too small for it, then which published version was chosen and why.
  const apiLine = diff.api ? ` ${describeApi(diff.api)}${diff.versionProblem ? ` ${diff.versionProblem}` : ''}` : '';
  const warn = diff.breaking.length > 0 || diff.versionProblem !== undefined;
  void notify(services.log, warn ? 'warning' : 'info', `${headline}${apiLine}${chosenBecause ? ` Compared with ${older.version}: ${chosenBecause}.` : ''}`, 'Show Log').then((choice) => choice && services.log.show());
  return diff;
}

/** Compares a package with the newest other version the feed has; says so when there is none. */
export async function compareWithPublished(services: Services, packagePath: string, feed: Feed): Promise<PackageDiff | undefined> {
  const target = await snapshot(packagePath);
  const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Fetching the latest ${target.id} from ${feed.name}…` }, () => latestPublished({
    client: services.keys.clientFor(feed), id: target.id, excludingVersion: target.version, downloadFolder: vscode.Uri.joinPath(services.context.globalStorageUri, 'downloads').fsPath,
  }));
  if (!found) {
    void notify(services.log, 'info', `${feed.name} has no other version of ${target.id}: this is its first release there.`);
    return undefined;
  }
  services.log.info('diff', `comparing ${target.id} ${target.version} with ${found.version} on ${feed.name}: ${found.why}`);
  return showDiff(services, found.path, packagePath, `${found.version} (${feed.name})`, found.why);
}

function packageArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) {
    return arg;
  }
  return activeInspectorUri();
}

async function pickPackageFile(title: string, except?: vscode.Uri): Promise<vscode.Uri | undefined> {
  return pickWorkspacePackage(title, { except });
}

/** "NuGet: Compare Packages…": the older, then the newer (scripted: two Uris). */
export async function comparePackages(services: Services, first?: unknown, second?: unknown): Promise<PackageDiff | undefined> {
  const older = first instanceof vscode.Uri ? first : await pickPackageFile('Compare Packages: the older package');
  const newer = older ? (second instanceof vscode.Uri ? second : await pickPackageFile(`Compare ${basename(older.fsPath)} with…`, older)) : undefined;
  return older && newer ? showDiff(services, older.fsPath, newer.fsPath) : undefined;
}

/** "NuGet: Compare with Published Version…" (palette, inspector title, Explorer). */
export async function compareWithPublishedCommand(services: Services, arg?: unknown, args?: { feed?: string }): Promise<PackageDiff | undefined> {
  const uri = packageArg(arg) ?? (await pickPackageFile('Compare which package with its published version?'));
  if (!uri) {
    return undefined;
  }
  const feed = args?.feed ? findFeed(args.feed) : await pickFeed(`Compare ${basename(uri.fsPath)} with the latest version on…`);
  return feed ? compareWithPublished(services, uri.fsPath, feed) : undefined;
}
