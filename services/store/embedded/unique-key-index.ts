// Unique indexes for the embedded store, single-field ({ id }, { seq }) and compound
// ({ conversationId, seq } on messages and on the Direct Line channel's activities): Maps from the
// key to its document. NeDB kept each in an AVL tree compared through its generic comparator on
// every insert and update — the most expensive index work on a customer message's path (ADR 0019).
// A write checks, writes and records in one synchronous step, so nothing comes in between.

import { hashKey, type IndexKey } from './hash-index.js';
import { ShardedMap } from './sharded-map.js';

type Raw = Record<string, unknown>;

function valueAt(doc: Raw, path: readonly string[]): unknown {
  let node: unknown = doc;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Raw)[part];
  }
  return node;
}

/** Scalars and dates as the hash indexes key them; a missing field or null as MongoDB does (null). */
function keyPart(value: unknown): IndexKey {
  if (value === undefined || value === null) return '\u0001z';
  // Arrays and sub-documents are compared whole (MongoDB would index each array element; no
  // unique index here holds one).
  return hashKey(value) ?? `\u0001j${JSON.stringify(value)}`;
}

function isOpaquePart(part: IndexKey): boolean {
  return typeof part === 'string' && part.startsWith('\u0001j');
}

/**
 * A document's key: its one field's key part, or the parts of several fields in the index's order.
 * A compound key is never joined into one string: the parts key nested Maps (a conversation's
 * messages by `seq` under its id), so nothing is built or kept per document but the entries.
 */
export type UniqueKey = IndexKey | readonly IndexKey[];

interface MapLike<V> {
  get(key: IndexKey): V | undefined;
  set(key: IndexKey, value: V): unknown;
  delete(key: IndexKey): boolean;
  readonly size: number;
}

/**
 * Keys to values, a level of Maps per field: the first level is `root` (split in parts when it
 * may grow large), the levels under it plain Maps, dropped once empty.
 */
class KeyTree<V> {
  constructor(private readonly root: MapLike<unknown>) {}

  get(key: UniqueKey): V | undefined {
    if (!Array.isArray(key)) return this.root.get(key as IndexKey) as V | undefined;
    let node = this.root.get(key[0]!);
    for (let i = 1; i < key.length && node !== undefined; i++)
      node = (node as Map<IndexKey, unknown>).get(key[i]!);
    return node as V | undefined;
  }

  set(key: UniqueKey, value: V): void {
    if (!Array.isArray(key)) {
      this.root.set(key as IndexKey, value);
      return;
    }
    let map: MapLike<unknown> = this.root;
    for (let i = 0; i < key.length - 1; i++) {
      let next = map.get(key[i]!) as Map<IndexKey, unknown> | undefined;
      if (next === undefined) map.set(key[i]!, (next = new Map()));
      map = next;
    }
    map.set(key.at(-1)!, value);
  }

  /** What the first level holds under `first`: a value, or (compound keys) the level under it. */
  under(first: IndexKey): unknown {
    return this.root.get(first);
  }

  delete(key: UniqueKey): void {
    if (!Array.isArray(key)) {
      this.root.delete(key as IndexKey);
      return;
    }
    const path: Array<MapLike<unknown>> = [this.root];
    for (let i = 0; i < key.length - 1; i++) {
      const next = path[i]!.get(key[i]!) as Map<IndexKey, unknown> | undefined;
      if (next === undefined) return;
      path.push(next);
    }
    path.at(-1)!.delete(key.at(-1)!);
    for (let i = path.length - 1; i > 0 && path[i]!.size === 0; i--) path[i - 1]!.delete(key[i - 1]!);
  }
}

/** Keys met so far among the documents of one write (a batch may not repeat a key either). */
export class KeysSeen {
  private readonly tree = new KeyTree<true>(new Map());

  /** False when `key` was met before; null keys (left out of a sparse index) are never met. */
  add(key: UniqueKey | null): boolean {
    if (key === null) return true;
    if (this.tree.get(key)) return false;
    this.tree.set(key, true);
    return true;
  }
}

export class UniqueKeyIndex<D extends object = Raw> {
  private readonly byKey = new KeyTree<D>(new ShardedMap());
  /** Documents whose key has a whole array or sub-document in it (see keyPart). */
  private opaque = 0;

  private readonly paths: string[][];
  /** Lookups answer only for top-level fields (see `lookupTuple`). */
  private readonly topLevel: boolean;

  constructor(
    readonly fields: string[],
    private readonly sparse: boolean,
  ) {
    this.paths = fields.map((f) => f.split('.'));
    this.topLevel = this.paths.every((p) => p.length === 1);
  }

  /** The document's key, or null when a sparse index leaves it out (every field missing). */
  keyOf(doc: D): UniqueKey | null {
    if (this.paths.length === 1) {
      // Most unique indexes are one field (`id`): every write asks twice, so no arrays.
      const value = valueAt(doc as Raw, this.paths[0]!);
      return this.sparse && value === undefined ? null : keyPart(value);
    }
    const key: IndexKey[] = [];
    let missing = 0;
    for (const path of this.paths) {
      const value = valueAt(doc as Raw, path);
      if (value === undefined) missing += 1;
      key.push(keyPart(value));
    }
    return this.sparse && missing === key.length ? null : key;
  }

  /** Whether two keys of this index are the same key. */
  sameKey(a: UniqueKey | null, b: UniqueKey | null): boolean {
    if (a === b) return true;
    if (!Array.isArray(a) || !Array.isArray(b)) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** The document already holding `key`, other than `self`. */
  holder(key: UniqueKey | null, self?: D): D | undefined {
    if (key === null) return undefined;
    const found = this.byKey.get(key);
    return found === self ? undefined : found;
  }

  /** Records `doc` under a key no document holds. */
  set(key: UniqueKey | null, doc: D): void {
    if (key === null) return;
    if (this.isOpaque(key)) this.opaque += 1;
    this.byKey.set(key, doc);
  }

  /** Puts `doc` in the place of the document holding `key` (the same one, updated). */
  replace(key: UniqueKey | null, doc: D): void {
    if (key !== null) this.byKey.set(key, doc);
  }

  delete(key: UniqueKey | null, doc: D): void {
    if (key === null || this.byKey.get(key) !== doc) return;
    if (this.isOpaque(key)) this.opaque -= 1;
    this.byKey.delete(key);
  }

  private isOpaque(key: UniqueKey): boolean {
    return Array.isArray(key) ? key.some(isOpaquePart) : isOpaquePart(key as IndexKey);
  }

  /**
   * The documents of a single-field index whose field equals one of `values` (scalars), or null
   * when the index cannot say: it is compound, or some document holds an array there (MongoDB
   * matches an array by any of its elements).
   */
  lookup(values: unknown[]): D[] | null {
    if (this.fields.length !== 1 || !this.topLevel || this.opaque > 0) return null;
    const out: D[] = [];
    for (const value of new Set(values)) {
      const found = this.byKey.get(keyPart(value));
      if (found) out.push(found);
    }
    return out;
  }

  /**
   * The documents of a compound index whose first field equals one of `values` (scalars), in the
   * order their keys were first set (grouped by the next field first when there are three) — a
   * conversation's messages in the order they were stored — or null when the index cannot say
   * (see `lookupTuple`). The first level already groups them, so the collection keeps no hash
   * index of its own on that field: an entry less per document.
   */
  lookupFirst(values: readonly unknown[]): D[] | null {
    if (this.fields.length < 2 || !this.topLevel || this.opaque > 0) return null;
    const out: D[] = [];
    for (const key of firstKeys(values)) {
      const level = this.byKey.under(key) as Level<D> | undefined;
      if (level) collect(level, this.fields.length - 1, out);
    }
    return out;
  }

  /** How many documents `lookupFirst` would return, without building the list. */
  countFirst(values: readonly unknown[]): number | null {
    if (this.fields.length < 2 || !this.topLevel || this.opaque > 0) return null;
    let n = 0;
    for (const key of firstKeys(values)) {
      const level = this.byKey.under(key) as Level<D> | undefined;
      if (level) n += count(level, this.fields.length - 1);
    }
    return n;
  }

  /**
   * The document of a compound index whose fields equal `values` (one scalar each, in the index's
   * order), as a list of at most one; null when the index cannot say: a field is a dotted path
   * (MongoDB would also match through arrays on the way) or some document holds an array or
   * sub-document in a field (MongoDB matches an array by any of its elements).
   */
  lookupTuple(values: readonly unknown[]): D[] | null {
    if (values.length !== this.fields.length || !this.topLevel || this.opaque > 0) return null;
    const found = this.byKey.get(values.map(keyPart));
    return found ? [found] : [];
  }
}

/** A level of a compound key under its first part: Maps down to the documents. */
type Level<D> = Map<IndexKey, Level<D> | D>;

/** The distinct first-level keys of scalar values (values no key can hold match nothing). */
function firstKeys(values: readonly unknown[]): Set<IndexKey> {
  const keys = new Set<IndexKey>();
  for (const value of values) {
    const key = hashKey(value);
    if (key !== null) keys.add(key);
  }
  return keys;
}

function collect<D>(level: Level<D>, depth: number, out: D[]): void {
  for (const next of level.values()) {
    if (depth === 1) out.push(next as D);
    else collect(next as Level<D>, depth - 1, out);
  }
}

function count<D>(level: Level<D>, depth: number): number {
  if (depth === 1) return level.size;
  let n = 0;
  for (const next of level.values()) n += count(next as Level<D>, depth - 1);
  return n;
}
