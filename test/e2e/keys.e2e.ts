/** E2E, keys and owners webview: add, test, rotate, remove a key; themes; the Owners tab. */
import { join } from 'node:path';
import { GALLERY_KEY, TEAM_PASSWORD, type E2EContext } from './context';
import { ARTIFACTS, UI_TIMEOUT, accessibilityProblems, activeWebview, answerDialog, answerInputBox, assertNone, chooseInQuickPick, closeAllEditors, expectNotification, expectText, fillQuickInput, labelsBefore, runCommand, selectTheme, withViewportWidth } from './harness';

export async function keysFeature({ page, steps }: E2EContext): Promise<void> {
  await steps.step('"Manage Keys and Owners": add a key through the password box, test it (fails), rotate it, test again (passes), remove it', async () => {
    await runCommand(page, 'NuGet: Manage Keys and Owners');
    const view = activeWebview(page);
    await view.locator('#keys-table').waitFor({ timeout: UI_TIMEOUT });
    await view.locator('vscode-button#add-key').click();
    await chooseInQuickPick(page, 'for which feed?', 'Team');
    await answerInputBox(page, 'Add Key for Team (1/5)', 'Rotating key');
    await answerInputBox(page, 'Add Key for Team (2/5)', 'alice');
    await page.locator('.quick-input-widget', { hasText: 'Add Key for Team (3/5)' }).waitFor({ timeout: UI_TIMEOUT });
    await fillQuickInput(page, 'not-the-password');
    await page.locator('.quick-input-widget input').press('Enter');
    await answerInputBox(page, 'Add Key for Team (4/5)');
    const expiry = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await answerInputBox(page, 'Add Key for Team (5/5)', expiry);
    const row = view.locator('tr[data-key$=" Rotating key"]');
    await expectText(row.locator('td.expiry'), /expires in (29|30) days/);
    await row.locator('vscode-button', { hasText: 'Test' }).click();
    await expectText(row.locator('td.test'), /^failed/);
    await row.locator('vscode-button', { hasText: 'Replace' }).click();
    await page.locator('.quick-input-widget', { hasText: 'Replace Key "Rotating key"' }).waitFor({ timeout: UI_TIMEOUT });
    await fillQuickInput(page, TEAM_PASSWORD);
    await page.locator('.quick-input-widget input').press('Enter');
    await answerInputBox(page, 'Replace Key "Rotating key": expiry');
    await expectText(row.locator('td.test'), 'never'); // a new value has not been tested yet
    await row.locator('vscode-button', { hasText: 'Test' }).click();
    await expectText(row.locator('td.test'), /^passed/);
    await view.locator('#glob-input').locator('input').fill('Contoso.Utils');
    await expectText(view.locator('#glob-result'), /Team: (Team key|Rotating key) \(chosen\)/);
    await page.screenshot({ path: join(ARTIFACTS, 'keys-dark.png') });
    // axe-core in every theme: no serious or critical violation, contrast at WCAG AA.
    assertNone('accessibility problems in the Keys panel (Dark Modern)', await accessibilityProblems(page));
    for (const [theme, file] of [['Light Modern', 'keys-light.png'], ['Dark High Contrast', 'keys-high-contrast.png']]) {
      await selectTheme(page, theme);
      await page.screenshot({ path: join(ARTIFACTS, file) });
      assertNone(`accessibility problems in the Keys panel (${theme})`, await accessibilityProblems(page));
    }
    await selectTheme(page, 'Dark Modern');
    // A narrow panel: each key is a card whose fields keep their names.
    await withViewportWidth(page, 600, async () => {
      await page.screenshot({ path: join(ARTIFACTS, 'keys-narrow.png') });
      const labels = await labelsBefore(page, 'tr[data-key$=" Rotating key"] td[data-label]');
      assertNone('card fields without their label', labels.filter((label) => !/^(Feed|Owner|Scopes|Glob|Expiry|Last used|Last test): $/.test(label)));
      if (labels.length < 7) {
        throw new Error(`the narrow card shows ${labels.length} labelled fields, not 7: ${labels.join(' | ')}`);
      }
    });
    await row.locator('vscode-button', { hasText: 'Remove' }).click();
    await answerDialog(page, 'Remove the key "Rotating key"', 'Remove');
    await row.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    const text = await view.locator('body').textContent();
    if (text?.includes(TEAM_PASSWORD) || text?.includes(GALLERY_KEY)) {
      throw new Error('a key value is visible in the webview');
    }
  });

  await steps.step('the Owners tab lists the packages of the configured owner from search, with owners and the verified badge', async () => {
    const view = activeWebview(page);
    await view.locator('vscode-tab-header', { hasText: 'Owners' }).click();
    const pkg = view.locator('section[data-feed="Contoso (nuget.org double)"] tr[data-package="Contoso.Owned"]');
    await expectText(pkg, /Contoso\.Owned.*verified.*1\.1\.0.*contoso, alice/s);
    await expectText(view.locator('section[data-feed="Contoso (nuget.org double)"] .owner-list'), /alice — Contoso\.Owned.*contoso — Contoso\.Owned/s);
    await expectText(view.locator('section[data-feed="Team"]'), 'nuget-server has no package owners');
    await page.screenshot({ path: join(ARTIFACTS, 'owners.png') });
  });
  await closeAllEditors(page);

  await steps.step('a nuget.org key: every question numbered (scopes too), and Test Key offers the workspace\'s ids and the feed\'s versions', async () => {
    await runCommand(page, 'NuGet: Add Key…');
    await chooseInQuickPick(page, 'for which feed?', 'Contoso (nuget.org double)');
    await answerInputBox(page, 'Add Key for Contoso (nuget.org double) (1/5)', 'Contoso push');
    await page.locator('.quick-input-widget', { hasText: 'Add Key for Contoso (nuget.org double) (2/5)' }).waitFor({ timeout: UI_TIMEOUT });
    await fillQuickInput(page, GALLERY_KEY);
    await page.locator('.quick-input-widget input').press('Enter');
    await answerInputBox(page, 'Add Key for Contoso (nuget.org double) (3/5)', 'Contoso.*');
    // The scopes question is numbered like the others (it used to be the unnumbered fifth step).
    await page.locator('.quick-input-widget', { hasText: 'Add Key for Contoso (nuget.org double) (4/5): the scopes' }).waitFor({ timeout: UI_TIMEOUT });
    await page.locator('.quick-input-widget input').press('Enter');
    await answerInputBox(page, 'Add Key for Contoso (nuget.org double) (5/5)');
    await expectNotification(page, 'Stored the key "Contoso push"');
    await runCommand(page, 'NuGet: Test Key…');
    await chooseInQuickPick(page, 'Test which key?', 'Contoso push');
    // The id is offered from the workspace's packages that the key's glob covers...
    await page.locator('.quick-input-widget', { hasText: 'which package id?' }).waitFor({ timeout: UI_TIMEOUT });
    await page.screenshot({ path: join(ARTIFACTS, 'test-key-id.png') });
    await chooseInQuickPick(page, 'which package id?', 'Contoso.Core');
    // ...and the version from the feed's own versions (the tracker step published 2.0.0 there).
    await chooseInQuickPick(page, 'which version of Contoso.Core?', '2.0.0');
    await expectNotification(page, 'Key "Contoso push": The key is valid and may push Contoso.Core.');
  });
}
