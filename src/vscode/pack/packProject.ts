/**
 * "NuGet: Pack Project…": runs `dotnet pack` as a VS Code task, so the output shows in the
 * terminal and MSBuild errors reach the Problems panel through the $msCompile problem matcher.
 * Cancellable from the progress notification; refuses to run dotnet in an untrusted workspace.
 */
import { dirname, join, basename } from 'node:path';
import * as vscode from 'vscode';
import { DOTNET_DOWNLOAD_URL, dotnetPackArgs, findDotnet, producedPackages } from '../../core/pack/dotnetPack';
import { describeError } from '../../core/errors';
import type { Services } from '../services';
import { configuredOutputDir, offerInspect, requireTrust } from './packCommon';
import { markDone } from '../walkthrough';
import { readSettings } from '../config';

export const TASK_TYPE = 'nugetPublisher';

export interface PackProjectArgs {
  readonly configuration?: string;
  readonly version?: string;
  readonly symbols?: boolean;
  readonly outputDir?: string;
  /** Skip the questions (tests, other commands). */
  readonly quiet?: boolean;
}

export interface PackOutcome {
  readonly packages: readonly string[];
}

const PROJECT_GLOB = '**/*.{csproj,fsproj,vbproj,sln,slnx}';

async function pickProject(): Promise<vscode.Uri | undefined> {
  const found = await vscode.workspace.findFiles(PROJECT_GLOB, '**/{node_modules,bin,obj}/**', 200);
  if (found.length === 0) {
    void vscode.window.showWarningMessage('No .csproj, .fsproj, .vbproj or .sln file in this workspace.');
    return undefined;
  }
  if (found.length === 1) {
    return found[0];
  }
  const picked = await vscode.window.showQuickPick(found.map((uri) => ({ label: basename(uri.fsPath), description: vscode.workspace.asRelativePath(dirname(uri.fsPath)), uri })), { title: 'Pack which project?', matchOnDescription: true });
  return picked?.uri;
}

async function askOptions(project: vscode.Uri, args: PackProjectArgs): Promise<Required<Omit<PackProjectArgs, 'quiet' | 'version'>> & { version?: string } | undefined> {
  const settings = readSettings().pack;
  let configuration = args.configuration;
  let version = args.version;
  if (!args.quiet) {
    configuration ??= (await vscode.window.showQuickPick(['Release', 'Debug'], { title: `Pack ${basename(project.fsPath)}: configuration` }));
    if (configuration === undefined) {
      return undefined;
    }
    version ??= await vscode.window.showInputBox({ title: `Pack ${basename(project.fsPath)}: version`, prompt: 'Leave empty to use the version in the project', placeHolder: 'e.g. 1.2.3 or 1.2.3-beta.1' });
    if (version === undefined) {
      return undefined;
    }
  }
  configuration ??= 'Release';
  const outputDir = args.outputDir ?? configuredOutputDir(project, join(dirname(project.fsPath), 'bin', configuration));
  return { configuration, version: version || undefined, symbols: args.symbols ?? settings.includeSymbols, outputDir };
}

export async function packProject(services: Services, target?: vscode.Uri, args: PackProjectArgs = {}): Promise<PackOutcome | undefined> {
  if (!requireTrust('run dotnet pack')) {
    return undefined;
  }
  const project = target ?? (await pickProject());
  if (!project) {
    return undefined;
  }
  try {
    const sdk = await findDotnet();
    services.log.info('pack', `dotnet SDK ${sdk}`);
  } catch (error) {
    const choice = await vscode.window.showErrorMessage(describeError(error), 'Download .NET');
    if (choice === 'Download .NET') {
      void vscode.env.openExternal(vscode.Uri.parse(DOTNET_DOWNLOAD_URL));
    }
    return undefined;
  }
  const options = await askOptions(project, args);
  if (!options) {
    return undefined;
  }
  // Classic console output (no terminal logger, no summary) so $msCompile sees each error once.
  const commandArgs = [...dotnetPackArgs({ project: project.fsPath, ...options }), '-clp:NoSummary'];
  services.log.info('pack', `dotnet ${commandArgs.join(' ')}`);
  const scope = vscode.workspace.getWorkspaceFolder(project) ?? vscode.TaskScope.Workspace;
  const task = new vscode.Task({ type: TASK_TYPE, task: 'pack', project: project.fsPath }, scope, `pack ${basename(project.fsPath)}`, 'NuGet', new vscode.ProcessExecution('dotnet', commandArgs, { cwd: dirname(project.fsPath), env: { MSBUILDTERMINALLOGGER: 'off', DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' } }), ['$msCompile']);
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, clear: true };
  const started = Date.now();
  const exitCode = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Packing ${basename(project.fsPath)} (${options.configuration})…`, cancellable: true }, async (_progress, token) => {
    const execution = await vscode.tasks.executeTask(task);
    return new Promise<number | undefined>((resolve) => {
      const ended = vscode.tasks.onDidEndTaskProcess((event) => {
        if (event.execution === execution) {
          ended.dispose();
          resolve(event.exitCode);
        }
      });
      token.onCancellationRequested(() => {
        execution.terminate();
        ended.dispose();
        resolve(undefined);
      });
    });
  });
  if (exitCode === undefined) {
    void vscode.window.showWarningMessage(`Packing ${basename(project.fsPath)} was cancelled.`);
    return undefined;
  }
  if (exitCode !== 0) {
    services.log.error('pack', `dotnet pack exited with ${exitCode}`);
    void vscode.window.showErrorMessage(`dotnet pack failed (exit code ${exitCode}). The errors are in the Problems panel and the terminal.`, 'Show Problems').then((choice) => {
      if (choice === 'Show Problems') {
        void vscode.commands.executeCommand('workbench.actions.view.problems');
      }
    });
    return { packages: [] };
  }
  const packages = await producedPackages(options.outputDir, started);
  services.log.info('pack', `produced ${packages.join(', ') || 'nothing'}`);
  if (!args.quiet) {
    void offerInspect(packages);
  }
  if (packages.length > 0) {
    markDone('packed');
  }
  return { packages };
}
