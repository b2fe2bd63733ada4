/**
 * Every globalState write of the extension goes through here, one at a time.
 *
 * VS Code keeps an extension's globalState as one object: `update()` changes the extension host's
 * copy at once, sends the whole object to the workbench, and the workbench sends the whole object
 * back. With two writes in flight (a key added while the walkthrough records the "key stored"
 * step), the echo of the first can land after the second and replace it in memory: a stored key's
 * metadata vanished on a busy machine (microsoft/vscode#137132). Writes chained here, each computed
 * from the state at its turn and awaited before the next starts, are all kept.
 */
import type * as vscode from 'vscode';

export class StateWriter {
  private tail: Promise<unknown> = Promise.resolve();

  public constructor(private readonly memento: vscode.Memento) {}

  public get<T>(key: string, fallback: T): T {
    return this.memento.get<T>(key, fallback);
  }

  /** Computes the new value from the current one once every earlier write finished, then writes it. */
  public write<T>(key: string, compute: (current: T | undefined) => T | undefined): Promise<void> {
    const run = this.tail.then(() => this.memento.update(key, compute(this.memento.get<T>(key))));
    this.tail = run.catch(() => undefined);
    return run;
  }
}

const writers = new WeakMap<vscode.Memento, StateWriter>();

/** The one writer of a memento (all callers share it, so their writes are chained together). */
export function stateWriter(memento: vscode.Memento): StateWriter {
  let writer = writers.get(memento);
  if (!writer) {
    writer = new StateWriter(memento);
    writers.set(memento, writer);
  }
  return writer;
}
