import type { Update } from './port.js';

// A field written as undefined is absent, at any depth and on both adapters, as JSON leaves it out.
// The MongoDB driver would store a nested `undefined` as null, and a schema that allows a field to be
// missing refuses null: a visitor context without `authenticated` left a conversation nobody could
// read. The embedded store kept the key in memory, where `$exists` saw it until a restart.
// Filters are not touched: what `{x: undefined}` matches is theirs.

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `value` with every undefined field of its plain objects left out (arrays keep their length). */
export function definedOnly<V>(value: V): V {
  if (Array.isArray(value)) return value.map((v: unknown) => definedOnly(v)) as V;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = definedOnly(v);
  return out as V;
}

function hasUndefinedField(fields: Record<string, unknown>): boolean {
  for (const key in fields) if (fields[key] === undefined) return true;
  return false;
}

/** Operators whose values are stored (a `$pull` value is a condition, left as it is). */
const WRITES = new Set(['$set', '$setOnInsert', '$push', '$addToSet']);

/** `update` with `$set: {a: undefined}` as `$unset: {a: ''}`; the same object when there is none. */
export function unsetsForUndefined(update: Update): Update {
  const set = update.$set;
  // Every write of the embedded store passes here: the common case allocates nothing.
  if (!set || !hasUndefinedField(set)) return update;
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, unknown> = { ...update.$unset };
  for (const [path, v] of Object.entries(set)) {
    if (v === undefined) $unset[path] = '';
    else $set[path] = v;
  }
  const { $set: _set, $unset: _unset, ...rest } = update;
  return { ...rest, ...(Object.keys($set).length ? { $set } : {}), $unset } as Update;
}

/** The same for an update: values written lose their undefined fields; `$set: {a: undefined}` unsets `a`. */
export function definedOnlyUpdate(update: Update): Update {
  const out: Record<string, unknown> = { ...unsetsForUndefined(update) };
  for (const op of WRITES) if (out[op] !== undefined) out[op] = definedOnly(out[op]);
  return out as Update;
}
