import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance } from './choices.js';

/** Optimal string alignment distance, the whole matrix, no cap: what editDistance must agree with. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

describe('editDistance', () => {
  it('counts slips of the keyboard: a wrong, missing, extra or swapped letter each count one', () => {
    expect(editDistance('billing', 'billing')).toBe(0);
    expect(editDistance('biling', 'billing')).toBe(1);
    expect(editDistance('agnet', 'agent')).toBe(1);
    expect(editDistance('humen', 'human')).toBe(1);
    expect(editDistance('internt', 'internet')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('is the distance up to the cap and cap + 1 beyond it, for any words', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 40 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, cap) => {
        expect(editDistance(a, b, cap)).toBe(Math.min(reference(a, b), cap + 1));
      }),
      { numRuns: 3000, seed: 20261203 },
    );
  });
});
