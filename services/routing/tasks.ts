import type { LogEntry } from './types.js';

/** Reports a failure of work nobody awaits, with the conversation it concerns. */
export type Report = (error: unknown, conversationId: string | undefined, msg: string) => void;

export function reporter(log: (entry: LogEntry) => void): Report {
  return (e, conversationId, msg) =>
    log({
      level: 'error',
      msg,
      ...(conversationId ? { conversationId } : {}),
      error: e instanceof Error ? e.message : String(e),
    });
}

/**
 * Work started by timers and listeners that nobody awaits, and whether the router is stopping:
 * `stop` waits for what was started, and nothing new starts after it.
 */
export class BackgroundTasks {
  stopped = false;
  private readonly running = new Set<Promise<unknown>>();

  track(work: Promise<unknown>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  /** Resolves once the work started so far (and whatever it started) has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
