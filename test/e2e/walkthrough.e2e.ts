/** E2E, first screen: the walkthrough shows the steps the user has already satisfied as done. */
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import type { E2EContext } from './context';
import { ARTIFACTS, UI_TIMEOUT, closeAllEditors, expectState, focusedElement, runCommand } from './harness';

export async function walkthroughFeature({ page, steps }: E2EContext): Promise<void> {
  await steps.step('the walkthrough shows "Add a feed" done when feeds besides nuget.org are configured, and the rest still to do', async () => {
    await runCommand(page, 'NuGet: Get Started');
    const step = (title: string): Locator => page.locator('.getting-started-step', { has: page.locator('.step-title', { hasText: new RegExp(`^${title}$`) }) }).first();
    await step('Add a feed').waitFor({ timeout: UI_TIMEOUT });
    const checked = async (title: string): Promise<boolean> => (await step(title).getAttribute('aria-checked')) === 'true';
    await expectState('"Add a feed" to show as done', () => checked('Add a feed'));
    // VS Code then expands the first step still to do and, 250 ms later, moves the keyboard focus
    // to it; a command palette opened before that closes as the focus leaves it. So the page is
    // settled when that step has the focus.
    let focus = '';
    await expectState(() => `"Store an API key" to be the expanded step, with the keyboard focus (the focus is on ${focus})`, async () => {
      focus = await focusedElement(page);
      return /^button\.getting-started-step\b.*\.expanded\b.* "Store an API key/.test(focus);
    });
    // The media pane shows the step's picture (markdown media stayed blank in VS Code for the Web).
    const picture = page.locator('.getting-started-media img >> visible=true').first();
    await picture.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await expectState('the step\'s picture to load', async () => (await picture.evaluate((image) => { const loaded = image as unknown as { complete: boolean; naturalWidth: number }; return loaded.complete && loaded.naturalWidth > 0; })) === true);
    await page.screenshot({ path: join(ARTIFACTS, 'walkthrough.png') });
    if (await checked('Publish')) {
      throw new Error('"Publish" shows as done before anything was published');
    }
  });
  await closeAllEditors(page);
}
