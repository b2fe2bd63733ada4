/**
 * A fake clock and timer queue for code that takes `now` and a scheduler (the tracker): tests move
 * time forward explicitly and every timer due by then fires in order, so stage order, backoff and
 * give-up are checked in simulated minutes without waiting.
 */
import type { Scheduler } from '../../src/core/track/tracker';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

export class FakeClock implements Scheduler {
  private current: number;
  private pending: Pending[] = [];
  private nextId = 1;

  public constructor(start = Date.UTC(2026, 11, 1)) {
    this.current = start;
  }

  public readonly now = (): number => this.current;

  public setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.push({ id, at: this.current + Math.max(0, ms), callback });
    return id;
  }

  public clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((timer) => timer.id !== handle);
  }

  /** Timers not yet fired. */
  public get timers(): number {
    return this.pending.length;
  }

  /** When the next timer fires, or undefined when none is set. */
  public get nextAt(): number | undefined {
    return this.pending.length > 0 ? Math.min(...this.pending.map((timer) => timer.at)) : undefined;
  }

  /**
   * Moves time forward by `ms`, firing each due timer at its own time and letting the async
   * work it started settle before the next one: promise jobs, and `idle` (e.g. the tracker's
   * whenIdle, which waits for its network reads) when given.
   */
  public async advance(ms: number, idle: () => Promise<void> = settle): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      // The work a timer started (network I/O included) must be done before time moves on.
      await idle();
      const due = this.pending.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) {
        break;
      }
      this.pending = this.pending.filter((timer) => timer !== due);
      this.current = Math.max(this.current, due.at);
      due.callback();
    }
    this.current = target;
    await settle();
    await idle();
  }
}

/** Lets pending promise jobs and I/O callbacks run (a turn of the event loop, not a delay). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
