/** E2E, release diff: Compare Packages…, and Show Changes in the publish confirmation. */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { E2EContext } from './context';
import { answerDialog, ARTIFACTS, chooseInQuickPick, closeAllEditors, expectNotification, expectState, expectText, runCommand, UI_TIMEOUT } from './harness';

export async function compareFeature({ page, steps, releaseV1, releaseV2 }: E2EContext): Promise<void> {
  await steps.step('"NuGet: Compare Packages…" shows the two versions side by side and names the dropped framework', async () => {
    await runCommand(page, 'NuGet: Compare Packages…');
    // The workspace's packages are offered first (Browse… last): no file dialog needed.
    await chooseInQuickPick(page, 'Compare Packages: the older package', basename(releaseV1));
    await page.screenshot({ path: join(ARTIFACTS, 'compare-pick.png') });
    await chooseInQuickPick(page, 'Compare Contoso.Release.1.0.0.nupkg with…', basename(releaseV2));
    await page.locator('.tab', { hasText: 'Contoso.Release: 1.0.0 ↔ 2.0.0 (1 breaking)' }).waitFor({ timeout: UI_TIMEOUT });
    await expectText(page.locator('.monaco-diff-editor').first(), /lib\/netstandard2\.0\/Contoso\.Release\.dll/);
    await expectNotification(page, 'Target framework netstandard2.0 is dropped');
    await page.screenshot({ path: join(ARTIFACTS, 'release-diff.png') });
  });
  await closeAllEditors(page);
}

export async function showChangesFeature({ page, steps, folderFeed }: E2EContext): Promise<void> {
  await steps.step('"Show Changes" in the publish confirmation opens the diff against the feed\'s latest version, then publishing goes on', async () => {
    await runCommand(page, 'NuGet: Publish package');
    await chooseInQuickPick(page, 'which package?', 'Contoso.Release.2.0.0.nupkg');
    await chooseInQuickPick(page, 'to which feed?', 'Local');
    await answerDialog(page, 'Publish Contoso.Release 2.0.0 to Local?', 'Show Changes');
    await page.locator('.tab', { hasText: 'Contoso.Release: 1.0.0 (Local) ↔ 2.0.0 (1 breaking)' }).waitFor({ timeout: UI_TIMEOUT });
    await answerDialog(page, 'Publish Contoso.Release 2.0.0 to Local?', 'Publish');
    // The side effect, not a transient toast: the version lands in the folder feed.
    const written = join(folderFeed, 'contoso.release', '2.0.0', 'contoso.release.2.0.0.nupkg');
    await expectState(`${written} to be written`, async () => existsSync(written));
  });
  await closeAllEditors(page);
}
