// The document-collection port: the narrow slice of MongoDB that repositories need,
// so one repository serves both the `mongodb` driver and the embedded NeDB store. Filters, sorts and
// updates use MongoDB syntax; documents go in and come out without the store's `_id`.

import { DomainError } from '../domain/errors.js';

export type Filter = Record<string, unknown>;
export type SortSpec = Record<string, 1 | -1>;

export interface Update {
  $set?: Record<string, unknown>;
  $unset?: Record<string, '' | 1 | true>;
  $inc?: Record<string, number>;
  $push?: Record<string, unknown>;
  $addToSet?: Record<string, unknown>;
  $pull?: Record<string, unknown>;
  $setOnInsert?: Record<string, unknown>;
  /** Sets the field only if the value is greater (e.g. a "last activity" time that never goes back). Added later. */
  $max?: Record<string, unknown>;
  /** Sets the field only if the value is smaller. Added later. */
  $min?: Record<string, unknown>;
}

export interface FindOptions {
  sort?: SortSpec;
  limit?: number;
  skip?: number;
}

export interface FindOneAndUpdateOptions {
  sort?: SortSpec;
  /** Default `after`. */
  returnDocument?: 'before' | 'after';
  upsert?: boolean;
}

export interface IndexSpec {
  keys: Record<string, 1 | -1>;
  unique?: boolean;
  /** Unique only among documents that have the field (e.g. optional activity ids). */
  sparse?: boolean;
}

export interface Collection<T extends object> {
  readonly name: string;
  /** Throws `DuplicateKeyError` when a unique index is violated. */
  insertOne(doc: T): Promise<void>;
  /**
   * Throws `DuplicateKeyError` when a document breaks a unique index; nothing from that document on
   * is stored. The embedded store then stores none of the batch; MongoDB (an ordered insert) has
   * stored the documents before it, so a caller batching keyed documents must look which went in.
   */
  insertMany(docs: T[]): Promise<void>;
  find(filter: Filter, options?: FindOptions): Promise<T[]>;
  findOne(filter: Filter, options?: { sort?: SortSpec }): Promise<T | null>;
  /**
   * `find` with only these top-level fields of each match (MongoDB's inclusion projection), for
   * summaries over many documents: the rest is neither copied (embedded) nor sent (MongoDB).
   */
  findFields<K extends keyof T & string>(
    filter: Filter,
    fields: readonly K[],
    options?: FindOptions,
  ): Promise<Array<Partial<Pick<T, K>>>>;
  /** Updates the first match; returns how many matched (0 or 1). */
  updateOne(filter: Filter, update: Update, options?: { upsert?: boolean }): Promise<number>;
  updateMany(filter: Filter, update: Update): Promise<number>;
  /** The atomic conditional write claims are built on: the loser gets `null`. */
  findOneAndUpdate(filter: Filter, update: Update, options?: FindOneAndUpdateOptions): Promise<T | null>;
  /**
   * `findOneAndUpdate` returning only these top-level fields of the document (as `findFields`), for
   * a write whose caller needs a few of them: the rest is neither copied nor sent.
   */
  findOneAndUpdateFields<K extends keyof T & string>(
    filter: Filter,
    update: Update,
    fields: readonly K[],
    options?: FindOneAndUpdateOptions,
  ): Promise<Partial<Pick<T, K>> | null>;
  count(filter?: Filter): Promise<number>;
  deleteMany(filter: Filter): Promise<number>;
  /** A MongoDB aggregation pipeline (native on MongoDB, mingo on the embedded store). */
  aggregate<R = Record<string, unknown>>(pipeline: Record<string, unknown>[]): Promise<R[]>;
  ensureIndex(spec: IndexSpec): Promise<void>;
}

export interface DocumentStore {
  readonly kind: 'embedded' | 'mongodb';
  collection<T extends object>(name: string): Collection<T>;
  /** Flushes and releases files or connections. */
  close(): Promise<void>;
  /** What `GET /api/health` reports, e.g. `nedb 4.1.2` or `MongoDB 7.0.12`. Optional: added later. */
  version?(): Promise<string>;
  /**
   * Why the store refuses every operation — the embedded store after its files could not be
   * written — or null while it works. `GET /api/health` answers 503 with it.
   */
  failure?(): Error | null;
}

/**
 * The refusal of a store that cannot do its work — files it cannot write, a database it cannot
 * reach: a 503 (`store.unavailable`), not the caller's mistake nor a bug.
 */
export function storeUnavailable(message: string, cause?: unknown): DomainError {
  const refusal = new DomainError('store.unavailable', message, 'unavailable');
  if (cause !== undefined) refusal.cause = cause;
  return refusal;
}

export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
  constructor(
    readonly collection: string,
    message: string,
  ) {
    super(message);
  }
}
