import type { Datastore } from './nedb.js';
import { Query, aggregate as mingoAggregate, update as mingoUpdate } from 'mingo';
import type { AnyObject } from 'mingo/types';
import { ValidationError } from '../../domain/errors.js';
import { assertStorableDocument, assertStorableUpdate } from '../document-keys.js';
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
import { applyFastUpdate, compileFastFilter } from './fast-path.js';
import { HashIndex } from './hash-index.js';
import { UniqueKeyIndex } from './unique-key-index.js';
import { copyPlain, copyWithoutId } from './plain-copy.js';
import { newDocumentId } from './document-ids.js';
import { SerialQueue } from '../serial-queue.js';
import type { Datafile } from './append-handle.js';

type Raw = AnyObject & { _id: string };

/** The slice of NeDB's (untyped) index objects used to pick candidates without a full scan. */
interface NedbIndex {
  getMatching(value: unknown): Raw[];
  getBetweenBounds(bounds: Record<string, unknown>): Raw[];
  unique: boolean;
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    Object.keys(value).some((k) => k.startsWith('$'))
  );
}

const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

/**
 * `{ $gt: 5 }`, `{ $gte: 2, $lt: 10 }`: numeric bounds an ordered index can answer. NeDB orders
 * other types around numbers, so what its tree returns is a superset of MongoDB's matches (which
 * `select` then tests), never less. Dates are left to a scan: NeDB's sparse indexes skip them.
 */
function isNumericRange(condition: unknown): condition is Record<string, number> {
  if (!isOperatorObject(condition)) return false;
  const bounds = Object.entries(condition);
  return (
    bounds.length > 0 &&
    bounds.every(([op, v]) => RANGE_OPERATORS.has(op) && typeof v === 'number' && !Number.isNaN(v))
  );
}

/** The document with an `_id` of ours when the caller gave none (see document-ids.ts). */
function withId(doc: AnyObject): AnyObject {
  if (doc._id === undefined) doc._id = newDocumentId();
  return doc;
}

/** The name NeDB files an index under: its fields, sorted, joined with commas. */
function nedbIndexName(fields: string[]): string {
  return [...fields].sort().join(',');
}

function isPlainFilter(value: unknown): value is Filter {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isIndexableScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function setPath(target: AnyObject, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: AnyObject = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== 'object') node[part] = {};
    node = node[part] as AnyObject;
  }
  node[parts[parts.length - 1]!] = value;
}

/**
 * One NeDB datastore per collection. NeDB gives persistence (append-only file, each write appended
 * before its promise resolves) and indexes (unique constraints, candidate lookup); mingo gives the
 * MongoDB semantics of filters, updates and pipelines, so a repository behaves the same on both
 * adapters. Writes go through a per-collection queue: a conditional update reads, matches and
 * writes without another write of this process in between.
 */
export class EmbeddedCollection<T extends object> implements Collection<T> {
  private readonly writes = new SerialQueue();
  /** Non-unique lookups by field (see hash-index.ts); unique ones use NeDB's indexes. */
  private readonly hashIndexes = new Map<string, HashIndex<Raw>>();
  /** Compound unique indexes (see unique-key-index.ts), by their fields joined with ','. */
  private readonly uniqueKeys = new Map<string, UniqueKeyIndex<Raw>>();

  private readonly ready: Promise<void>;
  private compactionQueued = false;

  constructor(
    readonly name: string,
    private readonly datastore: Datastore,
    private readonly datafile: Promise<Datafile>,
  ) {
    this.ready = datafile.then(() => undefined);
    // A load failure surfaces on every operation, not as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  async insertOne(doc: T): Promise<void> {
    await this.insertMany([doc]);
  }

  async insertMany(docs: T[]): Promise<void> {
    if (docs.length === 0) return;
    for (const doc of docs) this.assertDocument(doc);
    await this.ready;
    await this.write(async () => {
      try {
        // NeDB inserts an array atomically: all documents or none when a unique index is violated.
        // NeDB's own copy shares Date objects with its input: copy first, so the caller's stay theirs.
        const copies = docs.map((d) => withId(copyPlain(d) as AnyObject) as Raw);
        this.assertUniqueKeys(copies);
        const inserted = await this.datastore.insertAsync(copies);
        for (const doc of inserted as unknown as Raw[]) this.indexLive(doc._id);
      } catch (e) {
        throw this.translate(e);
      }
    });
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    await this.ready;
    return this.select(filter, options).map((raw) => copyWithoutId<T>(raw));
  }

  async findOne(filter: Filter, options: { sort?: SortSpec } = {}): Promise<T | null> {
    await this.ready;
    const [raw] = this.select(filter, { ...options, limit: 1 });
    return raw ? copyWithoutId<T>(raw) : null;
  }

  async updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<number> {
    assertStorableUpdate(update, this.name);
    await this.ready;
    return this.write(async () => {
      const [raw] = this.select(filter, { limit: 1 });
      if (raw) {
        await this.applyUpdate(raw, update);
        return 1;
      }
      if (options.upsert) await this.upsertNew(filter, update);
      return 0;
    });
  }

  async updateMany(filter: Filter, update: Update): Promise<number> {
    assertStorableUpdate(update, this.name);
    await this.ready;
    return this.write(async () => {
      const matches = this.select(filter, {});
      for (const raw of matches) await this.applyUpdate(raw, update);
      return matches.length;
    });
  }

  async findOneAndUpdate(
    filter: Filter,
    update: Update,
    options: FindOneAndUpdateOptions = {},
  ): Promise<T | null> {
    assertStorableUpdate(update, this.name);
    await this.ready;
    return this.write(async () => {
      const [raw] = this.select(filter, { limit: 1, ...(options.sort ? { sort: options.sort } : {}) });
      if (raw) {
        const after = await this.applyUpdate(raw, update);
        return copyWithoutId<T>(options.returnDocument === 'before' ? raw : after);
      }
      if (!options.upsert) return null;
      const inserted = await this.upsertNew(filter, update);
      return options.returnDocument === 'before' ? null : copyWithoutId<T>(inserted);
    });
  }

  async count(filter: Filter = {}): Promise<number> {
    await this.ready;
    return this.select(filter, {}).length;
  }

  async deleteMany(filter: Filter): Promise<number> {
    await this.ready;
    return this.write(async () => {
      const matches = this.select(filter, {});
      if (matches.length === 0) return 0;
      const removed = await this.datastore.removeAsync(
        { _id: { $in: matches.map((raw) => raw._id) } },
        { multi: true },
      );
      for (const raw of matches) {
        for (const index of this.hashIndexes.values()) index.remove(raw);
        for (const index of this.uniqueKeys.values()) index.delete(index.keyOf(raw), raw);
      }
      return removed;
    });
  }

  async aggregate<R = Record<string, unknown>>(pipeline: Record<string, unknown>[]): Promise<R[]> {
    await this.ready;
    // A leading $match is answered like a find (indexes, fast path) so mingo sees only the matches.
    const [first, ...rest] = pipeline;
    const leadingMatch =
      first && Object.keys(first).length === 1 && isPlainFilter(first.$match)
        ? (first.$match as Filter)
        : null;
    const source = leadingMatch ? this.select(leadingMatch, {}) : (this.datastore.getAllData() as Raw[]);
    const stages = leadingMatch ? rest : pipeline;
    // Pipelines may reshape documents in place; give mingo copies, never NeDB's live objects.
    const docs = source.map((raw) => copyWithoutId<AnyObject>(raw));
    return (stages.length > 0 ? mingoAggregate(docs, stages) : docs) as R[];
  }

  async ensureIndex(spec: IndexSpec): Promise<void> {
    await this.ready;
    const fields = Object.keys(spec.keys);
    if (fields.length === 0) throw new ValidationError('store.invalid_index', `Empty index on ${this.name}`);
    try {
      await this.writes.run(async () => {
        if (spec.unique && fields.length > 1) {
          await this.ensureUniqueKeys(fields, spec.sparse ?? false);
        } else if (spec.unique) {
          await this.datastore.ensureIndexAsync({
            fieldName: fields[0]!,
            unique: true,
            sparse: spec.sparse ?? false,
          });
        }
        // A non-unique NeDB index (left by an earlier version in the datafile) would make every
        // update linear in its key's size; hash indexes replace them.
        const leftover = this.indexes()[nedbIndexName(fields)];
        if (!spec.unique && leftover && !leftover.unique)
          await this.datastore.removeIndexAsync(nedbIndexName(fields));
        // Lookups use a single field: a unique single-field NeDB index, else a hash index on the
        // (leading) field.
        const lead = fields[0]!;
        if (!(spec.unique && fields.length === 1) && !this.hashIndexes.has(lead)) {
          const index = new HashIndex<Raw>(lead);
          for (const raw of this.datastore.getAllData() as Raw[]) index.add(raw);
          this.hashIndexes.set(lead, index);
        }
      });
    } catch (e) {
      throw this.translate(e);
    }
  }

  /** Waits for queued writes, then releases the datafile. */
  async close(): Promise<void> {
    await this.writes.drain();
    const datafile = await this.datafile.catch(() => null);
    await datafile?.close();
  }

  /** Rewrites the datafile without superseded lines (also done automatically as they pile up). */
  async compact(): Promise<void> {
    const datafile = await this.datafile;
    await this.writes.run(() => datafile.compact());
  }

  // --- internals -------------------------------------------------------------------------------

  /** Runs a write in the collection's queue, then queues a compaction if superseded lines pile up. */
  private async write<R>(task: () => Promise<R>): Promise<R> {
    const datafile = await this.datafile;
    const result = await this.writes.run(task);
    if (!this.compactionQueued && datafile.needsCompaction()) {
      this.compactionQueued = true;
      void this.writes
        .run(() => datafile.compact())
        // A failed compaction leaves the old file and handle in use; it is retried at the next check.
        .catch(() => undefined)
        .finally(() => (this.compactionQueued = false));
    }
    return result;
  }

  private indexes(): Record<string, NedbIndex> {
    return (this.datastore as unknown as { indexes: Record<string, NedbIndex> }).indexes;
  }

  /**
   * Matching NeDB documents (live objects: never mutate or hand out). Candidates come from an index
   * when the filter pins an indexed field to a value or a list of values; otherwise a scan.
   */
  private select(filter: Filter, options: FindOptions): Raw[] {
    const candidates = this.candidates(filter);
    const fast = compileFastFilter(filter);
    let query: Query | null = null;
    const test = (doc: Raw): boolean => {
      const quick = fast ? fast(doc) : undefined;
      if (quick !== undefined) return quick;
      query ??= new Query(filter as AnyObject);
      return query.test(doc);
    };
    if (!options.sort && !options.skip) {
      const out: Raw[] = [];
      const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
      for (const doc of candidates) {
        if (test(doc)) {
          out.push(doc);
          if (out.length >= limit) break;
        }
      }
      return out;
    }
    const matches = candidates.filter(test);
    if (options.sort && matches.length > 1) {
      query ??= new Query({});
      let cursor = query.find<Raw>(matches).sort(options.sort);
      if (options.skip) cursor = cursor.skip(options.skip);
      if (options.limit && options.limit > 0) cursor = cursor.limit(options.limit);
      return cursor.all();
    }
    const start = options.skip ?? 0;
    return matches.slice(start, options.limit && options.limit > 0 ? start + options.limit : undefined);
  }

  /**
   * A superset of the matching documents: from the most selective index the filter pins to one or
   * a few values, or bounds on a single-field unique index (its tree is ordered: the event log's
   * `seq > n` reads only the tail), else every document. `select` still tests each candidate
   * against the filter.
   */
  private candidates(filter: Filter): Raw[] {
    const unique = this.indexes();
    let best: { size: number; fetch: () => Raw[] } | null = null;
    const ranges: Array<{ index: NedbIndex; bounds: Record<string, unknown> }> = [];
    for (const [field, condition] of Object.entries(filter)) {
      if (field.startsWith('$')) continue;
      if (isNumericRange(condition)) {
        const index = unique[field];
        if (index?.unique) ranges.push({ index, bounds: condition });
        continue;
      }
      let values: unknown[] | undefined;
      if (isIndexableScalar(condition)) values = [condition];
      else if (isOperatorObject(condition) && Object.keys(condition).length === 1) {
        if (isIndexableScalar(condition.$eq)) values = [condition.$eq];
        else if (Array.isArray(condition.$in) && condition.$in.every(isIndexableScalar))
          values = condition.$in;
      }
      if (!values) continue;
      const nedbIndex = unique[field];
      if (nedbIndex?.unique) {
        const found = nedbIndex.getMatching(values.length === 1 ? values[0] : values);
        if (best === null || found.length < best.size) best = { size: found.length, fetch: () => found };
        if (found.length <= 1) break;
        continue;
      }
      const hash = this.hashIndexes.get(field);
      if (!hash) continue;
      const size = hash.size(values);
      const vs = values;
      if (best === null || size < best.size) best = { size, fetch: () => hash.lookup(vs) };
    }
    // A range is walked only when no equality already narrowed the candidates to a handful.
    if (best === null || best.size > 8) {
      for (const { index, bounds } of ranges) {
        // An array value is indexed under each of its elements: a document may come back twice.
        const found = [...new Set(index.getBetweenBounds(bounds))];
        if (best === null || found.length < best.size) best = { size: found.length, fetch: () => found };
      }
    }
    return best ? best.fetch() : (this.datastore.getAllData() as Raw[]);
  }

  /** NeDB's live object for a document id (what its indexes and our hash indexes hold). */
  private live(id: string): Raw | undefined {
    return this.indexes()['_id']?.getMatching(id)[0];
  }

  private indexLive(id: string): void {
    const raw = this.live(id);
    if (!raw) return;
    for (const index of this.hashIndexes.values()) index.add(raw);
    for (const index of this.uniqueKeys.values()) index.set(index.keyOf(raw), raw);
  }

  /** Refuses documents whose compound unique keys are taken, or repeated among themselves. */
  private assertUniqueKeys(docs: Raw[]): void {
    for (const index of this.uniqueKeys.values()) {
      const seen = new Set<string>();
      for (const doc of docs) {
        const key = index.keyOf(doc);
        if (key === null) continue;
        if (seen.has(key) || index.holder(key)) throw this.duplicate(index, doc);
        seen.add(key);
      }
    }
  }

  /**
   * A compound unique index over what is stored, refused (as MongoDB refuses to build it) when two
   * documents already share a key. One NeDB left in the datafile by an earlier version is dropped.
   */
  private async ensureUniqueKeys(fields: string[], sparse: boolean): Promise<void> {
    const name = fields.join(',');
    if (this.uniqueKeys.has(name)) return;
    const index = new UniqueKeyIndex<Raw>(fields, sparse);
    for (const raw of this.datastore.getAllData() as Raw[]) {
      const key = index.keyOf(raw);
      if (index.holder(key)) throw this.duplicate(index, raw);
      index.set(key, raw);
    }
    if (this.indexes()[nedbIndexName(fields)]) await this.datastore.removeIndexAsync(nedbIndexName(fields));
    this.uniqueKeys.set(name, index);
  }

  private duplicate(index: UniqueKeyIndex<Raw>, doc: AnyObject): DuplicateKeyError {
    const key = Object.fromEntries(index.fields.map((f) => [f, doc[f] ?? null]));
    return new DuplicateKeyError(this.name, `Duplicate key ${JSON.stringify(key)} in ${this.name}`);
  }

  /** Applies a MongoDB update to a copy of `raw` and replaces the stored document with it. */
  private async applyUpdate(raw: Raw, update: Update): Promise<Raw> {
    const modifier = { ...update } as AnyObject;
    delete modifier.$setOnInsert;
    const next = copyPlain(raw);
    if (!applyFastUpdate(next, modifier as Record<string, Record<string, unknown>>)) {
      if (mingoUpdate(next, modifier).length === 0) return raw;
    }
    assertStorableDocument(next, this.name);
    const keys = [...this.uniqueKeys.values()].map((index) => {
      const before = index.keyOf(raw);
      const after = index.keyOf(next as Raw);
      if (after !== before && index.holder(after, raw)) throw this.duplicate(index, next);
      return { index, before, after };
    });
    try {
      await this.datastore.updateAsync({ _id: raw._id }, next, {});
    } catch (e) {
      throw this.translate(e);
    }
    for (const index of this.hashIndexes.values()) index.remove(raw);
    for (const { index, before } of keys) index.delete(before, raw);
    this.indexLive(raw._id);
    return next;
  }

  /** The document MongoDB would insert for an upsert: the filter's equality fields, then the update. */
  private async upsertNew(filter: Filter, update: Update): Promise<Raw> {
    const doc: AnyObject = {};
    for (const [field, condition] of Object.entries(filter)) {
      if (field.startsWith('$')) continue;
      if (isOperatorObject(condition)) {
        if ('$eq' in condition && Object.keys(condition).length === 1) setPath(doc, field, condition.$eq);
      } else setPath(doc, field, copyPlain(condition));
    }
    const { $setOnInsert, ...rest } = update;
    if ($setOnInsert) mingoUpdate(doc, { $set: $setOnInsert } as AnyObject);
    mingoUpdate(doc, rest as AnyObject);
    assertStorableDocument(doc, this.name);
    this.assertUniqueKeys([withId(doc) as Raw]);
    let inserted: Raw;
    try {
      inserted = (await this.datastore.insertAsync(doc)) as Raw;
    } catch (e) {
      throw this.translate(e);
    }
    this.indexLive(inserted._id);
    return inserted;
  }

  private assertDocument(doc: T): void {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new ValidationError('store.invalid_document', `Cannot store a non-object in ${this.name}`);
    }
    assertStorableDocument(doc, this.name);
  }

  private translate(e: unknown): unknown {
    const err = e as { errorType?: string; key?: unknown; message?: string };
    if (err && err.errorType === 'uniqueViolated') {
      return new DuplicateKeyError(this.name, `Duplicate key ${JSON.stringify(err.key)} in ${this.name}`);
    }
    return e;
  }
}
