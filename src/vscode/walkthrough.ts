/**
 * The "Ship a NuGet package" walkthrough: each step completes when the user has really done it
 * (a feed added, a key stored, a package packed, inspected, published, tracked), through context
 * keys that are set on success and remembered in global state.
 */
import * as vscode from 'vscode';
import { stateWriter } from './stateWriter';

export type WalkthroughStep = 'feedAdded' | 'keyStored' | 'packed' | 'inspected' | 'published' | 'tracked';

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
