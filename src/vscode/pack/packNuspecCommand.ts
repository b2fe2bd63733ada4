/**
 * "NuGet: Pack Nuspec…": packs a .nuspec natively (no .NET needed), asking for any $token$
 * values the nuspec uses, with progress and cancellation. Nothing half-written on failure.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { packNuspec, type PackNuspecResult } from '../../core/pack/packNuspec';
import type { PackProperties } from '../../core/pack/tokens';
import { showError } from '../log';
import type { Services } from '../services';
import { configuredOutputDir, offerInspect, requireTrust } from './packCommon';
import { markDone } from '../walkthrough';
import { readSettings } from '../config';

export interface PackNuspecArgs {
  readonly properties?: PackProperties;
  readonly outputDir?: string;
  readonly symbols?: boolean;
  readonly quiet?: boolean;
  /** Publishing packs first: no "Inspect" offer then. */
  readonly noInspectOffer?: boolean;
}

async function pickNuspec(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.path.toLowerCase().endsWith('.nuspec')) {
    return active;
  }
  const found = await vscode.workspace.findFiles('**/*.nuspec', '**/{node_modules,bin,obj}/**', 200);
  if (found.length <= 1) {
    return found[0] ?? (await vscode.window.showOpenDialog({ filters: { 'NuGet manifest': ['nuspec'] }, openLabel: 'Pack' }))?.[0];
  }
  const picked = await vscode.window.showQuickPick(found.map((uri) => ({ label: basename(uri.fsPath), description: vscode.workspace.asRelativePath(dirname(uri.fsPath)), uri })), { title: 'Pack which .nuspec?' });
  return picked?.uri;
}

/** Asks for a value for every $token$ the nuspec uses. */
async function askTokens(nuspec: vscode.Uri): Promise<PackProperties | undefined> {
  const text = await readFile(nuspec.fsPath, 'utf8');
  const names = [...new Set([...text.replace(/<!--[\s\S]*?-->/g, '').matchAll(/\$([A-Za-z_][\w.-]*)\$/g)].map((match) => match[1].toLowerCase()))];
  const properties: Record<string, string> = {};
  for (const name of names) {
    const value = await vscode.window.showInputBox({ title: `Pack ${basename(nuspec.fsPath)}: value for $${name}$`, ignoreFocusOut: true, validateInput: (input) => (input.trim() ? undefined : `The nuspec uses $${name}$: give it a value.`) });
    if (value === undefined) {
      return undefined;
    }
    properties[name] = value.trim();
  }
  return properties;
}

export async function packNuspecCommand(services: Services, target?: vscode.Uri, args: PackNuspecArgs = {}): Promise<PackNuspecResult | undefined> {
  if (!requireTrust('write packages')) {
    return undefined;
  }
  const nuspec = target ?? (await pickNuspec());
  if (!nuspec) {
    return undefined;
  }
  const properties = args.properties ?? (args.quiet ? {} : await askTokens(nuspec));
  if (!properties) {
    return undefined;
  }
  const settings = readSettings().pack;
  const outputDir = args.outputDir ?? configuredOutputDir(nuspec, dirname(nuspec.fsPath));
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Packing ${basename(nuspec.fsPath)}`, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      await vscode.workspace.fs.createDirectory(vscode.Uri.file(outputDir));
      return packNuspec({
        nuspecPath: nuspec.fsPath, outputDir, properties, signal: controller.signal,
        symbols: args.symbols ?? settings.includeSymbols,
        deterministic: settings.deterministic,
        onProgress: (done, total) => {
          const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
          progress.report({ increment: percent - reported, message: `${percent}%` });
          reported = percent;
        },
      });
    });
    for (const warning of result.warnings) {
      services.log.warn('pack', warning);
    }
    services.log.info('pack', `wrote ${result.packagePath}${result.symbolsPath ? ` and ${result.symbolsPath}` : ''}`);
    if (result.warnings.length > 0 && !args.quiet) {
      void vscode.window.showWarningMessage(`Packed with ${result.warnings.length} warning(s): ${result.warnings[0]}`);
    }
    if (!args.quiet && !args.noInspectOffer) {
      void offerInspect([result.packagePath, ...(result.symbolsPath ? [result.symbolsPath] : [])]);
    }
    markDone('packed');
    return result;
  } catch (error) {
    services.log.error('pack', `packing ${nuspec.fsPath} failed: ${describeError(error)}`);
    if (!args.quiet) {
      void showError(services.log, `Cannot pack ${basename(nuspec.fsPath)}: ${describeError(error)}`);
    }
    throw error;
  }
}
