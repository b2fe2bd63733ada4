/** E2E, publish: to a folder feed, and to nuget-server with the key typed into the password box on the way. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TEAM_PASSWORD, type E2EContext } from './context';
import { answerDialog, answerInputBox, ARTIFACTS, chooseInQuickPick, closeAllEditors, expectNotification, fillQuickInput, runCommand, UI_TIMEOUT } from './harness';

export async function publishFeature({ page, steps, folderFeed, nugetServer }: E2EContext): Promise<void> {
  await steps.step('"NuGet: Publish package" to a local folder feed: pick the package and the feed, confirm', async () => {
    await runCommand(page, 'NuGet: Publish package');
    await chooseInQuickPick(page, 'which package?', 'Contoso.Core.2.0.0.nupkg');
    await chooseInQuickPick(page, 'to which feed?', 'Local');
    await answerDialog(page, 'Publish Contoso.Core 2.0.0 to Local?', 'Publish');
    await expectNotification(page, 'Published Contoso.Core 2.0.0 to Local.');
    const written = join(folderFeed, 'contoso.core', '2.0.0', 'contoso.core.2.0.0.nupkg');
    if (!existsSync(written)) {
      throw new Error(`${written} was not written`);
    }
  });

  await steps.step('publishing a version the feed already has says so before anything is sent, and Skip skips it', async () => {
    await runCommand(page, 'NuGet: Publish package');
    await chooseInQuickPick(page, 'which package?', 'Contoso.Core.2.0.0.nupkg');
    await chooseInQuickPick(page, 'to which feed?', 'Local');
    await page.locator('.monaco-dialog-box', { hasText: 'Local already has Contoso.Core 2.0.0.' }).waitFor({ timeout: UI_TIMEOUT });
    await page.screenshot({ path: join(ARTIFACTS, 'publish-exists.png') });
    await answerDialog(page, 'Local already has Contoso.Core 2.0.0.', 'Skip');
    await expectNotification(page, 'Skipped Contoso.Core 2.0.0: Local already has it.');
  });

  await steps.step('"NuGet: Publish package" to nuget-server: no key yet, so Add Key with the password box, then publish', async () => {
    await runCommand(page, 'NuGet: Publish package');
    await chooseInQuickPick(page, 'which package?', 'Contoso.Utils.1.2.3-beta.1.nupkg');
    await chooseInQuickPick(page, 'to which feed?', 'Team');
    // No key yet: the publish asks for one right away, the reason above the first question.
    await page.locator('.quick-input-widget', { hasText: 'No key is stored for Team' }).waitFor({ timeout: UI_TIMEOUT });
    await answerInputBox(page, 'Add Key for Team (1/5)'); // the proposed name "Team key"
    await answerInputBox(page, 'Add Key for Team (2/5)', 'alice');
    await page.locator('.quick-input-widget', { hasText: 'Add Key for Team (3/5)' }).waitFor({ timeout: UI_TIMEOUT });
    const password = page.locator('.quick-input-widget input');
    if ((await password.getAttribute('type')) !== 'password') {
      throw new Error('the key is not typed into a password box');
    }
    await fillQuickInput(page, TEAM_PASSWORD);
    await page.screenshot({ path: join(ARTIFACTS, 'add-key-password.png') });
    await password.press('Enter');
    await answerInputBox(page, 'Add Key for Team (4/5)'); // glob: *
    await answerInputBox(page, 'Add Key for Team (5/5)'); // no expiry
    await answerDialog(page, 'Publish Contoso.Utils 1.2.3-beta.1+build.5 to Team?', 'Publish');
    await expectNotification(page, 'Published Contoso.Utils 1.2.3-beta.1+build.5 to Team.');
    await page.screenshot({ path: join(ARTIFACTS, 'published.png') });
    const flat = (await (await fetch(`${nugetServer.base}/v3/package/contoso.utils/index.json`)).json()) as { versions: string[] };
    if (flat.versions.length !== 1) {
      throw new Error(`nuget-server lists ${JSON.stringify(flat.versions)}`);
    }
    const shown = await page.locator('.monaco-workbench').textContent();
    if (shown?.includes(TEAM_PASSWORD)) {
      throw new Error('the password is visible in the workbench');
    }
  });
  await closeAllEditors(page);
}
