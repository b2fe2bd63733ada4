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
import { addFeed, importFeeds, removeFeed, type AddFeedArgs, type ImportArgs } from '../feeds/feedCommands';
import { addKey, removeKey, replaceKey, testKey, type AddKeyArgs } from '../keys/keyCommands';
import { setListedCommand } from '../publish/listingCommands';
import { publishCommand, type PublishArgs } from '../publish/publishCommand';

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
  // From the palette, the Explorer and editor menus (a Uri), or scripted (Uri or undefined, then args).
  'nugetPublisher.publishPackage': (services) => (uri?: unknown, args?: unknown) => publishCommand(services, uri instanceof vscode.Uri ? uri : undefined, (args ?? {}) as PublishArgs),
  'nugetPublisher.addFeed': (services) => (args?: unknown) => addFeed(services, (args ?? {}) as AddFeedArgs),
  'nugetPublisher.importFeeds': (services) => (args?: unknown) => importFeeds(services, (args ?? {}) as ImportArgs),
  'nugetPublisher.removeFeed': (services) => (arg?: unknown) => removeFeed(services, arg),
  'nugetPublisher.addKey': (services) => (args?: unknown) => addKey(services, (args ?? {}) as AddKeyArgs),
  'nugetPublisher.replaceKey': (services) => (arg?: unknown) => replaceKey(services, arg),
  'nugetPublisher.removeKey': (services) => (arg?: unknown, options?: unknown) => removeKey(services, arg, (options ?? {}) as { confirm?: boolean }),
  'nugetPublisher.testKey': (services) => (arg?: unknown) => testKey(services, arg),
  'nugetPublisher.unlistVersion': (services) => (arg?: unknown) => setListedCommand(services, false, arg),
  'nugetPublisher.relistVersion': (services) => (arg?: unknown) => setListedCommand(services, true, arg),
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
