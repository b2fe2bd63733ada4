/** E2E, inspector: open packages and a nuspec as a person does, and see metadata, checks and errors. */
import { join } from 'node:path';
import type { E2EContext } from './context';
import { ARTIFACTS, UI_TIMEOUT, accessibilityProblems, activeWebview, assertNone, chooseFile, closeAllEditors, crampedPathCells, expectText, labelsBefore, quickOpen, runCommand, selectTheme, withViewportWidth } from './harness';

export async function inspectorFeature({ page, steps, workspace }: E2EContext): Promise<void> {
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
    await page.screenshot({ path: join(ARTIFACTS, 'inspector.png') });
    // A double-click in the file tree opens the entry in a read-only editor tab.
    await view.locator('vscode-tree-item[data-entry="README.md"]').dblclick();
    await page.locator('.tab', { hasText: 'README.md' }).waitFor({ timeout: UI_TIMEOUT });
    await expectText(page.locator(".monaco-editor .view-lines").first(), /#\s*Contoso\.Utils/);
  });
  await closeAllEditors(page);

  await steps.step('a package from nuget.org shows its author signature and nuget.org\'s countersignature', async () => {
    await quickOpen(page, 'Newtonsoft.Json.12.0.1.nupkg');
    const view = activeWebview(page);
    await expectText(view.locator('#package-id'), 'Newtonsoft.Json');
    const signatures = view.locator('#signatures');
    await signatures.scrollIntoViewIfNeeded();
    await expectText(signatures.locator('#signed-content'), 'The content matches what was signed.');
    await expectText(signatures.locator('.signature[data-type="author"]'), /CN=Json\.NET \(\.NET Foundation\).*A3AF7AF11EBB8EF729D2D91548509717E7E0FF55A129ABC3AEAA8A6940267641/s);
    await expectText(signatures.locator('.signature[data-type="repository"]'), /NuGet\.org Repository by Microsoft.*https:\/\/api\.nuget\.org\/v3\/index\.json.*jamesnk, newtonsoft/s);
    await expectText(view.locator('#assemblies'), /Newtonsoft\.Json\s*12\.0\.0\.0/);
    // Health: its PDBs are in the package, with Source Link; no compilation options were recorded then.
    const health = view.locator('#health tr[data-path="lib/net45/Newtonsoft.Json.dll"]');
    await health.scrollIntoViewIfNeeded();
    await expectText(health, /✓ in the package\s*✓ yes\s*✓ yes\s*✗ no/);
    await expectText(view.locator('#health-section .health-notes'), /No compiler flags in the PDB/);
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-health.png') });
  });

  await steps.step('the inspector passes axe-core in the dark, light and high-contrast themes, and stays readable at 600 px', async () => {
    // axe-core: no serious or critical violation, contrast at WCAG AA, in every theme.
    assertNone('accessibility problems in the inspector (Dark Modern)', await accessibilityProblems(page));
    for (const theme of ['Light Modern', 'Dark High Contrast']) {
      await selectTheme(page, theme);
      assertNone(`accessibility problems in the inspector (${theme})`, await accessibilityProblems(page));
    }
    await selectTheme(page, 'Dark Modern');
    const view = activeWebview(page);
    const paths = '#assemblies td.path-cell, #health td.path-cell';
    // Wide: the path column is never squeezed.
    assertNone('path cells squeezed at 1400 px', await crampedPathCells(page, paths));
    await withViewportWidth(page, 600, async () => {
      await view.locator('#section-assemblies').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'inspector-narrow.png') });
      // The assertion, not only the picture: no path wraps down to a few characters a line.
      assertNone('path cells squeezed at 600 px', await crampedPathCells(page, paths));
      const labels = await labelsBefore(page, '#assemblies tr[data-path="lib/net45/Newtonsoft.Json.dll"] td[data-label]');
      if (labels.join('|') !== 'File: |Assembly: |Version: |Target framework: |Kind: ') {
        throw new Error(`the narrow assembly card's labels: ${labels.join('|')}`);
      }
    });
    await view.locator('#section-signatures').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-signatures.png') });
  });
  await closeAllEditors(page);

  await steps.step('a path-traversal package shows a clear error in the inspector', async () => {
    await quickOpen(page, 'Traversal.1.0.0.nupkg');
    await expectText(activeWebview(page).locator('#read-error'), /NP0906.*path traversal/s);
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
    await chooseFile(page, workspace.corePackage);
    const view = activeWebview(page);
    await expectText(view.locator('#package-id'), 'Contoso.Core');
    await expectText(view.locator('#section-license'), 'MIT License');
  });
  await closeAllEditors(page);
}
