import type { DomainError } from '../../domain/errors.js';
import { storeUnavailable } from '../port.js';
import type { Datafile } from './datafile.js';

// Every write to the embedded store used to be its own `write(2)`: fifteen a customer message and
// the bot's reply, about a quarter of a round trip's CPU with fifty conversations (run with the
// writes left out, the same bench did 20–40 % more round trips). Writes now stage their lines per
// datafile, and the lines of everything that ran in one event-loop turn go to the OS together at
// the turn's end (`setImmediate`; at `process.nextTick` each bot turn ran to its end between
// flushes and no two shared one). Nothing is answered before: an operation — a read too, since it
// may have seen a staged change — settles only after the lines it could depend on are in the OS,
// which is what a SIGKILL cannot take back. See docs/decisions/0019-message-path-cost.md.

/**
 * The store's group commit. A failed flush leaves memory ahead of the files, so the store then
 * refuses every operation (fail-stop, as a database does when its log cannot be written) until the
 * process restarts and reloads what the files hold; the operations of that batch are rejected.
 */
export class GroupCommit {
  private readonly staged = new Set<Datafile>();
  // A waiter is its promise's own resolve and reject with the value, no closure: under tsx every
  // named closure made per call also costs a `name` property definition (esbuild's keepNames).
  private waiters: Array<{
    resolve: (value: unknown) => void;
    reject: (e: unknown) => void;
    value: unknown;
  }> = [];
  private scheduled = false;
  private broken: DomainError | null = null;

  /** Told once, when a flush fails and the store stops. */
  constructor(private readonly onFailure?: (failure: DomainError) => void) {}

  /** Why the store refuses every operation, or null while it works. */
  get failure(): DomainError | null {
    return this.broken;
  }

  /** Throws once a flush has failed: memory may hold what the files do not. */
  assertUsable(): void {
    if (this.broken) throw this.broken;
  }

  /** `datafile` has lines to hand to the OS with this batch. */
  stage(datafile: Datafile): void {
    this.staged.add(datafile);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** `value` once every staged line is in the OS: at once when nothing is staged. */
  settle<R>(value: R): R | Promise<R> {
    if (this.staged.size === 0) return value;
    return new Promise<R>((resolve, reject) => {
      this.waiters.push({ resolve: resolve as (value: unknown) => void, reject, value });
    });
  }

  /** Hands every staged line to the OS now, then settles the waiting operations. */
  flush(): void {
    this.scheduled = false;
    // Once broken, the files keep what they had: a rejected write must not reach them later.
    if (this.broken) return;
    const waiters = this.waiters;
    this.waiters = [];
    try {
      for (const datafile of this.staged) datafile.flush();
      this.staged.clear();
    } catch (e) {
      // 503, not a 500: nothing is wrong with the request, and the server says so on /api/health.
      this.broken = storeUnavailable(
        `The embedded store could not write its files and refuses further operations until restarted: ${String(e)}`,
        e,
      );
      for (const w of waiters) w.reject(this.broken);
      this.onFailure?.(this.broken);
      return;
    }
    for (const w of waiters) w.resolve(w.value);
  }
}
