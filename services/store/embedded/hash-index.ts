// Non-unique lookups for the embedded store. NeDB keeps the documents of one index key in an array,
// so every update of a document under a popular key (all conversations of a queue, all closed
// ones) is linear in that key's size. A Map of Sets makes add and remove constant time; NeDB's own
// indexes are kept for unique constraints, where each key holds one document.

import { InsertionOrderedMap, ShardedMap } from './sharded-map.js';

type Raw = Record<string, unknown>;

/** A Map key: a string, or a number (a Map keeps `5` and `'5'` apart). */
export type IndexKey = string | number;

/**
 * A stable map key for the scalar values an equality filter can name; `null` for anything else.
 * A string or a number is its own key, so the key is the stored value itself: no new string per
 * write or lookup (a string's hash is computed once and kept on it; a number is hashed as is),
 * none kept per document by the unique indexes. Booleans and dates are tagged strings after a
 * \u0001, and so is a string that starts with one, so no two values share a key. Numbers meet as
 * MongoDB's do: 0 and -0, and NaN with NaN, are one key (a Map's SameValueZero).
 */
export function hashKey(value: unknown): IndexKey | null {
  switch (typeof value) {
    case 'string':
      return value.charCodeAt(0) === 1 ? `\u0001s${value}` : value;
    case 'number':
      return value;
    case 'boolean':
      return value ? '\u0001T' : '\u0001F';
    default:
      return value instanceof Date ? `\u0001d${value.getTime()}` : null;
  }
}

/** Every scalar a dotted path reaches, fanning out through arrays as MongoDB does. */
function valuesAt(node: unknown, parts: string[], i: number, out: unknown[]): void {
  if (Array.isArray(node)) {
    for (const item of node) valuesAt(item, parts, i, out);
    return;
  }
  if (i === parts.length) {
    out.push(node);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  valuesAt((node as Raw)[parts[i]!], parts, i + 1, out);
}

/**
 * The documents under one key: the document itself while it is the only one, a Set from the second
 * on. Many indexed fields are near unique (a message's activity id, a session's conversation, an
 * activity's creation time): a Set for each of those was about 150 bytes of heap per document.
 * Others have a few values shared by ever more documents (every event of a type, every closed
 * conversation): a Set grows by rehashing all its members in one step (158 ms at a million), so
 * past BIG_BUCKET they move to an InsertionOrderedMap by `_id`, which never does and keeps their
 * order. Documents are plain objects, never Sets or maps.
 */
type Bucket<D extends Doc> = D | Set<D> | InsertionOrderedMap<D>;

type Doc = { _id: string };

const BIG_BUCKET = 4096;

const idOf = (doc: Doc) => doc._id;

function members<D extends Doc>(bucket: Set<D> | InsertionOrderedMap<D>): Iterable<D> {
  return bucket instanceof Set ? bucket : bucket.values();
}

export class HashIndex<D extends Doc = Raw & Doc> {
  private readonly byKey = new ShardedMap<Bucket<D>>();
  private readonly parts: string[];

  constructor(readonly field: string) {
    this.parts = field.split('.');
  }

  private keysOf(doc: D): IndexKey[] {
    // The common case first: a path of plain objects ending at one scalar.
    let node: unknown = doc;
    for (const part of this.parts) {
      if (Array.isArray(node)) return this.fannedOutKeys(doc);
      if (node === null || typeof node !== 'object') return [];
      node = (node as Raw)[part];
    }
    if (Array.isArray(node)) return this.fannedOutKeys(doc);
    const k = hashKey(node);
    return k === null ? [] : [k];
  }

  private fannedOutKeys(doc: D): IndexKey[] {
    const values: unknown[] = [];
    valuesAt(doc, this.parts, 0, values);
    const keys = new Set<IndexKey>();
    for (const v of values) {
      const k = hashKey(v);
      if (k !== null) keys.add(k);
    }
    return [...keys];
  }

  add(doc: D): void {
    for (const k of this.keysOf(doc)) {
      const bucket = this.byKey.get(k);
      if (bucket === undefined) this.byKey.set(k, doc);
      else if (bucket instanceof Set) {
        bucket.add(doc);
        if (bucket.size >= BIG_BUCKET) {
          const big = new InsertionOrderedMap<D>(idOf);
          for (const member of bucket) big.set(member._id, member);
          this.byKey.set(k, big);
        }
      } else if (bucket instanceof InsertionOrderedMap) bucket.set(doc._id, doc);
      else if (bucket !== doc) this.byKey.set(k, new Set([bucket, doc]));
    }
  }

  remove(doc: D): void {
    for (const k of this.keysOf(doc)) {
      const bucket = this.byKey.get(k);
      if (
        bucket === doc ||
        (bucket instanceof Set && bucket.delete(doc) && bucket.size === 0) ||
        (bucket instanceof InsertionOrderedMap && bucket.delete(doc._id) && bucket.size === 0)
      )
        this.byKey.delete(k);
    }
  }

  /** Puts `after` where `before` was (the same document, updated). */
  replace(before: D, after: D): void {
    const was = this.keysOf(before);
    const now = this.keysOf(after);
    if (was.length === 1 && now.length === 1 && was[0] === now[0]) {
      const bucket = this.byKey.get(was[0]!);
      if (bucket === before) {
        this.byKey.set(was[0]!, after);
        return;
      }
      if (bucket instanceof Set && bucket.delete(before)) {
        bucket.add(after);
        return;
      }
      if (bucket instanceof InsertionOrderedMap && bucket.has(before._id)) {
        bucket.set(after._id, after);
        return;
      }
    }
    this.remove(before);
    this.add(after);
  }

  /** Documents whose field equals (or, for arrays, contains) one of `values`. */
  lookup(values: unknown[]): D[] {
    if (values.length === 1) {
      const k = hashKey(values[0]);
      const bucket = k === null ? undefined : this.byKey.get(k);
      if (bucket === undefined) return [];
      return bucket instanceof Set || bucket instanceof InsertionOrderedMap ? [...members(bucket)] : [bucket];
    }
    const out = new Set<D>();
    for (const v of values) {
      const k = hashKey(v);
      const bucket = k === null ? undefined : this.byKey.get(k);
      if (bucket instanceof Set || bucket instanceof InsertionOrderedMap)
        for (const doc of members(bucket)) out.add(doc);
      else if (bucket !== undefined) out.add(bucket);
    }
    return [...out];
  }

  /** How many documents a lookup would return, without building the list. */
  size(values: unknown[]): number {
    let n = 0;
    for (const v of values) {
      const k = hashKey(v);
      const bucket = k === null ? undefined : this.byKey.get(k);
      if (bucket !== undefined)
        n += bucket instanceof Set || bucket instanceof InsertionOrderedMap ? bucket.size : 1;
    }
    return n;
  }
}
