/**
 * Opens a URL that came from a feed (package page, owner page) in the browser, only when it is
 * https or http to this machine: a hostile service index cannot make VS Code open file:,
 * command: or vscode: links.
 */
import * as vscode from 'vscode';
import { safeExternalUrl } from '../core/feeds/packagePaths';

export async function openExternalSafely(url: string | undefined): Promise<boolean> {
  const safe = safeExternalUrl(url);
  if (!safe) {
    void vscode.window.showWarningMessage(`NP2030: The feed supplied a link that is not https (${JSON.stringify((url ?? '').slice(0, 80))}); it was not opened.`);
    return false;
  }
  return vscode.env.openExternal(vscode.Uri.parse(safe));
}
