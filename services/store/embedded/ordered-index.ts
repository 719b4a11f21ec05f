// Ranges on an indexed field (the event log's `seq > n`, the Direct Line retention sweep's
// `createdAt < t`) read only the documents in range: a sorted array of the keys, searched by
// bisection. One index orders one kind of value, numbers or dates, since MongoDB matches a bound
// only against values of its own kind. Keys arrive in increasing order on the paths that use it
// (appends at the end); anything else is a splice. An array is entered under each of its values, as
// MongoDB matches a bound by any element.

type Raw = Record<string, unknown>;
const NO_KEYS: readonly number[] = Object.freeze([]);

/** Which values an index orders: numbers, or dates (by their time). */
export type OrderedKind = 'number' | 'date';

/** Bounds as numbers: a date bound by its time. */
export interface NumericBounds {
  $gt?: number;
  $gte?: number;
  $lt?: number;
  $lte?: number;
}

export class OrderedIndex<D extends object = Raw> {
  private keys: number[] = [];
  private docs: D[] = [];
  private readonly parts: string[];
  /** Documents entered under more than one key: a range may meet them twice. */
  private multi = 0;

  constructor(
    readonly field: string,
    readonly kind: OrderedKind = 'number',
  ) {
    this.parts = field.split('.');
  }

  /**
   * Only values of this index's kind are ordered here: a bound never matches another type in
   * MongoDB. Most documents hold one scalar, often not of the kind (a unique string id has ordered
   * indexes too), so that case allocates nothing: every update of every document passes here.
   */
  private keysOf(doc: D): readonly number[] {
    let node: unknown = doc;
    for (const part of this.parts) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return NO_KEYS;
      node = (node as Raw)[part];
    }
    if (!Array.isArray(node)) {
      const key = this.keyOf(node);
      return key === undefined ? NO_KEYS : [key];
    }
    return node.flatMap((v) => {
      const key = this.keyOf(v);
      return key === undefined ? [] : [key];
    });
  }

  private keyOf(value: unknown): number | undefined {
    const key =
      this.kind === 'number'
        ? typeof value === 'number'
          ? value
          : undefined
        : value instanceof Date
          ? value.getTime()
          : undefined;
    return key === undefined || Number.isNaN(key) ? undefined : key;
  }

  /** First position whose key is ≥ `key` (or > `key` when `after`). */
  private bisect(key: number, after: boolean): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid]!;
      if (k < key || (after && k === key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** An index over `docs` as they are, sorted once (not one insertion at a time). */
  static of<D extends object>(field: string, kind: OrderedKind, docs: Iterable<D>): OrderedIndex<D> {
    const index = new OrderedIndex<D>(field, kind);
    const entries: Array<{ key: number; doc: D }> = [];
    for (const doc of docs) {
      const keys = index.keysOf(doc);
      if (keys.length > 1) index.multi += 1;
      for (const key of keys.length > 1 ? new Set(keys) : keys) entries.push({ key, doc });
    }
    entries.sort((a, b) => a.key - b.key);
    index.keys = entries.map((e) => e.key);
    index.docs = entries.map((e) => e.doc);
    return index;
  }

  add(doc: D): void {
    const keys = this.keysOf(doc);
    if (keys.length === 1) return this.insert(keys[0]!, doc);
    if (keys.length > 1) this.multi += 1;
    for (const key of new Set(keys)) this.insert(key, doc);
  }

  private insert(key: number, doc: D): void {
    const last = this.keys[this.keys.length - 1];
    if (last === undefined || key > last) {
      this.keys.push(key);
      this.docs.push(doc);
      return;
    }
    const at = this.bisect(key, true);
    this.keys.splice(at, 0, key);
    this.docs.splice(at, 0, doc);
  }

  remove(doc: D): void {
    const keys = this.keysOf(doc);
    if (keys.length === 1) return this.delete(keys[0]!, doc);
    if (keys.length > 1) this.multi -= 1;
    for (const key of new Set(keys)) this.delete(key, doc);
  }

  private delete(key: number, doc: D): void {
    for (let i = this.bisect(key, false); i < this.keys.length && this.keys[i] === key; i++) {
      if (this.docs[i] === doc) {
        this.keys.splice(i, 1);
        this.docs.splice(i, 1);
        return;
      }
    }
  }

  /** Puts `after` where `before` was (the same document, updated). */
  replace(before: D, after: D): void {
    const was = this.keysOf(before);
    const now = this.keysOf(after);
    if (was.length === 0 && now.length === 0) return;
    if (was.length === 1 && now.length === 1 && was[0] === now[0]) {
      for (let i = this.bisect(was[0]!, false); i < this.keys.length && this.keys[i] === was[0]; i++) {
        if (this.docs[i] === before) {
          this.docs[i] = after;
          return;
        }
      }
    }
    this.remove(before);
    this.add(after);
  }

  /** Removes many documents in one pass (a retention sweep deletes thousands at once). */
  removeAll(gone: ReadonlySet<D>): void {
    const keys: number[] = [];
    const docs: D[] = [];
    for (const doc of gone) if (this.keysOf(doc).length > 1) this.multi -= 1;
    for (let i = 0; i < this.docs.length; i++) {
      if (gone.has(this.docs[i]!)) continue;
      keys.push(this.keys[i]!);
      docs.push(this.docs[i]!);
    }
    this.keys = keys;
    this.docs = docs;
  }

  private span(bounds: NumericBounds): [number, number] {
    let start = 0;
    let end = this.keys.length;
    // An array meets a lower bound and an upper bound by different elements in MongoDB ([8, 13] is
    // ≥ 10 and < 12): with such documents only the lower bound narrows, and the filter does the rest.
    const lower = bounds.$gte !== undefined || bounds.$gt !== undefined;
    if (this.multi > 0 && lower) bounds = { $gte: bounds.$gte, $gt: bounds.$gt };
    if (bounds.$gte !== undefined) start = Math.max(start, this.bisect(bounds.$gte, false));
    if (bounds.$gt !== undefined) start = Math.max(start, this.bisect(bounds.$gt, true));
    if (bounds.$lte !== undefined) end = Math.min(end, this.bisect(bounds.$lte, true));
    if (bounds.$lt !== undefined) end = Math.min(end, this.bisect(bounds.$lt, false));
    return [start, Math.max(start, end)];
  }

  /** Documents with a key within the bounds, each once, in key order. */
  range(bounds: NumericBounds): D[] {
    const [start, end] = this.span(bounds);
    const found = this.docs.slice(start, end);
    return this.multi > 0 ? [...new Set(found)] : found;
  }

  /** How many entries `range` would walk (an upper bound of its documents), without building the list. */
  count(bounds: NumericBounds): number {
    const [start, end] = this.span(bounds);
    return end - start;
  }
}
