/**
 * The "Ship a NuGet package" walkthrough: each step completes when the user has really done it
 * (a feed added, a key stored, a package packed, inspected, published, tracked), through context
 * keys that are set on success and remembered in global state.
 *
 * Each step's completion event is `onContext:<key> && activeEditor == 'gettingStartedPage'`, not the
 * key alone: VS Code registers walkthroughs lazily (when the page is first opened), and a context
 * expression that is already true at registration is recorded as seen without completing the step,
 * and then never fires again in that window. With the page's own context key in the expression it
 * is false at registration and becomes true when the page shows, so satisfied steps show as done.
 */
import * as vscode from 'vscode';
import { stateWriter } from './stateWriter';

export type WalkthroughStep = 'feedAdded' | 'keyStored' | 'packed' | 'inspected' | 'published' | 'ciSetUp' | 'tracked';

const STATE_KEY = 'nugetPublisher.walkthrough';
let context: vscode.ExtensionContext | undefined;
/** Kept in memory and written whole, so two steps done at the same moment are both kept. */
const done = new Set<WalkthroughStep>();

export function initWalkthrough(extensionContext: vscode.ExtensionContext): void {
  context = extensionContext;
  for (const step of extensionContext.globalState.get<WalkthroughStep[]>(STATE_KEY, [])) {
    done.add(step);
    void vscode.commands.executeCommand('setContext', `nugetPublisher.walkthrough.${step}`, true);
  }
}

const SHOWN_KEY = 'nugetPublisher.walkthroughShown';

/**
 * Opens the walkthrough once, on the first activation after install, unless
 * `nugetPublisher.walkthrough.openOnFirstRun` is off. VS Code's own open-on-install does not fire
 * for an extension installed before the window started (as `code --install-extension` or
 * `npm start` do), and its setting does not reach a remote extension host (code-server), so the
 * extension has its own.
 */
export async function openWalkthroughOnFirstRun(extensionContext: vscode.ExtensionContext, enabled: boolean): Promise<void> {
  if (!enabled || extensionContext.globalState.get<boolean>(SHOWN_KEY)) {
    return;
  }
  await stateWriter(extensionContext.globalState).write(SHOWN_KEY, () => true);
  await vscode.commands.executeCommand('nugetPublisher.openWalkthrough');
}

export function markDone(step: WalkthroughStep): void {
  if (done.has(step)) {
    return;
  }
  done.add(step);
  void vscode.commands.executeCommand('setContext', `nugetPublisher.walkthrough.${step}`, true);
  if (context) {
    void stateWriter(context.globalState).write(STATE_KEY, () => [...done]);
  }
}
