/** E2E, Feeds view: the new version is listed, and Unlist from its context menu greys it. */
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { GALLERY_KEY, type E2EContext } from './context';
import { ARTIFACTS, UI_TIMEOUT, answerDialog, closeAllEditors, runCommand } from './harness';

export async function feedsViewFeature({ page, steps, gallery }: E2EContext): Promise<void> {
  await steps.step('the Feeds view shows the new version, and Unlist from its context menu greys it', async () => {
    await runCommand(page, 'View: Show NuGet');
    const tree = page.locator('.pane', { hasText: 'Feeds' });
    const row = (text: string): Locator => tree.locator('.monaco-list-row', { hasText: text }).first();
    await row('Gallery').click();
    await row('Contoso.Core').click();
    const version = tree.locator('.monaco-list-row', { hasText: '2.0.0' }).last();
    await version.waitFor({ timeout: UI_TIMEOUT });
    await page.screenshot({ path: join(ARTIFACTS, 'feeds-view.png') });
    await version.click({ button: 'right' });
    // VS Code's context menu acts on the focused item: hover it, then Enter (a synthetic click is not always taken).
    await page.locator('.monaco-menu .action-label', { hasText: 'Unlist Version…' }).first().hover();
    await page.keyboard.press('Enter');
    await answerDialog(page, 'Unlist Contoso.Core 2.0.0 on Gallery?', 'Unlist');
    await tree.locator('.monaco-list-row', { hasText: 'unlisted' }).first().waitFor({ timeout: UI_TIMEOUT });
    await page.screenshot({ path: join(ARTIFACTS, 'feeds-view-unlisted.png') });
    const unlists = gallery.requests.filter((request) => request.method === 'DELETE' && request.url === '/api/v2/package/Contoso.Core/2.0.0');
    if (unlists.length !== 1 || unlists[0].headers['x-nuget-apikey'] !== GALLERY_KEY) {
      throw new Error(`expected one DELETE with the key, got ${unlists.length}`);
    }
  });
  await closeAllEditors(page);
}
