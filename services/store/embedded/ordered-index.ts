// Ranges on an indexed field (the event log's `seq > n`, the Direct Line retention sweep's
// `createdAt < t`) read only the documents in range: sorted arrays of the keys and the documents,
// searched by bisection. One index orders one kind of value, numbers or dates, since MongoDB matches
// a bound only against values of its own kind. Entries are ordered by key, then by the document's
// `_id`, so finding one document is a bisection however many share its key (a hundred thousand
// activities stored in the same minute, thirty thousand conversations begun at the same time). Keys
// arrive in increasing order on the paths that use it (appends at the end); anything else is a
// splice. An array is entered under each of its values, as MongoDB matches a bound by any element.

type Doc = Record<string, unknown> & { _id: string };
const NO_KEYS: readonly number[] = Object.freeze([]);
/** Entries passed to one `splice` at most (arguments live on the stack). */
const SPLICE_LIMIT = 10_000;

/** Which values an index orders: numbers, or dates (by their time). */
export type OrderedKind = 'number' | 'date';

/** Bounds as numbers: a date bound by its time. */
export interface NumericBounds {
  $gt?: number;
  $gte?: number;
  $lt?: number;
  $lte?: number;
}

export class OrderedIndex<D extends Doc = Doc> {
  private keys: number[] = [];
  private ids: string[] = [];
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

  /** An index over `docs` as they are, sorted once (not one insertion at a time). */
  static of<D extends Doc>(field: string, kind: OrderedKind, docs: Iterable<D>): OrderedIndex<D> {
    const index = new OrderedIndex<D>(field, kind);
    const entries: Array<{ key: number; doc: D }> = [];
    for (const doc of docs) {
      const keys = index.keysOf(doc);
      if (keys.length > 1) index.multi += 1;
      for (const key of keys.length > 1 ? new Set(keys) : keys) entries.push({ key, doc });
    }
    entries.sort((a, b) => a.key - b.key || compareIds(a.doc._id, b.doc._id));
    index.keys = entries.map((e) => e.key);
    index.ids = entries.map((e) => e.doc._id);
    index.docs = entries.map((e) => e.doc);
    return index;
  }

  /**
   * Only values of this index's kind are ordered here: a bound never matches another type in
   * MongoDB. Most documents hold one scalar, often not of the kind, so that case allocates nothing:
   * every update of every document passes here.
   */
  private keysOf(doc: D): readonly number[] {
    let node: unknown = doc;
    for (const part of this.parts) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return NO_KEYS;
      node = (node as Record<string, unknown>)[part];
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

  /** First position whose key is ≥ `key` (or > `key` when `after`): a bound. */
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

  /** First position whose entry is ≥ (`key`, `id`): where that entry is, or goes. */
  private position(key: number, id: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid]!;
      if (k < key || (k === key && compareIds(this.ids[mid]!, id) < 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private holds(at: number, key: number, doc: D): boolean {
    return this.keys[at] === key && this.ids[at] === doc._id;
  }

  add(doc: D): void {
    const keys = this.keysOf(doc);
    if (keys.length === 1) return this.insert(keys[0]!, doc);
    if (keys.length > 1) this.multi += 1;
    for (const key of new Set(keys)) this.insert(key, doc);
  }

  private insert(key: number, doc: D): void {
    const last = this.keys.length - 1;
    if (
      last < 0 ||
      key > this.keys[last]! ||
      (key === this.keys[last] && compareIds(doc._id, this.ids[last]!) > 0)
    ) {
      this.keys.push(key);
      this.ids.push(doc._id);
      this.docs.push(doc);
      return;
    }
    const at = this.position(key, doc._id);
    this.keys.splice(at, 0, key);
    this.ids.splice(at, 0, doc._id);
    this.docs.splice(at, 0, doc);
  }

  remove(doc: D): void {
    const keys = this.keysOf(doc);
    if (keys.length === 1) return this.delete(keys[0]!, doc);
    if (keys.length > 1) this.multi -= 1;
    for (const key of new Set(keys)) this.delete(key, doc);
  }

  private delete(key: number, doc: D): void {
    const at = this.position(key, doc._id);
    if (!this.holds(at, key, doc)) return;
    this.keys.splice(at, 1);
    this.ids.splice(at, 1);
    this.docs.splice(at, 1);
  }

  /** Puts `after` where `before` was (the same document, updated). */
  replace(before: D, after: D): void {
    const was = this.keysOf(before);
    const now = this.keysOf(after);
    if (was.length === 0 && now.length === 0) return;
    if (was.length === 1 && now.length === 1 && was[0] === now[0]) {
      const at = this.position(was[0]!, before._id);
      if (this.holds(at, was[0]!, before)) {
        this.docs[at] = after;
        return;
      }
    }
    this.remove(before);
    this.add(after);
  }

  /**
   * Removes many documents at once (a retention sweep deletes thousands): only the span between
   * the first and the last of their entries is rebuilt, so taking the oldest costs what they are.
   */
  removeAll(gone: ReadonlySet<D>): void {
    let lo = this.keys.length;
    let hi = -1;
    for (const doc of gone) {
      const keys = this.keysOf(doc);
      if (keys.length > 1) this.multi -= 1;
      for (const key of keys) {
        const at = this.position(key, doc._id);
        if (!this.holds(at, key, doc)) continue;
        lo = Math.min(lo, at);
        hi = Math.max(hi, at);
      }
    }
    if (hi < 0) return;
    const keys: number[] = [];
    const ids: string[] = [];
    const docs: D[] = [];
    for (let i = lo; i <= hi; i++) {
      if (gone.has(this.docs[i]!)) continue;
      keys.push(this.keys[i]!);
      ids.push(this.ids[i]!);
      docs.push(this.docs[i]!);
    }
    // In place (the rest moves down natively); as new arrays when too many stay to pass as arguments.
    if (keys.length <= SPLICE_LIMIT) {
      this.keys.splice(lo, hi - lo + 1, ...keys);
      this.ids.splice(lo, hi - lo + 1, ...ids);
      this.docs.splice(lo, hi - lo + 1, ...docs);
      return;
    }
    this.keys = this.keys.slice(0, lo).concat(keys, this.keys.slice(hi + 1));
    this.ids = this.ids.slice(0, lo).concat(ids, this.ids.slice(hi + 1));
    this.docs = this.docs.slice(0, lo).concat(docs, this.docs.slice(hi + 1));
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

  /**
   * 1 or -1 when `range` already hands out documents in the order of `sort` (ascending or
   * descending on this field alone), else 0. Not with arrays in the field: MongoDB sorts an array by
   * its least or greatest element, not by the key a range met it under.
   */
  sortDirection(sort: Readonly<Record<string, unknown>>): 1 | -1 | 0 {
    const keys = Object.keys(sort);
    if (keys.length !== 1 || keys[0] !== this.field || this.multi > 0) return 0;
    const direction = sort[this.field];
    return direction === 1 ? 1 : direction === -1 ? -1 : 0;
  }

  /** How many entries `range` would walk (an upper bound of its documents), without building the list. */
  count(bounds: NumericBounds): number {
    const [start, end] = this.span(bounds);
    return end - start;
  }
}

/** Code-unit order, as the ids are compared everywhere else; any total order would do. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
