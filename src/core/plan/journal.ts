/**
 * The journal of a publish plan: every push the feed accepted, with the SHA-512 of the file that
 * was pushed, written the moment it is accepted. A plan cut short (Ctrl-C, a crash, a closed
 * window, a lost network) runs again from where it stopped: entries in the journal with the same
 * file are not pushed again, also on feeds that cannot be read first (V2 push URLs). The CLI keeps
 * it in a state file (--state FILE, --resume); VS Code in a file in its global storage.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { NuGetPublisherError } from '../errors';
import type { Plan, PlanEntry } from './publishPlan';

export interface JournalEntry {
  readonly id: string;
  readonly version: string;
  /** Base64 SHA-512 of the .nupkg pushed (the hash NuGet writes beside a package). */
  readonly sha512: string;
  readonly at: string;
}

export interface PlanJournal {
  /** The feed the pushes went to (its source URL or folder). */
  readonly feed: string;
  readonly accepted: readonly JournalEntry[];
}

/** Base64 SHA-512 of a file, streamed. */
export async function sha512OfFile(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('base64');
}

const key = (id: string, version: string): string => `${id.toLowerCase()} ${version.toLowerCase()}`;

/** Reads a journal's text; anything that is not one is refused with the cause (never half used). */
export function parseJournal(text: string, where: string): PlanJournal {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new NuGetPublisherError('NP5010', `${where} is not a publish plan's state file (not JSON).`, 'Give the --state file an earlier run wrote, or delete it to start over.');
  }
  const journal = parsed as Partial<PlanJournal>;
  if (typeof journal?.feed !== 'string' || !Array.isArray(journal.accepted) || !journal.accepted.every((entry) => typeof entry?.id === 'string' && typeof entry.version === 'string' && typeof entry.sha512 === 'string')) {
    throw new NuGetPublisherError('NP5010', `${where} is not a publish plan's state file (no feed and accepted pushes).`, 'Give the --state file an earlier run wrote, or delete it to start over.');
  }
  return { feed: journal.feed, accepted: journal.accepted.map(({ id, version, sha512, at }) => ({ id, version, sha512, at: typeof at === 'string' ? at : '' })) };
}

/**
 * Marks the plan's entries that the journal holds with the same file as done: they become
 * "skip-existing" with the reason, and are not pushed again. A journal entry for another file of
 * the same version is not trusted: that entry stays to publish (the push will tell).
 */
export async function resumePlan(plan: Plan, journal: PlanJournal): Promise<{ plan: Plan; resumed: number }> {
  const accepted = new Map(journal.accepted.map((entry) => [key(entry.id, entry.version), entry]));
  let resumed = 0;
  const entries: PlanEntry[] = [];
  for (const entry of plan.entries) {
    const earlier = entry.action === 'publish' ? accepted.get(key(entry.id, entry.version)) : undefined;
    if (earlier && earlier.sha512 === (await sha512OfFile(entry.path))) {
      resumed++;
      entries.push({ ...entry, action: 'skip-existing', reason: `published by an earlier run of this plan (${earlier.at || 'time unknown'})` });
    } else {
      entries.push(entry);
    }
  }
  return { plan: { ...plan, entries }, resumed };
}

/** Where a journal is kept: a state file (the CLI), or a file in the extension's global storage. */
export interface JournalStore {
  load(): Promise<PlanJournal | undefined>;
  save(journal: PlanJournal): Promise<void>;
}

/** A state file, replaced atomically (temporary file, then rename) at every accepted push. */
export function fileJournalStore(path: string): JournalStore {
  return {
    load: async () => {
      const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') {
          return undefined;
        }
        throw new NuGetPublisherError('NP5011', `The state file ${path} cannot be read (${error.code ?? error.message}).`, 'Check its permissions, or give another --state file.');
      });
      return text === undefined ? undefined : parseJournal(text, path);
    },
    save: async (journal) => {
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(journal, null, 2)}\n`);
      await rename(temporary, path);
    },
  };
}

/** Records accepted pushes one by one; saves are serialized, so parallel pushes cannot lose one. */
export class JournalWriter {
  private accepted: JournalEntry[];
  private saving: Promise<void> = Promise.resolve();

  public constructor(private readonly store: JournalStore, private readonly feed: string, earlier: readonly JournalEntry[] = []) {
    this.accepted = [...earlier];
  }

  public get entries(): readonly JournalEntry[] {
    return this.accepted;
  }

  public async record(entry: PlanEntry): Promise<void> {
    const sha512 = await sha512OfFile(entry.path);
    this.accepted = [...this.accepted.filter((other) => key(other.id, other.version) !== key(entry.id, entry.version)), { id: entry.id, version: entry.version, sha512, at: new Date().toISOString() }];
    const snapshot: PlanJournal = { feed: this.feed, accepted: this.accepted };
    this.saving = this.saving.then(() => this.store.save(snapshot));
    await this.saving;
  }
}
