import type { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { DuplicateKeyError, type Collection } from '../port.js';

/** Validates `input` against an entity schema; the parsed value has unknown keys stripped. */
export function parseEntity<S extends z.ZodType>(schema: S, input: unknown, entity: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }));
    const summary = issues
      .slice(0, 3)
      .map((i) => `${i.path || '(root)'}: ${i.message}`)
      .join('; ');
    throw new ValidationError(`${entity}.invalid`, `Invalid ${entity}: ${summary}`, { issues });
  }
  return result.data;
}

/** Inserts a new entity, turning a clash on its id into a typed conflict. */
export async function insertNew<T extends { id: string }>(
  collection: Collection<T>,
  entity: string,
  doc: T,
): Promise<void> {
  try {
    await collection.insertOne(doc);
  } catch (e) {
    if (e instanceof DuplicateKeyError)
      throw new ConflictError(`${entity}.exists`, `${entity} ${doc.id} already exists`);
    throw e;
  }
}

export function notFound(entity: string, id: string): NotFoundError {
  return new NotFoundError(`${entity}.not_found`, `${entity} ${id} does not exist`);
}

// Ids seen to exist, per collection: entities are almost never removed, and hot writes (every claim
// goes through `replaceIf`) should not pay a lookup per reference. `forgetReference` on removal.
const knownIds = new WeakMap<object, Set<string>>();

export function forgetReference(collection: object, id: string): void {
  knownIds.get(collection)?.delete(id);
}

/** Fails with `<entity>.not_found` (a `ValidationError` for the referencing write) unless all ids exist. */
export async function assertReferencesExist(
  collection: Collection<{ id: string }>,
  entity: string,
  ids: Iterable<string | undefined>,
  referencedBy: string,
): Promise<void> {
  let known = knownIds.get(collection);
  if (!known) knownIds.set(collection, (known = new Set()));
  const wanted = [...new Set([...ids].filter((i): i is string => typeof i === 'string' && !known.has(i)))];
  if (wanted.length === 0) return;
  const found = await collection.find({ id: { $in: wanted } });
  const have = new Set(found.map((d) => d.id));
  for (const i of have) known.add(i);
  const missing = wanted.filter((i) => !have.has(i));
  if (missing.length > 0) {
    throw new ValidationError(
      `${referencedBy}.unknown_${entity}`,
      `${referencedBy} refers to unknown ${entity} ${missing.join(', ')}`,
      { missing },
    );
  }
}

/** `$set` for the given fields and `$unset` for those explicitly set to `undefined`. */
export function setAndUnset(fields: Record<string, unknown>): {
  $set?: Record<string, unknown>;
  $unset?: Record<string, ''>;
} {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) $unset[key] = '';
    else $set[key] = value;
  }
  return {
    ...(Object.keys($set).length ? { $set } : {}),
    ...(Object.keys($unset).length ? { $unset } : {}),
  };
}

/**
 * Removes store-internal bookkeeping fields from a document before it leaves the repository. Built
 * without them rather than `delete`d from a copy: V8 turns an object that loses a property (other
 * than its last) into a dictionary, and every event read lost two — three times slower to make,
 * and slower for everything that reads it after (a stream's JSON, a KPI's pass over thousands).
 */
export function withoutFields<T extends object>(doc: T, fields: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(doc))
    if (!fields.includes(key)) out[key] = (doc as Record<string, unknown>)[key];
  return out as T;
}

export interface Page {
  limit?: number;
  skip?: number;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export function pageOptions(page: Page = {}): { limit: number; skip: number } {
  const limit = Math.min(Math.max(1, Math.floor(page.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
  return { limit, skip: Math.max(0, Math.floor(page.skip ?? 0)) };
}
