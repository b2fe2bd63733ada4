/**
 * Temporary files and folders in flight (a package being packed, a version being staged in a
 * folder feed, a download). Each writer registers its temporary path and forgets it once renamed
 * or removed; the CLI's SIGINT/SIGTERM handler and the extension's deactivate() remove whatever
 * is still registered, so an interrupted pack or push leaves nothing behind.
 */
import { rmSync } from 'node:fs';

const inFlight = new Set<string>();

export function trackTemp(path: string): void {
  inFlight.add(path);
}

export function forgetTemp(path: string): void {
  inFlight.delete(path);
}

/** Removes every registered temporary path (synchronously: safe in a signal handler). */
export function removeTempsNow(): number {
  let removed = 0;
  for (const path of inFlight) {
    try {
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
      // best effort: the folder-feed sweep removes stale stages later
    }
  }
  inFlight.clear();
  return removed;
}

/** Removes temporaries and exits with 128 + signal number, as a shell would report it. */
export function cleanUpOnSignals(): void {
  for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15]] as const) {
    process.once(signal, () => {
      removeTempsNow();
      process.exit(128 + number);
    });
  }
}
