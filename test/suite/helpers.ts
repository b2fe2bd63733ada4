/** Helpers shared by the extension-host suites (this file has no tests: index.ts loads *.test.js only). */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'nuget-publisher.nuget-publisher';

export function workspaceFile(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the sample workspace open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/**
 * Retries and workarounds that happened during the run: written to the results file, printed by
 * the runner as "warning: …" and counted (the soak script fails on any), never hidden.
 */
export const warnings: string[] = [];

export function warn(message: string): void {
  warnings.push(message);
  console.warn(`warning: ${message}`);
}

/** One deadline for waits on VS Code: generous, because a busy machine is slow, not wrong. */
export const DEADLINE_MS = 60_000;

/** Polls `probe` every 100 ms until it returns something truthy, or fails naming what it waited for. */
export async function waitFor<T>(what: string | (() => string), probe: () => T | undefined | false, timeoutMs = DEADLINE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Closes every editor and waits until the tabs are gone and every webview panel of the extension
 * was disposed: a webview opened while another one is still being disposed has been seen to get
 * no iframe in VS Code for the Web.
 */
export async function closeWebviews(api: { liveWebviews(): number }): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor('all editors closed', () => vscode.window.tabGroups.all.every((group) => group.tabs.length === 0));
  await waitFor(() => `every webview panel disposed (${api.liveWebviews()} left)`, () => api.liveWebviews() === 0);
}


/**
 * Opens a webview (an inspector tab, the keys panel) and waits until it has shown `what`.
 * code-server serves every webview from one origin, so a new webview can be taken over by the
 * service worker of the one closed just before it; VS Code's webview host then logs "Found
 * unexpected service worker controller … Waiting for controllerchange" and may never load (seen
 * in the browser console of these tests). Closing and opening the tab again recovers, as it would
 * for a person. Each reopen is a warning that counts (printed by the runner), at most 3 tries.
 */
export async function openWebviewUntil<T>(api: { liveWebviews(): number }, what: string | (() => string), open: () => Thenable<unknown>, shown: () => T | undefined): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await open();
    const result = await waitFor(what, shown, attempt < 3 ? 20_000 : DEADLINE_MS).catch((error: unknown) => {
      if (attempt >= 3) {
        throw error;
      }
      return undefined;
    });
    if (result) {
      return result;
    }
    warn(`${typeof what === 'string' ? what : what()} did not happen within 20 s (try ${attempt}: the webview did not load); the tab was closed and opened again`);
    await closeWebviews(api);
  }
}

/** What the suite answers when the extension asks (dialogs.ts: confirmations, password boxes, pick-many lists). */
export interface Answers {
  /** Buttons to press: the first of these that a confirmation offers is pressed; none offered: dismissed. */
  readonly press?: readonly string[];
  /** Typed into a password box; without it the box is cancelled. */
  readonly secret?: string;
  /** Labels chosen in a pick-many list; without it every item is chosen. */
  readonly pick?: readonly string[];
}

/** The confirmations a user says yes to when publishing, unlisting or removing (never "Publish Anyway"). */
export const CONFIRM = ['Publish', 'Publish, Stop on Error', 'Resume, Stop on Error', 'Try Anyway', 'Unlist', 'Relist', 'Remove', 'Replace', 'Add Anyway'];

interface QuestionsApi {
  answerQuestionsWith(answerer: ((question: { kind: string; message: string; items: readonly string[] }) => string | readonly string[] | undefined) | undefined): void;
}

/**
 * Answers the extension's questions as a user would, through the test build's door (the shipped
 * bundle has none: no command argument answers a question). Each suite sets its answers in its
 * setup; `dismissEverything` puts back the default, under which every question is dismissed.
 */
export function answerWith(api: QuestionsApi, answers: Answers): void {
  api.answerQuestionsWith((question) => {
    if (question.kind === 'confirm') {
      return answers.press?.find((button) => question.items.includes(button));
    }
    if (question.kind === 'secret') {
      return answers.secret;
    }
    return answers.pick ?? question.items;
  });
}

/** The default between suites: every question dismissed (a real modal dialog would stall the run). */
export function dismissEverything(api: QuestionsApi): void {
  api.answerQuestionsWith(() => undefined);
}
