/**
 * The extension's one LogOutputChannel. Components tag their lines: "[inspector] opened x".
 * Every line passes through a scrubber that replaces any secret the extension has handled
 * (registered with `protect`) by "***", so a key can never reach the log by accident. The last
 * lines are kept in memory for the tests that assert exactly that.
 */
import * as vscode from 'vscode';

export interface Log {
  info(component: string, message: string): void;
  warn(component: string, message: string): void;
  error(component: string, message: string): void;
  show(): void;
  /** Registers a secret value: it is replaced by *** in every later line and message. */
  protect(secret: string): void;
  /** Replaces registered secrets in a text (also used for notifications). */
  scrub(text: string): string;
  /** The recent lines, already scrubbed (for tests and "copy diagnostics"). */
  recent(): readonly string[];
}

const KEEP_LINES = 2000;

export function createLog(context: vscode.ExtensionContext): Log {
  const channel = vscode.window.createOutputChannel('NuGet Publisher', { log: true });
  context.subscriptions.push(channel);
  const secrets = new Set<string>();
  const lines: string[] = [];
  const scrub = (text: string): string => {
    let result = text;
    for (const secret of secrets) {
      result = result.split(secret).join('***');
    }
    return result;
  };
  const write = (level: 'info' | 'warn' | 'error', component: string, message: string): void => {
    const line = scrub(`[${component}] ${message}`);
    lines.push(`${level} ${line}`);
    if (lines.length > KEEP_LINES) {
      lines.splice(0, lines.length - KEEP_LINES);
    }
    channel[level](line);
  };
  return {
    info: (component, message) => write('info', component, message),
    warn: (component, message) => write('warn', component, message),
    error: (component, message) => write('error', component, message),
    show: () => channel.show(true),
    // Very short values (a placeholder such as "az") would blank out ordinary words.
    protect: (secret) => {
      if (secret.length >= 4) {
        secrets.add(secret);
      }
    },
    scrub,
    recent: () => [...lines],
  };
}

/** Every notification text shown through `notify` (scrubbed): the tests scan them for secrets. */
export const shownMessages: string[] = [];

/** Shows a notification whose text is scrubbed of secrets and recorded. */
export function notify<T extends string>(log: Log, level: 'info' | 'warning' | 'error', message: string, ...items: T[]): Thenable<T | undefined> {
  const text = log.scrub(message);
  shownMessages.push(`${level}: ${text}`);
  if (shownMessages.length > 500) {
    shownMessages.shift();
  }
  const show = level === 'info' ? vscode.window.showInformationMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  return show(text, ...items) as Thenable<T | undefined>;
}

/** Shows a short error with a "Show Log" button; the details are already in the log. */
export async function showError(log: Log, message: string): Promise<void> {
  const choice = await notify(log, 'error', message, 'Show Log');
  if (choice === 'Show Log') {
    log.show();
  }
}
