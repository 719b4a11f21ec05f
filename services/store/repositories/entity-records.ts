import type { z } from 'zod';
import type { Deps } from '../../domain/deps.js';
import type { Collection, Filter, SortSpec } from '../port.js';
import {
  forgetReference,
  insertNew,
  notFound,
  pageOptions,
  parseEntity,
  setAndUnset,
  type Page,
} from './support.js';

export interface EntityConfig<T extends { id: string }, New> {
  collection: Collection<T>;
  /** Singular name used in error codes, e.g. `queue` → `queue.not_found`. */
  entity: string;
  schema: z.ZodType<T>;
  idPrefix: string;
  /** Fills defaults for `create`; receives a generated id and the current time. */
  build(input: New, id: string, now: Date): T;
  /** Rejects writes that refer to ids that do not exist (with a typed error). */
  checkReferences?(entity: T): Promise<void>;
  listSort?: SortSpec;
  /** Fields `update` may not touch (maintained by dedicated conditional writes). */
  readOnly?: readonly string[];
}

/**
 * The create/read/update/remove every entity shares. Writes validate the whole resulting entity
 * before anything is stored; `update` writes only the patched fields so that concurrent dedicated
 * writes (capacity counters, links) are not overwritten with stale values.
 */
export class EntityRecords<T extends { id: string }, New, Patch extends object = Partial<T>> {
  constructor(
    protected readonly config: EntityConfig<T, New>,
    protected readonly deps: Deps,
  ) {}

  protected get collection(): Collection<T> {
    return this.config.collection;
  }

  /** Stores a complete entity as given (ids chosen by the caller). */
  async insert(entity: T): Promise<T> {
    const doc = parseEntity(this.config.schema, entity, this.config.entity);
    await this.config.checkReferences?.(doc);
    await insertNew(this.collection, this.config.entity, doc);
    return doc;
  }

  /** Stores a new entity from the essentials, filling defaults; `id` may be given (demo data, tests). */
  async create(input: New & { id?: string }): Promise<T> {
    const id = input.id ?? this.deps.newId(this.config.idPrefix);
    return this.insert(this.config.build(input, id, this.deps.now()));
  }

  async get(id: string): Promise<T | null> {
    return this.collection.findOne({ id });
  }

  async require(id: string): Promise<T> {
    const found = await this.get(id);
    if (!found) throw notFound(this.config.entity, id);
    return found;
  }

  async getMany(ids: string[]): Promise<T[]> {
    if (ids.length === 0) return [];
    return this.collection.find({ id: { $in: ids } });
  }

  async list(page: Page = {}): Promise<T[]> {
    return this.collection.find({}, { ...pageOptions(page), sort: this.config.listSort ?? { id: 1 } });
  }

  async count(): Promise<number> {
    return this.collection.count({});
  }

  async update(id: string, patch: Patch): Promise<T> {
    const updated = await this.updateFrom(await this.require(id), patch);
    if (!updated) throw notFound(this.config.entity, id);
    return updated;
  }

  /**
   * `patch` applied to the record as `current` read it, or null when it changed meanwhile (its
   * `updatedAt` moved) or went: a writer whose change depends on what it read reads again.
   */
  async updateUnlessChanged(current: T, patch: Patch): Promise<T | null> {
    return this.updateFrom(current, patch, true);
  }

  private async updateFrom(current: T, patch: Patch, unlessChanged = false): Promise<T | null> {
    const id = (current as { id: string }).id;
    const fields: Record<string, unknown> = { ...(patch as Record<string, unknown>) };
    delete fields.id;
    delete fields.version;
    for (const key of this.config.readOnly ?? []) delete fields[key];
    if ('updatedAt' in current) {
      // Later than the time read, even within its millisecond: a writer holding that time must miss.
      const before = (current as { updatedAt: Date }).updatedAt.getTime();
      fields.updatedAt = new Date(Math.max(this.deps.now().getTime(), before + 1));
    }
    const merged = { ...current, ...fields };
    for (const [k, v] of Object.entries(fields))
      if (v === undefined) delete (merged as Record<string, unknown>)[k];
    const next = parseEntity(this.config.schema, merged, this.config.entity);
    await this.config.checkReferences?.(next);
    if (Object.keys(fields).length === 0) return current;
    const written: Record<string, unknown> = {};
    for (const key of Object.keys(fields)) written[key] = (next as Record<string, unknown>)[key];
    // Versioned entities (agents) count every change, so optimistic writers elsewhere notice it.
    const versioned = typeof (current as { version?: unknown }).version === 'number';
    const read = unlessChanged ? { updatedAt: (current as { updatedAt?: Date }).updatedAt } : {};
    return this.collection.findOneAndUpdate({ id, ...read } as Filter, {
      ...setAndUnset(written),
      ...(versioned ? { $inc: { version: 1 } } : {}),
    });
  }

  async remove(id: string): Promise<boolean> {
    forgetReference(this.collection, id);
    return (await this.collection.deleteMany({ id })) > 0;
  }

  protected async findWhere(filter: Filter, page: Page = {}, sort?: SortSpec): Promise<T[]> {
    return this.collection.find(filter, {
      ...pageOptions(page),
      sort: sort ?? this.config.listSort ?? { id: 1 },
    });
  }
}
