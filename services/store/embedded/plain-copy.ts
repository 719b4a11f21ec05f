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
 * its event, its channel activity, the conversation's last activity) carry the same instant.
 */
export function copyToStore<T>(value: T): T {
  return copy(value, true);
}

/** A copy of a stored document without the store's own `_id`. */
export function copyWithoutId<T>(raw: Plain): T {
  const out: Plain = {};
  for (const key of Object.keys(raw)) if (key !== '_id') out[key] = copy(raw[key], false);
  return out as T;
}

function copy<T>(value: T, shareDates: boolean): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return (shareDates ? sharedDate(value) : new Date(value.getTime())) as T;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(copy(item, shareDates));
    return out as T;
  }
  // Anything that is not plain data keeps the general copy.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Plain = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Plain)[key], shareDates);
  return out as T;
}

let lastDate = new Date(0);

function sharedDate(date: Date): Date {
  const ms = date.getTime();
  if (ms !== lastDate.getTime()) lastDate = new Date(ms);
  return lastDate;
}
