/**
 * Live rule checks on open .nuspec files: Problems-panel entries updated as the user types
 * (debounced), and quick fixes where the fix is obvious (licenseUrl -> license expression).
 */
import * as vscode from 'vscode';
import { NuspecParseError, describeError } from '../core/errors';
import { parseNuspecText } from '../core/nuspec/parse';
import type { Diagnostic as CoreDiagnostic, Severity } from '../core/validate/diagnostic';
import { validatePackage } from '../core/validate/rules';
import { readSettings } from './config';
import { DisposableStore } from './disposable';
import type { Log } from './log';

const DEBOUNCE_MS = 250;

export function toVsSeverity(severity: Severity): vscode.DiagnosticSeverity {
  return severity === 'error' ? vscode.DiagnosticSeverity.Error : severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}

export function isNuspec(document: vscode.TextDocument): boolean {
  return document.uri.path.toLowerCase().endsWith('.nuspec');
}

/** Runs the checks on nuspec text; a parse error becomes one finding at its line. */
export function checkNuspecText(text: string): CoreDiagnostic[] {
  try {
    return validatePackage(parseNuspecText(text));
  } catch (error) {
    if (error instanceof NuspecParseError) {
      return [{ code: error.code, severity: 'error', message: error.message, line: error.line, column: error.column }];
    }
    return [{ code: 'NP0999', severity: 'error', message: `The nuspec could not be checked: ${describeError(error)}` }];
  }
}

function toVsDiagnostic(document: vscode.TextDocument, finding: CoreDiagnostic): vscode.Diagnostic {
  let range: vscode.Range;
  if (finding.start !== undefined && finding.end !== undefined) {
    range = new vscode.Range(document.positionAt(finding.start), document.positionAt(finding.end));
  } else if (finding.line !== undefined) {
    const line = Math.min(Math.max(finding.line - 1, 0), document.lineCount - 1);
    const column = Math.max((finding.column ?? 1) - 1, 0);
    range = new vscode.Range(line, column, line, document.lineAt(line).range.end.character);
  } else {
    range = new vscode.Range(0, 0, 0, document.lineAt(0).range.end.character);
  }
  const diagnostic = new vscode.Diagnostic(range, finding.message, toVsSeverity(finding.severity));
  diagnostic.code = finding.code;
  diagnostic.source = 'NuGet';
  return diagnostic;
}

export class NuspecDiagnostics extends DisposableStore implements vscode.CodeActionProvider {
  public static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('nuspec'));
  private readonly timers = new Map<string, NodeJS.Timeout>();

  public constructor(private readonly log: Log) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((document) => this.update(document)));
    this.register(vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)));
    this.register(vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)));
    this.register(vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('nugetPublisher.diagnostics')) {
        vscode.workspace.textDocuments.forEach((document) => this.update(document));
      }
    }));
    this.register(vscode.languages.registerCodeActionsProvider({ pattern: '**/*.nuspec' }, this, { providedCodeActionKinds: NuspecDiagnostics.providedCodeActionKinds }));
    this.register({ dispose: () => this.timers.forEach((timer) => clearTimeout(timer)) });
    vscode.workspace.textDocuments.forEach((document) => this.update(document));
  }

  public update(document: vscode.TextDocument): void {
    if (!isNuspec(document)) {
      return;
    }
    if (!readSettings().diagnostics.enableNuspecLinting) {
      this.collection.delete(document.uri);
      return;
    }
    const findings = checkNuspecText(document.getText());
    this.collection.set(document.uri, findings.map((finding) => toVsDiagnostic(document, finding)));
    this.log.info('nuspec', `checked ${vscode.workspace.asRelativePath(document.uri)}: ${findings.length} finding(s)`);
  }

  public provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const finding of checkNuspecText(document.getText())) {
      if (!finding.fix || finding.start === undefined || finding.end === undefined) {
        continue;
      }
      const findingRange = new vscode.Range(document.positionAt(finding.start), document.positionAt(finding.end));
      if (!findingRange.intersection(range) && !range.isEmpty) {
        continue;
      }
      if (!findingRange.contains(range.start) && !range.contains(findingRange.start)) {
        continue;
      }
      const action = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, new vscode.Range(document.positionAt(finding.fix.edit.start), document.positionAt(finding.fix.edit.end)), finding.fix.edit.newText);
      action.diagnostics = [toVsDiagnostic(document, finding)];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isNuspec(document)) {
      return;
    }
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.update(document);
    }, DEBOUNCE_MS));
  }
}
