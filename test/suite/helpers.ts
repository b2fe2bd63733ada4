/** Helpers shared by the extension-host suites (this file has no tests: index.ts loads *.test.js only). */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'nuget-publisher.nuget-publisher';

export function workspaceFile(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the sample workspace open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/** Polls `probe` every 100 ms until it returns something truthy, or fails naming what it waited for. */
export async function waitFor<T>(what: string | (() => string), probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
