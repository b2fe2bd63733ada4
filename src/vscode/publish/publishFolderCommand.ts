/**
 * "NuGet: Publish Folder…": every package under a folder (a solution's output), ordered so that
 * dependencies go first, checked, compared with what the feed already has, shown as a plan (the
 * dry run), then published with one progress notification, stopping or continuing on error as
 * chosen. The tracker follows every published version.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { NuGetPublisherError } from '../../core/errors';
import { noSuchFeed } from '../feeds/feedSettings';
import { feedOrigin } from '../../core/feeds/feed';
import { keysFor } from '../../core/keys/keys';
import { buildPlan, describePlan, findPackages, runPlan, type PlanResult } from '../../core/plan/publishPlan';
import { publish } from '../../core/publish/publish';
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
  const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Planning ${packages.length} packages for ${feed.name}…` }, () => buildPlan({
    client: services.keys.clientFor(feed), packages, keyFor: (id) => (origin ? keysFor(services.keys.list(), origin, id)[0]?.label : undefined),
  }));
  const lines = describePlan(plan);
  services.log.info('plan', `publish plan for ${feed.name}:\n${lines.join('\n')}`);
  const toPublish = plan.entries.filter((entry) => entry.action === 'publish');
  if (args.dryRun || toPublish.length === 0) {
    void notify(services.log, 'info', toPublish.length === 0 ? `Nothing to publish to ${feed.name}: ${lines.join(' ')}` : `Dry run for ${feed.name} (nothing was published): ${lines.join(' ')}`);
    return { plan: lines };
  }
  const choice = await confirmModal('info', `Publish ${toPublish.length} of ${plan.entries.length} packages to ${feed.name}?`, `${lines.join('\n')}\n\nDependencies go first. Versions the feed already has are skipped.`, 'Publish, Stop on Error', 'Publish, Continue on Error');
  if (!choice) {
    return { plan: lines };
  }
  const continueOnError = choice === 'Publish, Continue on Error';
  // Keys first, so that no question interrupts the run: one per id (asked only when several match).
  const keys = new Map<string, ChosenKey>();
  for (const entry of toPublish) {
    const key = await chooseKey(services, feed, entry.id, 'push');
    if (!key) {
      return { plan: lines };
    }
    keys.set(entry.id, key);
  }
  const results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Publishing to ${feed.name}`, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return runPlan(plan, {
      continueOnError, signal: controller.signal,
      onStep: (index, entry) => progress.report({ message: `${index + 1}/${plan.entries.length}: ${entry.id} ${entry.version}`, increment: 100 / plan.entries.length }),
      publishOne: async (entry) => {
        const report = await publish({ feed, packagePath: entry.path, prepared: entry.prepared, credential: keys.get(entry.id)?.credential, signal: controller.signal, symbols: readSettings().publish.symbols });
        services.onPublished.fire(report);
        if (report.symbols?.outcome === 'failed') {
          throw new NuGetPublisherError('NP2051', `${report.id} ${report.version} was published but its symbols were not: ${report.symbols.reason}`, 'Push the .snupkg again once the cause is fixed.');
        }
        return report.outcome;
      },
    });
  });
  for (const result of results) {
    services.log.info('plan', `${result.entry.id} ${result.entry.version}: ${result.outcome}${result.message ? ` (${result.message})` : ''}`);
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
