import fc from 'fast-check';
import { Query, update as mingoUpdate } from 'mingo';
import type { AnyObject } from 'mingo/types';
import { describe, expect, it } from 'vitest';
import { applyFastUpdate, compileFastFilter } from '../../services/store/embedded/fast-path.js';

// The embedded store decides simple filters and updates without mingo; wherever the fast path
// gives an answer it must be MongoDB's (mingo's) answer.
const scalar = fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: -2, max: 2 }), fc.boolean());
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  fc.constant(null),
  fc.record({ k: scalar }, { noNullPrototype: true }),
);
const dateValue = fc.integer({ min: 0, max: 3 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)));
const doc = fc.record(
  {
    id: fc.constantFrom('x', 'y'),
    s: value,
    n: value,
    at: fc.oneof(dateValue, scalar),
    o: fc.oneof(
      fc.record({ k: value }, { noNullPrototype: true }),
      fc.array(fc.record({ k: scalar }, { noNullPrototype: true }), { maxLength: 2 }),
    ),
  },
  { requiredKeys: ['id'], noNullPrototype: true },
);
const path = fc.constantFrom('id', 's', 'n', 'at', 'o.k', 'missing');
const condition = fc.oneof(
  scalar,
  fc.record({ $eq: scalar }, { noNullPrototype: true }),
  fc.record({ $ne: scalar }, { noNullPrototype: true }),
  fc.record({ $in: fc.array(scalar, { maxLength: 3 }) }, { noNullPrototype: true }),
  fc.record({ $nin: fc.array(scalar, { maxLength: 3 }) }, { noNullPrototype: true }),
  fc.record({ $lte: fc.integer({ min: -2, max: 2 }) }, { noNullPrototype: true }),
  fc.record(
    { $gt: fc.integer({ min: -2, max: 2 }), $lt: fc.integer({ min: -2, max: 3 }) },
    { noNullPrototype: true },
  ),
  dateValue,
  fc.record({ $gt: fc.constantFrom('a', 'b', 'c') }, { noNullPrototype: true }),
  fc.record({ $lte: dateValue }, { noNullPrototype: true }),
  fc.record({ $gte: dateValue, $lt: dateValue }, { noNullPrototype: true }),
  fc.record({ $exists: fc.boolean() }, { noNullPrototype: true }),
);
const fields = (maxKeys: number) => fc.dictionary(path, condition, { maxKeys, noNullPrototype: true });
const logical = fc.record(
  { op: fc.constantFrom('$or', '$and'), branches: fc.array(fields(2), { minLength: 1, maxLength: 3 }) },
  { noNullPrototype: true },
);
const filter = fc
  .tuple(fields(3), fc.option(logical, { nil: undefined }))
  .map(([f, l]) => (l ? { ...f, [l.op]: l.branches } : f));

const updateSpec = fc.record(
  {
    $set: fc.dictionary(fc.constantFrom('s', 'n', 'o.k', 'o.j', 'fresh.deep'), value, {
      maxKeys: 2,
      noNullPrototype: true,
    }),
    $inc: fc.dictionary(fc.constantFrom('n', 'count', 'o.n'), fc.integer({ min: -3, max: 3 }), {
      maxKeys: 1,
      noNullPrototype: true,
    }),
    $unset: fc.dictionary(fc.constantFrom('s', 'o.k'), fc.constant('' as const), {
      maxKeys: 1,
      noNullPrototype: true,
    }),
    $max: fc.dictionary(
      fc.constantFrom('n', 'at', 'fresh'),
      fc.oneof(fc.integer({ min: -2, max: 2 }), dateValue),
      {
        maxKeys: 1,
        noNullPrototype: true,
      },
    ),
    $min: fc.dictionary(fc.constantFrom('s', 'at'), fc.oneof(fc.integer({ min: -2, max: 2 }), dateValue), {
      maxKeys: 1,
      noNullPrototype: true,
    }),
    $push: fc.dictionary(
      fc.constantFrom('list', 'n', 's'),
      fc.oneof(
        scalar,
        fc.record(
          // $slice 0 is left out: MongoDB empties the array, mingo 7 does not.
          {
            $each: fc.array(scalar, { maxLength: 3 }),
            $slice: fc.integer({ min: -3, max: 3 }).filter((n) => n !== 0),
          },
          { requiredKeys: ['$each'], noNullPrototype: true },
        ),
      ),
      { maxKeys: 1, noNullPrototype: true },
    ),
  },
  { requiredKeys: [], noNullPrototype: true },
);

describe('embedded fast path', () => {
  it('matches exactly as mingo does whenever it decides', () => {
    fc.assert(
      fc.property(doc, filter, (d, f) => {
        const fast = compileFastFilter(f);
        const decided = fast?.(d);
        if (decided !== undefined) expect(decided).toBe(new Query(f as AnyObject).test(d));
      }),
      { numRuns: 2000 },
    );
  });

  it('decides date bounds and $exists itself (the sweeps scan thousands with them)', () => {
    const day = (d: number) => new Date(Date.UTC(2026, 0, d));
    const expired = compileFastFilter({ status: 'offered', expiresAt: { $lte: day(2) } })!;
    expect(expired({ status: 'offered', expiresAt: day(1) })).toBe(true);
    expect(expired({ status: 'offered', expiresAt: day(2) })).toBe(true);
    expect(expired({ status: 'offered', expiresAt: day(3) })).toBe(false);
    expect(expired({ status: 'offered' })).toBe(false);
    const quiet = compileFastFilter({ at: { $gte: day(1), $lt: day(3) } })!;
    expect([day(0), day(1), day(2), day(3)].map((at) => quiet({ at }))).toEqual([false, true, true, false]);
    const outbox = compileFastFilter({ 'outbox.id': { $exists: true } })!;
    expect(outbox({ outbox: { id: 'o1' } })).toBe(true);
    expect(outbox({ key: 'k' })).toBe(false);
    expect(compileFastFilter({ 'outbox.id': { $exists: false } })!({ outbox: 3 })).toBe(true);
  });

  it("decides a paging cursor's $or itself", () => {
    const day = (d: number) => new Date(Date.UTC(2026, 0, d));
    const after = compileFastFilter({
      phase: { $in: ['helping', 'new'] },
      quietSince: { $lt: day(9) },
      $or: [{ quietSince: { $gt: day(2) } }, { quietSince: day(2), key: { $gt: 'b' } }],
    })!;
    expect(after({ phase: 'helping', quietSince: day(3), key: 'a' })).toBe(true);
    expect(after({ phase: 'helping', quietSince: day(1), key: 'z' })).toBe(false);
    expect(after({ phase: 'done', quietSince: day(3), key: 'a' })).toBe(false);
  });

  it('updates exactly as mingo does whenever it applies', () => {
    fc.assert(
      fc.property(doc, updateSpec, (d, u) => {
        // Conflicting paths are an error in MongoDB; do not generate them.
        const paths = Object.values(u).flatMap((fields) => Object.keys(fields ?? {}));
        fc.pre(new Set(paths).size === paths.length);
        // mingo 7 ignores $slice when the array does not exist yet; MongoDB (and the fast path) apply it.
        for (const [field, arg] of Object.entries(u.$push ?? {})) {
          fc.pre(!(typeof arg === 'object' && arg !== null && '$slice' in arg && !(field in d)));
        }
        const original = structuredClone(d) as Record<string, unknown>;
        const fastDoc = applyFastUpdate(original, u as Record<string, Record<string, unknown>>);
        // The document given is never changed: stored documents share their untouched parts.
        expect(original).toEqual(d);
        if (!fastDoc) return;
        const slowDoc = structuredClone(d) as AnyObject;
        try {
          mingoUpdate(slowDoc, u as AnyObject);
        } catch {
          return; // mingo refuses (e.g. $inc on a non-number reached through a path); nothing to compare.
        }
        expect(fastDoc).toEqual(slowDoc);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves two operators on one path, or on a path and its parent, to mingo', () => {
    const doc = { o: { k: 1, n: 2 } };
    expect(applyFastUpdate(doc, { $set: { o: { k: 5 } }, $inc: { 'o.n': 1 } })).toBeNull();
    expect(applyFastUpdate(doc, { $inc: { 'o.n': 1 }, $set: { o: { k: 5 } } })).toBeNull();
    expect(applyFastUpdate(doc, { $set: { 'o.k': 3 }, $unset: { 'o.k': '' } })).toBeNull();
    // Siblings under one parent are not a conflict.
    expect(applyFastUpdate(doc, { $set: { 'o.k': 3 }, $inc: { 'o.n': 1 } })).toEqual({ o: { k: 3, n: 3 } });
    expect(doc).toEqual({ o: { k: 1, n: 2 } });
  });
});
