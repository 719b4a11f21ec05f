import { describe, expect, it } from 'vitest';
import { newIdempotencyKey, sendOnce } from './send-once.js';

class Failure extends Error {
  constructor(readonly status: number) {
    super(`status ${status}`);
  }
}
const inDoubt = (err: unknown) => err instanceof TypeError || (err instanceof Failure && err.status === 503);

/** An attempt that fails with each of `failures` in turn, then answers. */
function attempts(failures: Error[]) {
  let calls = 0;
  return {
    calls: () => calls,
    run: async () => {
      calls += 1;
      const failure = failures.shift();
      if (failure) throw failure;
      return 'stored';
    },
  };
}

describe('sendOnce', () => {
  it('sends again after 1, 2, 4 s while the failure leaves open whether it was stored', async () => {
    const waits: number[] = [];
    const a = attempts([
      new TypeError('Failed to fetch'),
      new Failure(503),
      new TypeError('Failed to fetch'),
    ]);
    await expect(sendOnce(a.run, inDoubt, async (ms) => void waits.push(ms))).resolves.toBe('stored');
    expect(a.calls()).toBe(4);
    expect(waits).toEqual([1000, 2000, 4000]);
  });

  it('lets a refusal through at once', async () => {
    const a = attempts([new Failure(400)]);
    await expect(sendOnce(a.run, inDoubt, async () => {})).rejects.toMatchObject({ status: 400 });
    expect(a.calls()).toBe(1);
  });

  it('gives up after half a minute of waiting', async () => {
    const waits: number[] = [];
    const a = attempts(Array.from({ length: 20 }, () => new Failure(503)));
    await expect(sendOnce(a.run, inDoubt, async (ms) => void waits.push(ms))).rejects.toMatchObject({
      status: 503,
    });
    // 1 + 2 + 4 + 8 + 8 = 23 s; the next 8 s would pass 30.
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(a.calls()).toBe(6);
  });

  it('makes a new random key each time', () => {
    const keys = new Set(Array.from({ length: 100 }, newIdempotencyKey));
    expect(keys.size).toBe(100);
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{32}$/);
  });
});
