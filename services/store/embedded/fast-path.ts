// mingo builds a fresh operator context for every query and update (a few hundred microseconds),
// which would cap the embedded store at a few thousand claims per second. The filters and updates
// on hot paths are simple — equality on ids and versions, numeric bounds, $set/$inc/$unset/$push on
// plain paths — so those get a direct implementation with MongoDB's semantics; anything else (and
// any document where a path crosses an array) falls back to mingo.

type Doc = Record<string, unknown>;
/** `undefined` means "cannot tell here, ask mingo". */
export type FastMatcher = (doc: Doc) => boolean | undefined;

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

interface Resolved {
  found: boolean;
  value: unknown;
  /** A path segment before the last crossed an array: MongoDB would fan out, so defer to mingo. */
  crossedArray: boolean;
}

function resolve(doc: Doc, parts: string[]): Resolved {
  let node: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    if (Array.isArray(node)) return { found: false, value: undefined, crossedArray: true };
    if (node === null || typeof node !== 'object')
      return { found: false, value: undefined, crossedArray: false };
    const obj = node as Doc;
    if (!Object.hasOwn(obj, parts[i]!)) {
      return { found: false, value: undefined, crossedArray: false };
    }
    node = obj[parts[i]!];
  }
  return { found: true, value: node, crossedArray: false };
}

type Check = (value: unknown, found: boolean) => boolean | undefined;

function equalityCheck(expected: Scalar): Check {
  return (value, found) => {
    if (!found) return false;
    if (Array.isArray(value)) return value.some((v) => v === expected);
    return value === expected;
  };
}

/** The same instant; a value of another type (or an array) is mingo's to judge. */
function dateEquality(expected: Date): Check {
  const time = expected.getTime();
  return (value, found) => {
    if (!found) return false;
    return value instanceof Date ? value.getTime() === time : undefined;
  };
}

const COMPARATORS: Record<string, <T extends number | string>(a: T, b: T) => boolean> = {
  $lt: (a, b) => a < b,
  $lte: (a, b) => a <= b,
  $gt: (a, b) => a > b,
  $gte: (a, b) => a >= b,
};

function operatorCheck(condition: Record<string, unknown>): Check | null {
  const checks: Check[] = [];
  for (const [op, arg] of Object.entries(condition)) {
    const compare = COMPARATORS[op];
    if (compare && typeof arg === 'number') {
      // A bound is decided here against a value of its own type (number, string, date); arrays
      // and values of another type (MongoDB's cross-type order) go to mingo.
      checks.push((value, found) =>
        !found ? false : typeof value === 'number' ? compare(value, arg) : undefined,
      );
    } else if (compare && typeof arg === 'string') {
      // A paging cursor's "after this key"; strings in mingo's (JavaScript's) order.
      checks.push((value, found) =>
        !found ? false : typeof value === 'string' ? compare(value, arg) : undefined,
      );
    } else if (compare && arg instanceof Date && !Number.isNaN(arg.getTime())) {
      // The sweeps' "older than" filters (offers past their expiry, quiet conversations) test every
      // candidate of a status: through mingo that was a 10–20 ms stall at 10,000 of them.
      const time = arg.getTime();
      checks.push((value, found) =>
        !found ? false : value instanceof Date ? compare(value.getTime(), time) : undefined,
      );
    } else if (op === '$exists' && typeof arg === 'boolean') {
      checks.push((_value, found) => found === arg);
    } else if (op === '$ne' && isScalar(arg)) {
      // MongoDB: true when missing, and for arrays when no element equals.
      checks.push((value, found) =>
        !found ? true : Array.isArray(value) ? !value.some((v) => v === arg) : value !== arg,
      );
    } else if (op === '$eq' && isScalar(arg)) {
      checks.push(equalityCheck(arg));
    } else if (op === '$in' && Array.isArray(arg) && arg.every(isScalar)) {
      const set = new Set<unknown>(arg);
      checks.push((value, found) => (!found ? false : Array.isArray(value) ? undefined : set.has(value)));
    } else if (op === '$nin' && Array.isArray(arg) && arg.every(isScalar)) {
      // MongoDB: true when missing, as for $ne.
      const set = new Set<unknown>(arg);
      checks.push((value, found) => (!found ? true : Array.isArray(value) ? undefined : !set.has(value)));
    } else return null;
  }
  return (value, found) => {
    let result: boolean | undefined = true;
    for (const check of checks) {
      const r = check(value, found);
      if (r === false) return false;
      if (r === undefined) result = undefined;
    }
    return result;
  };
}

/**
 * `$or` / `$and` over filters the fast path understands (a paging cursor's "after this one"); `null`
 * for anything else.
 */
function logicalMatcher(op: string, branches: unknown): FastMatcher | null {
  if ((op !== '$or' && op !== '$and') || !Array.isArray(branches) || branches.length === 0) return null;
  const matchers: FastMatcher[] = [];
  for (const branch of branches) {
    if (branch === null || typeof branch !== 'object' || Array.isArray(branch)) return null;
    const m = compileFastFilter(branch as Record<string, unknown>);
    if (!m) return null;
    matchers.push(m);
  }
  // Three-valued: a branch that cannot tell makes the whole undecided unless another settles it.
  const settles = op === '$or';
  return (doc) => {
    let result: boolean | undefined = !settles;
    for (const m of matchers) {
      const r = m(doc);
      if (r === settles) return settles;
      if (r === undefined) result = undefined;
    }
    return result;
  };
}

/** A matcher for filters made only of conditions the fast path understands; else `null`. */
export function compileFastFilter(filter: Record<string, unknown>): FastMatcher | null {
  const fields: Array<{ parts: string[]; check: Check }> = [];
  const logical: FastMatcher[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (key.startsWith('$')) {
      const m = logicalMatcher(key, condition);
      if (!m) return null;
      logical.push(m);
      continue;
    }
    let check: Check | null = null;
    if (isScalar(condition)) check = equalityCheck(condition);
    else if (condition instanceof Date && !Number.isNaN(condition.getTime())) check = dateEquality(condition);
    else if (
      condition !== null &&
      typeof condition === 'object' &&
      !Array.isArray(condition) &&
      !(condition instanceof Date) &&
      !(condition instanceof RegExp) &&
      Object.keys(condition).length > 0 &&
      Object.keys(condition).every((k) => k.startsWith('$'))
    ) {
      check = operatorCheck(condition as Record<string, unknown>);
    }
    if (!check) return null;
    fields.push({ parts: key.split('.'), check });
  }
  return (doc) => {
    let result: boolean | undefined = true;
    for (const { parts, check } of fields) {
      const r = resolve(doc, parts);
      if (r.crossedArray) return undefined;
      const ok = check(r.value, r.found);
      if (ok === false) return false;
      if (ok === undefined) result = undefined;
    }
    for (const m of logical) {
      const ok = m(doc);
      if (ok === false) return false;
      if (ok === undefined) result = undefined;
    }
    return result;
  };
}

/**
 * The object a path's last segment lives in: `null` when the path does not exist yet (it will be
 * created), `undefined` when the update needs mingo: the path crosses an array, or runs into a value
 * that is not a plain sub-document (MongoDB refuses or fans out there).
 */
function containerOf(doc: Doc, parentParts: string[]): Doc | null | undefined {
  let node = doc;
  for (const part of parentParts) {
    const child = Object.hasOwn(node, part) ? node[part] : undefined;
    if (child === undefined) return null;
    if (child === null || typeof child !== 'object' || Array.isArray(child) || child instanceof Date)
      return undefined;
    node = child as Doc;
  }
  return node;
}

/**
 * `doc` with `$set`, `$unset`, `$inc`, `$max`, `$min` and a plain `$push` applied, as a new document
 * that shares every untouched sub-document with `doc` (which is left as it was): only the objects on
 * an updated path are copied. `null` when the update needs mingo (other operators, `$push` modifiers
 * other than `$each`/`$slice`, paths through arrays).
 */
export function applyFastUpdate(
  doc: Doc,
  update: Record<string, Record<string, unknown> | undefined>,
): Doc | null {
  const steps: Array<(ensure: (parts: string[]) => Doc) => void> = [];
  let unsets = false;
  // Two operators on one path, or on a path and its parent: MongoDB refuses; mingo answers.
  const paths = new Set<string>();
  const ancestors = new Set<string>();
  for (const [op, fields] of Object.entries(update)) {
    if (!fields) continue;
    for (const [path, arg] of Object.entries(fields)) {
      if (paths.has(path) || ancestors.has(path)) return null;
      const parts = path.split('.');
      const parentParts = parts.slice(0, -1);
      let prefix = '';
      for (const part of parentParts) {
        prefix = prefix ? `${prefix}.${part}` : part;
        if (paths.has(prefix)) return null;
        ancestors.add(prefix);
      }
      paths.add(path);
      const leaf = parts[parts.length - 1]!;
      const container = containerOf(doc, parentParts);
      if (container === undefined) return null;
      const current = container && Object.hasOwn(container, leaf) ? container[leaf] : undefined;
      switch (op) {
        case '$set':
          steps.push((ensure) => (ensure(parentParts)[leaf] = arg));
          break;
        case '$unset':
          if (container && Object.hasOwn(container, leaf)) {
            unsets = true;
            steps.push((ensure) => (ensure(parentParts)[leaf] = REMOVED));
          }
          break;
        case '$inc':
          if (typeof arg !== 'number' || (current !== undefined && typeof current !== 'number')) return null;
          steps.push((ensure) => (ensure(parentParts)[leaf] = ((current as number | undefined) ?? 0) + arg));
          break;
        case '$push': {
          if (current !== undefined && !Array.isArray(current)) return null;
          let items: unknown[] = [arg];
          let slice: number | undefined;
          if (arg !== null && typeof arg === 'object' && !Array.isArray(arg) && '$each' in arg) {
            // `$each` with an optional `$slice`; `$position`/`$sort` go to mingo.
            const { $each, $slice, ...rest } = arg as { $each: unknown; $slice?: unknown };
            if (!Array.isArray($each) || Object.keys(rest).length > 0) return null;
            if ($slice !== undefined && !Number.isInteger($slice)) return null;
            items = $each;
            slice = $slice as number | undefined;
          }
          steps.push((ensure) => {
            let next = [...((current as unknown[] | undefined) ?? []), ...items];
            if (slice !== undefined) next = slice >= 0 ? next.slice(0, slice) : next.slice(slice);
            ensure(parentParts)[leaf] = next;
          });
          break;
        }
        case '$max':
        case '$min': {
          const next = comparable(arg);
          if (next === null) return null;
          if (current !== undefined) {
            const now = comparable(current);
            if (now === null || arg instanceof Date !== current instanceof Date) return null;
            if (op === '$max' ? next <= now : next >= now) break;
          }
          steps.push((ensure) => (ensure(parentParts)[leaf] = arg));
          break;
        }
        default:
          return null;
      }
    }
  }
  const out: Doc = { ...doc };
  const copies = new Set<object>([out]);
  for (const step of steps) step((parentParts) => copiedPath(out, copies, parentParts));
  return unsets ? withoutRemoved(out, copies) : out;
}

/** Marks a field `$unset` took out until the object is rebuilt without it (withoutRemoved). */
const REMOVED = Symbol('removed');

/**
 * `node` (one of this update's copies) without the fields marked REMOVED, rebuilt rather than
 * `delete`d from: V8 turns an object that loses a property into a dictionary — a Direct Line
 * activity cleared of its delivery debt held 448 bytes of hash table for 4 fields, and kept it as
 * long as the store keeps the document.
 */
function withoutRemoved(node: Doc, copies: Set<object>): Doc {
  let removed = false;
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (value === REMOVED) removed = true;
    else if (value !== null && typeof value === 'object' && copies.has(value)) {
      const pruned = withoutRemoved(value as Doc, copies);
      if (pruned !== value) node[key] = pruned;
    }
  }
  if (!removed) return node;
  const rebuilt: Doc = {};
  for (const key of Object.keys(node)) if (node[key] !== REMOVED) rebuilt[key] = node[key];
  return rebuilt;
}

/** Numbers with numbers, dates with dates; anything else is mingo's (BSON order). */
function comparable(v: unknown): number | null {
  return v instanceof Date ? v.getTime() : typeof v === 'number' ? v : null;
}

/** The path's objects in `out`, each copied from the original's (or created) the first time it is reached. */
function copiedPath(out: Doc, copies: Set<object>, parentParts: string[]): Doc {
  let node = out;
  for (const part of parentParts) {
    const child = node[part] as Doc | undefined;
    if (child !== undefined && copies.has(child)) {
      node = child;
      continue;
    }
    const copy: Doc = child === undefined ? {} : { ...child };
    node[part] = copy;
    copies.add(copy);
    node = copy;
  }
  return node;
}
