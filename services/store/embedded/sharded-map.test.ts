import { describe, expect, it } from 'vitest';
import { InsertionOrderedMap, ShardedMap } from './sharded-map.js';

/** A small deterministic generator, so a failure repeats. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

describe('ShardedMap and InsertionOrderedMap', () => {
  it('answer as a Map does through 60,000 random sets and deletes, in a Map’s iteration order', () => {
    const next = random(7);
    type Entry = { key: string; i: number };
    const model = new Map<string, Entry>();
    const sharded = new ShardedMap<Entry>();
    const ordered = new InsertionOrderedMap<Entry>((e) => e.key);
    for (let i = 0; i < 60_000; i++) {
      // Few distinct keys, so keys are deleted, set again, and deletes pile up past the copy; more
      // than one chunk of the order's.
      const key = `k${Math.floor(next() * 12_000)}`;
      if (next() < 0.45) {
        expect(ordered.delete(key)).toBe(model.delete(key));
        sharded.delete(key);
      } else {
        const entry = { key, i };
        // A new key goes in by `add` half the time (an insert's path), else by `set`.
        if (!model.has(key) && i % 2 === 0) ordered.add(key, entry);
        else ordered.set(key, entry);
        model.set(key, entry);
        sharded.set(key, entry);
      }
      expect(sharded.get(key)).toBe(model.get(key));
      expect(ordered.has(key)).toBe(model.has(key));
    }
    expect(sharded.size).toBe(model.size);
    expect(ordered.size).toBe(model.size);
    expect([...ordered.values()]).toEqual([...model.values()]);
  });

  it('spreads sequential and random-suffixed keys over its parts', () => {
    const sizes = (keys: string[]) => {
      const m = new ShardedMap<number>();
      for (const k of keys) m.set(k, 1);
      return (m as unknown as { parts: Array<Map<string, number>> }).parts.map((p) => p.size);
    };
    const sequential = sizes(Array.from({ length: 64_000 }, (_, i) => `n${i}`));
    const ids = sizes(Array.from({ length: 64_000 }, (_, i) => `msg_${(i * 2654435761).toString(36)}`));
    // 1,000 a part if even; no part over three times that.
    expect(Math.max(...sequential)).toBeLessThan(3000);
    expect(Math.max(...ids)).toBeLessThan(3000);
  });

  it('skips what is deleted while it iterates, and copies the order without it only after', () => {
    type Entry = { key: string; i: number };
    const m = new InsertionOrderedMap<Entry>((e) => e.key);
    for (let i = 0; i < 3000; i++) m.set(`k${i}`, { key: `k${i}`, i });
    const seen: number[] = [];
    for (const v of m.values()) {
      seen.push(v.i);
      // Deleting the 2,000 not yet visited (past the copy threshold) skips them, as a Map would;
      // a key set meanwhile is visited, and an update seen, as a Map's would be.
      if (v.i === 999) {
        for (let i = 1000; i < 3000; i++) m.delete(`k${i}`);
        m.set('k0', { key: 'k0', i: -1 });
        m.set('late', { key: 'late', i: 3000 });
      }
    }
    expect(seen).toEqual([...Array.from({ length: 1000 }, (_, i) => i), 3000]);
    // The copy made after the iteration keeps every key's place.
    expect([...m.values()].map((v) => v.i)).toEqual([
      -1,
      ...Array.from({ length: 999 }, (_, i) => i + 1),
      3000,
    ]);
    for (let i = 1; i < 1000; i++) m.set(`k${i}`, { key: `k${i}`, i: i * 10 });
    m.delete('k1');
    expect(m.has('k1')).toBe(false);
    expect(m.size).toBe(1000);
    expect([...m.values()].slice(0, 3).map((v) => v.i)).toEqual([-1, 20, 30]);
  });
});
