import type { StoredEvent } from '../domain/index.js';

// Every instance sharing the store must hear every instance's events. The event log has one global
// sequence (MongoDB and the embedded store alike), so each process tails it: it reads "everything
// after the last seq I saw", in order, woken at once by its own publishes and by a short poll for
// the others'. `readAfter` already waits behind a sequence number still being written elsewhere.
// An event published here that is the very next in the log is delivered as handed over, without
// reading it back: nothing can come between, and it saves a store round trip per event.

export interface EventLogReader {
  readAfter(seq: number, limit?: number): Promise<StoredEvent[]>;
  lastSeq(): Promise<number>;
}

export type TailListener = (event: StoredEvent, origin: 'local' | 'remote') => void;

export interface EventTail {
  /** The last sequence number delivered to listeners. */
  readonly position: number;
  subscribe(listener: TailListener): () => void;
  /**
   * Something was published here: read now rather than at the next poll. With the stored event
   * itself, an event that follows the last one delivered is delivered without reading the log.
   */
  wake(seq?: number, event?: StoredEvent): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once every event up to `seq` has been delivered (tests, shutdown). */
  reached(seq: number): Promise<void>;
}

export function createEventTail(
  log: EventLogReader,
  opts: { pollMs?: number; onError?: (err: unknown) => void } = {},
): EventTail {
  const pollMs = opts.pollMs ?? 200;
  const listeners = new Set<TailListener>();
  /** Published by this process and not yet delivered by the tail. */
  const local = new Set<number>();
  const waiters: Array<{ seq: number; resolve: () => void }> = [];
  let position = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = true;
  /** Events handed over by `wake` ahead of the position, waiting for the ones before them. */
  const handed = new Map<number, StoredEvent>();
  /**
   * The last read failure reported. A store that is down fails every poll (five a second): the
   * failure is reported once, and again only if it changes or comes back after a good read.
   */
  let failing: string | null = null;

  function deliver(e: StoredEvent): void {
    position = e.seq;
    handed.delete(e.seq);
    const origin = local.delete(e.seq) ? 'local' : 'remote';
    for (const l of listeners) {
      try {
        l(e, origin);
      } catch (err) {
        opts.onError?.(err);
      }
    }
  }

  function settleWaiters(): void {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.seq <= position) waiters.splice(i, 1)[0]!.resolve();
    }
  }

  /** Delivers handed-over events while they follow on; true if that caught up with every one. */
  function deliverHanded(): boolean {
    for (let next = handed.get(position + 1); next; next = handed.get(position + 1)) deliver(next);
    for (const seq of handed.keys()) if (seq <= position) handed.delete(seq);
    settleWaiters();
    return handed.size === 0;
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      for (;;) {
        const page = await log.readAfter(position, 500);
        if (page.length === 0) break;
        for (const e of page) {
          // Handed-over events may have been delivered while this page was read; one handed over
          // and not yet delivered goes as handed (its publisher may have attached what it carried).
          if (e.seq > position) deliver(handed.get(e.seq) ?? e);
        }
        deliverHanded();
      }
    } while (again && !stopped);
  }

  function read(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .then(
        () => {
          failing = null;
        },
        (err: unknown) => {
          const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
          if (what === failing) return;
          failing = what;
          opts.onError?.(err);
        },
      )
      .finally(() => {
        running = null;
        // A wake between the read's last page and here found it running and counted on it: read
        // again, or that event would wait for the next poll.
        if (again) read();
      });
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      read();
      void (running ?? Promise.resolve()).finally(schedule);
    }, pollMs);
    timer.unref?.();
  }

  return {
    get position() {
      return position;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    wake(seq, event) {
      if (seq !== undefined && seq > position) local.add(seq);
      if (event && !stopped && event.seq > position) {
        handed.set(event.seq, event);
        // A read in flight delivers in order itself; otherwise, if this event follows on, no read.
        if (!running && deliverHanded()) return;
      }
      read();
    },
    async start() {
      position = await log.lastSeq();
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      handed.clear();
      for (const w of waiters.splice(0)) w.resolve();
    },
    reached(seq) {
      if (seq <= position || stopped) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ seq, resolve }));
    },
  };
}
