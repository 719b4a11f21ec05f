/**
 * Timers behind an interface so offer expiry and the periodic sweep run on a fake clock in tests and
 * on the simulator's clock in `npm run simulate`. Timers are only a prompt: the expiry itself is
 * stored on the conversation (`offerExpiresAt`) and the sweep re-checks it after a restart.
 */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export type TimerHandle = { readonly id: number } | ReturnType<typeof setTimeout>;

export const systemScheduler: Scheduler = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    // A pending offer timer must not keep a stopping process alive; the stored expiry survives it.
    t.unref?.();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

/** A scheduler driven by hand: `runDue(t)` runs every timer due by `t`, in time order. */
export class ManualScheduler implements Scheduler {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly now: () => number) {}

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const p = { id: this.nextId++, at: this.now() + Math.max(0, ms), fn };
    this.pending.set(p.id, p);
    return { id: p.id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending.delete((handle as { id: number }).id);
  }

  /** When the next timer is due, or null. */
  nextDueAt(): number | null {
    let min: number | null = null;
    for (const p of this.pending.values()) if (min === null || p.at < min) min = p.at;
    return min;
  }

  /** Runs (and forgets) the timers due at or before `t`; returns how many ran. */
  runDue(t: number): number {
    const due = [...this.pending.values()]
      .filter((p) => p.at <= t)
      .sort((a, b) => a.at - b.at || a.id - b.id);
    for (const p of due) this.pending.delete(p.id);
    for (const p of due) p.fn();
    return due.length;
  }

  get size(): number {
    return this.pending.size;
  }
}
