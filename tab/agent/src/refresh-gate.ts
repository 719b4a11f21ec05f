// When a list view refetches after live events. Every agent's stream hears every move in their
// queues, so at a peak each open dashboard is told of changes many times a second, all at once:
// a debounce (wait for a quiet moment) then never refreshes while it is busy and refreshes every
// dashboard together in the first lull. The gate refreshes at once, then at most once per interval
// while changes keep coming, once more after the last; and not at all while the view is hidden —
// it remembers that something changed and refreshes when the view is shown again.

import { realClock, type Clock } from './clock.js';

export class RefreshGate {
  private shown = false;
  private stale = true;
  private last = -Infinity;
  private timer: unknown = null;

  constructor(
    private readonly refresh: () => void,
    private readonly everyMs: number,
    private readonly clock: Clock = realClock,
  ) {}

  /** Something the view shows may have changed. */
  changed(): void {
    this.stale = true;
    if (!this.shown || this.timer !== null) return;
    const wait = this.last + this.everyMs - this.clock.now();
    if (wait <= 0) this.fire();
    else this.timer = this.clock.setTimeout(() => this.fire(), wait);
  }

  /** The view became visible (refreshes if anything changed meanwhile) or hidden. */
  show(shown: boolean): void {
    this.shown = shown;
    if (shown) {
      if (this.stale) this.changed();
    } else this.cancel();
  }

  /** Refresh now (after the user's own action), and count it as the latest refresh. */
  now(): void {
    this.cancel();
    this.fire();
  }

  private cancel(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.timer = null;
    this.stale = false;
    this.last = this.clock.now();
    this.refresh();
  }
}
