/**
 * E2E, tracker: after a push the status bar follows the version through validation and indexing,
 * and a reloaded window resumes. The feed's "validation" ends on the test's signal (catalog.reveal),
 * after the reloaded window has polled once: server events, not delays.
 */
import { join } from 'node:path';
import { GALLERY_KEY, type E2EContext } from './context';
import { answerDialog, answerInputBox, ARTIFACTS, chooseInQuickPick, expectNotification, expectState, runCommand, UI_TIMEOUT } from './harness';

export async function trackerFeature({ page, steps, gallery }: E2EContext): Promise<void> {
  await steps.step('after a push the status bar follows validation and indexing, and resumes after a window reload', async () => {
    // Validation "never" ends until the test says so.
    gallery.catalog.availability = { flatMs: null, registrationMs: null, searchMs: null };
    await runCommand(page, 'NuGet: Publish package');
    await chooseInQuickPick(page, 'which package?', 'Contoso.Core.2.0.0.nupkg');
    await chooseInQuickPick(page, 'to which feed?', 'Gallery');
    await page.locator('.quick-input-widget', { hasText: 'No key is stored for Gallery' }).waitFor({ timeout: UI_TIMEOUT });
    await answerInputBox(page, 'Add Key for Gallery (1/4)');
    await answerInputBox(page, 'Add Key for Gallery (2/4)', GALLERY_KEY);
    await answerInputBox(page, 'Add Key for Gallery (3/4)');
    await answerInputBox(page, 'Add Key for Gallery (4/4)');
    await answerDialog(page, 'Publish Contoso.Core 2.0.0 to Gallery?', 'Publish');
    await expectState('the push to reach Gallery', async () => gallery.requests.some((request) => request.method === 'PUT'));
    const status = page.locator('.part.statusbar .statusbar-item', { hasText: 'NuGet: Contoso.Core 2.0.0' });
    await status.filter({ hasText: 'validating' }).waitFor({ timeout: UI_TIMEOUT });
    await page.screenshot({ path: join(ARTIFACTS, 'tracker-validating.png') });
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT });
    // The reloaded window resumes from the saved state: it shows the item and polls the feed.
    await status.filter({ hasText: 'validating' }).waitFor({ timeout: UI_TIMEOUT });
    const mark = gallery.catalog.reads.length;
    await expectState('the reloaded window to poll the flat container', async () => gallery.catalog.reads.slice(mark).some((read) => read.url.includes('/contoso.core/index.json')));
    gallery.catalog.reveal('Contoso.Core', '2.0.0');
    await expectNotification(page, 'Contoso.Core 2.0.0 is now searchable on Gallery');
    await status.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  });
}
