import { Query, aggregate as mingoAggregate, update as mingoUpdate } from 'mingo';
import type { AnyObject } from 'mingo/types';
import { ValidationError } from '../../domain/errors.js';
import { assertProjection, assertStorableDocument, assertStorableUpdate } from '../document-keys.js';
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
import { compileFastFilter, type FastMatcher } from './fast-path.js';
import { updatedCopy } from './updated-copy.js';
import { HashIndex } from './hash-index.js';
import { KeysSeen, UniqueKeyIndex, type UniqueKey } from './unique-key-index.js';
import { unsetsForUndefined } from '../defined-only.js';
import { copyPlain, copyToStore, copyWithoutId } from './plain-copy.js';
import { newDocumentId } from './document-ids.js';
import type { Datafile } from './datafile.js';
import type { GroupCommit } from './group-commit.js';
import { InsertionOrderedMap } from './sharded-map.js';
import { OrderedIndex, type NumericBounds, type OrderedKind } from './ordered-index.js';
import { sortNatively } from './sort-order.js';

type Raw = AnyObject & { _id: string };

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

/** `{ $gt: 5 }`, `{ $gte: 2, $lt: 10 }`: numeric bounds an ordered index can answer. */
/**
 * A condition made only of range operators on numbers, or only on dates, as bounds an ordered index
 * of that kind answers (dates by their time); null for anything else.
 */
function rangeOf(condition: unknown): { kind: OrderedKind; bounds: NumericBounds } | null {
  if (!isOperatorObject(condition)) return null;
  const entries = Object.entries(condition);
  if (entries.length === 0 || !entries.every(([op]) => RANGE_OPERATORS.has(op))) return null;
  if (entries.every(([, v]) => typeof v === 'number' && !Number.isNaN(v)))
    return { kind: 'number', bounds: condition as NumericBounds };
  if (entries.every(([, v]) => v instanceof Date && !Number.isNaN(v.getTime())))
    return {
      kind: 'date',
      bounds: Object.fromEntries(entries.map(([op, v]) => [op, (v as Date).getTime()])) as NumericBounds,
    };
  return null;
}

function* reversed<T>(items: readonly T[]): Iterable<T> {
  for (let i = items.length - 1; i >= 0; i--) yield items[i]!;
}

function orderedName(field: string, kind: OrderedKind): string {
  return `${kind} ${field}`;
}

/** The document with an `_id` of ours when the caller gave none (see document-ids.ts). */
function withId(doc: AnyObject): AnyObject {
  if (doc._id === undefined) doc._id = newDocumentId();
  return doc;
}

/** A copy of only these top-level fields of a stored document (MongoDB's inclusion projection). */
function pickFields<R>(raw: Raw, fields: readonly string[]): R {
  const out: AnyObject = {};
  for (const field of fields) if (Object.hasOwn(raw, field)) out[field] = copyPlain(raw[field]);
  return out as R;
}

function isPlainFilter(value: unknown): value is Filter {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const READING_STAGES = new Set(['$match', '$sort', '$limit', '$skip', '$group', '$count']);

/**
 * Stages that read documents without changing them, ending in groups ($group, $count), and never
 * naming the whole document or the store's `_id` (which the Mongo adapter leaves out).
 */
function groupsOnly(stages: readonly Record<string, unknown>[]): boolean {
  const names = stages.map((stage) => Object.keys(stage));
  if (!names.every((keys) => keys.length === 1 && READING_STAGES.has(keys[0]!))) return false;
  if (!names.some(([name]) => name === '$group' || name === '$count')) return false;
  return !/\$\$ROOT|\$\$CURRENT|"\$_id\b/.test(JSON.stringify(stages));
}

function isIndexableScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The scalar an equality condition (`value` or `{ $eq: value }`) pins a field to, if it does. */
function pinnedScalar(condition: unknown): unknown {
  if (isIndexableScalar(condition)) return condition;
  if (isOperatorObject(condition) && Object.keys(condition).length === 1 && isIndexableScalar(condition.$eq))
    return condition.$eq;
  return undefined;
}

function withoutSetOnInsert(update: Update): Update {
  const { $setOnInsert: _ignored, ...rest } = update;
  return rest;
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
 * One collection of the embedded store: its documents in memory (a Map by `_id`), its indexes, and
 * its datafile (datafile.ts, NeDB's format). mingo gives the MongoDB semantics of filters, updates
 * and pipelines, so a repository behaves the same on both adapters. A write checks, appends to the
 * file and then changes memory in one synchronous step: a conditional update (read, match, write)
 * is atomic without a queue, and a write that fails leaves memory as it was. A rewrite of the
 * datafile runs beside the writes, which never wait for it (datafile.ts).
 */
export class EmbeddedCollection<T extends object> implements Collection<T> {
  private readonly docs = new InsertionOrderedMap<Raw>((raw) => raw._id);
  /** Non-unique lookups by field (see hash-index.ts), also on the lead field of compound indexes. */
  private readonly hashIndexes = new Map<string, HashIndex<Raw>>();
  /** Unique indexes (see unique-key-index.ts), by their fields joined with ','. */
  private readonly uniqueKeys = new Map<string, UniqueKeyIndex<Raw>>();
  /** The unique indexes over several fields, tried first when a filter pins all of their fields. */
  private readonly compoundKeys: UniqueKeyIndex<Raw>[] = [];
  /** Compound unique indexes by their first field, which they answer for (no hash index on it). */
  private readonly byFirstField = new Map<string, UniqueKeyIndex<Raw>>();
  /** Fields with an index of their own: a range on one is read from an ordered index. */
  private readonly rangeable = new Set<string>();
  /** Order of such a field's numbers or dates, once a range asked (see orderedIndex). */
  private readonly ordered = new Map<string, OrderedIndex<Raw>>();

  private datafile: Datafile | null = null;
  private readonly ready: Promise<void>;
  /** A rewrite of the datafile in progress (never rejects). */
  private compacting: Promise<void> | null = null;
  /**
   * Documents were deleted since the rewrite in progress (or the last one) took its snapshot: their
   * text is still in the file, above the deletion lines, until the file is rewritten without them.
   */
  private purgeWanted = false;
  private closing = false;

  constructor(
    readonly name: string,
    opened: Promise<{ datafile: Datafile; docs: Raw[] }>,
    private readonly group: GroupCommit,
  ) {
    this.ready = opened.then(({ datafile, docs }) => {
      this.datafile = datafile;
      for (const doc of docs) this.docs.set(doc._id, doc);
    });
    // A load failure surfaces on every operation, not as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  async insertOne(doc: T): Promise<void> {
    return this.insertMany([doc]);
  }

  async insertMany(docs: T[]): Promise<void> {
    if (docs.length === 0) return;
    for (const doc of docs) this.assertDocument(doc);
    // Copied as given, so the caller's objects (and their Dates) stay theirs.
    // Ids the store makes are new by construction (document-ids.ts); only given ones are checked.
    const givenIds = docs.some((d) => (d as AnyObject)._id !== undefined);
    const copies = docs.map((d) => withId(copyToStore(d) as AnyObject) as Raw);
    return this.write((datafile) => {
      // All or none: every check passes before the one append.
      if (givenIds) this.assertNewIds(copies);
      this.assertUniqueKeys(copies);
      datafile.append(copies);
      for (const raw of copies) this.index(raw);
    });
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    this.group.assertUsable();
    if (!this.datafile) await this.ready;
    return this.group.settle(this.select(filter, options).map((raw) => copyWithoutId<T>(raw)));
  }

  async findFields<K extends keyof T & string>(
    filter: Filter,
    fields: readonly K[],
    options: FindOptions = {},
  ): Promise<Array<Partial<Pick<T, K>>>> {
    assertProjection(fields, this.name);
    this.group.assertUsable();
    if (!this.datafile) await this.ready;
    return this.group.settle(
      this.select(filter, options).map((raw) => pickFields<Partial<Pick<T, K>>>(raw, fields)),
    );
  }

  async findOne(filter: Filter, options: { sort?: SortSpec } = {}): Promise<T | null> {
    this.group.assertUsable();
    if (!this.datafile) await this.ready;
    const [raw] = this.select(filter, { ...options, limit: 1 });
    return this.group.settle(raw ? copyWithoutId<T>(raw) : null);
  }

  async updateOne(filter: Filter, given: Update, options: { upsert?: boolean } = {}): Promise<number> {
    const update = this.ownUpdate(given);
    return this.write((datafile) => {
      const [raw] = this.select(filter, { limit: 1 });
      if (raw) this.applyUpdate(datafile, raw, update);
      else if (options.upsert) this.upsertNew(datafile, filter, update);
      return raw ? 1 : 0;
    });
  }

  async updateMany(filter: Filter, given: Update): Promise<number> {
    const update = this.ownUpdate(given);
    return this.write((datafile) => {
      const matches = this.select(filter, {});
      for (const raw of matches) this.applyUpdate(datafile, raw, update);
      return matches.length;
    });
  }

  async findOneAndUpdate(
    filter: Filter,
    given: Update,
    options: FindOneAndUpdateOptions = {},
  ): Promise<T | null> {
    return this.updateAndRead(filter, given, options, (raw) => copyWithoutId<T>(raw));
  }

  async findOneAndUpdateFields<K extends keyof T & string>(
    filter: Filter,
    given: Update,
    fields: readonly K[],
    options: FindOneAndUpdateOptions = {},
  ): Promise<Partial<Pick<T, K>> | null> {
    assertProjection(fields, this.name);
    return this.updateAndRead(filter, given, options, (raw) => pickFields<Partial<Pick<T, K>>>(raw, fields));
  }

  private updateAndRead<R>(
    filter: Filter,
    given: Update,
    options: FindOneAndUpdateOptions,
    copy: (raw: Raw) => R,
  ): R | null | Promise<R | null> {
    const update = this.ownUpdate(given);
    return this.write((datafile) => {
      const [raw] = this.select(filter, { limit: 1, ...(options.sort ? { sort: options.sort } : {}) });
      if (raw) {
        const after = this.applyUpdate(datafile, raw, update);
        return copy(options.returnDocument === 'before' ? raw : after);
      }
      if (!options.upsert) return null;
      const inserted = this.upsertNew(datafile, filter, update);
      return options.returnDocument === 'before' ? null : copy(inserted);
    });
  }

  async count(filter: Filter = {}): Promise<number> {
    this.group.assertUsable();
    if (!this.datafile) await this.ready;
    if (Object.keys(filter).length === 0) return this.group.settle(this.docs.size);
    return this.group.settle(this.select(filter, {}).length);
  }

  async deleteMany(filter: Filter): Promise<number> {
    return this.write((datafile) => {
      const matches = this.select(filter, {});
      if (matches.length === 0) return 0;
      datafile.append(matches.map((raw) => ({ $$deleted: true, _id: raw._id })));
      this.unindex(matches);
      // Deleted must mean gone from the disk too (a retention sweep, an erased customer), not only
      // a line saying so below the old text: the file is rewritten without it (writeNow).
      this.purgeWanted = true;
      return matches.length;
    });
  }

  async aggregate<R = Record<string, unknown>>(pipeline: Record<string, unknown>[]): Promise<R[]> {
    this.group.assertUsable();
    await this.ready;
    // A leading $match is answered like a find (indexes, fast path) so mingo sees only the matches.
    const [first, ...rest] = pipeline;
    const leadingMatch =
      first && Object.keys(first).length === 1 && isPlainFilter(first.$match)
        ? (first.$match as Filter)
        : null;
    const source = leadingMatch ? this.select(leadingMatch, {}) : [...this.docs.values()];
    const stages = leadingMatch ? rest : pipeline;
    // A pipeline that only filters, orders and groups reads the stored objects without changing
    // them and hands out groups, not documents: copying every matched document first (10,000
    // conversations to count a queue's agents on contact) was most of its time. The groups are
    // copied instead, since an accumulator may hold a stored sub-document.
    if (groupsOnly(stages)) return this.group.settle(copyPlain(mingoAggregate(source, stages)) as R[]);
    // Other pipelines may reshape documents in place; give mingo copies, never the stored objects.
    const docs = source.map((raw) => copyWithoutId<AnyObject>(raw));
    return this.group.settle((stages.length > 0 ? mingoAggregate(docs, stages) : docs) as R[]);
  }

  async ensureIndex(spec: IndexSpec): Promise<void> {
    await this.ready;
    const fields = Object.keys(spec.keys);
    if (fields.length === 0) throw new ValidationError('store.invalid_index', `Empty index on ${this.name}`);
    if (spec.unique) this.ensureUnique(fields, spec.sparse ?? false);
    if (fields.length === 1) this.rangeable.add(fields[0]!);
    // Lookups by a unique single field go through its unique index, by the first field of a
    // compound unique one through that index's first level; any other through a hash index on the
    // (leading) field.
    const lead = fields[0]!;
    const firstOfCompound = spec.unique && fields.length > 1 && !lead.includes('.');
    if (firstOfCompound && !this.byFirstField.has(lead))
      this.byFirstField.set(lead, this.uniqueKeys.get(fields.join(','))!);
    if (!(spec.unique && fields.length === 1) && !firstOfCompound && !this.hashIndexes.has(lead)) {
      const index = new HashIndex<Raw>(lead);
      for (const raw of this.docs.values()) index.add(raw);
      this.hashIndexes.set(lead, index);
    }
  }

  /** Waits for a rewrite in progress, then releases the datafile. */
  async close(): Promise<void> {
    this.closing = true;
    await this.ready.catch(() => undefined);
    while (this.compacting) await this.compacting;
    await this.datafile?.close();
  }

  /** Rewrites the datafile without superseded lines (also done automatically as they pile up). */
  async compact(): Promise<void> {
    await this.ready;
    while (this.compacting) await this.compacting;
    this.group.assertUsable();
    await this.startCompaction(this.datafile!);
  }

  // --- internals -------------------------------------------------------------------------------

  /**
   * Runs a write once the collection is loaded, then starts a rewrite of the datafile if superseded
   * lines have piled up (writes go on during it: datafile.ts). Almost always the collection is
   * ready: the body then runs at once and its result is returned as is, so the calling method's own
   * promise is the only one — an `await` on the way cost about a microsecond of a 30 µs write.
   */
  private write<R>(body: (datafile: Datafile) => R): R | Promise<R> {
    this.group.assertUsable();
    if (this.datafile) return this.group.settle(this.writeNow(this.datafile, body));
    return this.writeWhenReady(body);
  }

  private async writeWhenReady<R>(body: (datafile: Datafile) => R): Promise<R> {
    await this.ready;
    this.group.assertUsable();
    return this.group.settle(this.writeNow(this.datafile!, body));
  }

  private writeNow<R>(datafile: Datafile, body: (datafile: Datafile) => R): R {
    try {
      return body(datafile);
    } finally {
      if (!this.compacting && (this.purgeWanted || datafile.needsCompaction(this.docs.size)))
        // A failed rewrite leaves the old file in use; it is tried again at the next check.
        this.startCompaction(datafile).catch(() => undefined);
    }
  }

  private startCompaction(datafile: Datafile): Promise<void> {
    // The documents as they are now; the datafile carries every line written after this.
    const purging = this.purgeWanted;
    this.purgeWanted = false;
    let failed = false;
    const run = datafile.compact([...this.docs.values()]);
    const done = run.then(
      () => undefined,
      () => {
        failed = true;
      },
    );
    this.compacting = done;
    void done.then(() => {
      if (this.compacting === done) this.compacting = null;
      // Deleted while this rewrite ran, after its snapshot: in the new file still, so once more.
      // (Registered before any waiter on `done`, so close() sees this rewrite and waits for it.)
      if (this.purgeWanted && !this.closing && !this.group.failure)
        this.startCompaction(datafile).catch(() => undefined);
      // A purge that failed is tried again at the next write, not at once in a loop.
      if (failed && purging) this.purgeWanted = true;
    });
    return run;
  }

  /**
   * Matching documents (the stored objects: never mutate or hand out). Candidates come from an
   * index when the filter pins an indexed field to a value or a list of values; otherwise a scan.
   */
  private select(filter: Filter, options: FindOptions): Raw[] {
    const { docs: candidates, inOrderOf } = this.candidates(filter);
    const test = new FilterTest(filter);
    // Candidates read from a range come in their field's order: sorted by that field alone, the
    // first matches are the answer (the oldest due of a hundred thousand, without sorting them).
    const order = inOrderOf && options.sort ? inOrderOf.sortDirection(options.sort) : 0;
    if ((!options.sort || order !== 0) && !options.skip) {
      const out: Raw[] = [];
      const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
      for (const doc of order === -1 ? reversed(candidates as Raw[]) : candidates) {
        if (test.matches(doc)) {
          out.push(doc);
          if (out.length >= limit) break;
        }
      }
      return out;
    }
    const matches = [...candidates].filter((doc) => test.matches(doc));
    if (options.sort && matches.length > 1) {
      const start = options.skip ?? 0;
      const keep = options.limit && options.limit > 0 ? start + options.limit : Infinity;
      const sorted = sortNatively(matches, options.sort, keep);
      if (sorted) return sorted.slice(start, keep);
      let cursor = new Query({}).find<Raw>(matches).sort(options.sort);
      if (options.skip) cursor = cursor.skip(options.skip);
      if (options.limit && options.limit > 0) cursor = cursor.limit(options.limit);
      return cursor.all();
    }
    const start = options.skip ?? 0;
    return matches.slice(start, options.limit && options.limit > 0 ? start + options.limit : undefined);
  }

  /**
   * A superset of the matching documents: from the most selective index the filter pins to one or
   * a few values, or bounds on a single-field index (the event log's `seq > n` reads
   * only the tail), else every document. `select` still tests each candidate against the filter.
   */
  private candidates(filter: Filter): { docs: Iterable<Raw>; inOrderOf?: OrderedIndex<Raw> } {
    // A compound unique index whose every field the filter pins to a value: at most one document.
    for (const index of this.compoundKeys) {
      const values = index.fields.map((field) => pinnedScalar(filter[field]));
      if (values.includes(undefined)) continue;
      const exact = index.lookupTuple(values);
      if (exact) return { docs: exact };
    }
    // The best source so far, fetched only once chosen (sizes are cheap, lookups are not).
    let size = Infinity;
    let fetch: (() => Raw[]) | null = null;
    const ranges: Array<{ index: OrderedIndex<Raw>; bounds: NumericBounds }> = [];
    for (const field of Object.keys(filter)) {
      if (field.startsWith('$')) continue;
      const condition = filter[field];
      const range = rangeOf(condition);
      if (range) {
        const index = this.orderedIndex(field, range.kind);
        if (index) ranges.push({ index, bounds: range.bounds });
        continue;
      }
      const pinned = pinnedScalar(condition);
      let values: unknown[] | undefined;
      if (pinned !== undefined) values = [pinned];
      else if (
        isOperatorObject(condition) &&
        Object.keys(condition).length === 1 &&
        Array.isArray(condition.$in) &&
        condition.$in.every(isIndexableScalar)
      )
        values = condition.$in;
      if (!values) continue;
      const unique = this.uniqueKeys.get(field)?.lookup(values);
      if (unique) {
        if (unique.length < size) [size, fetch] = [unique.length, () => unique];
        if (unique.length <= 1) break;
        continue;
      }
      const index = this.hashIndexes.get(field);
      if (index) {
        const count = index.size(values);
        if (count < size) [size, fetch] = [count, () => index.lookup(values)];
        continue;
      }
      const compound = this.byFirstField.get(field);
      const count = compound?.countFirst(values) ?? null;
      if (count !== null && count < size) [size, fetch] = [count, () => compound!.lookupFirst(values)!];
    }
    // A range is walked only when no equality already narrowed the candidates to a handful.
    let range: { index: OrderedIndex<Raw>; bounds: NumericBounds } | null = null;
    if (size > 8) {
      for (const r of ranges) {
        const count = r.index.count(r.bounds);
        if (count < size) [size, range] = [count, r];
      }
    }
    if (range) return { docs: range.index.range(range.bounds), inOrderOf: range.index };
    return { docs: fetch ? fetch() : this.docs.values() };
  }

  /** Indexes a document whose `_id` is new: checked when given, new by construction when made here. */
  private index(raw: Raw): void {
    this.docs.add(raw._id, raw);
    for (const index of this.hashIndexes.values()) index.add(raw);
    for (const index of this.uniqueKeys.values()) index.set(index.keyOf(raw), raw);
    for (const index of this.ordered.values()) index.add(raw);
  }

  /** Takes deleted documents out of memory; the ordered indexes in one pass for all of them. */
  private unindex(gone: Raw[]): void {
    for (const raw of gone) {
      this.docs.delete(raw._id);
      for (const index of this.hashIndexes.values()) index.remove(raw);
      for (const index of this.uniqueKeys.values()) index.delete(index.keyOf(raw), raw);
    }
    const set = new Set(gone);
    for (const index of this.ordered.values()) index.removeAll(set);
  }

  /** Refuses `_id`s already stored, or repeated among the documents. */
  private assertNewIds(docs: Raw[]): void {
    const seen = new Set<string>();
    for (const doc of docs) {
      if (this.docs.has(doc._id) || seen.has(doc._id))
        throw new DuplicateKeyError(
          this.name,
          `Duplicate key {"_id":${JSON.stringify(doc._id)}} in ${this.name}`,
        );
      seen.add(doc._id);
    }
  }

  /** Refuses documents whose unique keys are taken, or repeated among themselves. */
  private assertUniqueKeys(docs: Raw[]): void {
    for (const index of this.uniqueKeys.values()) {
      if (docs.length === 1) {
        if (index.holder(index.keyOf(docs[0]!))) throw this.duplicate(index, docs[0]!);
        continue;
      }
      const seen = new KeysSeen();
      for (const doc of docs) {
        const key = index.keyOf(doc);
        if (!seen.add(key) || index.holder(key)) throw this.duplicate(index, doc);
      }
    }
  }

  /** A unique index over what is stored, refused (as MongoDB refuses to build it) over duplicates. */
  private ensureUnique(fields: string[], sparse: boolean): void {
    const name = fields.join(',');
    if (this.uniqueKeys.has(name)) return;
    const index = new UniqueKeyIndex<Raw>(fields, sparse);
    for (const raw of this.docs.values()) {
      const key = index.keyOf(raw);
      if (index.holder(key)) throw this.duplicate(index, raw);
      index.set(key, raw);
    }
    this.uniqueKeys.set(name, index);
    if (fields.length > 1) this.compoundKeys.push(index);
  }

  /**
   * The order of a single indexed field's numbers or dates (ordered-index.ts), built the first time
   * a range asks for it and kept from then on: every write keeps every ordered index, and most
   * indexed fields (ids, statuses) are never read by a range.
   */
  private orderedIndex(field: string, kind: OrderedKind): OrderedIndex<Raw> | null {
    const name = orderedName(field, kind);
    let index = this.ordered.get(name);
    if (!index && this.rangeable.has(field)) {
      index = OrderedIndex.of<Raw>(field, kind, this.docs.values());
      this.ordered.set(name, index);
    }
    return index ?? null;
  }

  private duplicate(index: UniqueKeyIndex<Raw>, doc: AnyObject): DuplicateKeyError {
    const key = Object.fromEntries(index.fields.map((f) => [f, doc[f] ?? null]));
    return new DuplicateKeyError(this.name, `Duplicate key ${JSON.stringify(key)} in ${this.name}`);
  }

  /**
   * A checked copy of the caller's update, taken when it is given: the stored document must share
   * nothing with the caller, and a change the caller makes afterwards must not reach it.
   */
  private ownUpdate(update: Update): Update {
    assertStorableUpdate(update, this.name);
    return copyToStore(unsetsForUndefined(update));
  }

  /** Applies an update (see ownUpdate) to `raw`, appends the result, and puts it in `raw`'s place. */
  private applyUpdate(datafile: Datafile, raw: Raw, update: Update): Raw {
    // `$setOnInsert` does nothing to a document that exists; left out without a copy when absent.
    const modifier = (update.$setOnInsert === undefined ? update : withoutSetOnInsert(update)) as AnyObject;
    // Stored documents are never changed in place, so the new one may share what did not change.
    const next = updatedCopy(raw, modifier, (doc) => assertStorableDocument(doc, this.name));
    if (next === raw) return raw;
    next._id = raw._id;
    const keys: Array<{
      index: UniqueKeyIndex<Raw>;
      before: UniqueKey | null;
      after: UniqueKey | null;
      same: boolean;
    }> = [];
    for (const index of this.uniqueKeys.values()) {
      const before = index.keyOf(raw);
      const after = index.keyOf(next);
      const same = index.sameKey(before, after);
      if (!same && index.holder(after, raw)) throw this.duplicate(index, next);
      keys.push({ index, before, after, same });
    }
    datafile.append([next]);
    this.docs.set(raw._id, next);
    for (const index of this.hashIndexes.values()) index.replace(raw, next);
    for (const { index, before, after, same } of keys) {
      if (same) index.replace(after, next);
      else {
        index.delete(before, raw);
        index.set(after, next);
      }
    }
    for (const index of this.ordered.values()) index.replace(raw, next);
    return next;
  }

  /** The document MongoDB would insert for an upsert: the filter's equality fields, then the update. */
  private upsertNew(datafile: Datafile, filter: Filter, update: Update): Raw {
    const doc: AnyObject = {};
    for (const [field, condition] of Object.entries(filter)) {
      if (field.startsWith('$')) continue;
      if (isOperatorObject(condition)) {
        if ('$eq' in condition && Object.keys(condition).length === 1)
          setPath(doc, field, copyPlain(condition.$eq));
      } else setPath(doc, field, copyPlain(condition));
    }
    const { $setOnInsert, ...rest } = update;
    if ($setOnInsert) mingoUpdate(doc, { $set: $setOnInsert } as AnyObject);
    mingoUpdate(doc, rest as AnyObject);
    assertStorableDocument(doc, this.name);
    if (doc._id !== undefined) this.assertNewIds([doc as Raw]);
    const raw = withId(doc) as Raw;
    this.assertUniqueKeys([raw]);
    datafile.append([raw]);
    this.index(raw);
    return raw;
  }

  private assertDocument(doc: T): void {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new ValidationError('store.invalid_document', `Cannot store a non-object in ${this.name}`);
    }
    assertStorableDocument(doc, this.name);
  }
}

/** A filter's test: the fast path where it can tell, mingo (compiled once, when first needed) where not. */
class FilterTest {
  private readonly fast: FastMatcher | null;
  private query: Query | null = null;

  constructor(private readonly filter: Filter) {
    this.fast = compileFastFilter(filter);
  }

  matches(doc: Raw): boolean {
    const quick = this.fast ? this.fast(doc) : undefined;
    if (quick !== undefined) return quick;
    this.query ??= new Query(this.filter as AnyObject);
    return this.query.test(doc);
  }
}
