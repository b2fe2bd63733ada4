/**
 * Quick picks over the workspace's own packages and package folders, newest first, with
 * "Browse…" last (the file dialog only when the user asks for it).
 */
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';

const BROWSE = '$(folder-opened) Browse…';

async function newestFirst(uris: vscode.Uri[]): Promise<vscode.Uri[]> {
  const times = await Promise.all(uris.map(async (uri) => (await stat(uri.fsPath).catch(() => undefined))?.mtimeMs ?? 0));
  return uris.map((uri, index) => ({ uri, time: times[index] })).sort((a, b) => b.time - a.time).map((entry) => entry.uri);
}

/** The workspace's .nupkg files (not .symbols.nupkg), newest first. */
export async function workspacePackages(): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles('**/*.nupkg', '**/node_modules/**', 500);
  return newestFirst(found.filter((uri) => !/\.symbols\.nupkg$/i.test(uri.path)));
}

/** Lets the user pick a workspace package, or browse for one. */
export async function pickWorkspacePackage(title: string, options: { openLabel?: string; except?: vscode.Uri } = {}): Promise<vscode.Uri | undefined> {
  const found = (await workspacePackages()).filter((uri) => uri.toString() !== options.except?.toString());
  const browse = { label: BROWSE, description: '', uri: undefined as vscode.Uri | undefined };
  const picked = await vscode.window.showQuickPick([
    ...found.map((uri) => ({ label: basename(uri.fsPath), description: vscode.workspace.asRelativePath(dirname(uri.fsPath)), uri })),
    browse,
  ], { title, placeHolder: found.length ? 'Newest first' : 'No .nupkg in the workspace: browse for one', matchOnDescription: true });
  if (picked === browse) {
    return (await vscode.window.showOpenDialog({ title, filters: { 'NuGet packages': ['nupkg'] }, openLabel: options.openLabel ?? 'Select' }))?.[0];
  }
  return picked?.uri;
}

/** Lets the user pick a workspace folder that holds packages (with their count), or browse for one. */
export async function pickPackageFolder(title: string, openLabel: string): Promise<vscode.Uri | undefined> {
  const counts = new Map<string, { uri: vscode.Uri; count: number }>();
  for (const uri of await workspacePackages()) {
    const folder = vscode.Uri.file(dirname(uri.fsPath));
    const entry = counts.get(folder.toString()) ?? { uri: folder, count: 0 };
    entry.count += 1;
    counts.set(folder.toString(), entry);
  }
  const browse = { label: BROWSE, description: '', uri: undefined as vscode.Uri | undefined };
  const picked = await vscode.window.showQuickPick([
    ...[...counts.values()].map(({ uri, count }) => ({ label: vscode.workspace.asRelativePath(uri, true), description: `${count} package${count === 1 ? '' : 's'}`, uri })),
    browse,
  ], { title, placeHolder: counts.size ? 'Folders of the workspace that hold packages' : 'No .nupkg in the workspace: browse for a folder' });
  if (picked === browse) {
    return (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title, openLabel }))?.[0];
  }
  return picked?.uri;
}
