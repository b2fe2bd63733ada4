/**
 * The tracker's saved state as a file, written atomically (temporary name, then rename) at every
 * change. A window reload in VS Code for the Web can drop globalState writes that were not yet
 * flushed (it flushes on an interval), which lost the tracked packages; a file on the extension
 * host's disk is durable the moment the write returns.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrackedPackage, TrackerStore } from './tracker';

export function fileTrackerStore(path: string, fallback?: { load(): readonly TrackedPackage[]; save(list: readonly TrackedPackage[]): void | Promise<void> }): TrackerStore {
  return {
    load: (): readonly TrackedPackage[] => {
      try {
        const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
        return Array.isArray(parsed) ? (parsed as TrackedPackage[]) : [];
      } catch {
        // No file yet (first run, or state saved by an older version): the fallback has it.
        return fallback?.load() ?? [];
      }
    },
    save: (list: readonly TrackedPackage[]): void => {
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(list));
      renameSync(temporary, path);
      void fallback?.save(list);
    },
  };
}
