/** Shared bits of the pack commands: workspace trust, and the "Inspect" offer after a pack. */
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { INSPECTOR_VIEW_TYPE } from '../inspector/inspectorEditor';
import { readSettings } from '../config';

/** Running dotnet or writing packages needs a trusted workspace; says so when it is not. */
export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) {
    return true;
  }
  void vscode.window.showErrorMessage(`NuGet Publisher does not ${action} in an untrusted workspace. Trust the workspace (Manage Workspace Trust) and try again.`, 'Manage Workspace Trust').then((choice) => {
    if (choice) {
      void vscode.commands.executeCommand('workbench.trust.manage');
    }
  });
  return false;
}

export async function offerInspect(packages: readonly string[]): Promise<void> {
  const main = packages.find((path) => path.toLowerCase().endsWith('.nupkg'));
  if (!main) {
    void vscode.window.showWarningMessage('The pack finished but wrote no .nupkg to the output folder.');
    return;
  }
  const names = packages.map((path) => basename(path)).join(', ');
  const choice = await vscode.window.showInformationMessage(`Packed ${names}`, 'Inspect', 'Reveal in Explorer');
  if (choice === 'Inspect') {
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(main), INSPECTOR_VIEW_TYPE);
  } else if (choice === 'Reveal in Explorer') {
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(main));
  }
}

/** The nugetPublisher.pack.outputDirectory setting (relative to the workspace folder), or the fallback. */
export function configuredOutputDir(file: vscode.Uri, fallback: string): string {
  const configured = readSettings().pack.outputDirectory;
  return configured ? join(vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? dirname(file.fsPath), configured) : fallback;
}
