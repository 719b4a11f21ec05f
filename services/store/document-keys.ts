import { ValidationError, invalidKeyReason } from '../domain/index.js';
import type { Update } from './port.js';

// Both adapters refuse documents whose field names the stores cannot hold, up front, with a typed
// error instead of crashing inside the driver. The rule itself is the domain's (field-names.ts).

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Throws `ValidationError('store.invalid_field_name')` when any nested key cannot be stored. */
export function assertStorableDocument(doc: unknown, collection: string, path = ''): void {
  checkKeys(doc, collection, path, []);
}

/**
 * Every write passes here, so the walk builds no path strings: `trail` holds the keys and indexes
 * on the way down, and only a refusal spells the path out.
 */
function checkKeys(doc: unknown, collection: string, root: string, trail: Array<string | number>): void {
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) {
      trail.push(i);
      checkKeys(doc[i], collection, root, trail);
      trail.pop();
    }
    return;
  }
  if (!isPlainObject(doc)) return;
  // Own keys including `__proto__` set through JSON.parse or Object.defineProperty.
  for (const key of Object.getOwnPropertyNames(doc)) {
    const reason = invalidKeyReason(key);
    if (reason && !(root === '' && trail.length === 0 && key === '_id')) {
      const path = spelled(root, trail);
      throw new ValidationError(
        'store.invalid_field_name',
        `Cannot store a document in ${collection}: ${reason}${path ? ` at ${path}` : ''}`,
        { collection, path, key },
      );
    }
    trail.push(key);
    checkKeys(doc[key], collection, root, trail);
    trail.pop();
  }
}

/** `a.b[2].c`, as the path is reported. */
function spelled(root: string, trail: ReadonlyArray<string | number>): string {
  let path = root;
  for (const step of trail)
    path = typeof step === 'number' ? `${path}[${step}]` : path ? `${path}.${step}` : step;
  return path;
}

/** What `$push`/`$addToSet` add: `$each`'s items, else the argument itself. */
function pushedItems(arg: unknown): unknown[] {
  if (isPlainObject(arg) && '$each' in arg) return Array.isArray(arg.$each) ? arg.$each : [];
  return [arg];
}

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$push',
  '$addToSet',
  '$pull',
  '$setOnInsert',
  '$max',
  '$min',
]);

/** Throws a `ValidationError` for an operator the port does not offer or a field path that cannot be stored. */
export function assertStorableUpdate(update: Update, collection: string): void {
  const ops = Object.keys(update);
  if (ops.length === 0 || ops.some((op) => !UPDATE_OPERATORS.has(op))) {
    throw new ValidationError(
      'store.invalid_update',
      `Unsupported update on ${collection}: ${ops.join(', ')}`,
    );
  }
  for (const op of ops) {
    for (const [path, value] of Object.entries(update[op as keyof Update] ?? {})) {
      if (path.split('.').some((part) => invalidKeyReason(part) !== null)) {
        throw new ValidationError('store.invalid_field_name', `Cannot update "${path}" on ${collection}`);
      }
      // Every value that can end up in the document is checked here, so an adapter may skip
      // re-checking the whole document after a plain update; `$pull`'s conditions never land in it.
      if (op === '$set' || op === '$setOnInsert' || op === '$max' || op === '$min') {
        assertStorableDocument(value, collection, path);
      } else if (op === '$push' || op === '$addToSet') {
        assertStorableDocument(pushedItems(value), collection, path);
      }
    }
  }
}

/**
 * A projection names stored top-level fields, never the store's own `_id` (the Mongo adapter keeps
 * it out of every answer): throws `ValidationError('store.invalid_projection')` otherwise.
 */
export function assertProjection(fields: readonly string[], collection: string): void {
  for (const field of fields) {
    if (field === '_id' || field.includes('.') || invalidKeyReason(field)) {
      throw new ValidationError(
        'store.invalid_projection',
        `Cannot project ${JSON.stringify(field)} from ${collection}: name a top-level field`,
        { collection, field },
      );
    }
  }
}
