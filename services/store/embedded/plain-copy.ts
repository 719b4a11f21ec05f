// Documents in the embedded store are plain data — objects, arrays, dates and scalars (NeDB makes
// them so on the way in) — and every read hands out a copy so callers cannot change what is stored.
// `structuredClone` handles any value through the serializer and was a few per cent of the CPU of a
// customer message; a walk that knows the shapes is several times faster.

type Plain = Record<string, unknown>;

export function copyPlain<T>(value: T): T {
  return copy(value, false);
}

/**
 * A copy to be stored. Stored documents are never changed in place and every read copies them, so
 * their Dates can be shared: a Date is 96 bytes of heap, and the writes of one moment (a message,
 * its event, its channel activity, the conversation's last activity) carry the same instant. So
 * can empty arrays and objects (a message's attachments, a conversation's participants): one each,
 * frozen, so a change in place would throw rather than reach every document.
 */
export function copyToStore<T>(value: T): T {
  // The document itself is its own: the store gives it an `_id`.
  return copy(value, true, false);
}

const EMPTY_ARRAY: unknown[] = Object.freeze([]) as unknown as unknown[];
const EMPTY_OBJECT: Plain = Object.freeze({});

/** A copy of a stored document without the store's own `_id`. */
export function copyWithoutId<T>(raw: Plain): T {
  const out: Plain = {};
  for (const key of Object.keys(raw)) if (key !== '_id') out[key] = copy(raw[key], false);
  return out as T;
}

function copy<T>(value: T, toStore: boolean, nested = true): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return (toStore ? sharedDate(value) : new Date(value.getTime())) as T;
  if (Array.isArray(value)) {
    if (toStore && nested && value.length === 0) return EMPTY_ARRAY as T;
    const out: unknown[] = [];
    for (const item of value) out.push(copy(item, toStore));
    return out as T;
  }
  // Anything that is not plain data keeps the general copy.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const keys = Object.keys(value);
  if (toStore && nested && keys.length === 0 && proto === Object.prototype) return EMPTY_OBJECT as T;
  const out: Plain = {};
  for (const key of keys) {
    const field = (value as Plain)[key];
    // A field written as undefined is absent (services/store/defined-only.ts).
    if (toStore && field === undefined) continue;
    out[key] = copy(field, toStore);
  }
  return out as T;
}

/**
 * Gives documents read from a datafile what copyToStore gives those written since: one Date for
 * every date of the same instant among them, and the shared empty arrays and objects. Without it
 * a store reloaded from its files held about a fifth more heap than the same data written. The
 * documents are the loader's own, so they are changed in place (values replaced, none removed).
 */
export function shareLoaded(docs: readonly object[]): void {
  const dates = new Map<number, Date>();
  for (const doc of docs) shareWithin(doc as Plain, dates);
}

function shareWithin(node: Plain | unknown[], dates: Map<number, Date>): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const value: unknown = node[i];
      const same = shared(value, dates);
      if (same !== value) node[i] = same;
    }
    return;
  }
  for (const key of Object.keys(node)) {
    const value = node[key];
    const same = shared(value, dates);
    if (same !== value) node[key] = same;
  }
}

function shared(value: unknown, dates: Map<number, Date>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) {
    const ms = value.getTime();
    const known = dates.get(ms);
    if (known) return known;
    dates.set(ms, value);
    return value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return EMPTY_ARRAY;
    shareWithin(value, dates);
    return value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  if (Object.keys(value).length === 0) return EMPTY_OBJECT;
  shareWithin(value as Plain, dates);
  return value;
}

let lastDate = new Date(0);

function sharedDate(date: Date): Date {
  const ms = date.getTime();
  if (ms !== lastDate.getTime()) lastDate = new Date(ms);
  return lastDate;
}
