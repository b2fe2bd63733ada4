/**
 * Every command of the extension: one table id -> factory, registered in one place. A test
 * checks that this table and package.json's contributes.commands list the same ids.
 */
import * as vscode from 'vscode';
import { INSPECTOR_VIEW_TYPE } from '../inspector/inspectorEditor';
import { showError } from '../log';
import type { Services } from '../services';
import { packProject, type PackProjectArgs } from '../pack/packProject';
import { packNuspecCommand, type PackNuspecArgs } from '../pack/packNuspecCommand';

type CommandHandler = (...args: unknown[]) => unknown;

export const commandFactories: Readonly<Record<string, (services: Services) => CommandHandler>> = {
  'nugetPublisher.inspectPackage': () => async (): Promise<void> => {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Inspect',
      title: 'Inspect NuGet Package',
      filters: { 'NuGet packages': ['nupkg', 'snupkg'] },
    });
    if (picked?.[0]) {
      await vscode.commands.executeCommand('vscode.openWith', picked[0], INSPECTOR_VIEW_TYPE);
    }
  },
  'nugetPublisher.inspectPackageFromExplorer': () => async (uri?: unknown): Promise<void> => {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (target) {
      await vscode.commands.executeCommand('vscode.openWith', target, INSPECTOR_VIEW_TYPE);
    } else {
      await vscode.commands.executeCommand('nugetPublisher.inspectPackage');
    }
  },
  'nugetPublisher.packProject': (services) => (uri?: unknown, args?: unknown) => packProject(services, uri instanceof vscode.Uri ? uri : undefined, (args ?? {}) as PackProjectArgs),
  'nugetPublisher.packNuspec': (services) => (uri?: unknown, args?: unknown) => packNuspecCommand(services, uri instanceof vscode.Uri ? uri : undefined, (args ?? {}) as PackNuspecArgs),
  'nugetPublisher.showLog': ({ log }) => (): void => log.show(),
};

export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(commandFactories).map(([id, factory]) => {
    const handler = factory(services);
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        services.log.error('command', `${id} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        await showError(services.log, `NuGet: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    });
  });
}
