import fc from 'fast-check';
import { Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import type { SortSpec } from '../../services/store/index.js';
import { sortNatively } from '../../services/store/embedded/sort-order.js';

// The embedded store sorts natively where it can; wherever it does, the order must be mingo's
// (which the store followed before, and which follows MongoDB's): same documents, same order, ties
// included, with or without a bound on how many are kept.

const date = fc.integer({ min: 0, max: 4 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)));
const sortable = fc.oneof(
  fc.constantFrom('a', 'b', 'B', 'é', ''),
  fc.integer({ min: -3, max: 3 }),
  fc.double({ min: -2, max: 2, noNaN: true }).filter((x) => !Object.is(x, -0)),
  fc.boolean(),
  fc.constant(null),
  date,
);
const anything = fc.oneof(sortable, fc.array(sortable, { maxLength: 2 }), fc.constant(Number.NaN));
// Each document numbered, so a tie put out of input order shows.
const docs = (value: fc.Arbitrary<unknown>, maxLength: number) =>
  fc
    .array(
      fc.record(
        { k: value, j: value, o: fc.oneof(fc.record({ k: value }, { noNullPrototype: true }), value) },
        { requiredKeys: [], noNullPrototype: true },
      ),
      { maxLength },
    )
    .map((ds) => ds.map((d, n) => ({ ...d, n })));
const spec = fc
  .uniqueArray(fc.constantFrom('k', 'j', 'o.k', 'missing'), { minLength: 1, maxLength: 3 })
  .chain((fields) =>
    fc.tuple(...fields.map(() => fc.constantFrom<1 | -1>(1, -1))).map((dirs) => {
      const s: SortSpec = {};
      fields.forEach((f, i) => (s[f] = dirs[i]!));
      return s;
    }),
  );

const mingoSorted = <T extends object>(docs: T[], s: SortSpec): T[] =>
  new Query({}).find<T>(docs).sort(s).all();

describe('native sort of the embedded store', () => {
  it('orders exactly as mingo does, ties in input order, also when keeping only the first few', () => {
    fc.assert(
      fc.property(docs(sortable, 40), spec, fc.nat(12), (ds, s, keep) => {
        const expected = mingoSorted(ds, s);
        expect(sortNatively(ds, s)).toEqual(expected);
        expect(sortNatively(ds, s, keep)).toEqual(expected.slice(0, keep));
      }),
      { numRuns: 500 },
    );
  });

  it('declines (null) what it cannot order like mingo, and is never wrong where it answers', () => {
    let declined = 0;
    fc.assert(
      fc.property(docs(anything, 12), spec, (ds, s) => {
        const native = sortNatively(ds, s);
        if (native === null) declined += 1;
        else expect(native).toEqual(mingoSorted(ds, s));
      }),
      { numRuns: 300 },
    );
    expect(declined).toBeGreaterThan(0);
  });
});
