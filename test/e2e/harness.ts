/**
 * End-to-end harness: the packaged extension (.vsix) installed into code-server like a user would,
 * a sample workspace, Chromium driving the real workbench. Steps are named; the run prints
 * "N passed, N failed" and saves screenshots under test-artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { codeServerArgs, codeServerBinary, codeServerEnv } from '../codeServer';
import { REPO_ROOT } from '../helpers/dotnetFixtures';

export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

/** Packs the extension with vsce (the .vscodeignore allowlist applies) and installs it. */
export function installVsix(stateDir: string): string {
  const vsix = join(REPO_ROOT, 'out', 'nuget-publisher.vsix');
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '-o', vsix], { cwd: REPO_ROOT, stdio: 'pipe' });
  for (const sub of ['exts', 'ud', 'config', 'data']) {
    mkdirSync(join(stateDir, sub), { recursive: true });
  }
  execFileSync(codeServerBinary(), [...codeServerArgs({ port: 0, stateDir }).filter((arg, index, all) => !['--bind-addr'].includes(arg) && all[index - 1] !== '--bind-addr'), '--install-extension', vsix], {
    env: codeServerEnv(stateDir), stdio: 'pipe', timeout: 120_000,
  });
  return vsix;
}

/** The last lines of the extension's "NuGet Publisher" log in code-server's state folder. */
function extensionLogTail(stateDir: string | undefined, lines = 25): string[] {
  if (!stateDir) {
    return [];
  }
  const logs = join(stateDir, 'ud', 'logs');
  const found = existsSync(logs) ? (readdirSync(logs, { recursive: true }) as string[]).filter((path) => path.endsWith('NuGet Publisher.log')).sort() : [];
  const latest = found.pop();
  return latest ? readFileSync(join(logs, latest), 'utf8').trimEnd().split('\n').slice(-lines) : [];
}

export class Steps {
  private passed = 0;
  private failed = 0;
  private warnings = 0;

  /** `stateDir`: code-server's state folder, whose extension log is printed when a step fails. */
  public constructor(private readonly page: Page, private readonly stateDir?: string) {}

  public async step(name: string, body: () => Promise<void>): Promise<boolean> {
    const started = Date.now();
    try {
      await body();
      this.passed++;
      console.log(`ok - ${name} (${Date.now() - started} ms)`);
      return true;
    } catch (error) {
      await this.fail(name, error);
      return false;
    }
  }

  /** Counts a failure outside any step (a feature's clean-up) and prints what the window showed. */
  public async fail(name: string, error: unknown): Promise<void> {
    this.failed++;
    console.log(`not ok - ${name}\n    ${String(error instanceof Error ? error.message : error).split('\n').join('\n    ')}`);
    // What the window said: the visible notifications often name the cause.
    const toasts = await this.page.locator('.notification-toast').allTextContents().catch(() => []);
    if (toasts.length > 0) {
      console.log(`    notifications: ${toasts.map((toast) => JSON.stringify(toast.slice(0, 300))).join(' | ')}`);
    }
    const quickInput = await this.page.locator('.quick-input-widget').isVisible().catch(() => false) ? await this.page.locator('.quick-input-widget').textContent().catch(() => '') : 'hidden';
    const dialog = await this.page.locator('.monaco-dialog-box').textContent({ timeout: 500 }).catch(() => 'none');
    console.log(`    quick input: ${JSON.stringify(quickInput?.slice(0, 200))}; dialog: ${JSON.stringify(dialog?.slice(0, 200))}`);
    for (const line of extensionLogTail(this.stateDir)) {
      console.log(`    log: ${line}`);
    }
    const file = join(ARTIFACTS, `failure-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
    await this.page.screenshot({ path: file }).catch(() => undefined);
    console.log(`    screenshot: ${file}`);
  }

  /** A retry or workaround that happened: printed as "warning: …" and counted (the soak script fails on any). */
  public warn(message: string): void {
    this.warnings++;
    console.log(`warning: ${message}`);
  }

  public summary(label: string): number {
    // Retries inside the helpers (a palette reopened) count as warnings too.
    for (const retry of retriesSeen.splice(0)) {
      this.warn(retry);
    }
    console.log(`${label}: ${this.passed} passed, ${this.failed} failed, 0 skipped, ${this.warnings} warnings`);
    return this.failed === 0 && this.passed > 0 ? 0 : 1;
  }
}

/** One deadline for every wait on the UI: generous, because a busy machine is slow, not wrong. */
export const UI_TIMEOUT = 60_000;

const QUICK_INPUT = '.quick-input-widget input';

/** Waits until the quick input's first row (the one Enter takes) shows `text`. */
async function firstRowShows(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: text }).waitFor({ timeout: UI_TIMEOUT });
}

/** Fills the quick input and waits until it holds exactly `text` (VS Code may still be setting its own value). */
export async function fillQuickInput(page: Page, text: string): Promise<void> {
  const input = page.locator(QUICK_INPUT);
  await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await expectState(`the quick input to hold ${JSON.stringify(text)}`, async () => {
    if ((await input.inputValue()) !== text) {
      await input.fill(text);
    }
    return (await input.inputValue()) === text;
  });
}

/** Retries the helpers made (not waits: a second try of an action), counted as warnings by Steps.summary. */
const retriesSeen: string[] = [];

/** Runs a command from the palette by its title, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  // The palette lists the commands known when it opens: one contributed by an extension the
  // workbench is still registering shows only in a palette opened after that. So: reopen until
  // the command is listed (one deadline), and name what the palette showed if it never is.
  let shown: string[] = [];
  let opened = 0;
  await expectState(() => `the command palette to list "${title}" (it showed ${JSON.stringify(shown.slice(0, 3))})`, async () => {
    opened++;
    await page.keyboard.press('F1');
    await page.locator(QUICK_INPUT).waitFor({ state: 'visible', timeout: UI_TIMEOUT }).catch(async () => {
      throw new Error(`F1 showed no command palette; the keyboard focus is on ${await focusedElement(page)}`);
    });
    await fillQuickInput(page, `>${title}`);
    const listed = await page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: title }).waitFor({ timeout: 3_000 }).then(() => true, () => false);
    if (!listed) {
      shown = await page.locator('.quick-input-list .monaco-list-row').allTextContents();
      await page.keyboard.press('Escape');
    }
    return listed;
  });
  if (opened > 1) {
    retriesSeen.push(`the command palette was opened ${opened} times before it listed "${title}" (it showed ${JSON.stringify(shown.slice(0, 3))})`);
  }
  await page.locator(QUICK_INPUT).press('Enter');
}

/** The element with the keyboard focus, for error text: its tag, classes and first words. */
export async function focusedElement(page: Page): Promise<string> {
  // A string, so that the DOM types stay out of this Node project.
  return page.evaluate(`(() => {
    const element = document.activeElement;
    return element ? element.tagName.toLowerCase() + '.' + [...element.classList].join('.') + ' "' + (element.textContent || '').trim().slice(0, 40) + '"' : 'nothing';
  })()`).then(String, (error: unknown) => `(unknown: ${String(error)})`);
}

/** Opens a workspace file with Quick Open (Ctrl+P), which uses the default editor for it. */
export async function quickOpen(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await fillQuickInput(page, name);
  await firstRowShows(page, name);
  await page.locator(QUICK_INPUT).press('Enter');
}

/**
 * Answers VS Code's simple file dialog (a quick input holding a path, as code-server shows it).
 * The dialog loads folders asynchronously and rewrites the input while it does, so each step
 * waits for its state: loaded at its starting folder (a path ending in "/", rows listed, not
 * busy), then — after typing — showing `path` with its file or folder among the rows, then gone
 * or moved on after Enter.
 */
export async function chooseFile(page: Page, path: string): Promise<void> {
  const input = page.locator(QUICK_INPUT);
  const busy = page.locator('.quick-input-widget .monaco-progress-container.active');
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await expectState('the file dialog to load its starting folder', async () => (await input.inputValue()).endsWith('/') && (await rows.count()) > 0 && (await busy.count()) === 0);
  const name = path.split('/').filter(Boolean).pop() ?? path;
  await expectState(() => `the file dialog to show ${path} (it shows ${JSON.stringify(lastValue)})`, async () => {
    lastValue = await input.inputValue();
    if (lastValue !== path) {
      await input.fill(path);
      return false;
    }
    return (await busy.count()) === 0 && (await rows.filter({ hasText: name }).count()) > 0 && (await input.inputValue()) === path;
  });
  await input.press('Enter');
  await expectState(`the file dialog to take ${path}`, async () => !(await input.isVisible()) || (await input.inputValue()) !== path);
}

let lastValue = '';

/** Polls `probe` until it is true, with the one UI deadline; the failure names what was awaited. */
export async function expectState(what: string | (() => string), probe: () => Promise<boolean>, timeout = UI_TIMEOUT): Promise<void> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  while (!(await probe().catch((error: unknown) => {
    lastError = error;
    return false;
  }))) {
    if (Date.now() > deadline) {
      // A check that threw says more than "timed out": name its error too.
      const cause = lastError === undefined ? '' : `; the last check failed: ${String(lastError instanceof Error ? lastError.message : lastError).split('\n')[0]}`;
      throw new Error(`timed out after ${timeout / 1000} s waiting for ${typeof what === 'string' ? what : what()}${cause}`);
    }
    // Playwright's own polling pace; this is not a delay the test depends on.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until `locator` (its first match) holds `expected`; the failure shows what it held. */
export async function expectText(locator: Locator, expected: RegExp | string, timeout = UI_TIMEOUT): Promise<void> {
  let text = '';
  await expectState(() => `${String(expected)} in "${text.slice(0, 300)}"`, async () => {
    text = (await locator.first().textContent({ timeout: 1000 })) ?? '';
    return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
  }, timeout).catch((error: unknown) => {
    throw new Error(`expected ${String(expected)} in "${text.slice(0, 300)}" (${(error as Error).message})`);
  });
}

/** The content frame of the visible webview. */
export function activeWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
}

/** Closes every editor and waits until the editor area has no tab left. */
export async function closeAllEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await expectState('every editor tab to close', async () => (await page.locator('.part.editor .tabs-container .tab').count()) === 0);
}

/** Chooses an item in the open quick pick by typing part of it and pressing Enter. */
export async function chooseInQuickPick(page: Page, title: string | RegExp, filter: string, rowText: string = filter): Promise<void> {
  await page.locator('.quick-input-widget', { hasText: title }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await fillQuickInput(page, filter);
  await firstRowShows(page, rowText);
  await page.locator(QUICK_INPUT).press('Enter');
}

/** Answers the input box whose title contains `title` (empty text accepts the proposed value). */
export async function answerInputBox(page: Page, title: string | RegExp, text?: string): Promise<void> {
  const widget = page.locator('.quick-input-widget', { hasText: title });
  await widget.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  if (text !== undefined) {
    await fillQuickInput(page, text);
  }
  await page.locator(QUICK_INPUT).press('Enter');
  // Taken when this box is gone (the next one has another title).
  await widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
}

/** Clicks a button of the modal dialog that shows `text`. */
export async function answerDialog(page: Page, text: string | RegExp, button: string): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text });
  await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await dialog.locator('a.monaco-button', { hasText: button }).first().click();
  // Wait until it is gone, so that a dialog shown again right after is a new one.
  await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
}

/**
 * Waits until VS Code has shown a notification with `text`. VS Code hides an information or
 * warning toast after 10-12 s and keeps it in the notification center, so a toast that came and
 * went while the machine was busy is looked up there: the notification was shown either way.
 */
export async function expectNotification(page: Page, text: string | RegExp, timeout = UI_TIMEOUT): Promise<void> {
  const toast = page.locator('.notification-toast', { hasText: text });
  const listed = page.locator('.notifications-center .notification-list-item', { hasText: text });
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await toast.waitFor({ state: 'visible', timeout: Math.min(10_000, Math.max(1, deadline - Date.now())) }).then(() => true, () => false)) {
      return;
    }
    await runCommand(page, 'Notifications: Show Notifications');
    const inCenter = await listed.first().waitFor({ state: 'visible', timeout: 2_000 }).then(() => true, () => false);
    await runCommand(page, 'Notifications: Hide Notifications');
    if (inCenter) {
      return;
    }
  }
  const seen = await page.locator('.notification-toast').allTextContents().catch(() => []);
  throw new Error(`no notification showing ${String(text)} within ${timeout} ms; toasts seen: ${JSON.stringify(seen)}`);
}

/** The active webview's own frame (its document), for scripts run in it. */
async function webviewFrame(page: Page): Promise<Frame> {
  const handle = await activeWebview(page).locator('html').elementHandle({ timeout: UI_TIMEOUT });
  const frame = await handle?.ownerFrame();
  if (!frame) {
    throw new Error('the active webview has no frame');
  }
  return frame;
}

interface AxeViolation {
  readonly id: string;
  readonly impact?: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly failureSummary?: string }[];
}

/**
 * axe-core (npm axe-core) in the active webview, WCAG 2 A and AA rules: the violations that are
 * serious or critical, and every colour-contrast violation (contrast at WCAG AA). The script is
 * evaluated through the debugging protocol, which the webview's content security policy does not
 * govern (the page itself still runs only its own nonce'd scripts).
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const frame = await webviewFrame(page);
  const source = readFileSync(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await frame.evaluate(`${source}\n;undefined`);
  // A string: this runs in the webview (the test build has no DOM types).
  const violations = await frame.evaluate(`(async () => {
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.slice(0, 3).map((node) => ({ target: node.target, failureSummary: node.failureSummary })) }));
  })()`) as AxeViolation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical' || violation.id === 'color-contrast')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => `${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`).join('; ')}`);
}

/**
 * Cells that hold a package path and wrap it to fewer than `minimum` characters a line (the
 * one-character-per-line columns of a too-narrow table), as "path: N characters a line".
 */
export async function crampedPathCells(page: Page, selector: string, minimum = 8): Promise<string[]> {
  const frame = await webviewFrame(page);
  // A string: this runs in the webview (the test build has no DOM types).
  return frame.evaluate(`(() => {
    const cramped = [];
    for (const cell of Array.from(document.querySelectorAll(${JSON.stringify(selector)}))) {
      const text = (cell.textContent || '').trim();
      const style = getComputedStyle(cell);
      const lineHeight = Number.parseFloat(style.lineHeight) || Number.parseFloat(style.fontSize) * 1.4;
      const lines = Math.max(1, Math.round(cell.getBoundingClientRect().height / lineHeight));
      if (text.length / lines < Math.min(${minimum}, text.length)) {
        cramped.push(text + ': ' + (text.length / lines).toFixed(1) + ' characters a line');
      }
    }
    return cramped;
  })()`) as Promise<string[]>;
}

const THEME_CLASS: Record<string, string> = { 'Dark Modern': 'vscode-dark', 'Light Modern': 'vscode-light', 'Dark High Contrast': 'vscode-high-contrast' };

/** "Preferences: Color Theme" (not the marketplace entry next to it), then the theme by its exact name; waits until the webview follows. */
export async function selectTheme(page: Page, theme: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await fillQuickInput(page, '>Preferences: Color Theme');
  await page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click();
  await page.locator('.quick-input-list .monaco-list-row[aria-label^="Dark Modern"], .quick-input-list .monaco-list-row[aria-label^="Light Modern"]').first().waitFor({ timeout: UI_TIMEOUT });
  await input.fill(theme);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label^="${theme}"]`).first().click();
  const body = activeWebview(page).locator('body');
  await expectState(`the webview to take the theme ${theme}`, async () => (await body.getAttribute('class', { timeout: 1000 }))?.split(/\s+/).includes(THEME_CLASS[theme]) ?? false);
}


/** Fails with the list when it is not empty. */
export function assertNone(what: string, found: readonly string[]): void {
  if (found.length > 0) {
    throw new Error(`${found.length} ${what}:\n${found.join('\n')}`);
  }
}

/**
 * Runs `body` with the browser window `width` pixels wide and the side bar closed (the editor
 * then is about that wide, as in a split), then puts both back.
 */
export async function withViewportWidth(page: Page, width: number, body: () => Promise<void>): Promise<void> {
  const before = page.viewportSize() ?? { width: 1400, height: 900 };
  await runCommand(page, 'View: Close Primary Side Bar');
  await page.setViewportSize({ width, height: before.height });
  try {
    await expectState(`the window to be ${width} px wide`, async () => (await page.evaluate('window.innerWidth')) === width);
    await body();
  } finally {
    await page.setViewportSize(before);
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  }
}

/** The ::before text of the cells a selector finds in the active webview (a card's field labels). */
export async function labelsBefore(page: Page, selector: string): Promise<string[]> {
  const frame = await webviewFrame(page);
  return frame.evaluate(`Array.from(document.querySelectorAll(${JSON.stringify(selector)})).map((cell) => getComputedStyle(cell, '::before').content.replace(/^"|"$/g, ''))`) as Promise<string[]>;
}
