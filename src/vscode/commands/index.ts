/**
 * Every command of the extension: one table id -> factory, registered in one place. A test
 * checks that this table and package.json's contributes.commands list the same ids.
 */
import * as vscode from 'vscode';
import { setUpCiPublishing, type CiSetupArgs } from '../publish/ciSetupCommand';
import { INSPECTOR_VIEW_TYPE, activeInspectorUri, packageTarget, showNuspec } from '../inspector/inspectorEditor';
import { closePackageContents, openPackageAsFolder, openPackageEntry } from '../inspector/packageFileSystem';
import { signPackage, verifySignature } from '../signing/signingCommands';
import { notify, showError } from '../log';
import { describeError, toUserError } from '../../core/errors';
import { fsFailure } from '../../core/fsSafe';
import type { Services } from '../services';
import { packProject, type PackProjectArgs } from '../pack/packProject';
import { packNuspecCommand, type PackNuspecArgs } from '../pack/packNuspecCommand';
import { addFeed, importFeeds, removeFeed, type ImportArgs, setFeedOwners } from '../feeds/feedCommands';
import { addKey, removeKey, replaceKey, testKey, type AddKeyArgs } from '../keys/keyCommands';
import { setListedCommand } from '../publish/listingCommands';
import { publishCommand, type PublishArgs } from '../publish/publishCommand';
import { copyInstall, downloadAndInspect, openOnGallery, trackVersion } from '../explorer/explorerCommands';
import type { MoreNode } from '../explorer/feedTree';
import { KeysPanel } from '../keys/keysPanel';
import { comparePackages, compareWithPublishedCommand } from '../diff/diffCommands';
import { publishFolderCommand, type PublishFolderArgs } from '../publish/publishFolderCommand';

/** Unlist/Relist, then the explorer shows the new state. */
function listing(services: Services, listed: boolean) {
  return async (arg?: unknown): Promise<number | undefined> => {
    const status = await setListedCommand(services, listed, arg);
    const node = (arg ?? {}) as { feed?: unknown; id?: unknown };
    if (status !== undefined && typeof node.feed === 'string' && typeof node.id === 'string') {
      services.feedTree.refreshPackage(node.feed, node.id);
    } else if (status !== undefined) {
      services.feedTree.refresh();
    }
    return status;
  };
}

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
  // One entry of a package in a read-only editor tab (the inspector's file tree; scripted: package Uri, entry path).
  'nugetPublisher.openPackageEntry': (services) => async (uri?: unknown, path?: unknown): Promise<vscode.TextEditor | undefined> => {
    const target = uri instanceof vscode.Uri ? uri : activeInspectorUri();
    if (!target || typeof path !== 'string') {
      return undefined;
    }
    return openPackageEntry(target, path, (message) => void notify(services.log, 'info', message));
  },
  // Signatures (the inspector's Signatures section, the Explorer, or scripted: package Uri [, sign arguments]).
  'nugetPublisher.verifySignature': (services) => (uri?: unknown) => verifySignature(services, uri),
  'nugetPublisher.signPackage': (services) => (uri?: unknown, args?: unknown) => signPackage(services, uri, (args ?? {}) as Parameters<typeof signPackage>[2]),
  'nugetPublisher.closePackageContents': () => (node?: unknown): void => closePackageContents(node),
  'nugetPublisher.openPackageAsFolder': () => async (uri?: unknown): Promise<boolean> => {
    const target = await packageTarget(uri, 'Open as Folder');
    return target ? openPackageAsFolder(target) : false;
  },
  // The nuspec inside a package, as a read-only document (from the Explorer, the inspector, or scripted).
  'nugetPublisher.showNuspec': () => async (uri?: unknown): Promise<vscode.TextEditor | undefined> => {
    const target = await packageTarget(uri, 'Show nuspec');
    return target ? showNuspec(target) : undefined;
  },
  'nugetPublisher.packProject': (services) => (uri?: unknown, args?: unknown) => packProject(services, uri instanceof vscode.Uri ? uri : undefined, (args ?? {}) as PackProjectArgs),
  'nugetPublisher.packNuspec': (services) => (uri?: unknown, args?: unknown) => packNuspecCommand(services, uri instanceof vscode.Uri ? uri : undefined, (args ?? {}) as PackNuspecArgs),
  'nugetPublisher.showLog': ({ log }) => (): void => log.show(),
  'nugetPublisher.setUpCiPublishing': (services) => (args?: unknown) => setUpCiPublishing(services, (args ?? {}) as CiSetupArgs),
  // The walkthrough "Ship a NuGet package from VS Code" (steps already satisfied show as done).
  'nugetPublisher.openWalkthrough': () => async (): Promise<void> => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'nuget-publisher.nuget-publisher#shipPackage', false);
  },
  // From the palette, the Explorer and editor menus (a Uri), or scripted (Uri or undefined, then args).
  'nugetPublisher.publishPackage': (services) => (uri?: unknown, args?: unknown) => publishCommand(services, uri instanceof vscode.Uri ? uri : undefined, (args ?? {}) as PublishArgs),
  'nugetPublisher.addFeed': (services) => (args?: unknown) => addFeed(services, args),
  'nugetPublisher.importFeeds': (services) => (args?: unknown) => importFeeds(services, (args ?? {}) as ImportArgs),
  'nugetPublisher.removeFeed': (services) => (arg?: unknown) => removeFeed(services, arg),
  'nugetPublisher.setFeedOwners': (services) => (arg?: unknown) => setFeedOwners(services, arg),
  'nugetPublisher.addKey': (services) => (args?: unknown) => addKey(services, (args ?? {}) as AddKeyArgs),
  'nugetPublisher.replaceKey': (services) => (arg?: unknown) => replaceKey(services, arg),
  'nugetPublisher.removeKey': (services) => (arg?: unknown) => removeKey(services, arg),
  'nugetPublisher.testKey': (services) => (arg?: unknown) => testKey(services, arg),
  'nugetPublisher.manageKeys': (services) => (): void => void KeysPanel.show(services),
  'nugetPublisher.comparePackages': (services) => (first?: unknown, second?: unknown) => comparePackages(services, first, second),
  'nugetPublisher.compareWithPublished': (services) => (uri?: unknown, args?: unknown) => compareWithPublishedCommand(services, uri, args as { feed?: string } | undefined),
  'nugetPublisher.publishFolder': (services) => (uri?: unknown, args?: unknown) => publishFolderCommand(services, uri instanceof vscode.Uri ? uri : undefined, (args ?? {}) as PublishFolderArgs),
  'nugetPublisher.unlistVersion': (services) => listing(services, false),
  'nugetPublisher.relistVersion': (services) => listing(services, true),
  'nugetPublisher.trackVersion': (services) => (arg?: unknown) => trackVersion(services, arg),
  'nugetPublisher.showTracked': ({ tracker }) => () => tracker.showTracked(),
  'nugetPublisher.refreshFeeds': ({ feedTree, keys }) => (node?: unknown) => {
    keys.forgetProviderAnswers(); // a credential provider installed or signed in since is asked again
    feedTree.refresh((node as { kind?: string })?.kind === 'feed' || (node as { kind?: string })?.kind === 'package' ? (node as Parameters<typeof feedTree.refresh>[0]) : undefined);
  },
  'nugetPublisher.loadMore': ({ feedTree }) => (node?: unknown) => feedTree.loadMore(node as MoreNode),
  'nugetPublisher.publishToFeed': (services) => (node?: unknown) => publishCommand(services, undefined, { feed: (node as { feed?: string })?.feed }),
  'nugetPublisher.openOnGallery': (services) => (node?: unknown) => openOnGallery(services, node),
  'nugetPublisher.copyInstallCommand': (services) => (node?: unknown) => copyInstall(services, node, 'command'),
  'nugetPublisher.copyPackageReference': (services) => (node?: unknown) => copyInstall(services, node, 'reference'),
  'nugetPublisher.downloadAndInspect': (services) => (node?: unknown) => downloadAndInspect(services, node),
};

export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(commandFactories).map(([id, factory]) => {
    const handler = factory(services);
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        services.log.error('command', `${id} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        // Not awaited: the command returns while the notification waits for the user.
        void showError(services.log, `NuGet: ${describeError(toUserError(error, (errno) => fsFailure(errno, 'NP0990', 'The command', errno.path ?? 'a file')))}`);
        return undefined;
      }
    });
  });
}
