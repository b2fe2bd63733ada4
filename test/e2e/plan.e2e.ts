/** E2E, publish plan: Publish Folder… orders four packages dependencies first, then publishes them. */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { E2EContext } from './context';
import { ARTIFACTS, chooseInQuickPick, closeAllEditors, expectNotification, expectText, runCommand, UI_TIMEOUT } from './harness';

export async function planFeature({ page, steps, planFolder, folderFeed }: E2EContext): Promise<void> {
  await steps.step('"NuGet: Publish Folder…" plans four packages dependencies first, then publishes them', async () => {
    await runCommand(page, 'NuGet: Publish Folder…');
    // The workspace's folders that hold packages are offered first (Browse… last).
    await chooseInQuickPick(page, 'Publish every package in which folder?', basename(planFolder), '4 packages');
    await chooseInQuickPick(page, 'to which feed?', 'Local');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Publish 4 of 4 packages to Local?' });
    await dialog.waitFor({ timeout: UI_TIMEOUT });
    await expectText(dialog, /1\. Contoso\.Release 1\.0\.0.*2\. Plan\.Base 1\.0\.0.*3\. Plan\.Lib 1\.0\.0 → Local: publish, after Plan\.Base.*4\. Plan\.App 1\.0\.0 → Local: publish, after Plan\.Lib/s);
    await page.screenshot({ path: join(ARTIFACTS, 'publish-plan.png') });
    await dialog.locator('a.monaco-button', { hasText: 'Publish, Stop on Error' }).click();
    await expectNotification(page, 'Published 4 packages to Local; 0 skipped.');
    for (const id of ['plan.base', 'plan.lib', 'plan.app', 'contoso.release']) {
      if (!existsSync(join(folderFeed, id, '1.0.0', `${id}.1.0.0.nupkg`))) {
        throw new Error(`${id} 1.0.0 is not in the folder feed`);
      }
    }
  });
  await closeAllEditors(page);
}
