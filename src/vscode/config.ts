/** Typed access to the extension's settings. */
import * as vscode from 'vscode';

export interface Settings {
  readonly enableNuspecLinting: boolean;
  readonly maxPreviewBytes: number;
}

export const SECTION = 'nugetPublisher';

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    enableNuspecLinting: config.get<boolean>('diagnostics.enableNuspecLinting', true),
    maxPreviewBytes: Math.min(Math.max(config.get<number>('inspector.maxPreviewBytes', 1048576), 1024), 16 * 1048576),
  };
}
