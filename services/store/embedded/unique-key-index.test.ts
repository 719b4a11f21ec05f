import { describe, expect, it } from 'vitest';
import { UniqueKeyIndex } from './unique-key-index.js';

type Line = { c: string; seq: number };

/** The first level of a compound index: one entry per value of its first field. */
const firstLevelSize = (index: UniqueKeyIndex<Line>) =>
  (index as unknown as { byKey: { root: { size: number } } }).byKey.root.size;

describe('UniqueKeyIndex', () => {
  it('keeps a compound key as nested levels, and drops a level once its last document goes', () => {
    const index = new UniqueKeyIndex<Line>(['c', 'seq'], false);
    const docs = ['a', 'b', 'c'].flatMap((c) => [1, 2, 3].map((seq) => ({ c, seq })));
    for (const doc of docs) index.set(index.keyOf(doc), doc);
    expect(firstLevelSize(index)).toBe(3);
    // Every line of 'b' deleted: its level goes, the others keep theirs.
    for (const doc of docs.filter((d) => d.c === 'b')) index.delete(index.keyOf(doc), doc);
    expect(firstLevelSize(index)).toBe(2);
    for (const doc of docs) {
      expect(index.holder(index.keyOf(doc))).toBe(doc.c === 'b' ? undefined : doc);
    }
    // A key whose holder is another document is not deleted by this one.
    const other = { c: 'a', seq: 1 };
    index.delete(index.keyOf(other), other);
    expect(index.holder(index.keyOf(other))).toBe(docs[0]);
  });

  it('tells the same key from equal parts, and an update that keeps its key replaces in place', () => {
    const index = new UniqueKeyIndex<Line>(['c', 'seq'], false);
    const before = { c: 'a', seq: 1 };
    index.set(index.keyOf(before), before);
    const after = { ...before };
    expect(index.sameKey(index.keyOf(before), index.keyOf(after))).toBe(true);
    expect(index.sameKey(index.keyOf(before), index.keyOf({ c: 'a', seq: 2 }))).toBe(false);
    index.replace(index.keyOf(after), after);
    expect(index.holder(index.keyOf(before))).toBe(after);
  });
});

describe('UniqueKeyIndex by its first field', () => {
  type Row = { c: unknown; seq: number; n?: number };
  const index = (fields = ['c', 'seq']) => new UniqueKeyIndex<Row>(fields, false);

  it("finds a compound index's documents by their first field alone, in the order stored", () => {
    const ix = index();
    const rows: Row[] = [
      { c: 'a', seq: 2 },
      { c: 'b', seq: 1 },
      { c: 'a', seq: 1 },
      { c: 0, seq: 1 },
    ];
    for (const row of rows) ix.set(ix.keyOf(row), row);
    expect(ix.lookupFirst(['a'])).toEqual([rows[0], rows[2]]);
    expect(ix.countFirst(['a'])).toBe(2);
    // Several values, each once; 0 and -0 are one value (as in MongoDB); a string is not a number.
    expect(ix.lookupFirst(['b', 'a', 'a'])).toEqual([rows[1], rows[0], rows[2]]);
    expect(ix.lookupFirst([0, -0, '0'])).toEqual([rows[3]]);
    expect(ix.countFirst([0, -0, '0', 'zz'])).toBe(1);
    expect(ix.lookupFirst([null, { x: 1 }])).toEqual([]);
    ix.delete(ix.keyOf(rows[0]!), rows[0]!);
    expect(ix.lookupFirst(['a'])).toEqual([rows[2]]);
  });

  it('reaches documents three levels down', () => {
    const ix = index(['c', 'seq', 'n']);
    const rows: Row[] = [1, 2, 3].map((n) => ({ c: 'a', seq: n % 2, n }));
    for (const row of rows) ix.set(ix.keyOf(row), row);
    expect(ix.lookupFirst(['a'])).toEqual([rows[0], rows[2], rows[1]]);
    expect(ix.countFirst(['a'])).toBe(3);
  });

  it('cannot say for a single-field index, or once a key holds an array (MongoDB matches its elements)', () => {
    expect(new UniqueKeyIndex<Row>(['c'], false).lookupFirst(['a'])).toBeNull();
    const ix = index();
    const row = { c: ['a', 'b'], seq: 1 };
    ix.set(ix.keyOf(row), row);
    expect(ix.lookupFirst(['a'])).toBeNull();
    expect(ix.countFirst(['a'])).toBeNull();
  });
});
