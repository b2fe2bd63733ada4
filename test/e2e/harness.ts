/**
 * End-to-end harness: the packaged extension (.vsix) installed into code-server like a user would,
 * a sample workspace, Chromium driving the real workbench. Steps are named; the run prints
 * "N passed, N failed" and saves screenshots under test-artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
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

export class Steps {
  private passed = 0;
  private failed = 0;

  public constructor(private readonly page: Page) {}

  public async step(name: string, body: () => Promise<void>): Promise<boolean> {
    const started = Date.now();
    try {
      await body();
      this.passed++;
      console.log(`ok - ${name} (${Date.now() - started} ms)`);
      return true;
    } catch (error) {
      this.failed++;
      console.log(`not ok - ${name}\n    ${String(error instanceof Error ? error.message : error).split('\n').join('\n    ')}`);
      const file = join(ARTIFACTS, `failure-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
      await this.page.screenshot({ path: file }).catch(() => undefined);
      console.log(`    screenshot: ${file}`);
      return false;
    }
  }

  public summary(label: string): number {
    console.log(`${label}: ${this.passed} passed, ${this.failed} failed`);
    return this.failed === 0 && this.passed > 0 ? 0 : 1;
  }
}

/** Runs a command from the palette by its title, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
  await page.waitForTimeout(300);
  await input.press('Enter');
}

/** Opens a workspace file with Quick Open (Ctrl+P), which uses the default editor for it. */
export async function quickOpen(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.waitForTimeout(300);
  await input.press('Enter');
}

/** The content frame of the visible webview. */
export function activeWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
}

export async function closeAllEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await page.waitForTimeout(1500);
}

/** Chooses an item in the open quick pick by typing part of it and pressing Enter. */
export async function chooseInQuickPick(page: Page, title: string | RegExp, filter: string, rowText: string = filter): Promise<void> {
  await page.locator('.quick-input-widget', { hasText: title }).waitFor({ state: 'visible', timeout: 60_000 });
  const input = page.locator('.quick-input-widget input');
  await input.fill(filter);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first().waitFor();
  await page.waitForTimeout(300);
  await input.press('Enter');
}

/** Answers the input box whose title contains `title` (empty text accepts the proposed value). */
export async function answerInputBox(page: Page, title: string | RegExp, text?: string): Promise<void> {
  await page.locator('.quick-input-widget', { hasText: title }).waitFor({ state: 'visible', timeout: 60_000 });
  const input = page.locator('.quick-input-widget input');
  if (text !== undefined) {
    await input.fill(text);
  }
  await page.waitForTimeout(200);
  await input.press('Enter');
}

/** Clicks a button of the modal dialog that shows `text`. */
export async function answerDialog(page: Page, text: string | RegExp, button: string): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text });
  await dialog.waitFor({ state: 'visible', timeout: 60_000 });
  await dialog.locator('a.monaco-button', { hasText: button }).first().click();
  // Wait until it is gone, so that a dialog shown again right after is a new one.
  await dialog.waitFor({ state: 'detached', timeout: 30_000 });
}

/** Clicks a button on the notification toast that shows `text`. */
export async function clickToastButton(page: Page, text: string | RegExp, button: string): Promise<void> {
  const toast = page.locator('.notification-toast', { hasText: text });
  await toast.waitFor({ state: 'visible', timeout: 60_000 });
  await toast.locator('a.monaco-button', { hasText: button }).first().click();
}
