/**
 * "NuGet: Publish Folder…": every package under a folder (a solution's output), ordered so that
 * dependencies go first, checked, compared with what the feed already has, shown as a plan (the
 * dry run), then published with one progress notification, stopping or continuing on error as
 * chosen. The tracker follows every published version.
 */
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { noSuchFeed } from '../feeds/feedSettings';
import { feedOrigin } from '../../core/feeds/feed';
import { keysFor } from '../../core/keys/keys';
import { buildPlan, describePlan, findPackages, runPlan, type PlanResult } from '../../core/plan/publishPlan';
import { fileJournalStore, JournalWriter, resumePlan, type JournalStore, type PlanJournal } from '../../core/plan/journal';
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { publishPlanEntry } from '../../core/plan/publishEntry';
import { preflightKeys } from '../../core/plan/preflight';
import { isNugetOrgHost } from '../../core/feeds/feed';
import { describeError } from '../../core/errors';
import { findFeed, pickFeed } from '../feeds/feedSettings';
import { chooseKey, type ChosenKey } from '../keys/keyCommands';
import { notify, showError } from '../log';
import { requireTrust } from '../pack/packCommon';
import type { Services } from '../services';
import { readSettings } from '../config';
import { confirmModal } from '../dialogs';
import { pickPackageFolder } from '../workspacePicks';

/** For scripted use: the plan is always shown and confirmed by the user (see dialogs.ts). */
export interface PublishFolderArgs {
  readonly feed?: string;
  /** Only plan: nothing is published. */
  readonly dryRun?: boolean;
}

export interface PublishFolderOutcome {
  readonly plan: readonly string[];
  readonly results?: readonly { id: string; version: string; outcome: PlanResult['outcome']; message?: string }[];
}

/**
 * The resume journal of one folder published to one feed, in the extension's global storage: a
 * file per folder and feed, replaced atomically at every accepted push. (globalState was tried
 * first: its in-memory value can be overwritten by the echo of an earlier write when writes come
 * quickly, as they do here, which lost accepted pushes; the tracker moved to a file for the same
 * reason.)
 */
function globalStorageJournal(services: Services, folder: string, feedSource: string): JournalStore & { clear(): Promise<void> } {
  const name = createHash('sha256').update(`${feedSource}\n${folder}`).digest('hex').slice(0, 32);
  const path = join(services.context.globalStorageUri.fsPath, 'plan-journals', `${name}.json`);
  const file = fileJournalStore(path);
  return {
    load: file.load,
    save: async (journal: PlanJournal) => {
      await mkdir(dirname(path), { recursive: true });
      await file.save(journal);
    },
    clear: () => rm(path, { force: true }),
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

export async function publishFolderCommand(services: Services, target?: vscode.Uri, args: PublishFolderArgs = {}): Promise<PublishFolderOutcome | undefined> {
  if (!requireTrust('publish packages')) {
    return undefined;
  }
  const folder = target ?? (await pickPackageFolder('Publish every package in which folder?', 'Plan'));
  if (!folder) {
    return undefined;
  }
  const feed = args.feed ? findFeed(args.feed) : await pickFeed(`Publish the packages in ${basename(folder.fsPath)} to which feed?`);
  if (!feed) {
    if (args.feed) {
      throw noSuchFeed(args.feed);
    }
    return undefined;
  }
  const packages = await findPackages(folder.fsPath);
  if (packages.length === 0) {
    void notify(services.log, 'info', `There is no .nupkg under ${folder.fsPath}. Pack first.`);
    return undefined;
  }
  const origin = feedOrigin(feed);
  const client = services.keys.clientFor(feed);
  const built = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Planning ${packages.length} packages for ${feed.name}…` }, () => buildPlan({
    client, packages, keyFor: (id) => (origin ? keysFor(services.keys.list(), origin, id)[0]?.label : undefined),
    // Each package's public API against the feed's version before it (downloads kept with the others).
    apiDownloads: vscode.Uri.joinPath(services.context.globalStorageUri, 'downloads').fsPath,
  }));
  // An earlier run of this folder to this feed that did not finish: its accepted pushes are kept
  // in the extension's global storage (journal.ts), and the plan offers to resume after them.
  const store = globalStorageJournal(services, folder.fsPath, feed.source);
  const earlier = await store.load();
  const { plan, resumed } = earlier ? await resumePlan(built, earlier) : { plan: built, resumed: 0 };
  const lines = describePlan(plan);
  services.log.info('plan', `publish plan for ${feed.name}:\n${lines.join('\n')}`);
  const toPublish = plan.entries.filter((entry) => entry.action === 'publish');
  if (args.dryRun || toPublish.length === 0) {
    void notify(services.log, 'info', toPublish.length === 0 ? `Nothing to publish to ${feed.name}: ${lines.join(' ')}` : `Dry run for ${feed.name} (nothing was published): ${lines.join(' ')}`);
    return { plan: lines };
  }
  const verb = resumed > 0 ? 'Resume' : 'Publish';
  const question = resumed > 0
    ? `Resume publishing to ${feed.name}: ${resumed} of ${plan.entries.length} packages were published by an earlier run that did not finish; publish the other ${toPublish.length}?`
    : `Publish ${toPublish.length} of ${plan.entries.length} packages to ${feed.name}?`;
  const choice = await confirmModal('info', question, `${lines.join('\n')}\n\nDependencies go first, up to ${readSettings().publish.parallel} at once. Versions the feed already has are skipped.`, `${verb}, Stop on Error`, `${verb}, Continue on Error`);
  if (!choice) {
    return { plan: lines };
  }
  const continueOnError = choice.endsWith('Continue on Error');
  // Keys first, so that no question interrupts the run: one per id (asked only when several match).
  const keys = new Map<string, ChosenKey>();
  for (const entry of toPublish) {
    const key = await chooseKey(services, feed, entry.id, 'push');
    if (!key) {
      return { plan: lines };
    }
    keys.set(entry.id, key);
  }
  // nuget.org: can each id's key push it? Checked before the first push (preflight.ts).
  if (feed.kind === 'nuget.org' || isNugetOrgHost(feed.source)) {
    const preflight = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking the keys for ${feed.name}…` }, () => preflightKeys(plan, client, (id) => keys.get(id)?.credential));
    preflight.unchecked.forEach(({ id, reason }) => services.log.info('plan', `preflight: ${id} not checked (${reason})`));
    if (preflight.refused.length > 0) {
      void showError(services.log, `Nothing was published: the key cannot push ${preflight.refused.map(({ id, reason }) => `${id} (${reason})`).join('; ')}. Create a key whose scopes and glob cover every id, then publish the folder again.`);
      return { plan: lines };
    }
  }
  const parallel = readSettings().publish.parallel;
  const journal = new JournalWriter(store, feed.source, earlier?.accepted);
  const results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Publishing to ${feed.name}`, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    let shown = 0;
    return runPlan(plan, {
      continueOnError, parallel, signal: controller.signal,
      // One display for the whole plan: done of total, megabytes, what is in flight.
      onProgress: ({ done, total, bytesDone, bytesTotal, inFlight }) => {
        const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
        progress.report({ increment: percent - shown, message: `${done}/${total}${bytesTotal > 0 ? `, ${megabytes(bytesDone)} of ${megabytes(bytesTotal)}` : ''}${inFlight.length ? ` — pushing ${inFlight.join(', ')}` : ''}` });
        shown = percent;
      },
      publishOne: (entry) => publishPlanEntry(entry, {
        feed, client: feed.kind === 'v2' || feed.kind === 'folder' ? undefined : client, credential: keys.get(entry.id)?.credential, signal: controller.signal,
        symbols: readSettings().publish.symbols, journal,
        onReport: (report) => services.onPublished.fire(report),
        onWait: (waiting, left, why) => progress.report({ message: `${waiting.id} ${waiting.version}: ${why}, trying again in ${left} s` }),
        onJournalError: (failed, error) => services.log.warn('plan', `${failed.id} ${failed.version} was published, but the resume journal could not be saved: ${describeError(error)}`),
      }),
    });
  });
  // A run that finished without failures needs no resume; one cut short or failed keeps its journal.
  if (results.every((result) => result.outcome === 'published' || result.outcome === 'skipped')) {
    await store.clear();
  }
  for (const result of results) {
    services.log.info('plan', `${[result.entry.id, result.entry.version].filter(Boolean).join(' ')}: ${result.outcome}${result.message ? ` (${result.message})` : ''}`);
  }
  const published = results.filter((result) => result.outcome === 'published').length;
  const failed = results.filter((result) => result.outcome === 'failed');
  const notRun = results.filter((result) => result.outcome === 'not-run').length;
  const summary = `Published ${published} package${published === 1 ? '' : 's'} to ${feed.name}; ${results.filter((result) => result.outcome === 'skipped').length} skipped${failed.length ? `, ${failed.length} failed` : ''}${notRun ? `, ${notRun} not run` : ''}.`;
  if (failed.length) {
    void showError(services.log, `${summary} ${failed.map((result) => `${result.entry.id}: ${result.message ?? 'failed'}`).join(' ')}`);
  } else {
    void notify(services.log, 'info', summary);
  }
  return { plan: lines, results: results.map((result) => ({ id: result.entry.id, version: result.entry.version, outcome: result.outcome, message: result.message })) };
}
