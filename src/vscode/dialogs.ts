/**
 * Every question that guards an action (a modal confirmation, a secret typed into a password box,
 * the choice of what to import) goes through here, and no command argument can answer one: any
 * installed extension can run our commands with any arguments, so an argument that skipped a
 * confirmation would let it publish, unlist or remove with the user's stored keys unseen.
 *
 * The extension-host tests answer these questions through `testAnswerer`, which exists only in
 * the test build (NP_TEST_HOOKS, see testHooks.ts): in dist/extension.js the guarded branches
 * are removed by the bundler and every question goes to the user.
 */
import * as vscode from 'vscode';
import { recordShown } from './log';

/** One question as the test build records it; `answer` is what was given back. */
export interface Question {
  readonly kind: 'confirm' | 'secret' | 'pick-many';
  readonly message: string;
  /** The buttons of a confirmation, or the labels of a pick-many list. */
  readonly items: readonly string[];
  /** A confirmation's detail text, when it has one. */
  readonly detail?: string;
  /** A confirmation's level: an information or a warning dialog. */
  readonly level?: 'info' | 'warning';
}

/** Test build only: answers a question, or returns NOT_ANSWERED to let it reach the real UI. */
export type TestAnswerer = (question: Question) => string | readonly string[] | undefined | typeof NOT_ANSWERED;
export const NOT_ANSWERED = Symbol('not answered');

/** Test build only: the questions asked, newest last. */
export const askedQuestions: Question[] = [];
let testAnswerer: TestAnswerer | undefined;

/** Test build only: installs (or with undefined removes) the answerer. A no-op in what ships. */
export function answerQuestionsWith(answerer: TestAnswerer | undefined): void {
  if (NP_TEST_HOOKS) {
    testAnswerer = answerer;
  }
}

function answeredInTest(question: Question): { value: string | readonly string[] | undefined } | undefined {
  if (NP_TEST_HOOKS) {
    askedQuestions.push(question);
    if (askedQuestions.length > 500) {
      askedQuestions.shift();
    }
    const answer = testAnswerer?.(question) ?? undefined;
    if (answer !== NOT_ANSWERED && testAnswerer) {
      return { value: answer };
    }
  }
  return undefined;
}

/** A modal confirmation: the chosen button, or undefined when dismissed. */
export async function confirmModal<T extends string>(level: 'info' | 'warning', message: string, detail: string | undefined, ...items: T[]): Promise<T | undefined> {
  recordShown('prompt', message);
  const test = answeredInTest({ kind: 'confirm', message, items, level, ...(detail !== undefined ? { detail } : {}) });
  if (test) {
    const value = test.value;
    return typeof value === 'string' && (items as string[]).includes(value) ? (value as T) : undefined;
  }
  const show = level === 'info' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  return show(message, { modal: true, ...(detail !== undefined ? { detail } : {}) }, ...items);
}

/** A secret typed by the user (a password box); undefined when cancelled. */
export async function askSecret(options: vscode.InputBoxOptions & { readonly title: string }): Promise<string | undefined> {
  const test = answeredInTest({ kind: 'secret', message: options.title, items: [] });
  if (test) {
    return typeof test.value === 'string' ? test.value : undefined;
  }
  return vscode.window.showInputBox({ ...options, password: true, ignoreFocusOut: true });
}

/** A pick-many list: the chosen items (by label), or undefined when dismissed. */
export async function pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { readonly title: string }): Promise<T[] | undefined> {
  const test = answeredInTest({ kind: 'pick-many', message: options.title, items: items.map((item) => item.label) });
  if (test) {
    const labels = Array.isArray(test.value) ? test.value : typeof test.value === 'string' ? [test.value] : undefined;
    return labels ? items.filter((item) => labels.includes(item.label)) : undefined;
  }
  return vscode.window.showQuickPick(items, { ...options, canPickMany: true });
}
