import type { TrackedPackage } from '../../src/core/track/tracker';

/** A tracker store in memory; `saved` is what the tracker last wrote. */
export function memoryStore(initial: readonly TrackedPackage[] = []): { load(): readonly TrackedPackage[]; save(list: readonly TrackedPackage[]): void; saved: readonly TrackedPackage[] } {
  const store = { saved: initial, load: () => store.saved, save: (list: readonly TrackedPackage[]) => { store.saved = list; } };
  return store;
}
