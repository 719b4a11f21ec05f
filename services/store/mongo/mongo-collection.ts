import type { Collection as DriverCollection, Document, MongoServerError } from 'mongodb';
import { ValidationError } from '../../domain/errors.js';
import { assertProjection, assertStorableDocument, assertStorableUpdate } from '../document-keys.js';
import { definedOnly, definedOnlyUpdate } from '../defined-only.js';
import type { Reachability } from './reachability.js';
import {
  DuplicateKeyError,
  type Collection,
  type Filter,
  type FindOneAndUpdateOptions,
  type FindOptions,
  type IndexSpec,
  type SortSpec,
  type Update,
} from '../port.js';

const WITHOUT_ID = { _id: 0 } as const;

/** MongoDB's inclusion projection of these top-level fields, without the store's `_id`. */
function fieldsOnly(fields: readonly string[]): Document {
  return { ...WITHOUT_ID, ...Object.fromEntries(fields.map((f) => [f, 1])) };
}

function isDuplicateKey(e: unknown): e is MongoServerError {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000;
}

/**
 * The port on the official driver. `_id` stays the server's ObjectId and never leaves this class
 * (projection); domain keys live in their own fields with unique indexes.
 */
export class MongoCollection<T extends object> implements Collection<T> {
  constructor(
    private readonly collection: DriverCollection<Document>,
    private readonly reach: Reachability,
  ) {}

  /** Every driver call goes through here: its errors translated, its success noted. */
  private async run<R>(call: () => Promise<R>): Promise<R> {
    try {
      const result = await call();
      this.reach.reached();
      return result;
    } catch (e) {
      throw this.translate(e);
    }
  }

  get name(): string {
    return this.collection.collectionName;
  }

  async insertOne(doc: T): Promise<void> {
    await this.insertMany([doc]);
  }

  async insertMany(docs: T[]): Promise<void> {
    if (docs.length === 0) return;
    for (const doc of docs) assertStorableDocument(doc, this.name);
    // The driver writes `_id` into the objects it is given; the copies keep callers' objects clean.
    await this.run(async () => {
      if (docs.length === 1) await this.collection.insertOne(definedOnly(docs[0]!));
      else await this.collection.insertMany(docs.map((d) => definedOnly(d)));
    });
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    return (await this.run(() => this.cursor(filter, options, WITHOUT_ID).toArray())) as T[];
  }

  async findFields<K extends keyof T & string>(
    filter: Filter,
    fields: readonly K[],
    options: FindOptions = {},
  ): Promise<Array<Partial<Pick<T, K>>>> {
    assertProjection(fields, this.name);
    return (await this.run(() =>
      this.cursor(filter, options, fieldsOnly(fields)).toArray(),
    )) as unknown as Array<Partial<Pick<T, K>>>;
  }

  private cursor(filter: Filter, options: FindOptions, projection: Document) {
    let cursor = this.collection.find(filter, { projection });
    if (options.sort) cursor = cursor.sort(options.sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit && options.limit > 0) cursor = cursor.limit(options.limit);
    return cursor;
  }

  async findOne(filter: Filter, options: { sort?: SortSpec } = {}): Promise<T | null> {
    const [doc] = await this.find(filter, { ...options, limit: 1 });
    return doc ?? null;
  }

  async updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<number> {
    assertStorableUpdate(update, this.name);
    const result = await this.run(() =>
      this.collection.updateOne(filter, definedOnlyUpdate(update) as Document, {
        upsert: options.upsert ?? false,
      }),
    );
    return result.matchedCount;
  }

  async updateMany(filter: Filter, update: Update): Promise<number> {
    assertStorableUpdate(update, this.name);
    return (await this.run(() => this.collection.updateMany(filter, definedOnlyUpdate(update) as Document)))
      .matchedCount;
  }

  async findOneAndUpdate(
    filter: Filter,
    update: Update,
    options: FindOneAndUpdateOptions = {},
  ): Promise<T | null> {
    return (await this.updateAndRead(filter, update, options, WITHOUT_ID)) as T | null;
  }

  async findOneAndUpdateFields<K extends keyof T & string>(
    filter: Filter,
    update: Update,
    fields: readonly K[],
    options: FindOneAndUpdateOptions = {},
  ): Promise<Partial<Pick<T, K>> | null> {
    assertProjection(fields, this.name);
    return (await this.updateAndRead(filter, update, options, fieldsOnly(fields))) as Partial<
      Pick<T, K>
    > | null;
  }

  private async updateAndRead(
    filter: Filter,
    update: Update,
    options: FindOneAndUpdateOptions,
    projection: Document,
  ): Promise<Document | null> {
    assertStorableUpdate(update, this.name);
    const doc = await this.run(() =>
      this.collection.findOneAndUpdate(filter, definedOnlyUpdate(update) as Document, {
        projection,
        returnDocument: options.returnDocument ?? 'after',
        upsert: options.upsert ?? false,
        ...(options.sort ? { sort: options.sort } : {}),
      }),
    );
    return doc ?? null;
  }

  async count(filter: Filter = {}): Promise<number> {
    return this.run(() => this.collection.countDocuments(filter));
  }

  async deleteMany(filter: Filter): Promise<number> {
    return (await this.run(() => this.collection.deleteMany(filter))).deletedCount;
  }

  async aggregate<R = Record<string, unknown>>(pipeline: Record<string, unknown>[]): Promise<R[]> {
    // Pipelines are written for both stores; `_id` of source documents is never part of a result
    // unless a stage sets it (e.g. $group), so drop it up front.
    return (await this.run(() =>
      this.collection.aggregate([{ $project: { _id: 0 } }, ...pipeline]).toArray(),
    )) as R[];
  }

  async ensureIndex(spec: IndexSpec): Promise<void> {
    if (Object.keys(spec.keys).length === 0) {
      throw new ValidationError('store.invalid_index', `Empty index on ${this.name}`);
    }
    await this.run(() =>
      this.collection.createIndex(spec.keys, {
        ...(spec.unique ? { unique: true } : {}),
        ...(spec.sparse ? { sparse: true } : {}),
      }),
    );
  }

  private translate(e: unknown): unknown {
    if (isDuplicateKey(e)) return new DuplicateKeyError(this.name, e.message);
    return this.reach.refusal(e);
  }
}
