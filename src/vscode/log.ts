/** The extension's one LogOutputChannel. Components tag their lines: "[inspector] opened x". */
import * as vscode from 'vscode';

export interface Log {
  info(component: string, message: string): void;
  warn(component: string, message: string): void;
  error(component: string, message: string): void;
  show(): void;
}

export function createLog(context: vscode.ExtensionContext): Log {
  const channel = vscode.window.createOutputChannel('NuGet Publisher', { log: true });
  context.subscriptions.push(channel);
  return {
    info: (component, message) => channel.info(`[${component}] ${message}`),
    warn: (component, message) => channel.warn(`[${component}] ${message}`),
    error: (component, message) => channel.error(`[${component}] ${message}`),
    show: () => channel.show(true),
  };
}

/** Shows a short error with a "Show Log" button; the details are already in the log. */
export async function showError(log: Log, message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Show Log');
  if (choice === 'Show Log') {
    log.show();
  }
}
