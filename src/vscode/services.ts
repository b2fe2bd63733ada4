/** What commands and views receive from activate(): the shared services, created once. */
import type * as vscode from 'vscode';
import type { Log } from './log';
import type { PackageProblems } from './packageProblems';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  readonly packageProblems: PackageProblems;
}
