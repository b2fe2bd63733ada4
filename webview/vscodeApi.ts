/** The webview side of the typed protocols: acquireVsCodeApi once, typed post/state. */
import type { FromWebview } from '../src/shared/protocol';

interface VsCodeApi<State, Message> {
  postMessage(message: Message): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State, unknown>;

let api: VsCodeApi<unknown, unknown> | undefined;

export function vscodeApi<State, Message = FromWebview>(): VsCodeApi<State, Message> {
  api ??= acquireVsCodeApi<unknown>();
  return api as VsCodeApi<State, Message>;
}
