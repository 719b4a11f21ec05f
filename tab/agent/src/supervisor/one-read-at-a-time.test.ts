import { describe, expect, it } from 'vitest';
import { oneReadAtATime } from './one-read-at-a-time.js';

/** A read the test finishes when it chooses. */
function reads() {
  const pending: Array<() => void> = [];
  return {
    started: () => pending.length,
    read: () => new Promise<void>((resolve) => pending.push(resolve)),
    finish: async (i: number) => {
      pending[i]!();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe('oneReadAtATime', () => {
  it('starts no read while one is under way, and one more after it for the changes meanwhile', async () => {
    const r = reads();
    const refresh = oneReadAtATime(r.read);
    refresh();
    refresh();
    refresh();
    refresh();
    expect(r.started()).toBe(1);
    await r.finish(0);
    expect(r.started()).toBe(2);
    await r.finish(1);
    expect(r.started()).toBe(2);
  });

  it('reads again after a failed read too', async () => {
    let calls = 0;
    const refresh = oneReadAtATime(() =>
      ++calls === 1 ? Promise.reject(new Error('503')) : Promise.resolve(),
    );
    refresh();
    refresh();
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(2);
  });
});
