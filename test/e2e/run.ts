/**
 * The UI end-to-end run: one code-server window with the packaged extension, then each feature
 * file in the order a person would meet them (later features use what earlier ones published).
 * Prints "e2e: N passed, N failed" and saves screenshots under test-artifacts/.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/paths';
import { createContext, type E2EContext } from './context';
import { compareFeature, showChangesFeature } from './diff.e2e';
import { feedsViewFeature } from './feedsView.e2e';
import { ARTIFACTS, UI_TIMEOUT } from './harness';
import { inspectorFeature } from './inspector.e2e';
import { keysFeature } from './keys.e2e';
import { packFeature } from './pack.e2e';
import { planFeature } from './plan.e2e';
import { publishFeature } from './publish.e2e';
import { restrictedModeFeature } from './restrictedMode.e2e';
import { trackerFeature } from './tracker.e2e';
import { walkthroughFeature } from './walkthrough.e2e';

const FEATURES: readonly ((ctx: E2EContext) => Promise<void>)[] = [
  walkthroughFeature, inspectorFeature, packFeature, publishFeature, trackerFeature, feedsViewFeature, keysFeature, compareFeature, planFeature, showChangesFeature, restrictedModeFeature,
];

async function main(): Promise<number> {
  const ctx = await createContext();
  const { page, steps, server, workspace } = ctx;
  try {
    const loaded = await steps.step('workbench loads with the installed extension', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace.folder)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT });
      await page.locator('.explorer-folders-view').waitFor({ timeout: UI_TIMEOUT });
    });
    if (loaded) {
      // NP_E2E_ONLY=walkthrough,inspector runs only those features (quicker local iterations).
      const only = process.env.NP_E2E_ONLY?.split(',').map((name) => `${name.trim()}Feature`);
      for (const feature of FEATURES.filter((candidate) => !only || only.includes(candidate.name))) {
        // A failure between steps (a feature's clean-up) is counted, and the later features still run.
        await feature(ctx).catch((error: unknown) => steps.fail(`${feature.name}: between its steps`, error));
      }
    }
  } finally {
    await ctx.close();
  }
  const code = steps.summary('e2e');
  if (code === 0 && process.env.NP_UPDATE_README_SCREENSHOT === '1') {
    for (const [from, to] of [['inspector.png', 'screenshot-inspector.png'], ['inspector-error.png', 'screenshot-error.png'], ['keys-dark.png', 'screenshot-keys.png'], ['feeds-view-unlisted.png', 'screenshot-feeds.png'], ['release-diff.png', 'screenshot-diff.png'], ['publish-plan.png', 'screenshot-plan.png']]) {
      copyFileSync(join(ARTIFACTS, from), join(REPO_ROOT, 'media', to));
    }
  }
  return code;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
