/**
 * "NuGet: Publish package". Flow: choose the package (or pack the .nuspec/project first) →
 * choose the feed → the key whose glob covers the id → rule checks (errors block nuget.org;
 * "Publish Anyway" elsewhere) → confirmation naming id, version and feed → streamed upload with
 * bytes and percent, cancellable → the result, with the server's warnings.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { noSuchFeed } from '../feeds/feedSettings';
import { NuGetPublisherError } from '../../core/errors';
import { describeError } from '../../core/errors';
import { isProjectFile } from '../../core/pack/dotnetPack';
import { publish, type PublishReport } from '../../core/publish/publish';
import { mayPublish, preparePublish } from '../../core/publish/prepare';
import type { Feed } from '../../core/feeds/feed';
import type { Diagnostic } from '../../core/validate/diagnostic';
import { findFeed, pickFeed } from '../feeds/feedSettings';
import { INSPECTOR_VIEW_TYPE, activeInspectorUri } from '../inspector/inspectorEditor';
import { chooseKey } from '../keys/keyCommands';
import { compareWithPublished } from '../diff/diffCommands';
import { notify, showError, type Log } from '../log';
import { requireTrust } from '../pack/packCommon';
import { packNuspecCommand } from '../pack/packNuspecCommand';
import { packProject } from '../pack/packProject';
import type { Services } from '../services';
import { readSettings } from '../config';
import { confirmModal } from '../dialogs';
import { pickWorkspacePackage } from '../workspacePicks';
import { readApiDiff } from '../../core/api/apiDiff';
import { versionBumpProblem } from '../../core/api/packageApi';
import { latestPublished } from '../../core/diff/latestPublished';
import { describeApi } from '../../core/diff/packageDiff';

/**
 * For scripted use (the feed explorer, tests); anything missing is asked for. No argument answers
 * a confirmation: every publish is confirmed by the user (see dialogs.ts).
 */
export interface PublishArgs {
  readonly feed?: string;
  /** The label of the key to use when several match. */
  readonly key?: string;
  readonly symbols?: boolean;
  readonly skipDuplicate?: boolean;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0)} MB`;
}

/** The package to publish when none was given: the open inspector's, or one from the workspace. */
async function pickPackage(): Promise<vscode.Uri | undefined> {
  const inspected = activeInspectorUri();
  if (inspected && /\.nupkg$/i.test(inspected.path)) {
    return inspected;
  }
  return pickWorkspacePackage('Publish package: which package?', { openLabel: 'Publish' });
}

/** Turns the command's target into a .nupkg path, packing a .nuspec or project first. */
async function resolvePackage(services: Services, target: vscode.Uri | undefined): Promise<string | undefined> {
  const uri = target ?? (await pickPackage());
  if (!uri) {
    return undefined;
  }
  const path = uri.fsPath;
  // A .snupkg on its own goes to the feed's symbol server only (never in as a package), as dotnet does.
  if (/\.snupkg$/i.test(path)) {
    return path;
  }
  if (/\.nuspec$/i.test(path)) {
    return (await packNuspecCommand(services, uri, { quiet: false, noInspectOffer: true }))?.packagePath;
  }
  if (isProjectFile(path)) {
    const outcome = await packProject(services, uri, { quiet: true });
    const packages = (outcome?.packages ?? []).filter((candidate) => /\.nupkg$/i.test(candidate) && !/\.symbols\.nupkg$/i.test(candidate));
    if (packages.length <= 1) {
      return packages[0];
    }
    const picked = await vscode.window.showQuickPick(packages.map((candidate) => ({ label: basename(candidate), candidate })), { title: 'The pack produced several packages: publish which?' });
    return picked?.candidate;
  }
  if (!/\.nupkg$/i.test(path)) {
    throw new NuGetPublisherError('NP2026', `${basename(path)} is not a package, a .nuspec or a project file.`, 'Choose a .nupkg, a .nuspec or a .csproj/.fsproj/.vbproj.');
  }
  return path;
}

/** The core's rule gate, with the user's answer where another feed may take the package anyway. */
async function passesChecks(log: Log, feed: Feed, packageName: string, findings: readonly Diagnostic[], uri: vscode.Uri): Promise<boolean> {
  const gate = mayPublish(feed, findings);
  if (gate.verdict === 'yes') {
    return true;
  }
  if (gate.verdict === 'no') {
    // Not modal: there is nothing to decide, only something to fix.
    void notify(log, 'error', `${packageName} cannot go to nuget.org: ${gate.summary}. nuget.org would refuse it; fix them and pack again.`, 'Open in Inspector').then(async (choice) => {
      if (choice) {
        await vscode.commands.executeCommand('vscode.openWith', uri, INSPECTOR_VIEW_TYPE);
      }
    });
    return false;
  }
  const { errors } = gate;
  const list = errors.slice(0, 5).map((error) => `• ${error.code}: ${error.message}`).join('\n') + (errors.length > 5 ? `\n…and ${errors.length - 5} more` : '');
  const choice = await confirmModal('warning', `${packageName} fails ${errors.length} check${errors.length === 1 ? '' : 's'} that nuget.org applies.`, `${list}\n\n${feed.name} may accept it anyway.`, 'Publish Anyway');
  return choice === 'Publish Anyway';
}

/** Health, symbol and readme findings that do not block (errors already did): listed in the confirmation. */
const HEALTH_CODES = /^NP0(05[45]|09[3-8]|10[0-5])$/;

function healthNotice(findings: readonly Diagnostic[], withSymbols: boolean): string | undefined {
  const listed = findings.filter((finding) => finding.severity !== 'error' && HEALTH_CODES.test(finding.code))
    // Without the .snupkg, its rules do not apply to this push.
    .filter((finding) => withSymbols || !/^NP009[3-8]$/.test(finding.code));
  if (listed.length === 0) {
    return undefined;
  }
  return `\nPackage health:\n${listed.slice(0, 4).map((finding) => `• ${finding.code}: ${finding.message}`).join('\n')}${listed.length > 4 ? `\n…and ${listed.length - 4} more (see the inspector)` : ''}`;
}

/** How long the confirmation waits for the published version to compare the API with. */
const API_BASELINE_TIMEOUT_MS = 30_000;

/**
 * The public API of this release against the version the feed has (the nearest lower one): the
 * verdict for the confirmation, and a sentence when the version number is smaller than the API
 * change needs. Anything that stops it (no older version, an unreadable feed) leaves it out.
 */
async function apiAgainstPublished(services: Services, feed: Feed, packagePath: string, id: string, version: string): Promise<{ line?: string; problem?: string }> {
  if (feed.kind === 'v2') {
    return {}; // a V2 push endpoint cannot be read
  }
  try {
    const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Comparing the public API of ${id} ${version} with ${feed.name}…` }, () => latestPublished({
      client: services.keys.clientFor(feed), id, excludingVersion: version, downloadFolder: vscode.Uri.joinPath(services.context.globalStorageUri, 'downloads').fsPath, signal: AbortSignal.timeout(API_BASELINE_TIMEOUT_MS),
    }));
    if (!found || found.why.includes('downgrade')) {
      return {};
    }
    const api = await readApiDiff(found.path, packagePath);
    const first = api.breaking.slice(0, 3).map((change) => `  ${change.diagnosticId} ${change.target}`);
    const problem = versionBumpProblem(found.version, version, api.verdict);
    services.log.info('publish', `${id} ${version} against ${found.version} on ${feed.name}: ${describeApi(api)}${problem ? ` ${problem}` : ''}`);
    return { line: [`Against ${found.version} on ${feed.name} (${found.why}): ${describeApi(api)}`, ...first, ...(api.breaking.length > first.length ? [`  …and ${api.breaking.length - first.length} more (Show Changes)`] : [])].join('\n'), ...(problem ? { problem } : {}) };
  } catch (error) {
    services.log.info('publish', `the API of ${id} ${version} was not compared with ${feed.name}: ${describeError(error)}`);
    return {};
  }
}

/**
 * Checks the feed for the version first. When it is there, the user skips (default) or tries
 * anyway (some servers allow overwriting). A feed that cannot
 * be read here does not stop the publish: the push itself will tell.
 */
async function confirmNotThere(services: Services, feed: Feed, id: string, version: string): Promise<boolean> {
  if (feed.kind === 'v2') {
    return true; // a V2 push endpoint cannot be read
  }
  const there = await services.keys.clientFor(feed).hasVersion(id, version).catch((error: unknown) => {
    services.log.info('publish', `could not check whether ${feed.name} has ${id} ${version}: ${describeError(error)}`);
    return false;
  });
  if (!there) {
    return true;
  }
  const name = `${id} ${version}`;
  services.log.info('publish', `${feed.name} already has ${name}`);
  const answer = await confirmModal('warning', `${feed.name} already has ${name}.`,
    `A version can be published only once${feed.kind === 'nuget.org' ? ' (nuget.org never takes it again, even after a delete)' : ''}. Pack a new version, or skip this one.`,
    'Skip', 'Try Anyway');
  if (answer === 'Skip') {
    void notify(services.log, 'info', `Skipped ${name}: ${feed.name} already has it.`);
  }
  return answer === 'Try Anyway';
}

export async function publishCommand(services: Services, target?: vscode.Uri, args: PublishArgs = {}): Promise<PublishReport | undefined> {
  if (!requireTrust('publish packages')) {
    return undefined;
  }
  const packagePath = await resolvePackage(services, target);
  if (!packagePath) {
    return undefined;
  }
  const packageUri = vscode.Uri.file(packagePath);
  const feed = args.feed ? findFeed(args.feed) : await pickFeed(`Publish ${basename(packagePath)} to which feed?`);
  if (!feed) {
    if (args.feed) {
      throw noSuchFeed(args.feed);
    }
    return undefined;
  }
  services.log.info('publish', `${packagePath} to ${feed.name} (${feed.kind}): checking`);
  // The package is opened once: identity, findings and symbols all come from this read.
  const prepared = await preparePublish(packagePath);
  const { id, version } = prepared;
  services.packageProblems.showFindings(packageUri, prepared.findings);
  const name = `${id} ${version}`;
  if (!(await passesChecks(services.log, feed, name, prepared.findings, packageUri))) {
    services.log.info('publish', `${name} to ${feed.name}: stopped by the rule checks`);
    return undefined;
  }
  const key = await chooseKey(services, feed, id, 'push', args.key);
  if (!key) {
    return undefined;
  }
  const settings = readSettings().publish;
  const symbols = args.symbols ?? settings.symbols;
  const skipDuplicate = args.skipDuplicate ?? settings.skipDuplicate;
  const symbolsPath = prepared.symbolsPath;
  const withSymbols = symbols && symbolsPath !== undefined;
  // A version can be pushed only once: say so before asking, rather than after a 409 (NP2409).
  if (!skipDuplicate && !(await confirmNotThere(services, feed, prepared.id, prepared.version))) {
    return undefined;
  }
  const api = await apiAgainstPublished(services, feed, packagePath, prepared.id, prepared.version);
  const detail = [
    ...(api.problem ? [`${api.problem}`, ''] : []),
    `Feed: ${feed.source}`,
    key.record ? `Key: ${key.record.label} (${key.record.glob})` : 'No key needed',
    `Package: ${packagePath}`,
    withSymbols ? `Symbols: ${basename(symbolsPath!)}` : undefined,
    skipDuplicate ? 'If the version exists it is skipped (skip-duplicate).' : undefined,
    feed.kind === 'nuget.org' ? 'A version published to nuget.org can never be deleted or pushed again, only unlisted.' : undefined,
    healthNotice(prepared.findings, withSymbols),
    api.line ? `\n${api.line}` : undefined,
  ].filter((line) => line !== undefined).join('\n');
  // Always asked, whoever ran the command. "Show Changes" opens the release diff against the
  // feed's latest version, then asks again.
  for (;;) {
    // A version number smaller than the API change needs makes the question a warning.
    const choice = await confirmModal(api.problem ? 'warning' : 'info', `Publish ${name} to ${feed.name}?`, detail, 'Publish', 'Show Changes');
    if (choice === 'Publish') {
      break;
    }
    if (choice !== 'Show Changes') {
      return undefined;
    }
    await compareWithPublished(services, packagePath, feed).catch((error: unknown) => void showError(services.log, `Cannot show the changes: ${describeError(error)}`));
  }
  services.log.info('publish', `publishing ${packagePath} to ${feed.name} (${feed.source})${key.record ? ` with key "${key.record.label}"` : ''}${withSymbols ? ' with symbols' : ''}`);
  const started = Date.now();
  let report: PublishReport;
  try {
    report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Publishing ${name} to ${feed.name}`, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let shown = 0;
      let lastReport = 0;
      return publish({
        feed, packagePath, prepared, credential: key.credential, skipDuplicate, symbols: withSymbols, signal: controller.signal,
        onProgress: ({ what, sent, total }) => {
          const now = Date.now();
          if (now - lastReport < 100 && sent < total) {
            return;
          }
          lastReport = now;
          const percent = total > 0 ? Math.floor((sent / total) * 100) : 100;
          progress.report({ increment: what === 'package' ? percent - shown : 0, message: `${what === 'symbols' ? 'symbols: ' : ''}${megabytes(sent)} of ${megabytes(total)} (${percent}%)` });
          if (what === 'package') {
            shown = percent;
          }
        },
      });
    });
  } catch (error) {
    services.log.error('publish', `${name} to ${feed.name} failed: ${describeError(error)}`);
    void showError(services.log, `Publishing ${name} to ${feed.name} failed. ${describeError(error)}`);
    return undefined;
  }
  if (key.record) {
    await services.keys.update(key.record, { lastUsed: new Date().toISOString() });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  services.log.info('publish', `${name} to ${feed.name}: ${report.outcome}${report.status ? ` (${report.status})` : ''} in ${seconds} s${report.symbols ? `; symbols: ${report.symbols.outcome}${report.symbols.reason ? ` (${report.symbols.reason})` : ''}` : ''}`);
  report.notes.forEach((note) => services.log.info('publish', note));
  report.warnings.forEach((warning) => {
    services.log.warn('publish', `${feed.name} warns: ${warning}`);
    void notify(services.log, 'warning', `${feed.name} warns about ${name}: ${warning}`);
  });
  const outcome = {
    created: `Published ${name} to ${feed.name}.`,
    accepted: `${feed.name} accepted ${name}; it is being processed.`,
    'skipped-duplicate': `${feed.name} already has ${name}; nothing was pushed (skip-duplicate).`,
    'landed-on-earlier-try': `Published ${name} to ${feed.name}: an answer was lost and the retry found the version there, so the first try landed.`,
    'symbols-only': `Sent the symbols of ${name} to ${feed.name}'s symbol server.`,
  }[report.outcome];
  const symbolResult = report.symbols;
  const symbolsNote = !symbolResult || report.outcome === 'symbols-only'
    ? (symbolResult?.outcome === 'failed' ? ` The symbol server refused them: ${symbolResult.reason}` : '')
    : symbolResult.outcome === 'not-sent' ? ` Symbols not published: ${symbolResult.reason}.`
      : symbolResult.outcome === 'skipped' ? ' Its symbols were skipped with it.'
        : symbolResult.outcome === 'failed' ? ` Symbols NOT published: ${symbolResult.reason}`
          : ' Symbols published too.';
  const validating = feed.kind === 'nuget.org' && report.outcome !== 'skipped-duplicate' ? ' nuget.org now validates and indexes it (usually under 15 minutes).' : '';
  // A feed kind without symbols is expected, not a problem; a symbol server that refused is.
  const symbolsFailed = report.symbols?.outcome === 'failed' || (report.symbols?.outcome === 'not-sent' && (feed.kind === 'v3' || feed.kind === 'nuget.org'));
  void notify(services.log, symbolsFailed ? 'warning' : 'info', `${outcome}${symbolsNote}${validating}`);
  services.onPublished.fire(report);
  return report;
}
