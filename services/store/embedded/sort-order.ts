import type { SortSpec } from '../port.js';

// A sort of matched documents without mingo's cursor: mingo groups every document by each sort
// key through its value hashing and took about 70 ms to put 10,000 conversations in queue order —
// the supervisor's board and wallboard read that on every refresh. Here each document's keys are
// read once and compared natively. The order is mingo's (and MongoDB's) for the values documents
// sort on in practice: null and missing first (equal), then numbers, strings, booleans, dates;
// equal keys keep the input order, as mingo's passes do. Any other key (an array, an object, NaN,
// −0, a path through an array) returns null, and the caller sorts with mingo as before.

type Key = null | number | string | boolean | Date;
const UNSORTABLE = Symbol('unsortable');

/** MongoDB's type order among the keys sorted here. */
function rank(k: Key): number {
  if (k === null) return 0;
  switch (typeof k) {
    case 'number':
      return 1;
    case 'string':
      return 2;
    case 'boolean':
      return 3;
    default:
      return 4;
  }
}

function compareKeys(a: Key, b: Key): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  const x = ra === 4 ? (a as Date).getTime() : a!;
  const y = rb === 4 ? (b as Date).getTime() : b!;
  return x < y ? -1 : x > y ? 1 : 0;
}

function keyAt(doc: unknown, path: readonly string[]): Key | typeof UNSORTABLE {
  let v = doc;
  for (const segment of path) {
    if (v === null || v === undefined || typeof v !== 'object' || v instanceof Date) return null;
    if (Array.isArray(v)) return UNSORTABLE;
    v = Object.hasOwn(v, segment) ? (v as Record<string, unknown>)[segment] : undefined;
  }
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'number':
      return Number.isNaN(v) || Object.is(v, -0) ? UNSORTABLE : v;
    case 'string':
    case 'boolean':
      return v;
    default:
      return v instanceof Date && !Number.isNaN(v.getTime()) ? v : UNSORTABLE;
  }
}

/**
 * `docs` in `spec`'s order (a new array), or null when a key is not one of the kinds above. With
 * `keep`, only the first `keep` of that order: the queue's longest waiting of 10,000 is found in
 * one pass instead of a sort of all of them.
 */
export function sortNatively<T>(docs: readonly T[], spec: SortSpec, keep = Infinity): T[] | null {
  const fields = Object.entries(spec).map(([field, direction]) => ({ path: field.split('.'), direction }));
  const order = (a: Keyed<T>, b: Keyed<T>): number => {
    for (let j = 0; j < fields.length; j++) {
      const c = compareKeys(a.keys[j]!, b.keys[j]!);
      if (c !== 0) return fields[j]!.direction < 0 ? -c : c;
    }
    return 0;
  };
  if (keep <= 0) return [];
  const bounded = keep < docs.length / 4;
  const kept: Array<Keyed<T>> = [];
  for (let i = 0; i < docs.length; i++) {
    const keys: Key[] = new Array(fields.length);
    for (let j = 0; j < fields.length; j++) {
      const k = keyAt(docs[i], fields[j]!.path);
      if (k === UNSORTABLE) return null;
      keys[j] = k;
    }
    const item = { doc: docs[i]!, keys };
    if (!bounded) kept.push(item);
    else if (kept.length < keep || order(item, kept[kept.length - 1]!) < 0) {
      // After every equal key already kept: ties stay in input order, as in a stable sort.
      let lo = 0;
      let hi = kept.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (order(item, kept[mid]!) < 0) hi = mid;
        else lo = mid + 1;
      }
      kept.splice(lo, 0, item);
      if (kept.length > keep) kept.pop();
    }
  }
  if (!bounded) kept.sort(order);
  return (kept.length > keep ? kept.slice(0, keep) : kept).map((k) => k.doc);
}

interface Keyed<T> {
  doc: T;
  keys: Key[];
}
