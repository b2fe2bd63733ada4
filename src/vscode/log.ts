/**
 * The extension's one LogOutputChannel. Components tag their lines: "[inspector] opened x".
 * Every line passes through the core SecretScrubber, which replaces any secret the extension has
 * handled (registered with `protect`) by "***" and drops URL user-info, so a key can never reach
 * the log by accident. The last
 * lines are kept in memory for the tests that assert exactly that.
 */
import * as vscode from 'vscode';
import { SecretScrubber } from '../core/secrets/scrubber';

export interface Log {
  info(component: string, message: string): void;
  warn(component: string, message: string): void;
  error(component: string, message: string): void;
  show(): void;
  /** Registers a secret value: it is replaced by *** in every later line and message. */
  protect(secret: string): void;
  /** Registers Basic credentials: the password and the base64 user:password an Authorization header carries. */
  protectBasic(username: string, password: string): void;
  /** Replaces registered secrets in a text (also used for notifications). */
  scrub(text: string): string;
  /** The recent lines, already scrubbed (for tests and "copy diagnostics"). */
  recent(): readonly string[];
}

const KEEP_LINES = 2000;

export function createLog(context: vscode.ExtensionContext): Log {
  const channel = vscode.window.createOutputChannel('NuGet Publisher', { log: true });
  context.subscriptions.push(channel);
  const scrubber = new SecretScrubber();
  const lines: string[] = [];
  const scrub = (text: string): string => scrubber.scrub(text);
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
    // The core scrubber also removes encoded forms and URL user-info; very short values
    // (a placeholder such as "az") are not registered, they would blank out ordinary words.
    protect: (secret) => scrubber.protect(secret),
    protectBasic: (username, password) => scrubber.protectBasic(username, password),
    scrub,
    recent: () => [...lines],
  };
}

/** Every notification text shown through `notify` (scrubbed): the tests scan them for secrets. */
export const shownMessages: string[] = [];

/** Records what the user was shown (a notification, or the reason at the top of an input box). */
export function recordShown(kind: 'info' | 'warning' | 'error' | 'prompt', text: string): void {
  if (NP_TEST_HOOKS) {
    shownMessages.push(`${kind}: ${text}`);
    if (shownMessages.length > 500) {
      shownMessages.shift();
    }
  }
}

/** Shows a notification whose text is scrubbed of secrets and recorded. */
export function notify<T extends string>(log: Log, level: 'info' | 'warning' | 'error', message: string, ...items: T[]): Thenable<T | undefined> {
  const text = log.scrub(message);
  recordShown(level, text);
  const show = level === 'info' ? vscode.window.showInformationMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  return show(text, ...items) as Thenable<T | undefined>;
}

/** Commands an error text may tell the user to run: its notification offers them as buttons. */
const NAMED_COMMANDS: readonly (readonly [string, string])[] = [
  ['NuGet: Replace Key', 'nugetPublisher.replaceKey'],
  ['NuGet: Add Key', 'nugetPublisher.addKey'],
  ['NuGet: Add Feed', 'nugetPublisher.addFeed'],
  ['NuGet: Test Key', 'nugetPublisher.testKey'],
];

/**
 * Shows a short error with a "Show Log" button (the details are already in the log), and a button
 * for each command the text tells the user to run ("… use NuGet: Replace Key").
 */
export async function showError(log: Log, message: string): Promise<void> {
  const named = NAMED_COMMANDS.filter(([title]) => message.includes(title));
  const choice = await notify(log, 'error', message, ...named.map(([title]) => title.replace(/^NuGet: /, '')), 'Show Log');
  const command = named.find(([title]) => title.replace(/^NuGet: /, '') === choice)?.[1];
  if (command) {
    await vscode.commands.executeCommand(command);
  } else if (choice === 'Show Log') {
    log.show();
  }
}
