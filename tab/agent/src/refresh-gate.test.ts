import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { RefreshGate } from './refresh-gate.js';

/** A clock the test moves: timers run when their time is reached. */
class TestClock implements Clock {
  t = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers.delete(id as number);
  };
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.timers].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = end;
  }
}

function gate(everyMs = 1000) {
  const clock = new TestClock();
  const refreshedAt: number[] = [];
  const g = new RefreshGate(() => refreshedAt.push(clock.t), everyMs, clock);
  return { clock, refreshedAt, g };
}

describe('refresh gate of a list view', () => {
  it('refreshes when first shown, at once on a change after a quiet spell', () => {
    const { clock, refreshedAt, g } = gate();
    g.show(true);
    expect(refreshedAt).toEqual([0]);
    clock.advance(5000);
    g.changed();
    expect(refreshedAt).toEqual([0, 5000]);
  });

  it('keeps refreshing once per interval while changes never stop, and once after the last', () => {
    const { clock, refreshedAt, g } = gate();
    g.show(true);
    // A change every 100 ms for 3.05 s: a debounce would not have refreshed once.
    for (let i = 0; i < 31; i++) {
      g.changed();
      clock.advance(100);
    }
    clock.advance(5000);
    expect(refreshedAt).toEqual([0, 1000, 2000, 3000, 4000]);
  });

  it('does nothing while hidden, and refreshes once when shown again if anything changed', () => {
    const { clock, refreshedAt, g } = gate();
    g.show(true);
    g.show(false);
    for (let i = 0; i < 50; i++) {
      g.changed();
      clock.advance(100);
    }
    expect(refreshedAt).toEqual([0]);
    g.show(true);
    expect(refreshedAt).toEqual([0, 5000]);
    g.show(false);
    g.show(true); // nothing changed meanwhile
    expect(refreshedAt).toEqual([0, 5000]);
  });

  it('drops a pending refresh when hidden, and refreshes at once when asked to', () => {
    const { clock, refreshedAt, g } = gate();
    g.show(true);
    g.changed(); // within the interval: pending
    g.show(false);
    clock.advance(2000);
    expect(refreshedAt).toEqual([0]);
    g.show(true);
    expect(refreshedAt).toEqual([0, 2000]);
    g.now();
    expect(refreshedAt).toEqual([0, 2000, 2000]);
    g.changed(); // the explicit refresh counts: the next waits its interval
    clock.advance(999);
    expect(refreshedAt).toHaveLength(3);
    clock.advance(1);
    expect(refreshedAt).toEqual([0, 2000, 2000, 3000]);
    g.show(false); // unmounted
    g.changed();
    clock.advance(5000);
    expect(refreshedAt).toHaveLength(4);
  });
});
