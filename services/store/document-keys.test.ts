import { describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/index.js';
import { assertStorableDocument, assertStorableUpdate } from './document-keys.js';

function refusal(run: () => void): ValidationError {
  try {
    run();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('field names a store cannot hold', () => {
  it('are refused with the path to them, through objects and arrays', () => {
    const e = refusal(() =>
      assertStorableDocument({ id: 'c1', context: { list: [{ ok: 1 }, { 'a.b': 1 }] } }, 'things'),
    );
    expect(e.code).toBe('store.invalid_field_name');
    expect(e.message).toBe(
      'Cannot store a document in things: field name "a.b" contains "." at context.list[1]',
    );
    expect(e.details).toMatchObject({ collection: 'things', path: 'context.list[1]', key: 'a.b' });
    expect(refusal(() => assertStorableDocument({ $where: 'x' }, 'things')).message).toBe(
      'Cannot store a document in things: field name "$where" starts with "$"',
    );
    expect(refusal(() => assertStorableDocument([{ ok: 1 }, { $x: 1 }], 'things')).message).toMatch(
      / at \[1\]$/,
    );
  });

  it('allow the store’s own _id at the top only, and checked values of an update under their path', () => {
    expect(() => assertStorableDocument({ _id: 'x', a: { b: [1, { c: 2 }] } }, 'things')).not.toThrow();
    expect(refusal(() => assertStorableDocument({ a: { _id: 1, $b: 2 } }, 'things')).message).toMatch(
      /"\$b" starts with "\$" at a$/,
    );
    expect(
      refusal(() => assertStorableUpdate({ $set: { 'context.custom': { 'x.y': 1 } } }, 'things')).message,
    ).toMatch(/at context\.custom$/);
  });
});
