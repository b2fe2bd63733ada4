/**
 * Every setting of the extension, typed, with its default and limits in one place. The values are
 * read once per configuration change (watchSettings drops the cache), and this is the only module
 * that calls getConfiguration (an ESLint rule keeps it so).
 */
import * as vscode from 'vscode';

export const SECTION = 'nugetPublisher';

export interface Settings {
  readonly diagnostics: { readonly enableNuspecLinting: boolean };
  readonly inspector: { readonly maxPreviewBytes: number };
  readonly pack: { readonly outputDirectory: string; readonly includeSymbols: boolean; readonly deterministic: boolean };
  readonly publish: { readonly symbols: boolean; readonly skipDuplicate: boolean; readonly parallel: number };
  readonly tracker: { readonly giveUpMinutes: number; readonly notifyDownloadable: boolean; readonly notifySearchable: boolean; readonly firstPollSeconds: number };
  readonly keys: { readonly expiryReminderDays: number };
  /** The merged `feeds` value, unparsed: feedSettings.ts parses it and reports problems. */
  readonly feeds: unknown;
  /** Open the walkthrough on the first activation (VS Code's own openOnInstall does not reach a remote extension host). */
  readonly openWalkthroughOnFirstRun: boolean;
}

/** Limits, as package.json declares them (the settings UI enforces them; a hand-edited file may not). */
const LIMITS = {
  maxPreviewBytes: { min: 1024, max: 16 * 1048576, fallback: 1048576 },
  giveUpMinutes: { min: 0.1, max: 7 * 24 * 60, fallback: 60 },
  firstPollSeconds: { min: 1, max: 3600, fallback: 15 },
  expiryReminderDays: { min: 0, max: 366, fallback: 10 },
  parallel: { min: 1, max: 16, fallback: 4 },
} as const;

function bounded(value: unknown, limit: { min: number; max: number; fallback: number }): number {
  const number = typeof value === 'number' && Number.isFinite(value) ? value : limit.fallback;
  return Math.min(Math.max(number, limit.min), limit.max);
}

function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function read(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    diagnostics: { enableNuspecLinting: flag(config.get('diagnostics.enableNuspecLinting'), true) },
    inspector: { maxPreviewBytes: bounded(config.get('inspector.maxPreviewBytes'), LIMITS.maxPreviewBytes) },
    pack: {
      outputDirectory: typeof config.get('pack.outputDirectory') === 'string' ? config.get<string>('pack.outputDirectory', '') : '',
      includeSymbols: flag(config.get('pack.includeSymbols'), false),
      deterministic: flag(config.get('pack.deterministic'), true),
    },
    publish: { symbols: flag(config.get('publish.symbols'), true), skipDuplicate: flag(config.get('publish.skipDuplicate'), false), parallel: Math.round(bounded(config.get('publish.parallel'), LIMITS.parallel)) },
    tracker: {
      giveUpMinutes: bounded(config.get('tracker.giveUpMinutes'), LIMITS.giveUpMinutes),
      notifyDownloadable: flag(config.get('tracker.notifyDownloadable'), true),
      notifySearchable: flag(config.get('tracker.notifySearchable'), true),
      firstPollSeconds: bounded(config.get('tracker.firstPollSeconds'), LIMITS.firstPollSeconds),
    },
    keys: { expiryReminderDays: Math.round(bounded(config.get('keys.expiryReminderDays'), LIMITS.expiryReminderDays)) },
    feeds: config.get<unknown>('feeds'),
    openWalkthroughOnFirstRun: flag(config.get('walkthrough.openOnFirstRun'), true),
  };
}

let cached: Settings | undefined;
let watching = false;

/** The current settings (cached between changes while watchSettings is active). */
export function readSettings(): Settings {
  if (!watching) {
    return read();
  }
  cached ??= read();
  return cached;
}

/** Drops the cached settings whenever one of ours changes; dispose it on deactivation. */
export function watchSettings(): vscode.Disposable {
  watching = true;
  cached = undefined;
  const listener = vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SECTION)) {
      cached = undefined;
    }
  });
  return new vscode.Disposable(() => {
    listener.dispose();
    watching = false;
    cached = undefined;
  });
}

/** The `feeds` list in the user settings only (a workspace list must never be copied there). */
export function userFeedsValue(): unknown[] {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown[]>('feeds');
  const list = inspected?.globalValue ?? inspected?.defaultValue ?? [];
  return Array.isArray(list) ? [...list] : [];
}

/** Writes the `feeds` list to the user settings. */
export async function writeUserFeeds(list: unknown[]): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('feeds', list, vscode.ConfigurationTarget.Global);
  cached = undefined;
}

/** VS Code's own network settings (the `http` section), which the extension's requests follow as VS Code's do. */
export interface HttpSettings {
  readonly proxy?: string;
  readonly proxyStrictSSL: boolean;
  readonly proxyAuthorization?: string;
  readonly noProxy: readonly string[];
  readonly systemCertificates: boolean;
}

export function readHttpSettings(): HttpSettings {
  const http = vscode.workspace.getConfiguration('http');
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const list = http.get<unknown>('noProxy');
  return {
    proxy: text(http.get('proxy')),
    proxyStrictSSL: http.get('proxyStrictSSL') !== false,
    proxyAuthorization: text(http.get('proxyAuthorization')),
    noProxy: Array.isArray(list) ? list.filter((entry): entry is string => typeof entry === 'string') : [],
    systemCertificates: http.get('systemCertificates') !== false,
  };
}

/** Calls back when one of VS Code's http settings changes. */
export function onHttpSettingsChange(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('http')) {
      listener();
    }
  });
}
