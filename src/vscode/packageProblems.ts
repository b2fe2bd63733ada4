/**
 * Problems-panel entries for opened packages: a read error or the rule findings, attached to the
 * .nupkg/.snupkg file itself (a package has no editable text, so they sit at its first line).
 */
import * as vscode from 'vscode';
import type { Diagnostic as CoreDiagnostic } from '../core/validate/diagnostic';
import { toVsSeverity } from './nuspecDiagnostics';

export class PackageProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('nuget-packages');

  public showFindings(uri: vscode.Uri, findings: readonly CoreDiagnostic[]): void {
    this.collection.set(uri, findings.map((finding) => this.entry(`${finding.message}`, finding.code, toVsSeverity(finding.severity))));
  }

  public showReadError(uri: vscode.Uri, code: string, message: string): void {
    this.collection.set(uri, [this.entry(message, code, vscode.DiagnosticSeverity.Error)]);
  }

  public clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  public get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  public dispose(): void {
    this.collection.dispose();
  }

  private entry(message: string, code: string, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
    const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), message, severity);
    diagnostic.code = code;
    diagnostic.source = 'NuGet';
    return diagnostic;
  }
}
