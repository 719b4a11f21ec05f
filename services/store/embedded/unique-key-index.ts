// Unique indexes for the embedded store, single-field ({ id }, { seq }) and compound
// ({ conversationId, seq } on messages and on the Direct Line channel's activities): a Map from the
// key to its document. NeDB kept each in an AVL tree compared through its generic comparator on
// every insert and update — the most expensive index work on a customer message's path (ADR 0019).
// A write checks, writes and records in one synchronous step, so nothing comes in between.

import { hashKey } from './hash-index.js';
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
function keyPart(value: unknown): string {
  if (value === undefined || value === null) return '\u0001z';
  // Arrays and sub-documents are compared whole (MongoDB would index each array element; no
  // unique index here holds one).
  return hashKey(value) ?? `\u0001j${JSON.stringify(value)}`;
}

/**
 * The parts of a compound key, each after its length: a string part is the value itself, which may
 * hold any character, so no separator could tell ('a:b', 'c') from ('a', 'b:c').
 */
function compoundKey(values: readonly unknown[]): string {
  let key = '';
  for (const value of values) {
    const part = keyPart(value);
    key += `${part.length}:${part}`;
  }
  return key;
}

export class UniqueKeyIndex<D extends object = Raw> {
  private readonly byKey = new ShardedMap<D>();
  /** Documents a single-field index keys by a whole array or sub-document (see keyPart). */
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
  keyOf(doc: D): string | null {
    if (this.paths.length === 1) {
      // Most unique indexes are one field (`id`): every write asks twice, so no arrays.
      const value = valueAt(doc as Raw, this.paths[0]!);
      return this.sparse && value === undefined ? null : keyPart(value);
    }
    const values = this.paths.map((p) => valueAt(doc as Raw, p));
    if (this.sparse && values.every((v) => v === undefined)) return null;
    return compoundKey(values);
  }

  /** The document already holding `key`, other than `self`. */
  holder(key: string | null, self?: D): D | undefined {
    if (key === null) return undefined;
    const found = this.byKey.get(key);
    return found === self ? undefined : found;
  }

  set(key: string | null, doc: D): void {
    if (key === null) return;
    if (this.isOpaque(key)) this.opaque += 1;
    this.byKey.set(key, doc);
  }

  delete(key: string | null, doc: D): void {
    if (key === null || this.byKey.get(key) !== doc) return;
    if (this.isOpaque(key)) this.opaque -= 1;
    this.byKey.delete(key);
  }

  // A part of a compound key is opaque when it follows its length; a string value holding ':' and
  // the tag may count too, which only turns the lookup off while it is stored.
  private isOpaque(key: string): boolean {
    return this.fields.length > 1 ? key.includes(':\u0001j') : key.startsWith('\u0001j');
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
   * The document of a compound index whose fields equal `values` (one scalar each, in the index's
   * order), as a list of at most one; null when the index cannot say: a field is a dotted path
   * (MongoDB would also match through arrays on the way) or some document holds an array or
   * sub-document in a field (MongoDB matches an array by any of its elements).
   */
  lookupTuple(values: readonly unknown[]): D[] | null {
    if (values.length !== this.fields.length || !this.topLevel || this.opaque > 0) return null;
    const found = this.byKey.get(compoundKey(values));
    return found ? [found] : [];
  }
}
