// Compound unique indexes for the embedded store ({ conversationId, seq } on messages and on the
// Direct Line channel's activities). NeDB keeps one in an AVL tree whose keys are objects, compared
// field by field through its generic comparator on every insert and update — the most expensive
// index work on a customer message's path (ADR 0019) — while nothing ever reads that tree: lookups
// go through the leading field's hash index. Uniqueness needs only a Map from the key to its
// document. Writes run one at a time per collection, so "check, then write, then record" is atomic.

import { hashKey } from './hash-index.js';

type Raw = Record<string, unknown>;

function valueAt(doc: Raw, path: string): unknown {
  let node: unknown = doc;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Raw)[part];
  }
  return node;
}

/** Scalars and dates as the hash indexes key them; a missing field or null as MongoDB does (null). */
function keyPart(value: unknown): string {
  if (value === undefined || value === null) return 'z';
  // Arrays and sub-documents are compared whole (MongoDB would index each array element; no
  // compound unique index here holds one).
  return hashKey(value) ?? `j${JSON.stringify(value)}`;
}

export class UniqueKeyIndex<D extends object = Raw> {
  private readonly byKey = new Map<string, D>();

  constructor(
    readonly fields: string[],
    private readonly sparse: boolean,
  ) {}

  /** The document's key, or null when a sparse index leaves it out (every field missing). */
  keyOf(doc: D): string | null {
    const values = this.fields.map((f) => valueAt(doc as Raw, f));
    if (this.sparse && values.every((v) => v === undefined)) return null;
    return values.map(keyPart).join('\u0000');
  }

  /** The document already holding `key`, other than `self`. */
  holder(key: string | null, self?: D): D | undefined {
    if (key === null) return undefined;
    const found = this.byKey.get(key);
    return found === self ? undefined : found;
  }

  set(key: string | null, doc: D): void {
    if (key !== null) this.byKey.set(key, doc);
  }

  delete(key: string | null, doc: D): void {
    if (key !== null && this.byKey.get(key) === doc) this.byKey.delete(key);
  }
}
