/** What commands and views receive from activate(): the shared services, created once. */
import type * as vscode from 'vscode';
import type { PublishReport } from '../core/publish/publish';
import type { FeedTreeProvider } from './explorer/feedTree';
import type { KeyStore } from './keys/keyStore';
import type { TrackerService } from './track/trackerService';
import type { Log } from './log';
import type { PackageProblems } from './packageProblems';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  readonly packageProblems: PackageProblems;
  readonly keys: KeyStore;
  /** Fired after every successful publish (the tracker follows it). */
  readonly onPublished: vscode.EventEmitter<PublishReport>;
  readonly tracker: TrackerService;
  readonly feedTree: FeedTreeProvider;
}
