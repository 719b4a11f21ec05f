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
