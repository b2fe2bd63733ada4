/**
 * UI end-to-end: open packages and a nuspec, pack, and publish in code-server the way a person
 * does (palette, quick picks, the password box, dialogs), and check what they see and what
 * reaches the feeds.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { join } from 'node:path';
import { launchChromium, newContext, startCodeServer } from '../codeServer';
import { REPO_ROOT } from '../helpers/dotnetFixtures';
import { createSampleWorkspace } from '../helpers/sampleWorkspace';
import { tempDir } from '../helpers/temp';
import { startNugetServer } from '../servers/nugetServer';
import { startV3Server } from '../servers/v3Server';
import { makePackage } from '../helpers/makePackage';
import { ARTIFACTS, Steps, activeWebview, answerDialog, answerInputBox, chooseInQuickPick, clickToastButton, closeAllEditors, installVsix, quickOpen, runCommand } from './harness';

const TEAM_PASSWORD = 'E2E-Typed-Password-42';
const GALLERY_KEY = 'oy2-e2e-gallery-key-000000000000000042';

async function expectText(locator: Locator, expected: RegExp | string, timeout = 30_000): Promise<void> {
  await locator.first().waitFor({ state: 'attached', timeout });
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = (await locator.first().textContent()) ?? '';
    if (typeof expected === 'string' ? text.includes(expected) : expected.test(text)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`expected ${String(expected)} in "${text.slice(0, 300)}"`);
}

/** "Preferences: Color Theme" (not the marketplace entry next to it), then the theme by its exact name. */
async function selectTheme(page: Page, theme: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Preferences: Color Theme');
  await page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click();
  await page.locator('.quick-input-list .monaco-list-row[aria-label^="Dark Modern"], .quick-input-list .monaco-list-row[aria-label^="Light Modern"]').first().waitFor();
  await input.fill(theme);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label^="${theme}"]`).first().click();
}

async function main(): Promise<number> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const workspace = createSampleWorkspace(tempDir('np-e2e-ws-'));
  const stateDir = tempDir('np-e2e-cs-');
  installVsix(stateDir);
  const folderFeed = tempDir('np-e2e-feed-');
  // A release to plan (dependencies out of order, plus an older Contoso.Release) and a newer version to diff.
  const planFolder = join(workspace.folder, 'plan');
  const releaseFolder = join(workspace.folder, 'release');
  mkdirSync(planFolder);
  mkdirSync(releaseFolder);
  makePackage(planFolder, 'Plan.App', '1.0.0', { dependencies: { 'Plan.Lib': '1.0.0' } });
  makePackage(planFolder, 'Plan.Lib', '1.0.0', { dependencies: { 'Plan.Base': '1.0.0' } });
  makePackage(planFolder, 'Plan.Base', '1.0.0');
  const releaseV1 = makePackage(planFolder, 'Contoso.Release', '1.0.0', { files: { 'lib/net8.0/Contoso.Release.dll': 'a'.repeat(100), 'lib/netstandard2.0/Contoso.Release.dll': 'b'.repeat(100) } });
  const releaseV2 = makePackage(releaseFolder, 'Contoso.Release', '2.0.0', { dependencies: { 'Contoso.Core': '2.0.0' }, files: { 'lib/net8.0/Contoso.Release.dll': 'a'.repeat(140) } });
  const nugetServer = await startNugetServer({ users: [{ username: 'alice', password: TEAM_PASSWORD, role: 'publish' }] });
  // A nuget.org-like feed that makes a push downloadable, live and searchable after delays.
  const gallery = await startV3Server({ validKeys: [GALLERY_KEY] });
  gallery.catalog.availability = { flatMs: 6_000, registrationMs: 14_000, searchMs: 20_000 };
  gallery.catalog.add('Contoso.Owned', ['1.0.0', '1.1.0'], { owners: ['contoso', 'alice'], verified: true, downloads: 4200 });
  const settings = {
    'workbench.colorTheme': 'Default Dark Modern',
    'nugetPublisher.feeds': [
      { name: 'nuget.org', source: 'https://api.nuget.org/v3/index.json', kind: 'nuget.org' },
      { name: 'Local', source: folderFeed, kind: 'folder' },
      { name: 'Team', source: nugetServer.base, kind: 'nuget-server' },
      { name: 'Gallery', source: gallery.index, kind: 'v3' },
      // A nuget.org stand-in (nuget.org itself cannot be reached here) for the owners view.
      { name: 'Contoso (nuget.org double)', source: gallery.index, kind: 'nuget.org', owners: ['contoso'] },
    ],
    'nugetPublisher.tracker.firstPollSeconds': 1,
  };
  const server = await startCodeServer({ stateDir, workspace: workspace.folder, settings });
  const browser = await launchChromium();
  const page = await (await newContext(browser, 'dark')).newPage();
  const steps = new Steps(page);
  try {
    await steps.step('workbench loads with the installed extension', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace.folder)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.explorer-folders-view').waitFor({ timeout: 30_000 });
    });

    await steps.step('opening a .nupkg shows id, version, dependencies and checks in the inspector', async () => {
      await quickOpen(page, 'Contoso.Utils.1.2.3-beta.1.nupkg');
      const view = activeWebview(page);
      await expectText(view.locator('#package-id'), 'Contoso.Utils');
      await expectText(view.locator('#package-version'), '1.2.3-beta.1+build.5');
      await expectText(view.locator('#dependencies'), /Contoso\.Core\s*2\.0\.0/);
      await expectText(view.locator('#diagnostics li[data-code="NP0014"]'), /SemVer 2\.0\.0/);
      await expectText(view.locator('#file-tree'), 'Contoso.Utils.dll');
      await expectText(view.locator('#file-groups'), /Assemblies \(lib\)\s*\.NET \d+\.0 \(net\d+\.0\)\s*1 file/);
      await expectText(view.locator('#readme h1'), 'Contoso.Utils');
      // The readme's raw <script> is shown as text, never run.
      await expectText(view.locator('#readme code.raw-html'), '<script>');
      await expectText(view.locator('#metadata'), 'https://github.com/contoso/utils');
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(ARTIFACTS, 'inspector.png') });
    });

    await closeAllEditors(page);

    await steps.step('a path-traversal package shows a clear error in the inspector', async () => {
      await quickOpen(page, 'Traversal.1.0.0.nupkg');
      const view = activeWebview(page);
      await expectText(view.locator('#read-error'), /NP0906.*path traversal/s);
      await page.screenshot({ path: join(ARTIFACTS, 'inspector-error.png') });
    });

    await closeAllEditors(page);

    await steps.step('an open .nuspec gets nuget.org checks in the Problems panel', async () => {
      await quickOpen(page, 'Contoso.Sample.nuspec');
      await page.locator('.monaco-editor').first().waitFor();
      await runCommand(page, 'View: Focus Problems');
      const markers = page.locator('.markers-panel');
      await expectText(markers, 'licenseUrl> is deprecated');
      await expectText(markers, 'NP0030');
      await page.screenshot({ path: join(ARTIFACTS, 'nuspec-problems.png') });
    });

    await closeAllEditors(page);

    await steps.step('"NuGet: Inspect Package…" from the command palette opens the chosen package', async () => {
      await runCommand(page, 'NuGet: Inspect Package…');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await page.waitForTimeout(500);
      await input.fill(workspace.corePackage);
      await page.waitForTimeout(500);
      await input.press('Enter');
      const view = activeWebview(page);
      await expectText(view.locator('#package-id'), 'Contoso.Core');
      await expectText(view.locator('#section-license'), 'MIT License');
    });

    await closeAllEditors(page);

    await steps.step('"NuGet: Pack Project…" runs dotnet pack as a task and offers to inspect the result', async () => {
      await runCommand(page, 'NuGet: Pack Project…');
      const input = page.locator('.quick-input-widget input');
      // configuration (Release is first), then the version box left empty
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Release' }).first().waitFor();
      await input.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'Leave empty to use the version in the project' }).waitFor();
      await input.press('Enter');
      const toast = page.locator('.notifications-toasts', { hasText: 'Packed Contoso.Core.2.0.0.nupkg' });
      await toast.waitFor({ timeout: 180_000 });
      const packed = join(workspace.folder, 'src', 'Contoso.Core', 'bin', 'Release', 'Contoso.Core.2.0.0.nupkg');
      if (!existsSync(packed)) {
        throw new Error(`${packed} was not written`);
      }
      await page.screenshot({ path: join(ARTIFACTS, 'pack-project.png') });
      await toast.locator('a.monaco-button', { hasText: 'Inspect' }).first().click();
      await expectText(activeWebview(page).locator('#package-id'), 'Contoso.Core');
    });

    await closeAllEditors(page);

    await steps.step('"NuGet: Publish package" to a local folder feed: pick the package and the feed, confirm', async () => {
      await runCommand(page, 'NuGet: Publish package');
      await chooseInQuickPick(page, 'which package?', 'Contoso.Core.2.0.0.nupkg');
      await chooseInQuickPick(page, 'to which feed?', 'Local');
      await answerDialog(page, 'Publish Contoso.Core 2.0.0 to Local?', 'Publish');
      await page.locator('.notification-toast', { hasText: 'Published Contoso.Core 2.0.0 to Local.' }).waitFor({ timeout: 60_000 });
      const written = join(folderFeed, 'contoso.core', '2.0.0', 'contoso.core.2.0.0.nupkg');
      if (!existsSync(written)) {
        throw new Error(`${written} was not written`);
      }
    });

    await steps.step('"NuGet: Publish package" to nuget-server: no key yet, so Add Key with the password box, then publish', async () => {
      await runCommand(page, 'NuGet: Publish package');
      await chooseInQuickPick(page, 'which package?', 'Contoso.Utils.1.2.3-beta.1.nupkg');
      await chooseInQuickPick(page, 'to which feed?', 'Team');
      await clickToastButton(page, 'No key is stored for Team', 'Add Key…');
      await answerInputBox(page, 'Add Key for Team (1/5)'); // the proposed name "Team key"
      await answerInputBox(page, 'Add Key for Team (2/5)', 'alice');
      await page.locator('.quick-input-widget', { hasText: 'Add Key for Team (3/5)' }).waitFor();
      const password = page.locator('.quick-input-widget input');
      if ((await password.getAttribute('type')) !== 'password') {
        throw new Error('the key is not typed into a password box');
      }
      await password.fill(TEAM_PASSWORD);
      await page.screenshot({ path: join(ARTIFACTS, 'add-key-password.png') });
      await password.press('Enter');
      await answerInputBox(page, 'Add Key for Team (4/5)'); // glob: *
      await answerInputBox(page, 'Add Key for Team (5/5)'); // no expiry
      await answerDialog(page, 'Publish Contoso.Utils 1.2.3-beta.1+build.5 to Team?', 'Publish');
      await page.locator('.notification-toast', { hasText: 'Published Contoso.Utils 1.2.3-beta.1+build.5 to Team.' }).waitFor({ timeout: 60_000 });
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

    await steps.step('after a push the status bar follows validation and indexing, and resumes after a window reload', async () => {
      await runCommand(page, 'NuGet: Publish package');
      await chooseInQuickPick(page, 'which package?', 'Contoso.Core.2.0.0.nupkg');
      await chooseInQuickPick(page, 'to which feed?', 'Gallery');
      await clickToastButton(page, 'No key is stored for Gallery', 'Add Key…');
      await answerInputBox(page, 'Add Key for Gallery (1/4)');
      await answerInputBox(page, 'Add Key for Gallery (2/4)', GALLERY_KEY);
      await answerInputBox(page, 'Add Key for Gallery (3/4)');
      await answerInputBox(page, 'Add Key for Gallery (4/4)');
      await answerDialog(page, 'Publish Contoso.Core 2.0.0 to Gallery?', 'Publish');
      const status = page.locator('.part.statusbar .statusbar-item', { hasText: 'NuGet: Contoso.Core 2.0.0' });
      await status.filter({ hasText: 'validating' }).waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(ARTIFACTS, 'tracker-validating.png') });
      await page.reload();
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // After the reload the tracker resumes from its saved state: the version only becomes
      // searchable 20 s after the push, so this notification comes from the reloaded window.
      await page.locator('.notification-toast', { hasText: 'Contoso.Core 2.0.0 is now searchable on Gallery' }).waitFor({ timeout: 60_000 });
      await status.waitFor({ state: 'hidden', timeout: 10_000 });
    });

    await steps.step('the Feeds view shows the new version, and Unlist from its context menu greys it', async () => {
      await runCommand(page, 'View: Show NuGet');
      const tree = page.locator('.pane', { hasText: 'Feeds' });
      const row = (text: string): Locator => tree.locator('.monaco-list-row', { hasText: text }).first();
      await row('Gallery').click();
      await row('Contoso.Core').click();
      const version = tree.locator('.monaco-list-row', { hasText: '2.0.0' }).last();
      await version.waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'feeds-view.png') });
      await version.click({ button: 'right' });
      // VS Code's context menu acts on the focused item: hover it, then Enter (a synthetic click is not always taken).
      await page.locator('.monaco-menu .action-label', { hasText: 'Unlist Version…' }).first().hover();
      await page.keyboard.press('Enter');
      await answerDialog(page, 'Unlist Contoso.Core 2.0.0 on Gallery?', 'Unlist');
      await tree.locator('.monaco-list-row', { hasText: 'unlisted' }).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(ARTIFACTS, 'feeds-view-unlisted.png') });
      const unlists = gallery.requests.filter((request) => request.method === 'DELETE' && request.url === '/api/v2/package/Contoso.Core/2.0.0');
      if (unlists.length !== 1 || unlists[0].headers['x-nuget-apikey'] !== GALLERY_KEY) {
        throw new Error(`expected one DELETE with the key, got ${unlists.length}`);
      }
    });

    await closeAllEditors(page);

    await steps.step('"Manage Keys and Owners": add a key through the password box, test it (fails), rotate it, test again (passes), remove it', async () => {
      await runCommand(page, 'NuGet: Manage Keys and Owners');
      const view = activeWebview(page);
      await view.locator('#keys-table').waitFor({ timeout: 30_000 });
      await view.locator('vscode-button#add-key').click();
      await chooseInQuickPick(page, 'for which feed?', 'Team');
      await answerInputBox(page, 'Add Key for Team (1/5)', 'Rotating key');
      await answerInputBox(page, 'Add Key for Team (2/5)', 'alice');
      await page.locator('.quick-input-widget', { hasText: 'Add Key for Team (3/5)' }).waitFor();
      await page.locator('.quick-input-widget input[type="password"]').fill('not-the-password');
      await page.locator('.quick-input-widget input').press('Enter');
      await answerInputBox(page, 'Add Key for Team (4/5)');
      const expiry = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      await answerInputBox(page, 'Add Key for Team (5/5)', expiry);
      const row = view.locator('tr[data-key$=" Rotating key"]');
      await expectText(row.locator('td.expiry'), /expires in (29|30) days/);
      await row.locator('vscode-button', { hasText: 'Test' }).click();
      await expectText(row.locator('td.test'), /^failed/);
      await row.locator('vscode-button', { hasText: 'Replace' }).click();
      await page.locator('.quick-input-widget', { hasText: 'Replace Key "Rotating key"' }).waitFor();
      await page.locator('.quick-input-widget input[type="password"]').fill(TEAM_PASSWORD);
      await page.locator('.quick-input-widget input').press('Enter');
      await answerInputBox(page, 'Replace Key "Rotating key": expiry');
      await expectText(row.locator('td.test'), 'never'); // a new value has not been tested yet
      await row.locator('vscode-button', { hasText: 'Test' }).click();
      await expectText(row.locator('td.test'), /^passed/);
      await view.locator('#glob-input').locator('input').fill('Contoso.Utils');
      await expectText(view.locator('#glob-result'), /Team: (Team key|Rotating key) \(chosen\)/);
      await page.screenshot({ path: join(ARTIFACTS, 'keys-dark.png') });
      for (const [theme, file] of [['Light Modern', 'keys-light.png'], ['Dark High Contrast', 'keys-high-contrast.png']]) {
        await selectTheme(page, theme);
        await page.waitForTimeout(1500);
        await page.screenshot({ path: join(ARTIFACTS, file) });
      }
      await selectTheme(page, 'Dark Modern');
      await row.locator('vscode-button', { hasText: 'Remove' }).click();
      await answerDialog(page, 'Remove the key "Rotating key"', 'Remove');
      await row.waitFor({ state: 'detached', timeout: 30_000 });
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

    await steps.step('"NuGet: Compare Packages…" shows the two versions side by side and names the dropped framework', async () => {
      await runCommand(page, 'NuGet: Compare Packages…');
      for (const file of [releaseV1, releaseV2]) {
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible' });
        await page.waitForTimeout(500);
        await input.fill(file);
        await page.waitForTimeout(500);
        await input.press('Enter');
        await page.waitForTimeout(500);
      }
      await page.locator('.tab', { hasText: 'Contoso.Release: 1.0.0 ↔ 2.0.0 (1 breaking)' }).waitFor({ timeout: 30_000 });
      await expectText(page.locator('.monaco-diff-editor').first(), /lib\/netstandard2\.0\/Contoso\.Release\.dll/);
      await page.locator('.notification-toast', { hasText: 'Target framework netstandard2.0 is dropped' }).waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(ARTIFACTS, 'release-diff.png') });
    });

    await closeAllEditors(page);

    await steps.step('"NuGet: Publish Folder…" plans four packages dependencies first, then publishes them', async () => {
      await runCommand(page, 'NuGet: Publish Folder…');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await page.waitForTimeout(500);
      await input.fill(planFolder);
      await page.waitForTimeout(500);
      await input.press('Enter');
      await chooseInQuickPick(page, 'to which feed?', 'Local');
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'Publish 4 of 4 packages to Local?' });
      await dialog.waitFor({ timeout: 60_000 });
      await expectText(dialog, /1\. Contoso\.Release 1\.0\.0.*2\. Plan\.Base 1\.0\.0.*3\. Plan\.Lib 1\.0\.0 → Local: publish, after Plan\.Base.*4\. Plan\.App 1\.0\.0 → Local: publish, after Plan\.Lib/s);
      await page.screenshot({ path: join(ARTIFACTS, 'publish-plan.png') });
      await dialog.locator('a.monaco-button', { hasText: 'Publish, Stop on Error' }).click();
      await page.locator('.notification-toast', { hasText: 'Published 4 packages to Local; 0 skipped.' }).waitFor({ timeout: 60_000 });
      for (const id of ['plan.base', 'plan.lib', 'plan.app', 'contoso.release']) {
        if (!existsSync(join(folderFeed, id, '1.0.0', `${id}.1.0.0.nupkg`))) {
          throw new Error(`${id} 1.0.0 is not in the folder feed`);
        }
      }
    });

    await closeAllEditors(page);

    await steps.step('"Show Changes" in the publish confirmation opens the diff against the feed\'s latest version, then publishing goes on', async () => {
      await runCommand(page, 'NuGet: Publish package');
      await chooseInQuickPick(page, 'which package?', 'Contoso.Release.2.0.0.nupkg');
      await chooseInQuickPick(page, 'to which feed?', 'Local');
      await answerDialog(page, 'Publish Contoso.Release 2.0.0 to Local?', 'Show Changes');
      await page.locator('.tab', { hasText: 'Contoso.Release: 1.0.0 (Local) ↔ 2.0.0 (1 breaking)' }).waitFor({ timeout: 30_000 });
      await answerDialog(page, 'Publish Contoso.Release 2.0.0 to Local?', 'Publish');
      // The side effect, not a transient toast: the version lands in the folder feed.
      const written = join(folderFeed, 'contoso.release', '2.0.0', 'contoso.release.2.0.0.nupkg');
      for (const deadline = Date.now() + 60_000; !existsSync(written); await page.waitForTimeout(250)) {
        if (Date.now() > deadline) {
          throw new Error(`${written} was not written`);
        }
      }
    });

    await server.stop();

    await steps.step('in Restricted Mode (untrusted workspace) "Publish package" refuses before anything is read or sent', async () => {
      const untrusted = await startCodeServer({ stateDir, workspace: workspace.folder, settings, workspaceTrust: true });
      try {
        const restricted = await (await newContext(browser, 'dark')).newPage();
        await restricted.goto(`${untrusted.url}/?folder=${encodeURIComponent(workspace.folder)}`);
        await restricted.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
        await restricted.locator('.explorer-folders-view').waitFor({ timeout: 30_000 });
        const before = (await (await fetch(`${nugetServer.base}/v3/query?q=&take=100&prerelease=true&semVerLevel=2.0.0`)).json()) as { totalHits: number };
        // A fresh window may open a welcome walkthrough a moment after load, which closes the
        // palette under the typing: close editors and try again (a person would do the same).
        const refusal = restricted.locator('.notification-toast', { hasText: 'does not publish packages in an untrusted workspace' });
        for (let attempt = 1; ; attempt++) {
          await restricted.waitForTimeout(3000);
          await closeAllEditors(restricted);
          await runCommand(restricted, 'NuGet: Publish package');
          if (await refusal.waitFor({ timeout: 10_000 }).then(() => true, () => false)) {
            break;
          }
          if (attempt === 3) {
            await restricted.screenshot({ path: join(ARTIFACTS, 'failure-restricted-mode.png') });
            throw new Error('no refusal notification after 3 tries');
          }
          console.log(`    (restricted mode: no notification on try ${attempt}; trying again)`);
        }
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
  } finally {
    await browser.close();
    await server.stop();
    await nugetServer.stop();
    await gallery.close();
  }
  const code = steps.summary('e2e');
  if (code === 0 && process.env.NP_UPDATE_README_SCREENSHOT === '1') {
    copyFileSync(join(ARTIFACTS, 'inspector.png'), join(REPO_ROOT, 'media', 'screenshot-inspector.png'));
    copyFileSync(join(ARTIFACTS, 'inspector-error.png'), join(REPO_ROOT, 'media', 'screenshot-error.png'));
    copyFileSync(join(ARTIFACTS, 'keys-dark.png'), join(REPO_ROOT, 'media', 'screenshot-keys.png'));
    copyFileSync(join(ARTIFACTS, 'feeds-view-unlisted.png'), join(REPO_ROOT, 'media', 'screenshot-feeds.png'));
    copyFileSync(join(ARTIFACTS, 'release-diff.png'), join(REPO_ROOT, 'media', 'screenshot-diff.png'));
    copyFileSync(join(ARTIFACTS, 'publish-plan.png'), join(REPO_ROOT, 'media', 'screenshot-plan.png'));
  }
  return code;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
