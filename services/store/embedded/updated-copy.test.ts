import { describe, expect, it } from 'vitest';
import { hasFastProperties } from '../../../test/support/v8-layout.js';
import { updatedCopy } from './updated-copy.js';

const stored = () => ({
  _id: 'd1',
  conversationId: 'c1',
  seq: 7,
  owed: true,
  json: '{}',
  nested: { a: 1, b: 2, c: 3 },
  tags: ['x'],
});
const noCheck = () => {};

describe('updatedCopy', () => {
  it('can tell a dictionary from a fast object (the probe works)', () => {
    const o: Record<string, unknown> = stored();
    expect(hasFastProperties(o)).toBe(true);
    delete o.owed;
    expect(hasFastProperties(o)).toBe(false);
  });

  it('takes fields out on the fast path without leaving a dictionary, in their order', () => {
    const before = stored();
    const after = updatedCopy(before, { $unset: { owed: '', 'nested.b': '' } }, noCheck);
    expect(after).toEqual({
      _id: 'd1',
      conversationId: 'c1',
      seq: 7,
      json: '{}',
      nested: { a: 1, c: 3 },
      tags: ['x'],
    });
    expect(Object.keys(after)).toEqual(['_id', 'conversationId', 'seq', 'json', 'nested', 'tags']);
    expect(hasFastProperties(after)).toBe(true);
    expect(hasFastProperties(after.nested)).toBe(true);
    expect(before).toEqual(stored());
    // What the update did not touch is shared, not copied.
    expect(after.tags).toBe(before.tags);
  });

  it('takes fields out through mingo without leaving a dictionary, and checks what mingo wrote', () => {
    const before = stored();
    const checked: object[] = [];
    // `$addToSet` is mingo's: the whole update goes there.
    const after = updatedCopy(
      before,
      { $unset: { owed: '', 'nested.b': '' }, $addToSet: { tags: 'y' } },
      (doc) => checked.push(doc),
    );
    expect(after).toEqual({ ...stored(), owed: undefined, nested: { a: 1, c: 3 }, tags: ['x', 'y'] });
    expect(Object.hasOwn(after, 'owed')).toBe(false);
    expect(hasFastProperties(after)).toBe(true);
    expect(hasFastProperties(after.nested)).toBe(true);
    expect(checked).toEqual([after]);
    expect(before).toEqual(stored());
  });

  it('hands back the stored document itself when mingo changes nothing', () => {
    const before = stored();
    expect(updatedCopy(before, { $addToSet: { tags: 'x' } }, noCheck)).toBe(before);
  });
});
