/** E2E, Restricted Mode: in an untrusted workspace "Publish package" refuses before anything is read or sent. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { newContext, startCodeServer } from '../codeServer';
import type { E2EContext } from './context';
import { ARTIFACTS, UI_TIMEOUT, closeAllEditors, expectNotification, runCommand } from './harness';

export async function restrictedModeFeature(ctx: E2EContext): Promise<void> {
  const { steps, browser, stateDir, workspace, settings, nugetServer, folderFeed } = ctx;
  await ctx.server.stop();
  await steps.step('in Restricted Mode (untrusted workspace) "Publish package" refuses before anything is read or sent', async () => {
    const untrusted = await startCodeServer({ stateDir, workspace: workspace.folder, settings, workspaceTrust: true });
    try {
      const restricted = await (await newContext(browser, 'dark')).newPage();
      await restricted.goto(`${untrusted.url}/?folder=${encodeURIComponent(workspace.folder)}`);
      await restricted.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT });
      await restricted.locator('.explorer-folders-view').waitFor({ timeout: UI_TIMEOUT });
      const before = (await (await fetch(`${nugetServer.base}/v3/query?q=&take=100&prerelease=true&semVerLevel=2.0.0`)).json()) as { totalHits: number };
      // The window knows the extension's commands once its contributions are registered: its
      // activity-bar entry ("NuGet") is there from that moment.
      await restricted.locator('.activitybar .action-item a[aria-label^="NuGet"]').first().waitFor({ timeout: UI_TIMEOUT });
      await closeAllEditors(restricted);
      await runCommand(restricted, 'NuGet: Publish package').catch(async (error: unknown) => {
        // Name what the restricted window showed instead (this step's screenshot is of that window).
        await restricted.screenshot({ path: join(ARTIFACTS, 'failure-restricted-mode-window.png') });
        const rows = await restricted.locator('.quick-input-list .monaco-list-row').allTextContents();
        const editors = await restricted.locator('.part.editor .tabs-container .tab').allTextContents();
        throw new Error(`${(error as Error).message.split('\n')[0]}; palette rows: ${JSON.stringify(rows.slice(0, 5))}; editors: ${JSON.stringify(editors)}`);
      });
      // The refusal is a notification: a toast, or (if VS Code already hid the toast) in the center.
      await expectNotification(restricted, 'does not publish packages in an untrusted workspace').catch(async (error: unknown) => {
        // Say what the window shows instead, so a failure names its cause.
        await restricted.screenshot({ path: join(ARTIFACTS, 'failure-restricted-mode-window.png') });
        const editors = await restricted.locator('.part.editor .tabs-container .tab').allTextContents();
        throw new Error(`${(error as Error).message}; open editors: ${JSON.stringify(editors)}; palette open: ${await restricted.locator('.quick-input-widget').isVisible()}`);
      });
      await restricted.screenshot({ path: join(ARTIFACTS, 'restricted-mode.png') });
      if (await restricted.locator('.quick-input-widget', { hasText: 'which package?' }).isVisible()) {
        throw new Error('the package picker opened in Restricted Mode');
      }
      const after = (await (await fetch(`${nugetServer.base}/v3/query?q=&take=100&prerelease=true&semVerLevel=2.0.0`)).json()) as { totalHits: number };
      if (after.totalHits !== before.totalHits || existsSync(join(folderFeed, 'contoso.utils'))) {
        throw new Error('something was published from an untrusted workspace');
      }
    } finally {
      await untrusted.stop();
    }
  });
}
