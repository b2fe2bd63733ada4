/**
 * The tracker in VS Code: follows every successful push (and "Track Package Version…"), keeps its
 * state in a file in the extension's global storage and in globalState (a reload resumes it), shows a status-bar item while anything is tracked,
 * and notifies when a version becomes downloadable and searchable — batched, so several packages
 * reaching a stage together make one notification, never a storm.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { openExternalSafely } from '../openExternal';
import { dotnetAddPackage, feedOrigin, serviceIndexUrl, type Feed } from '../../core/feeds/feed';
import type { PublishReport } from '../../core/publish/publish';
import { ConditionalFetcher } from '../../core/http/conditionalFetch';
import { STAGE_LABELS, STAGES, Tracker, currentStage, isComplete, type StageName, type TrackedPackage, type TrackerEvent } from '../../core/track/tracker';
import { fileTrackerStore } from '../../core/track/trackerFile';
import { readFeeds } from '../feeds/feedSettings';
import type { KeyStore } from '../keys/keyStore';
import { notify, type Log } from '../log';
import { stateWriter } from '../stateWriter';
import { readSettings, type Settings } from '../config';

const STATE_KEY = 'nugetPublisher.tracked';
const WARN_AFTER_MS = 15 * 60_000;

function minutes(ms: number): string {
  const value = Math.max(0, Math.floor(ms / 60_000));
  return value < 1 ? '<1 min' : `${value} min`;
}

function stageWords(pkg: TrackedPackage): string {
  const stage = currentStage(pkg);
  return stage === 'validating' ? 'validating' : stage === 'downloadable' ? 'downloadable, indexing' : stage === 'metadata' ? 'metadata live, indexing search' : 'searchable';
}

/** The install command for a tracked version; `--source` names its feed unless that is nuget.org. */
export function installCommand(pkg: Pick<TrackedPackage, 'id' | 'version' | 'source'>): string {
  return dotnetAddPackage(pkg.id, pkg.version, { kind: 'v3', source: pkg.source });
}

export class TrackerService implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('nugetPublisher.tracker', vscode.StatusBarAlignment.Left, 50);
  private readonly tracker: Tracker;
  private readonly disposables: vscode.Disposable[] = [];
  private clock: ReturnType<typeof setInterval> | undefined;
  private pending: { stage: StageName; pkg: TrackedPackage }[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  public readonly onDidChange = this.changed.event;

  public constructor(private readonly context: vscode.ExtensionContext, private readonly log: Log, keys: KeyStore, onPublished: vscode.Event<PublishReport>) {
    this.item.name = 'NuGet indexing';
    this.item.command = 'nugetPublisher.showTracked';
    // Feeds that need credentials to read: the Basic key of that origin.
    const fetcher = new ConditionalFetcher(async (origin) => {
      const feed = readFeeds().feeds.find((candidate) => feedOrigin(candidate) === origin);
      return feed ? keys.readAuthorization(feed) : undefined;
    });
    const settings = (): Settings['tracker'] => readSettings().tracker;
    this.tracker = new Tracker({
      fetcher,
      // A file first (durable at once, see trackerFile.ts), globalState as well (older versions read it).
      store: fileTrackerStore(join(context.globalStorageUri.fsPath, 'tracked.json'), {
        load: () => this.context.globalState.get<TrackedPackage[]>(STATE_KEY, []),
        save: async (list) => {
          await stateWriter(this.context.globalState).write(STATE_KEY, () => list);
        },
      }),
      giveUpMs: () => settings().giveUpMinutes * 60_000,
      intervalsMs: () => {
        const first = settings().firstPollSeconds * 1000;
        return [first, first * 2, first * 4, first * 8];
      },
      onEvent: (event) => this.onEvent(event),
      log: (message) => log.warn('tracker', message),
    });
    this.disposables.push(onPublished((report) => this.followPublish(report)), this.item, this.changed);
    this.render();
  }

  public list(): readonly TrackedPackage[] {
    return this.tracker.list();
  }

  /** What the status bar shows (for tests and the walkthrough). */
  public get statusText(): string | undefined {
    return this.isVisible ? this.item.text : undefined;
  }

  public get statusTooltip(): string | undefined {
    return this.isVisible ? (this.item.tooltip as vscode.MarkdownString | undefined)?.value : undefined;
  }

  public get statusColor(): 'warning' | 'error' | undefined {
    const color = this.item.backgroundColor as vscode.ThemeColor | undefined;
    return color?.id === 'statusBarItem.errorBackground' ? 'error' : color?.id === 'statusBarItem.warningBackground' ? 'warning' : undefined;
  }

  private isVisible = false;

  /** The last publish to a folder feed: nothing to follow there, and the tracker says so. */
  private lastFolderPublish: string | undefined;

  public track(feed: Feed, id: string, version: string, pushedAt?: number): TrackedPackage | undefined {
    if (feed.kind === 'folder') {
      this.lastFolderPublish = `${id} ${version} went to the folder feed ${feed.name}`;
      return undefined; // written means available
    }
    const pkg = this.tracker.track({ id, version, feedName: feed.name, source: serviceIndexUrl(feed), pushedAt });
    this.log.info('tracker', `tracking ${id} ${version} on ${feed.name}`);
    return pkg;
  }

  public stop(key: string): void {
    this.tracker.stop(key);
  }

  public async checkNow(): Promise<void> {
    await this.tracker.checkNow();
  }

  private followPublish(report: PublishReport): void {
    if (report.outcome === 'skipped-duplicate' || report.outcome === 'symbols-only') {
      return;
    }
    this.track(report.feed, report.id, report.version);
  }

  private onEvent(event: TrackerEvent): void {
    if (event.type === 'stage') {
      this.log.info('tracker', `${event.pkg.id} ${event.pkg.version} on ${event.pkg.feedName}: ${STAGE_LABELS[event.stage]} after ${minutes((event.pkg.reached[event.stage] ?? Date.now()) - event.pkg.pushedAt)}`);
      const settings = readSettings().tracker;
      const wanted = (event.stage === 'downloadable' && settings.notifyDownloadable) || (event.stage === 'searchable' && settings.notifySearchable);
      if (wanted) {
        this.pending.push({ stage: event.stage, pkg: event.pkg });
        this.flushTimer ??= setTimeout(() => this.flush(), 1500);
      }
    } else if (event.type === 'gave-up') {
      this.log.warn('tracker', `${event.pkg.id} ${event.pkg.version} on ${event.pkg.feedName} is still not available after ${minutes(Date.now() - event.pkg.pushedAt)}`);
      void notify(this.log, 'warning', `${event.pkg.id} ${event.pkg.version} is not available on ${event.pkg.feedName} after ${minutes(Date.now() - event.pkg.pushedAt)}. If validation failed, nuget.org e-mails the reason to the package owners.`, ...(event.pkg.packageUrl ? ['Open Package Page'] : [])).then((choice) => {
        if (choice && event.pkg.packageUrl) {
          void openExternalSafely(event.pkg.packageUrl);
        }
      });
    }
    this.render();
    this.changed.fire();
  }

  /** One notification per stage for everything that reached it in the same moment. */
  private flush(): void {
    this.flushTimer = undefined;
    const batch = this.pending;
    this.pending = [];
    for (const stage of ['downloadable', 'searchable'] as const) {
      const reached = batch.filter((entry) => entry.stage === stage).map((entry) => entry.pkg);
      if (reached.length === 0) {
        continue;
      }
      const what = stage === 'downloadable' ? 'downloadable (restore works)' : 'searchable';
      const text = reached.length === 1
        ? `${reached[0].id} ${reached[0].version} is now ${what} on ${reached[0].feedName} (${minutes((reached[0].reached[stage] ?? Date.now()) - reached[0].pushedAt)} after the push).`
        : `${reached.length} packages are now ${what}: ${reached.map((pkg) => `${pkg.id} ${pkg.version}`).join(', ')}.`;
      const page = reached.length === 1 ? reached[0].packageUrl : undefined;
      void notify(this.log, 'info', text, ...(page ? ['Open Package Page'] : []), 'Copy Install Command').then(async (choice) => {
        if (choice === 'Open Package Page' && page) {
          await openExternalSafely(page);
        } else if (choice === 'Copy Install Command') {
          await vscode.env.clipboard.writeText(reached.map(installCommand).join('\n'));
        }
      });
    }
  }

  private render(): void {
    const active = this.tracker.active();
    const gaveUp = this.tracker.list().filter((pkg) => pkg.gaveUpAt !== undefined);
    const shown = [...active, ...gaveUp];
    if (shown.length === 0) {
      this.item.hide();
      this.isVisible = false;
      this.setClock(false);
      return;
    }
    const now = Date.now();
    const oldest = Math.min(...shown.map((pkg) => pkg.pushedAt));
    if (gaveUp.length > 0 && active.length === 0) {
      const pkg = gaveUp[0];
      this.item.text = `$(error) NuGet: ${gaveUp.length === 1 ? `${pkg.id} ${pkg.version}` : `${gaveUp.length} packages`} not available after ${minutes((pkg.gaveUpAt ?? now) - pkg.pushedAt)}`;
    } else if (active.length === 1) {
      this.item.text = `$(sync~spin) NuGet: ${active[0].id} ${active[0].version} ${stageWords(active[0])} (${minutes(now - active[0].pushedAt)})`;
    } else {
      this.item.text = `$(sync~spin) NuGet: ${active.length} packages indexing (${minutes(now - oldest)})`;
    }
    this.item.backgroundColor = gaveUp.length > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : now - oldest > WARN_AFTER_MS ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = this.tooltip(shown, now);
    this.item.show();
    this.isVisible = true;
    this.setClock(active.length > 0);
  }

  private tooltip(packages: readonly TrackedPackage[], now: number): vscode.MarkdownString {
    const markdown = new vscode.MarkdownString('', true);
    markdown.isTrusted = { enabledCommands: ['nugetPublisher.showTracked'] };
    for (const pkg of packages) {
      markdown.appendMarkdown(`**${pkg.id} ${pkg.version}** on ${pkg.feedName}\n\n`);
      const time = (at: number): string => new Date(at).toLocaleTimeString();
      markdown.appendMarkdown(`- $(check) ${STAGE_LABELS.pushed} at ${time(pkg.pushedAt)}\n`);
      for (const stage of STAGES) {
        const at = pkg.reached[stage];
        markdown.appendMarkdown(at !== undefined ? `- $(check) ${STAGE_LABELS[stage]} after ${minutes(at - pkg.pushedAt)}\n` : `- $(circle-large-outline) ${STAGE_LABELS[stage]}${pkg.gaveUpAt ? '' : ' …'}\n`);
      }
      if (pkg.gaveUpAt !== undefined) {
        markdown.appendMarkdown(`\n$(error) Not available after ${minutes(pkg.gaveUpAt - pkg.pushedAt)}. If validation failed, nuget.org e-mails the reason to the package owners.\n`);
      } else if (now - pkg.pushedAt > WARN_AFTER_MS) {
        markdown.appendMarkdown('\n$(warning) Taking longer than usual (nuget.org usually needs under 15 minutes, at most an hour).\n');
      }
      if (pkg.lastError) {
        markdown.appendMarkdown(`\nLast check: ${pkg.lastError}\n`);
      }
      if (pkg.packageUrl) {
        markdown.appendMarkdown(`\n[Package page](${pkg.packageUrl})\n`);
      }
      markdown.appendMarkdown('\n---\n');
    }
    markdown.appendMarkdown('[Show tracked packages](command:nugetPublisher.showTracked)');
    return markdown;
  }

  /** Refreshes the minutes shown while something is tracked; no timer otherwise. */
  private setClock(on: boolean): void {
    if (on && !this.clock) {
      this.clock = setInterval(() => this.render(), 30_000);
    } else if (!on && this.clock) {
      clearInterval(this.clock);
      this.clock = undefined;
    }
  }

  /** The quick pick behind the status-bar item. */
  public async showTracked(): Promise<void> {
    const packages = this.tracker.list();
    if (packages.length === 0) {
      void notify(this.log, 'info', this.lastFolderPublish
        ? `No package is being tracked: ${this.lastFolderPublish}, where a package is ready as soon as its file is written, so there is nothing to wait for. A publish to a server is followed automatically.`
        : 'No package is being tracked. A publish to a server (nuget.org or any V3 feed) is followed automatically; a folder feed needs no following. Use "NuGet: Track Package Version…" for one pushed elsewhere.');
      return;
    }
    const picked = await vscode.window.showQuickPick(packages.map((pkg) => ({
      label: `${isComplete(pkg) ? '$(pass-filled)' : pkg.gaveUpAt ? '$(error)' : '$(sync~spin)'} ${pkg.id} ${pkg.version}`,
      description: `${pkg.feedName} · ${pkg.gaveUpAt ? 'not available' : stageWords(pkg)} · ${minutes(Date.now() - pkg.pushedAt)} since the push`,
      pkg,
    })), { title: 'Tracked packages' });
    if (!picked) {
      return;
    }
    const { pkg } = picked;
    const actions = [
      ...(pkg.packageUrl ? [{ label: '$(link-external) Open package page', action: 'open' }] : []),
      { label: '$(copy) Copy install command', description: installCommand(pkg), action: 'copy' },
      ...(isComplete(pkg) ? [] : [{ label: '$(refresh) Check now', action: 'check' }]),
      { label: '$(close) Stop tracking', action: 'stop' },
    ];
    const action = await vscode.window.showQuickPick(actions, { title: `${pkg.id} ${pkg.version}` });
    if (action?.action === 'open' && pkg.packageUrl) {
      await openExternalSafely(pkg.packageUrl);
    } else if (action?.action === 'copy') {
      await vscode.env.clipboard.writeText(installCommand(pkg));
    } else if (action?.action === 'check') {
      await this.tracker.checkNow();
    } else if (action?.action === 'stop') {
      this.tracker.stop(pkg.key);
      this.render();
    }
  }

  public dispose(): void {
    this.tracker.dispose();
    this.setClock(false);
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
    }
    this.disposables.forEach((disposable) => disposable.dispose());
  }
}
