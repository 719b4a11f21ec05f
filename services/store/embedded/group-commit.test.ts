import { describe, expect, it } from 'vitest';
import type { Datafile } from './datafile.js';
import { GroupCommit } from './group-commit.js';

/** A datafile that counts its flushes, or fails them. */
function datafile(fail?: Error): Datafile & { flushes: number } {
  const file = {
    flushes: 0,
    flush() {
      file.flushes += 1;
      if (fail) throw fail;
    },
  };
  return file as unknown as Datafile & { flushes: number };
}

describe('group commit', () => {
  it('settles at once when nothing is staged, and after one flush per datafile otherwise', async () => {
    const group = new GroupCommit();
    expect(group.settle('now')).toBe('now');
    const a = datafile();
    const b = datafile();
    group.stage(a);
    group.stage(b);
    group.stage(a);
    const settled = await Promise.all([group.settle(1), group.settle(2)]);
    expect(settled).toEqual([1, 2]);
    expect([a.flushes, b.flushes]).toEqual([1, 1]);
    expect(group.settle('quiet again')).toBe('quiet again');
  });

  it('rejects the batch whose flush failed and refuses every operation after it', async () => {
    const told: unknown[] = [];
    const group = new GroupCommit((failure) => told.push(failure));
    expect(group.failure).toBeNull();
    const full = datafile(new Error('ENOSPC: no space left on device'));
    group.stage(full);
    const waiting = group.settle('never acknowledged');
    await expect(waiting).rejects.toThrow(/could not write its files.*ENOSPC/);
    // Not the caller's mistake nor a bug: a 503 with a stable code, and the operator is told once.
    await expect(waiting).rejects.toMatchObject({ code: 'store.unavailable', kind: 'unavailable' });
    expect(told).toEqual([group.failure]);
    expect(() => group.assertUsable()).toThrow(/refuses further operations until restarted/);
    // Closing flushes once more: what was rejected must not reach the file afterwards.
    group.flush();
    expect(full.flushes).toBe(1);
  });
});
