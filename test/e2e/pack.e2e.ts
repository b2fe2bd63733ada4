/** E2E, pack: "NuGet: Pack Project…" runs dotnet pack as a task and offers to inspect the result. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { E2EContext } from './context';
import { ARTIFACTS, UI_TIMEOUT, activeWebview, closeAllEditors, expectText, runCommand } from './harness';

export async function packFeature({ page, steps, workspace }: E2EContext): Promise<void> {
  await steps.step('"NuGet: Pack Project…" runs dotnet pack as a task and offers to inspect the result', async () => {
    await runCommand(page, 'NuGet: Pack Project…');
    const input = page.locator('.quick-input-widget input');
    // configuration (Release is first), then the version box left empty
    await page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: 'Release' }).waitFor({ timeout: UI_TIMEOUT });
    await input.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'Leave empty to use the version in the project' }).waitFor({ timeout: UI_TIMEOUT });
    await input.press('Enter');
    const toast = page.locator('.notifications-toasts', { hasText: 'Packed Contoso.Core.2.0.0.nupkg' });
    // dotnet pack of a project: the slowest step of the suite on a busy machine.
    await toast.waitFor({ timeout: 3 * UI_TIMEOUT });
    const packed = join(workspace.folder, 'src', 'Contoso.Core', 'bin', 'Release', 'Contoso.Core.2.0.0.nupkg');
    if (!existsSync(packed)) {
      throw new Error(`${packed} was not written`);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'pack-project.png') });
    await toast.locator('a.monaco-button', { hasText: 'Inspect' }).first().click();
    await expectText(activeWebview(page).locator('#package-id'), 'Contoso.Core');
  });
  await closeAllEditors(page);
}
