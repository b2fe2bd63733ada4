/** Base class that owns disposables and releases them together. */
import type * as vscode from 'vscode';

export class DisposableStore implements vscode.Disposable {
  private readonly items: vscode.Disposable[] = [];

  public register<T extends vscode.Disposable>(item: T): T {
    this.items.push(item);
    return item;
  }

  public dispose(): void {
    while (this.items.length > 0) {
      this.items.pop()?.dispose();
    }
  }
}
