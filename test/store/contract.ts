// The store contract: every adapter of the document port runs this one suite, so a
// third adapter is proven by one `describeStoreContract` call. It drives the port directly and the
// repositories written on it, through their public methods only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../services/domain/deps.js';
import type { BasePresence, Conversation } from '../../services/domain/entities.js';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../../services/domain/errors.js';
import { EventSaidBefore, type StoredEvent } from '../../services/domain/events.js';
import { DEMO_SEED_MARKER } from '../../services/demo/demo-ids.js';
import { seedDemoData } from '../../services/demo/seed.js';
import { hasFastProperties } from '../support/v8-layout.js';
import {
  createRepositories,
  DuplicateKeyError,
  type Collection,
  type DocumentStore,
  type Repositories,
  type SortSpec,
} from '../../services/store/index.js';

export interface StoreFixture {
  /** A fresh, empty store. */
  open(): Promise<DocumentStore>;
  /** Closes `store` and opens the same data again; absent when the adapter cannot (nothing on disk). */
  reopen?(store: DocumentStore): Promise<DocumentStore>;
  /** Whether the store refuses a duplicate key of a unique index (every adapter here does). */
  enforcesUniqueIndexes: boolean;
  /**
   * Whether `insertMany` stores none of a batch when one document is refused (embedded), or, as
   * MongoDB's ordered insert does, the documents before the refused one.
   */
  atomicBatches: boolean;
  /** A second, independent connection to the same data (another server instance); MongoDB only. */
  openAnother?(store: DocumentStore): Promise<DocumentStore>;
}

export interface TestDeps extends Deps {
  advance(ms: number): void;
}

export function testDeps(start = new Date('2026-11-25T09:00:00Z')): TestDeps {
  let now = start.getTime();
  let n = 0;
  return {
    now: () => new Date(now),
    newId: (prefix) => `${prefix}_${String(++n).padStart(4, '0')}`,
    random: () => 0.5,
    advance: (ms) => {
      now += ms;
    },
  };
}

const PORT_METHODS = [
  'insertOne',
  'insertMany',
  'find',
  'findOne',
  'findFields',
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'findOneAndUpdateFields',
  'count',
  'deleteMany',
  'aggregate',
  'ensureIndex',
] as const;

/**
 * `store` with `before` called ahead of every collection call: it may count, wait (a writer that
 * stalls) or throw (a store that refuses).
 */
function interceptStore(
  store: DocumentStore,
  before: (collection: string, method: (typeof PORT_METHODS)[number], args: unknown[]) => unknown,
): DocumentStore {
  return {
    kind: store.kind,
    close: async () => {},
    collection<T extends object>(name: string): Collection<T> {
      const c = store.collection<T>(name);
      const wrapped: Record<string, unknown> = { name: c.name };
      for (const method of PORT_METHODS) {
        wrapped[method] = async (...args: unknown[]) => {
          await before(name, method, args);
          return (c[method] as (...a: unknown[]) => Promise<unknown>).apply(c, args);
        };
      }
      return wrapped as unknown as Collection<T>;
    },
  };
}

/** A small world: two queues, a web work stream, two agents, a customer and a waiting conversation. */
export async function aWorld(repos: Repositories) {
  const tech = await repos.queues.create({
    id: 'q_tech',
    name: 'Technical support',
    workstreamIds: ['ws_web'],
  });
  const billing = await repos.queues.create({
    id: 'q_billing',
    name: 'Billing',
    workstreamIds: ['ws_web'],
    overflow: [{ when: 'size', limit: 10, action: { type: 'transfer', queueId: 'q_tech' } }],
  });
  const web = await repos.workstreams.create({
    id: 'ws_web',
    name: 'Web chat',
    channel: 'webchat',
    fallbackQueueId: 'q_tech',
    capacityCost: 30,
    rules: [
      {
        id: 'r1',
        name: 'Billing',
        order: 1,
        conditions: [{ field: 'prechat.topic', op: 'eq', value: 'Billing' }],
        queueId: 'q_billing',
        skills: ['billing'],
      },
    ],
  });
  const alex = await repos.agents.create({
    id: 'agent_alex',
    name: 'Alex Rivera',
    email: 'alex@northwind.example',
    queueIds: ['q_tech', 'q_billing'],
    skills: [{ name: 'billing', proficiency: 7 }],
    presence: 'available',
  });
  const blair = await repos.agents.create({
    id: 'agent_blair',
    name: 'Blair Chen',
    email: 'blair@northwind.example',
    queueIds: ['q_tech'],
    presence: 'available',
  });
  const customer = await repos.customers.create({
    id: 'cust_dana',
    name: 'Dana Whitfield',
    email: 'dana@example.com',
    identities: [{ channel: 'webchat', userId: 'dl_dana' }],
  });
  const conversation = await repos.conversations.create({
    channel: 'webchat',
    customerId: customer.id,
    workstreamId: web.id,
    queueId: tech.id,
    status: 'waiting',
    timestamps: { createdAt: new Date('2026-11-25T08:59:00Z'), queuedAt: new Date('2026-11-25T08:59:30Z') },
  });
  return { tech, billing, web, alex, blair, customer, conversation };
}

async function expectError<E extends DomainError>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
  code?: string | RegExp,
): Promise<E> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the write to be rejected').toBeInstanceOf(type);
  if (code !== undefined) expect((error as E).code).toMatch(code);
  return error as E;
}

export function describeStoreContract(name: string, makeFixture: () => StoreFixture): void {
  describe(`store contract: ${name}`, () => {
    const fixture = makeFixture();
    let store: DocumentStore;
    let deps: TestDeps;
    let repos: Repositories;

    beforeEach(async () => {
      store = await fixture.open();
      deps = testDeps();
      repos = await createRepositories(store, deps);
    });

    afterEach(async () => {
      await store.close();
    });

    describe('document port', () => {
      it('stores a field left undefined, at any depth, as absent, never as null', async () => {
        type Doc = { id: string; top?: number; sub: { a?: boolean; b: number; deep?: { c?: string } } };
        const c = store.collection<Doc>('undefined_fields');
        await c.insertOne({ id: 'i', top: undefined, sub: { a: undefined, b: 1, deep: { c: undefined } } });
        await c.updateOne({ id: 'u' }, { $set: { sub: { a: undefined, b: 2 } } }, { upsert: true });
        await c.insertOne({ id: 's', top: 3, sub: { a: true, b: 3 } });
        await c.updateOne({ id: 's' }, { $set: { top: undefined, 'sub.deep': { c: undefined } } });
        await c.findOneAndUpdate(
          { id: 'f' },
          { $setOnInsert: { sub: { b: 4, a: undefined } } },
          { upsert: true },
        );
        const found = await c.find({}, { sort: { id: 1 } });
        expect(found.map((d) => [d.id, d.top, d.sub.a, d.sub.deep?.c])).toEqual([
          ['f', undefined, undefined, undefined],
          ['i', undefined, undefined, undefined],
          ['s', undefined, true, undefined],
          ['u', undefined, undefined, undefined],
        ]);
        expect(found.map((d) => d.sub.b)).toEqual([4, 1, 3, 2]);
        expect(await c.count({ 'sub.a': null })).toBe(3);
        expect(await c.count({ top: { $exists: true } })).toBe(0);
      });

      it('hands out copies: changing a document given or found changes nothing stored', async () => {
        type Doc = {
          id: string;
          tags: string[];
          at: Date;
          nested: { n: number; list: Array<{ k: string }> };
        };
        const c = store.collection<Doc>('copies');
        const given: Doc = { id: 'a', tags: ['x'], at: new Date(1000), nested: { n: 1, list: [{ k: 'v' }] } };
        await c.insertOne(given);
        given.tags.push('given');
        given.at.setTime(2000);
        given.nested.list[0]!.k = 'given';
        const found = (await c.findOne({ id: 'a' }))!;
        expect(found).toEqual({
          id: 'a',
          tags: ['x'],
          at: new Date(1000),
          nested: { n: 1, list: [{ k: 'v' }] },
        });
        found.tags.push('found');
        found.at.setTime(3000);
        found.nested.n = 2;
        const updated = (await c.findOneAndUpdate({ id: 'a' }, { $set: { 'nested.n': 5 } }))!;
        updated.nested.list.push({ k: 'updated' });
        updated.tags.length = 0;
        updated.at.setTime(4000);
        expect(await c.find({ id: 'a' })).toEqual([
          { id: 'a', tags: ['x'], at: new Date(1000), nested: { n: 5, list: [{ k: 'v' }] } },
        ]);
        // Values handed to an update or an upsert are not kept by reference either.
        const pushed = { k: 'pushed' };
        const at = new Date(5000);
        await c.updateOne({ id: 'a' }, { $push: { 'nested.list': pushed }, $set: { at } });
        const nested = { n: 9, list: [{ k: 'upserted' }] };
        await c.updateOne({ id: 'b' }, { $set: { nested, tags: ['y'], at } }, { upsert: true });
        pushed.k = 'changed';
        at.setTime(6000);
        nested.list[0]!.k = 'changed';
        expect(await c.find({}, { sort: { id: 1 } })).toEqual([
          { id: 'a', tags: ['x'], at: new Date(5000), nested: { n: 5, list: [{ k: 'v' }, { k: 'pushed' }] } },
          { id: 'b', tags: ['y'], at: new Date(5000), nested: { n: 9, list: [{ k: 'upserted' }] } },
        ]);
        // Documents written at the same instant may share it in the store, never through a read.
        const [readA] = await c.find({ id: 'a' });
        readA!.at.setTime(7000);
        expect((await c.findOne({ id: 'b' }))!.at).toEqual(new Date(5000));
        expect((await c.findOne({ id: 'a' }))!.at).toEqual(new Date(5000));
        // So may empty lists and sub-documents: filling one, read or updated, fills no other.
        const empty = (id: string): Doc => ({ id, tags: [], at, nested: {} as Doc['nested'] });
        await c.insertMany([empty('c'), empty('d'), empty('e')]);
        const readC = (await c.findOne({ id: 'c' }))!;
        readC.tags.push('read');
        readC.nested.n = 1;
        await c.updateOne({ id: 'd' }, { $push: { tags: 'pushed' }, $set: { 'nested.n': 2 } });
        await c.updateOne({ id: 'e' }, { $addToSet: { tags: 'added' }, $inc: { 'nested.n': 3 } });
        expect(await c.find({ id: { $in: ['c', 'd', 'e'] } }, { sort: { id: 1 } })).toEqual([
          empty('c'),
          { ...empty('d'), tags: ['pushed'], nested: { n: 2 } },
          { ...empty('e'), tags: ['added'], nested: { n: 3 } },
        ]);
      });

      it('finds with filter, sort, skip and limit, and never exposes _id', async () => {
        const c = store.collection<{ id: string; n: number; tag: string }>('things');
        await c.insertMany([
          { id: 'a', n: 3, tag: 'x' },
          { id: 'b', n: 1, tag: 'y' },
          { id: 'c', n: 2, tag: 'x' },
          { id: 'd', n: 4, tag: 'x' },
        ]);
        const xs = await c.find({ tag: 'x', n: { $gte: 2 } }, { sort: { n: -1 }, skip: 1, limit: 2 });
        expect(xs.map((d) => d.id)).toEqual(['a', 'c']);
        expect(Object.keys(xs[0]!)).not.toContain('_id');
        expect(await c.findOne({ tag: 'y' })).toEqual({ id: 'b', n: 1, tag: 'y' });
        expect(await c.count({ tag: 'x' })).toBe(3);
        expect(await c.deleteMany({ n: { $lt: 3 } })).toBe(2);
        expect(await c.count()).toBe(2);
      });

      it('finds by a value thousands of documents share, through updates, moves and deletes', async () => {
        // Every event of a type, every closed conversation: the embedded store keeps so many
        // documents of one value apart from a few (hash-index.ts), and they must answer alike.
        type Item = { id: string; status: string; n: number };
        const c = store.collection<Item>('shared_value');
        await c.ensureIndex({ keys: { id: 1 }, unique: true });
        await c.ensureIndex({ keys: { status: 1 } });
        const total = 5000;
        await c.insertMany(
          Array.from({ length: total }, (_, i) => ({
            id: `i${String(i).padStart(4, '0')}`,
            status: 'closed',
            n: 0,
          })),
        );
        await c.updateMany({ id: { $in: ['i0001', 'i4998'] } }, { $set: { n: 1 } });
        await c.updateOne({ id: 'i0002' }, { $set: { status: 'open' } });
        expect(await c.deleteMany({ id: { $in: ['i0003', 'i4999'] } })).toBe(2);
        await c.insertOne({ id: 'i5000', status: 'closed', n: 2 });
        const closed = await c.find({ status: 'closed' }, { sort: { id: 1 } });
        expect(closed).toHaveLength(total - 3 + 1);
        expect(closed.slice(0, 3).map((d) => [d.id, d.n])).toEqual([
          ['i0000', 0],
          ['i0001', 1],
          ['i0004', 0],
        ]);
        expect(closed.slice(-2).map((d) => [d.id, d.n])).toEqual([
          ['i4998', 1],
          ['i5000', 2],
        ]);
        expect(await c.count({ status: { $in: ['closed', 'open'] } })).toBe(total - 1);
        expect((await c.find({ status: 'open' })).map((d) => d.id)).toEqual(['i0002']);
        expect(await c.find({ status: 'closed', n: 2 })).toEqual([{ id: 'i5000', status: 'closed', n: 2 }]);
      });

      it('finds by indexed fields (scalar, array, nested) after updates move documents between values', async () => {
        const c = store.collection<{ id: string; status: string; tags: string[]; who: { name: string }[] }>(
          'things',
        );
        await c.ensureIndex({ keys: { id: 1 }, unique: true });
        await c.ensureIndex({ keys: { status: 1, id: 1 } });
        await c.ensureIndex({ keys: { tags: 1 } });
        await c.ensureIndex({ keys: { 'who.name': 1 } });
        await c.insertMany([
          { id: 'a', status: 'waiting', tags: ['x'], who: [{ name: 'ann' }] },
          { id: 'b', status: 'waiting', tags: ['y'], who: [{ name: 'bob' }, { name: 'cy' }] },
        ]);
        await c.updateOne({ id: 'a' }, { $set: { status: 'offered' }, $push: { tags: 'y' } });
        await c.findOneAndUpdate({ id: 'b' }, { $set: { who: [{ name: 'dee' }] } });
        const ids = async (filter: Record<string, unknown>) =>
          (await c.find(filter, { sort: { id: 1 } })).map((d) => d.id);
        expect(await ids({ status: 'waiting' })).toEqual(['b']);
        expect(await ids({ status: 'offered' })).toEqual(['a']);
        expect(await ids({ status: { $in: ['waiting', 'offered'] } })).toEqual(['a', 'b']);
        expect(await ids({ tags: 'y' })).toEqual(['a', 'b']);
        expect(await ids({ 'who.name': 'cy' })).toEqual([]);
        expect(await ids({ 'who.name': 'dee' })).toEqual(['b']);
        await c.deleteMany({ id: 'a' });
        expect(await ids({ tags: 'y' })).toEqual(['b']);
        await c.updateOne({ id: 'new' }, { $set: { status: 'waiting', tags: [] } }, { upsert: true });
        expect(await ids({ status: 'waiting' })).toEqual(['b', 'new']);
      });

      it('keeps values that read alike but differ in type apart, in unique and other indexes', async () => {
        // Strings are their own index keys in the embedded store and other types are tagged; these
        // strings spell the tags.
        type Thing = { id: string; u?: unknown; h?: unknown };
        const c = store.collection<Thing>('alike');
        await c.ensureIndex({ keys: { u: 1 }, unique: true, sparse: true });
        await c.ensureIndex({ keys: { h: 1 } });
        const values: Array<[string, unknown]> = [
          ['num', 5],
          ['numString', '5'],
          ['taggedNum', '\u0001n5'],
          ['true', true],
          ['trueString', 'T'],
          ['taggedTrue', '\u0001T'],
          ['null', null],
          ['z', 'z'],
          ['taggedNull', '\u0001z'],
          ['date', new Date(5)],
          ['taggedDate', '\u0001d5'],
          ['empty', ''],
          ['zero', 0],
          ['half', 5.5],
          ['big', 2 ** 40],
          ['bigAndOne', 2 ** 40 + 1],
        ];
        await c.insertMany(values.map(([id, v]) => ({ id, u: v, h: v })));
        for (const [id, v] of values) {
          expect((await c.find({ u: v })).map((d) => d.id)).toEqual([id]);
          expect((await c.find({ h: v })).map((d) => d.id)).toEqual([id]);
        }
        // Numbers are equal by value, as MongoDB compares them: -0 is 0.
        expect((await c.find({ u: -0 })).map((d) => d.id)).toEqual(['zero']);
        expect((await c.find({ h: -0 })).map((d) => d.id)).toEqual(['zero']);
        // A duplicate of each is refused, whatever its look-alikes hold.
        if (fixture.enforcesUniqueIndexes)
          for (const [id, v] of values) {
            await expect(c.insertOne({ id: `${id}-again`, u: v })).rejects.toThrow(DuplicateKeyError);
          }
        expect(await c.count({})).toBe(values.length);
        // Nor do the fields of a compound index run into each other, whatever characters they hold.
        const pairs = store.collection<{ a: string; b: string }>('alike_pairs');
        await pairs.ensureIndex({ keys: { a: 1, b: 1 }, unique: true });
        const tuples = [
          ['x:1', 'y'],
          ['x', '1:y'],
          ['x\u0000', 'y'],
          ['x', '\u0000y'],
          ['1:x', 'y'],
        ];
        await pairs.insertMany(tuples.map(([a, b]) => ({ a: a!, b: b! })));
        for (const [a, b] of tuples) expect(await pairs.find({ a, b })).toEqual([{ a, b }]);
        if (fixture.enforcesUniqueIndexes)
          await expect(pairs.insertOne({ a: 'x', b: '1:y' })).rejects.toThrow(DuplicateKeyError);
      });

      it('answers bounds on a unique field as MongoDB does, whatever else the field holds', async () => {
        type Thing = { id: string; n?: unknown; tag?: string };
        const c = store.collection<Thing>('things');
        await c.ensureIndex({ keys: { n: 1 }, unique: true, sparse: true });
        const d1 = new Date('2026-11-25T09:00:00Z');
        const d2 = new Date('2026-11-25T10:00:00Z');
        await c.insertMany([
          { id: 'one', n: 1 },
          { id: 'twoHalf', n: 2.5, tag: 'x' },
          { id: 'seven', n: 7, tag: 'x' },
          { id: 'ten', n: 10 },
          { id: 'string', n: '9' },
          { id: 'array', n: [3, 12], tag: 'x' },
          { id: 'null', n: null },
          { id: 'missing' },
          { id: 'early', n: d1 },
          { id: 'late', n: d2 },
        ]);
        const ids = async (filter: Record<string, unknown>) =>
          (await c.find(filter, { sort: { id: 1 } })).map((d) => d.id);
        expect(await ids({ n: { $gt: 2 } })).toEqual(['array', 'seven', 'ten', 'twoHalf']);
        expect(await ids({ n: { $gte: 2.5, $lt: 10 } })).toEqual(['array', 'seven', 'twoHalf']);
        expect(await ids({ n: { $lt: 3 } })).toEqual(['one', 'twoHalf']);
        expect(await ids({ n: { $lte: 1 } })).toEqual(['one']);
        expect(await ids({ n: { $gt: d1 } })).toEqual(['late']);
        expect(await ids({ n: { $gt: 2 }, tag: 'x' })).toEqual(['array', 'seven', 'twoHalf']);
        expect(
          (await c.find({ n: { $gt: 2, $lt: 11 }, id: { $ne: 'array' } }, { sort: { n: -1 }, limit: 2 })).map(
            (d) => d.id,
          ),
        ).toEqual(['ten', 'seven']);
        // Updates and deletes move documents in and out of a range.
        await c.updateOne({ id: 'seven' }, { $set: { n: 11 } });
        await c.updateOne({ id: 'one' }, { $inc: { n: 20 } });
        await c.deleteMany({ id: 'ten' });
        expect(await ids({ n: { $gt: 10 } })).toEqual(['array', 'one', 'seven']);
        expect(await ids({ n: { $lt: 10 } })).toEqual(['array', 'twoHalf']);
        expect(await c.count({ n: { $gte: 0 } })).toBe(4);
        // An update that leaves the key alone is seen by the next range read.
        await c.updateOne({ id: 'twoHalf' }, { $set: { tag: 'y' } });
        expect(await c.find({ n: { $lt: 10 } }, { sort: { id: 1 } })).toEqual([
          { id: 'array', n: [3, 12], tag: 'x' },
          { id: 'twoHalf', n: 2.5, tag: 'y' },
        ]);
      });

      it('answers date and number bounds on a field indexed without uniqueness as MongoDB does', async () => {
        type Item = { id: string; at?: unknown; t?: { createdAt?: unknown } };
        const c = store.collection<Item>('items');
        await c.ensureIndex({ keys: { at: 1 } });
        await c.ensureIndex({ keys: { 't.createdAt': 1 } });
        const hour = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
        await c.insertMany([
          { id: 'a9', at: hour(9), t: { createdAt: hour(9) } },
          { id: 'b9', at: hour(9), t: { createdAt: hour(12) } },
          { id: 'c10', at: hour(10) },
          { id: 'd11', at: hour(11), t: {} },
          { id: 'list', at: [hour(8), hour(13)] },
          { id: 'number', at: hour(9).getTime() },
          { id: 'string', at: hour(9).toISOString() },
          { id: 'null', at: null },
          { id: 'missing' },
        ]);
        const ids = async (filter: Record<string, unknown>) =>
          (await c.find(filter, { sort: { id: 1 } })).map((d) => d.id);
        // A date bound matches dates only (and an array by any of its dates); a number bound numbers only.
        expect(await ids({ at: { $lt: hour(10) } })).toEqual(['a9', 'b9', 'list']);
        // An array meets the two bounds by different elements (13 ≥ 10, 8 < 12), as in MongoDB.
        expect(await ids({ at: { $gte: hour(10), $lt: hour(12) } })).toEqual(['c10', 'd11', 'list']);
        expect(await ids({ at: { $gt: hour(11) } })).toEqual(['list']);
        expect(await ids({ at: { $lte: hour(9).getTime() } })).toEqual(['number']);
        expect(await ids({ 't.createdAt': { $gt: hour(10) } })).toEqual(['b9']);
        expect(await c.count({ at: { $gte: hour(9), $lte: hour(9) } })).toBe(3); // a9, b9 and the list
        // Updates move documents in and out of a range; deletes by a range take only what is in it.
        await c.updateOne({ id: 'c10' }, { $set: { at: hour(7) } });
        await c.updateOne({ id: 'a9' }, { $unset: { at: '' } });
        await c.updateOne({ id: 'missing' }, { $set: { at: hour(14) } });
        expect(await ids({ at: { $lt: hour(10) } })).toEqual(['b9', 'c10', 'list']);
        expect(await ids({ at: { $gt: hour(12) } })).toEqual(['list', 'missing']);
        const grouped = await c.aggregate<{ _id: null; n: number }>([
          { $match: { at: { $lt: hour(10) } } },
          { $group: { _id: null, n: { $sum: 1 } } },
        ]);
        expect(grouped).toEqual([{ _id: null, n: 3 }]);
        expect(await c.deleteMany({ at: { $lt: hour(9) } })).toBe(2);
        expect(await ids({})).toEqual(['a9', 'b9', 'd11', 'missing', 'null', 'number', 'string']);
        expect(await ids({ at: { $lt: hour(12) } })).toEqual(['b9', 'd11']);
      });

      it('reports its kind and version for the health endpoint', async () => {
        expect(['embedded', 'mongodb']).toContain(store.kind);
        expect(await store.version?.()).toMatch(/^(nedb|MongoDB) /);
      });

      it('applies $set, $unset, $inc, $push, $addToSet, $pull, $max and $min', async () => {
        const c = store.collection<Record<string, unknown>>('things');
        await c.insertOne({ id: 'a', n: 1, tags: ['x'], nested: { k: 1 }, gone: true });
        await c.updateOne(
          { id: 'a' },
          { $set: { 'nested.k': 2, s: 'v' }, $unset: { gone: '' }, $inc: { n: 5 }, $push: { tags: 'y' } },
        );
        await c.updateOne({ id: 'a' }, { $max: { n: 3, hi: 1 }, $min: { lo: 0 } });
        await c.updateOne({ id: 'a' }, { $max: { hi: 0 }, $min: { lo: 2 } });
        await c.updateOne({ id: 'a' }, { $addToSet: { tags: 'x' } });
        await c.updateOne({ id: 'a' }, { $pull: { tags: 'x' } });
        expect(await c.findOne({ id: 'a' })).toEqual({
          id: 'a',
          n: 6,
          tags: ['y'],
          nested: { k: 2 },
          s: 'v',
          hi: 1,
          lo: 0,
        });
      });

      it('upserts with $setOnInsert and returns the document before or after', async () => {
        const c = store.collection<{ id: string; value: number; created?: string }>('things');
        const first = await c.findOneAndUpdate(
          { id: 'k' },
          { $setOnInsert: { created: 'yes' }, $inc: { value: 1 } },
          { upsert: true },
        );
        expect(first).toEqual({ id: 'k', value: 1, created: 'yes' });
        const before = await c.findOneAndUpdate(
          { id: 'k' },
          { $setOnInsert: { created: 'again' }, $inc: { value: 1 } },
          { upsert: true, returnDocument: 'before' },
        );
        expect(before).toEqual({ id: 'k', value: 1, created: 'yes' });
        expect(await c.updateOne({ id: 'missing' }, { $set: { value: 1 } })).toBe(0);
        expect(await c.count({ id: 'missing' })).toBe(0);
      });

      it('runs an aggregation pipeline', async () => {
        const c = store.collection<{ q: string; wait: number; at: Date }>('things');
        await c.insertMany([
          { q: 'tech', wait: 10, at: new Date('2026-11-25T09:00:00Z') },
          { q: 'tech', wait: 30, at: new Date('2026-11-25T10:00:00Z') },
          { q: 'billing', wait: 5, at: new Date('2026-11-25T11:00:00Z') },
        ]);
        const rows = await c.aggregate<{ _id: string; avg: number; n: number }>([
          { $match: { at: { $gte: new Date('2026-11-25T00:00:00Z') } } },
          { $group: { _id: '$q', avg: { $avg: '$wait' }, n: { $sum: 1 } } },
          { $sort: { _id: 1 } },
        ]);
        expect(rows).toEqual([
          { _id: 'billing', avg: 5, n: 1 },
          { _id: 'tech', avg: 20, n: 2 },
        ]);
        await c.ensureIndex({ keys: { q: 1 } });
        const onlyMatch = await c.aggregate([{ $match: { q: 'tech', wait: { $gt: 10 } } }]);
        expect(onlyMatch).toEqual([{ q: 'tech', wait: 30, at: new Date('2026-11-25T10:00:00Z') }]);
        const counted = await c.aggregate([{ $match: { q: { $in: ['tech', 'billing'] } } }, { $count: 'n' }]);
        expect(counted).toEqual([{ n: 3 }]);
      });

      it('hands out groups that share nothing with what is stored', async () => {
        const c = store.collection<{ q: string; detail: { notes: string[] }; at: Date }>('things');
        await c.insertMany([
          { q: 'tech', detail: { notes: ['first'] }, at: new Date(1000) },
          { q: 'tech', detail: { notes: ['second'] }, at: new Date(2000) },
        ]);
        const [group] = await c.aggregate<{
          _id: string;
          detail: { notes: string[] };
          at: Date;
          all: Date[];
        }>([
          { $match: { q: 'tech' } },
          { $sort: { at: 1 } },
          {
            $group: {
              _id: '$q',
              detail: { $first: '$detail' },
              at: { $first: '$at' },
              all: { $push: '$at' },
            },
          },
        ]);
        expect(group).toEqual({
          _id: 'tech',
          detail: { notes: ['first'] },
          at: new Date(1000),
          all: [new Date(1000), new Date(2000)],
        });
        group!.detail.notes.push('changed');
        group!.at.setTime(9000);
        group!.all[1]!.setTime(9000);
        expect(await c.find({ q: 'tech' }, { sort: { at: 1 } })).toEqual([
          { q: 'tech', detail: { notes: ['first'] }, at: new Date(1000) },
          { q: 'tech', detail: { notes: ['second'] }, at: new Date(2000) },
        ]);
      });

      // Booleans (between strings and dates in MongoDB) are left out: CongoDB puts them elsewhere.
      it('sorts missing, null, numbers, strings and dates in MongoDB order, also with a limit', async () => {
        const c = store.collection<{ id: string; v?: unknown; o?: { v?: unknown } }>('mixed');
        const values: Array<[string, unknown]> = [
          ['date-late', new Date(2000)],
          ['str-b', 'b'],
          ['num-big', 10],
          ['null', null],
          ['date-early', new Date(1000)],
          ['str-a', 'a'],
          ['num-neg', -1.5],
          ['missing', undefined],
        ];
        await c.insertMany(
          values.map(([id, v], i) => ({
            id,
            ...(v === undefined ? {} : { v }),
            o: i % 2 && v !== undefined ? { v } : {},
          })),
        );
        const order = ['num-neg', 'num-big', 'str-a', 'str-b', 'date-early', 'date-late'];
        const ids = async (sort: SortSpec, limit?: number) =>
          (await c.find({}, { sort, ...(limit ? { limit } : {}) })).map((d) => d.id);
        // null and missing sort as equals; the id breaks the tie.
        expect(await ids({ v: 1, id: 1 })).toEqual(['missing', 'null', ...order]);
        // (CongoDB puts missing before null where MongoDB ties them: the ties are checked as sets.)
        const descending = await ids({ v: -1, id: 1 });
        expect(descending.slice(0, 6)).toEqual([...order].reverse());
        expect(descending.slice(6).sort()).toEqual(['missing', 'null']);
        expect(await ids({ v: -1, id: 1 }, 2)).toEqual(['date-late', 'date-early']);
        const firstThree = await ids({ v: 1, id: -1 }, 3);
        expect([firstThree.slice(0, 2).sort(), firstThree[2]]).toEqual([['missing', 'null'], 'num-neg']);
        expect(await ids({ 'o.v': -1, id: 1 }, 2)).toEqual(['str-b', 'str-a']);
      });

      it('finds only the fields asked for, and refuses a projection of anything else', async () => {
        const c = store.collection<{ id: string; n: number; at: Date; deep: { list: number[] } }>('things');
        await c.insertMany([
          { id: 'a', n: 2, at: new Date(1000), deep: { list: [1] } },
          { id: 'b', n: 1, at: new Date(2000), deep: { list: [2] } },
        ]);
        const got = await c.findFields({}, ['id', 'deep'], { sort: { n: 1 }, limit: 1 });
        expect(got).toEqual([{ id: 'b', deep: { list: [2] } }]);
        got[0]!.deep!.list.push(3);
        expect(await c.findOne({ id: 'b' })).toMatchObject({ deep: { list: [2] } });
        expect(await c.findFields({ id: 'a' }, ['at', 'missing' as 'n'])).toEqual([{ at: new Date(1000) }]);
        for (const bad of ['_id', 'deep.list', '$where', '']) {
          await expect(c.findFields({}, [bad as 'id'])).rejects.toMatchObject({
            code: 'store.invalid_projection',
          });
        }
      });

      it('updates and returns only the fields asked for, after or before the write', async () => {
        const c = store.collection<{ id: string; n: number; who: { name: string }[]; big: string }>('things');
        await c.insertOne({ id: 'a', n: 1, who: [{ name: 'ann' }], big: 'x'.repeat(1000) });
        const after = await c.findOneAndUpdateFields({ id: 'a' }, { $inc: { n: 1 } }, ['n', 'who']);
        expect(after).toEqual({ n: 2, who: [{ name: 'ann' }] });
        after!.who!.push({ name: 'bob' });
        expect(await c.findOne({ id: 'a' })).toMatchObject({ n: 2, who: [{ name: 'ann' }] });
        const before = await c.findOneAndUpdateFields({ id: 'a' }, { $inc: { n: 1 } }, ['id', 'n'], {
          returnDocument: 'before',
        });
        expect(before).toEqual({ id: 'a', n: 2 });
        expect(await c.findOne({ id: 'a' })).toMatchObject({ n: 3, big: 'x'.repeat(1000) });
        expect(await c.findOneAndUpdateFields({ id: 'none' }, { $inc: { n: 1 } }, ['n'])).toBeNull();
        const upserted = await c.findOneAndUpdateFields({ id: 'b' }, { $inc: { n: 5 } }, ['id', 'n'], {
          upsert: true,
        });
        expect(upserted).toEqual({ id: 'b', n: 5 });
        for (const bad of ['_id', 'who.name', '$where', '']) {
          await expect(
            c.findOneAndUpdateFields({ id: 'a' }, { $inc: { n: 1 } }, [bad as 'id']),
          ).rejects.toMatchObject({
            code: 'store.invalid_projection',
          });
        }
        expect(await c.findOne({ id: 'a' })).toMatchObject({ n: 3 });
      });

      it('rejects field names MongoDB and NeDB cannot store (".", "$", __proto__) with a typed error', async () => {
        const c = store.collection<Record<string, unknown>>('things');
        await expectError(
          c.insertOne({ id: 'a', m: { 'a.b': 1 } }),
          ValidationError,
          'store.invalid_field_name',
        );
        await expectError(
          c.insertOne({ id: 'b', m: { $where: 'x' } }),
          ValidationError,
          'store.invalid_field_name',
        );
        await expectError(
          c.insertOne({ id: 'c', m: JSON.parse('{"__proto__": {"polluted": true}}') as unknown }),
          ValidationError,
          'store.invalid_field_name',
        );
        await c.insertOne({ id: 'd' });
        await expectError(
          c.updateOne({ id: 'd' }, { $set: { m: { 'x.y': 1 } } }),
          ValidationError,
          'store.invalid_field_name',
        );
        await expectError(c.updateOne({ id: 'd' }, { $set: { '__proto__.x': 1 } }), ValidationError);
        // What $push adds is checked like what $set sets, $each's items included.
        await expectError(
          c.updateOne({ id: 'd' }, { $push: { list: { 'x.y': 1 } } }),
          ValidationError,
          'store.invalid_field_name',
        );
        await expectError(
          c.updateOne({ id: 'd' }, { $push: { list: { $each: [{ ok: 1 }, { $bad: 1 }] } } }),
          ValidationError,
          'store.invalid_field_name',
        );
        await expectError(c.updateOne({ id: 'd' }, { $set: { 'a..b': 1 } }), ValidationError);
        expect(await c.find({})).toEqual([{ id: 'd' }]);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });

      it('refuses an _id given twice, alone or in one batch', async () => {
        const c = store.collection<{ _id?: string; id: string }>('given_ids');
        // Hex of ObjectId's length: CongoDB takes no other string as an _id.
        const [k1, k2] = ['65a1b2c3d4e5f60718293a4b', '65a1b2c3d4e5f60718293a4c'];
        await c.insertOne({ _id: k1, id: 'a' });
        await expect(c.insertOne({ _id: k1, id: 'b' })).rejects.toBeInstanceOf(DuplicateKeyError);
        await expect(
          c.insertMany([
            { _id: k2, id: 'c' },
            { _id: k2, id: 'd' },
          ]),
        ).rejects.toBeInstanceOf(DuplicateKeyError);
        // Documents without one get ids of the store's own beside them.
        await c.insertMany([{ id: 'e' }, { id: 'f' }]);
        // MongoDB keeps what came before the repeat in a batch; the embedded store keeps none of it.
        const stored = (await c.find({}, { sort: { id: 1 } })).map((d) => d.id).filter((id) => id !== 'c');
        expect(stored).toEqual(['a', 'e', 'f']);
      });

      it.runIf(fixture.enforcesUniqueIndexes)(
        'rejects a duplicate unique key with DuplicateKeyError (unique-index enforcement)',
        async () => {
          const c = store.collection<{ id: string; n?: number }>('things');
          await c.ensureIndex({ keys: { id: 1 }, unique: true });
          await c.insertOne({ id: 'a' });
          await expect(c.insertOne({ id: 'a', n: 2 })).rejects.toBeInstanceOf(DuplicateKeyError);
          await c.insertOne({ id: 'b' });
          await expect(c.updateOne({ id: 'b' }, { $set: { id: 'a' } })).rejects.toBeInstanceOf(
            DuplicateKeyError,
          );
          expect(await c.find({}, { sort: { id: 1 } })).toEqual([{ id: 'a' }, { id: 'b' }]);
        },
      );

      it.runIf(fixture.enforcesUniqueIndexes)(
        'enforces a compound unique index on inserts, updates, upserts and deletes',
        async () => {
          type Line = { c: string; seq: number; text?: string };
          const c = store.collection<Line>('lines');
          await c.ensureIndex({ keys: { c: 1, seq: 1 }, unique: true });
          await c.insertMany([
            { c: 'x', seq: 1 },
            { c: 'x', seq: 2 },
            { c: 'y', seq: 1 },
          ]);
          const all = () => c.find({}, { sort: { c: 1, seq: 1 } });
          const refused = (write: Promise<unknown>) =>
            expect(write).rejects.toBeInstanceOf(DuplicateKeyError);
          const stored = await all();
          // A batch with one taken key, or one repeating a key, stores nothing from the refused
          // document on; the embedded store keeps none of it, MongoDB the documents before it.
          await refused(
            c.insertMany([
              { c: 'z', seq: 1 },
              { c: 'x', seq: 2 },
              { c: 'z', seq: 2 },
            ]),
          );
          await refused(
            c.insertMany([
              { c: 'w', seq: 1 },
              { c: 'w', seq: 1 },
            ]),
          );
          if (fixture.atomicBatches) expect(await all()).toEqual(stored);
          else {
            expect(await all()).toEqual([{ c: 'w', seq: 1 }, ...stored, { c: 'z', seq: 1 }]);
            await c.deleteMany({ c: { $in: ['w', 'z'] } });
          }
          // "1" is not 1: the key compares values with their types.
          await c.insertOne({ c: 'x', seq: '1' as unknown as number });
          await c.deleteMany({ seq: '1' as unknown as number });
          // Moving a document onto a taken key is refused and changes nothing; onto a free one, fine.
          await refused(c.updateOne({ c: 'x', seq: 2 }, { $set: { seq: 1 } }));
          await refused(c.findOneAndUpdate({ c: 'y', seq: 1 }, { $set: { c: 'x' } }));
          expect(await all()).toEqual(stored);
          await c.updateOne({ c: 'x', seq: 2 }, { $set: { seq: 3, text: 'moved' } });
          // The key it left is free again, the key it took is not.
          await c.insertOne({ c: 'x', seq: 2, text: 'new' });
          await refused(c.insertOne({ c: 'x', seq: 3 }));
          // An update that leaves the key alone is no collision with itself.
          await c.updateOne({ c: 'x', seq: 3 }, { $set: { text: 'edited' } });
          // An upsert inserting a taken key is refused like an insert.
          await refused(c.updateOne({ c: 'y', seq: 5 }, { $set: { seq: 1 } }, { upsert: true }));
          // A deleted document's key can be used again.
          await c.deleteMany({ c: 'y' });
          await c.insertOne({ c: 'y', seq: 1, text: 'again' });
          expect(await all()).toEqual([
            { c: 'x', seq: 1 },
            { c: 'x', seq: 2, text: 'new' },
            { c: 'x', seq: 3, text: 'edited' },
            { c: 'y', seq: 1, text: 'again' },
          ]);
          // Building the index over data that already repeats a key is refused.
          const dup = store.collection<Line>('lines_dup');
          await dup.insertMany([
            { c: 'a', seq: 1 },
            { c: 'a', seq: 1 },
          ]);
          await refused(dup.ensureIndex({ keys: { c: 1, seq: 1 }, unique: true }));
        },
      );

      it('finds by every field of a compound unique index as MongoDB does: types, $eq, arrays, other conditions', async () => {
        type Line = { c: string; seq: number | string | number[]; owed?: boolean };
        const c = store.collection<Line>('lines_found');
        await c.ensureIndex({ keys: { c: 1, seq: 1 }, unique: true });
        await c.insertMany([
          { c: 'x', seq: 1, owed: true },
          { c: 'x', seq: 2 },
          { c: 'x', seq: '1' },
        ]);
        const seqs = async (filter: Record<string, unknown>) => (await c.find(filter)).map((d) => d.seq);
        expect(await seqs({ c: 'x', seq: 1 })).toEqual([1]);
        expect(await seqs({ c: 'x', seq: '1' })).toEqual(['1']);
        expect(await seqs({ c: { $eq: 'x' }, seq: { $eq: 2 } })).toEqual([2]);
        expect(await seqs({ c: 'x', seq: 3 })).toEqual([]);
        expect(await seqs({ c: 'y', seq: 1 })).toEqual([]);
        // The other conditions still apply to the one document the key names.
        expect(await seqs({ c: 'x', seq: 1, owed: true })).toEqual([1]);
        expect(await seqs({ c: 'x', seq: 2, owed: true })).toEqual([]);
        expect(await c.updateOne({ c: 'x', seq: 1, owed: true }, { $unset: { owed: '' } })).toBe(1);
        expect(await c.updateOne({ c: 'x', seq: 1, owed: true }, { $unset: { owed: '' } })).toBe(0);
        // A document holding an array in a keyed field is matched by any of its elements.
        await c.insertOne({ c: 'z', seq: [7, 8] });
        expect(await seqs({ c: 'z', seq: 8 })).toEqual([[7, 8]]);
        expect(await seqs({ c: 'x', seq: 2 })).toEqual([2]);
        await c.deleteMany({ c: 'z' });
        expect(await seqs({ c: 'x', seq: 2 })).toEqual([2]);
      });
    });

    describe('entities', () => {
      it('creates, reads and updates queues, work streams and agents', async () => {
        const w = await aWorld(repos);
        expect(await repos.queues.get('q_billing')).toEqual(w.billing);
        expect((await repos.queues.list()).map((q) => q.id).sort()).toEqual(['q_billing', 'q_tech']);
        expect(await repos.workstreams.forChannel('webchat')).toEqual(w.web);
        expect((await repos.workstreams.forChannel('directline'))?.id).toBe('ws_web');
        // The web stream's default 30 minutes, then a shorter stream's.
        expect(await repos.workstreams.shortestInactivityMinutes()).toBe(30);
        await repos.workstreams.create({
          id: 'ws_sms',
          name: 'SMS',
          channel: 'sms',
          fallbackQueueId: 'q_tech',
          inactivityCloseMinutes: 12,
        });
        expect(await repos.workstreams.shortestInactivityMinutes()).toBe(12);
        deps.advance(1000);
        const renamed = await repos.queues.update('q_tech', { name: 'Tech support', priority: 5 });
        expect(renamed).toMatchObject({ name: 'Tech support', priority: 5, createdAt: w.tech.createdAt });
        expect(renamed.updatedAt.getTime()).toBe(w.tech.createdAt.getTime() + 1000);
        expect((await repos.agents.listInQueue('q_billing')).map((a) => a.id)).toEqual(['agent_alex']);
        const updated = await repos.agents.update('agent_blair', {
          skills: [{ name: 'fiber', proficiency: 9 }],
        });
        expect(updated.skills).toEqual([{ name: 'fiber', proficiency: 9 }]);
        expect(updated.version).toBe(w.blair.version + 1);
        const away = await repos.agents.setPresence('agent_blair', {
          presence: 'away',
          chosenPresence: 'away',
        });
        expect(away).toMatchObject({ presence: 'away', chosenPresence: 'away' });
        expect(await repos.agents.require('agent_blair')).toEqual(away);
        await expectError(repos.agents.require('agent_nobody'), NotFoundError, 'agent.not_found');
      });

      it('creates, reads and updates customers, cases, notes and sessions', async () => {
        const w = await aWorld(repos);
        expect(await repos.customers.findByIdentity('webchat', 'dl_dana')).toEqual(w.customer);
        expect(await repos.customers.findByIdentity('msteams', 'dl_dana')).toBeNull();
        await repos.customers.addIdentity('cust_dana', { channel: 'msteams', userId: 'teams_dana' });
        expect((await repos.customers.findByIdentity('msteams', 'teams_dana'))?.id).toBe('cust_dana');
        expect((await repos.customers.search('whitf')).map((c) => c.id)).toEqual(['cust_dana']);
        await repos.customers.updateContact('cust_dana', { email: 'dana.w@example.com' });
        expect((await repos.customers.get('cust_dana'))?.email).toBe('dana.w@example.com');

        const kase = await repos.cases.create({ customerId: 'cust_dana', title: 'No internet since 8am' });
        expect(kase.number).toBe('CAS-01001');
        await repos.cases.linkConversation(kase.id, w.conversation.id);
        expect((await repos.cases.getByNumber('CAS-01001'))?.conversationIds).toEqual([w.conversation.id]);
        expect((await repos.cases.update(kase.id, { status: 'resolved' })).status).toBe('resolved');
        expect((await repos.cases.listByCustomer('cust_dana')).map((c) => c.id)).toEqual([kase.id]);

        const note = await repos.notes.create({
          authorId: 'agent_alex',
          conversationId: w.conversation.id,
          text: 'Modem rebooted',
        });
        expect(await repos.notes.listFor({ conversationId: w.conversation.id })).toEqual([note]);

        const session = await repos.sessions.create({
          conversationId: w.conversation.id,
          agentId: 'agent_alex',
          mode: 'primary',
        });
        expect(await repos.sessions.findOpen(w.conversation.id, 'agent_alex')).toEqual(session);
        const ended = await repos.sessions.update(session.id, {
          state: 'ended',
          endedAt: deps.now(),
          focusMs: 1234,
        });
        expect(ended).toMatchObject({ state: 'ended', focusMs: 1234 });
        expect(await repos.sessions.findOpen(w.conversation.id, 'agent_alex')).toBeNull();
        expect(await repos.sessions.listByAgent('agent_alex')).toEqual([ended]);
      });

      it('creates, reads and updates knowledge articles, quick replies, macros and scripts', async () => {
        await aWorld(repos);
        const kb = await repos.knowledgeArticles.create({
          id: 'kb_reboot',
          title: 'Restart your router',
          body: 'Unplug it for 30 seconds.\n\nPlug it back in.',
          keywords: ['router', 'restart'],
          product: 'Fiber 500',
        });
        expect(await repos.knowledgeArticles.get('kb_reboot')).toEqual(kb);
        expect(
          (await repos.knowledgeArticles.update('kb_reboot', { keywords: ['router'] })).keywords,
        ).toEqual(['router']);
        const qr = await repos.quickReplies.create({
          id: 'qr_hi',
          title: 'Greeting',
          text: 'Hi {customerName}, I am {agentName}.',
          tags: ['greeting'],
        });
        expect(await repos.quickReplies.findByTag('greeting')).toEqual([qr]);
        const macro = await repos.macros.create({
          id: 'macro_outage',
          name: 'Log outage',
          actions: [
            { type: 'create-case', title: 'Outage', caseType: 'problem', priority: 'high' },
            { type: 'send-quick-reply', quickReplyId: 'qr_hi' },
          ],
        });
        expect(await repos.macros.get('macro_outage')).toEqual(macro);
        const script = await repos.agentScripts.create({
          id: 'script_outage',
          name: 'Outage',
          workstreamIds: ['ws_web'],
          steps: [
            { id: 's1', kind: 'text', text: 'Ask for the address' },
            { id: 's2', kind: 'macro', label: 'Log it', macroId: 'macro_outage' },
          ],
        });
        expect(await repos.agentScripts.forWorkstream('ws_web')).toEqual([script]);
        expect((await repos.agentScripts.update('script_outage', { name: 'Outage v2' })).name).toBe(
          'Outage v2',
        );
        expect(await repos.quickReplies.remove('qr_hi')).toBe(true);
        expect(await repos.quickReplies.get('qr_hi')).toBeNull();
      });

      it('lists a queue’s waiting items longest-waiting first and finds expired offers', async () => {
        const w = await aWorld(repos);
        const later = await repos.conversations.create({
          channel: 'webchat',
          customerId: 'cust_dana',
          workstreamId: 'ws_web',
          queueId: 'q_tech',
          status: 'waiting',
          timestamps: { createdAt: deps.now(), queuedAt: new Date('2026-11-25T09:00:10Z') },
        });
        const earlier = await repos.conversations.create({
          channel: 'webchat',
          customerId: 'cust_dana',
          workstreamId: 'ws_web',
          queueId: 'q_tech',
          status: 'waiting',
          timestamps: { createdAt: deps.now(), queuedAt: new Date('2026-11-25T08:50:00Z') },
        });
        expect((await repos.conversations.listWaiting('q_tech')).map((c) => c.id)).toEqual([
          earlier.id,
          w.conversation.id,
          later.id,
        ]);
        const offered = await repos.conversations.writeStep(w.conversation, {
          ...w.conversation,
          status: 'offered',
          agentId: 'agent_alex',
          offerExpiresAt: new Date('2026-11-25T09:01:00Z'),
        });
        expect(offered?.version).toBe(w.conversation.version + 1);
        expect(await repos.conversations.findExpiredOffers(new Date('2026-11-25T09:00:59Z'))).toEqual([]);
        expect(
          (await repos.conversations.findExpiredOffers(new Date('2026-11-25T09:01:00Z'))).map((c) => c.id),
        ).toEqual([w.conversation.id]);
        expect((await repos.conversations.findByAgent('agent_alex', 'offered')).map((c) => c.id)).toEqual([
          w.conversation.id,
        ]);
        // Who holds what, for the sweep's check of old capacity holds: unknown ids are left out.
        const holders = await repos.conversations.holdersOf([w.conversation.id, earlier.id, 'conv_gone']);
        expect(holders.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
          [
            {
              id: w.conversation.id,
              agentId: 'agent_alex',
              status: 'offered',
              workstreamId: offered!.workstreamId,
              queueId: offered!.queueId,
              timestamps: offered!.timestamps,
            },
            {
              id: earlier.id,
              status: 'waiting',
              workstreamId: earlier.workstreamId,
              queueId: earlier.queueId,
              timestamps: earlier.timestamps,
            },
          ].sort((a, b) => a.id.localeCompare(b.id)),
        );
        // Clearing an optional field in the next state removes it from the stored one.
        const requeued = await repos.conversations.writeStep(offered!, {
          ...offered!,
          status: 'waiting',
          agentId: undefined,
          offerExpiresAt: undefined,
        });
        expect(requeued).not.toHaveProperty('agentId');
        expect(await repos.conversations.get(w.conversation.id)).toEqual(requeued);
      });
      it('reads a channel reference alone, as stored, and nothing for a conversation without one', async () => {
        const { conversation } = await aWorld(repos);
        const reference = {
          channelId: 'directline',
          conversation: { id: 'dl_ref' },
          serviceUrl: 'http://x/',
        };
        const stored = await repos.conversations.writeStep(conversation, {
          ...conversation,
          channelRef: reference,
        });
        expect(await repos.conversations.channelRefOf(conversation.id)).toEqual(reference);
        // What the relay gets is its own: changing it changes nothing stored.
        const read = await repos.conversations.channelRefOf(conversation.id);
        (read as { serviceUrl: string }).serviceUrl = 'http://elsewhere/';
        expect((await repos.conversations.require(conversation.id)).channelRef).toEqual(reference);
        await repos.conversations.writeStep(stored!, { ...stored!, channelRef: undefined });
        expect(await repos.conversations.channelRefOf(conversation.id)).toBeUndefined();
        expect(await repos.conversations.channelRefOf('conv_gone')).toBeUndefined();
      });
      it('never moves lastActivityAt back when a state change was computed from an earlier read', async () => {
        const { conversation } = await aWorld(repos);
        deps.advance(60_000);
        await repos.messages.append({
          conversationId: conversation.id,
          author: 'customer',
          text: 'still there?',
        });
        const afterMessage = (await repos.conversations.require(conversation.id)).lastActivityAt;
        expect(afterMessage).toEqual(deps.now());
        // `conversation` was read before the message; its lastActivityAt is older.
        const next = await repos.conversations.writeStep(conversation, {
          ...conversation,
          status: 'offered',
          agentId: 'agent_alex',
        });
        expect(next?.lastActivityAt).toEqual(afterMessage);
        expect(next?.lastMessageSeq).toBe(1);
      });
    });

    describe('concurrency', () => {
      it('hands out message sequence numbers 1…100 to 100 concurrent appends, without gaps or duplicates', async () => {
        const { conversation } = await aWorld(repos);
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            repos.messages.append({
              conversationId: conversation.id,
              author: 'customer',
              text: `message ${i}`,
            }),
          ),
        );
        expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 100 }, (_, i) => i + 1),
        );
        const stored = await repos.messages.list(conversation.id);
        expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
        expect((await repos.conversations.get(conversation.id))?.lastMessageSeq).toBe(100);
        expect(
          (await repos.messages.list(conversation.id, { afterSeq: 95, limit: 3 })).map((m) => m.seq),
        ).toEqual([96, 97, 98]);
      });

      it('lets exactly one of 50 concurrent claimers win a conversation', async () => {
        const { conversation } = await aWorld(repos);
        const claims = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            repos.conversations.writeStep(conversation, {
              ...conversation,
              status: 'offered',
              agentId: i % 2 ? 'agent_alex' : 'agent_blair',
              declinedBy: [`claimer_${i}`],
            }),
          ),
        );
        const winners = claims.filter((c): c is Conversation => c !== null);
        expect(winners).toHaveLength(1);
        const stored = await repos.conversations.get(conversation.id);
        expect(stored).toEqual(winners[0]);
        expect(stored?.version).toBe(conversation.version + 1);
      });

      it('never reserves more capacity than an agent has, under concurrent reservations', async () => {
        await aWorld(repos);
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) => reserveOnAlex(repos, `conv_${i}`, 30)),
        );
        const winners = results.flatMap((r, i) => (r ? [`conv_${i}`] : []));
        expect(winners).toHaveLength(3);
        const alex = await repos.agents.require('agent_alex');
        expect(alex).toMatchObject({ usedUnits: 90, activeItems: 3 });
        expect(await reserveOnAlex(repos, 'conv_big', 20)).toBeNull();
        // A retried reservation for the same conversation never counts twice.
        const same = await Promise.all([
          reserveOnAlex(repos, 'conv_small', 10),
          reserveOnAlex(repos, 'conv_small', 10),
        ]);
        expect(same.filter(Boolean)).toHaveLength(1);
        expect((await repos.agents.require('agent_alex')).usedUnits).toBe(100);
        // Each hold comes back exactly once, whoever releases it first.
        const released = await Promise.all(
          [...winners, ...winners].map((c) => repos.agents.releaseHold('agent_alex', c)),
        );
        expect(released.filter(Boolean)).toHaveLength(3);
        expect(await repos.agents.require('agent_alex')).toMatchObject({ usedUnits: 10, activeItems: 1 });
        expect(Object.keys((await repos.agents.getWithHolds('agent_alex'))?.capacityHolds ?? {})).toEqual([
          'conv_small',
        ]);
        // The presence guard is part of the same conditional write.
        await repos.agents.setPresence('agent_alex', { presence: 'away', chosenPresence: 'away' });
        expect(await reserveOnAlex(repos, 'conv_away', 10, ['available'])).toBeNull();
      });

      it('ignores duplicate Bot Framework activity ids, also when the duplicates arrive concurrently', async () => {
        const { conversation } = await aWorld(repos);
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            repos.messages.append({
              conversationId: conversation.id,
              author: 'customer',
              text: 'my internet is down',
              activityId: i % 2 ? 'act-1' : 'act-2',
            }),
          ),
        );
        const originals = results.filter((r) => !r.duplicate);
        expect(originals.map((r) => r.message.activityId).sort()).toEqual(['act-1', 'act-2']);
        for (const r of results) {
          const original = originals.find((o) => o.message.activityId === r.message.activityId)!;
          expect(r.message).toEqual(original.message);
        }
        const stored = await repos.messages.list(conversation.id);
        expect(stored.map((m) => m.seq)).toEqual([1, 2]);
        const again = await repos.messages.append({
          conversationId: conversation.id,
          author: 'customer',
          text: 'x',
          activityId: 'act-1',
        });
        expect(again.duplicate).toBe(true);
        // The same activity id on another conversation is a different message.
        const other = await repos.conversations.create({
          channel: 'webchat',
          customerId: 'cust_dana',
          workstreamId: 'ws_web',
        });
        expect(
          (
            await repos.messages.append({
              conversationId: other.id,
              author: 'customer',
              text: 'x',
              activityId: 'act-1',
            })
          ).duplicate,
        ).toBe(false);
      });

      const lostWriterScenario = async (retries: number) => {
        const { conversation } = await aWorld(repos);
        // The first writer took seq 1 for the activity, then its process died before storing it.
        expect((await repos.conversations.numberMessage(conversation.id)).seq).toBe(1);
        const results = await Promise.all(
          Array.from({ length: retries }, () =>
            repos.messages.append({
              conversationId: conversation.id,
              author: 'customer',
              text: 'are you there?',
              activityId: 'act-lost',
            }),
          ),
        );
        const stored = await repos.messages.list(conversation.id);
        expect(stored.map((m) => [m.activityId, m.text, m.seq])).toEqual([['act-lost', 'are you there?', 2]]);
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        for (const r of results) expect(r.message).toEqual(stored[0]);
        // Later retries find it at once.
        const again = await repos.messages.append({
          conversationId: conversation.id,
          author: 'customer',
          text: 'x',
          activityId: 'act-lost',
        });
        expect(again).toEqual({ message: stored[0], duplicate: true });
      };

      it('ignores a repeat of an activity however long ago it was stored, and keeps nothing about it on the conversation', async () => {
        const { conversation } = await aWorld(repos);
        for (let i = 0; i < 30; i++) {
          await repos.messages.append({
            conversationId: conversation.id,
            author: 'customer',
            text: `m${i}`,
            activityId: `act-${i}`,
          });
        }
        const first = (await repos.messages.ofActivity(conversation.id, 'act-0'))!;
        const repeat = await repos.messages.append({
          conversationId: conversation.id,
          author: 'customer',
          text: 'm0',
          activityId: 'act-0',
        });
        expect(repeat).toEqual({ message: first, duplicate: true });
        expect(await repos.messages.list(conversation.id, { limit: 1000 })).toHaveLength(30);
        // The conversation document does not grow with the messages (no list of activity ids on it).
        const raw = await store
          .collection<Record<string, unknown>>('conversations')
          .findOne({ id: conversation.id });
        expect(Object.keys(raw ?? {})).not.toContain('seenActivityIds');
      });

      it('hands out a conversation written before activity ids moved out without them', async () => {
        const { conversation } = await aWorld(repos);
        await store
          .collection<Record<string, unknown>>('conversations')
          .updateOne({ id: conversation.id }, { $set: { seenActivityIds: ['act-old'] } });
        const read = await repos.conversations.get(conversation.id);
        expect(read).toMatchObject({ id: conversation.id });
        expect(Object.keys(read ?? {})).not.toContain('seenActivityIds');
      });

      it.runIf(fixture.enforcesUniqueIndexes)(
        'stores an activity once when two instances store it at the same moment (unique-index enforcement)',
        async () => {
          const { conversation } = await aWorld(repos);
          // Two repository sets on one store: each has its own in-process bookkeeping, like two servers.
          const other = await createRepositories(store, deps);
          const results = await Promise.all(
            [repos, other, repos, other].map((r) =>
              r.messages.append({
                conversationId: conversation.id,
                author: 'customer',
                text: 'hello',
                activityId: 'act-race',
              }),
            ),
          );
          const stored = await repos.messages.list(conversation.id);
          expect(stored.map((m) => m.activityId)).toEqual(['act-race']);
          expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
          for (const r of results) expect(r.message).toEqual(stored[0]);
        },
      );

      it('stores a retried activity whose first writer died after taking its sequence number', async () => {
        await lostWriterScenario(1);
      });

      it('stores it once when several retries recover it at the same time', async () => {
        await lostWriterScenario(3);
      });

      it('gives concurrent events strictly increasing global sequence numbers without duplicates', async () => {
        const { conversation } = await aWorld(repos);
        const stored = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            repos.events.append({
              type: 'message.added',
              conversationId: conversation.id,
              messageId: `msg_${i}`,
              messageSeq: i + 1,
              author: 'customer',
              visibility: 'public',
            }),
          ),
        );
        expect(stored.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 100 }, (_, i) => i + 1),
        );
        const log = await repos.events.readAfter(0, 1000);
        expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
        expect((await repos.events.readAfter(97)).map((e) => e.seq)).toEqual([98, 99, 100]);
        expect(await repos.events.lastSeq()).toBe(100);
      });

      it('stores appends that arrive while a block is being stored together, each caller keeping its order and its answer', async () => {
        const { conversation } = await aWorld(repos);
        let eventWrites = 0;
        let counterWrites = 0;
        const counted = interceptStore(store, (collection, method) => {
          if (collection === 'events' && method.startsWith('insert')) eventWrites += 1;
          if (collection === 'counters' && method === 'findOneAndUpdate') counterWrites += 1;
        });
        const events = (await createRepositories(counted, deps)).events;
        counterWrites = 0;
        const message = (i: number, k: number) => ({
          type: 'message.added' as const,
          conversationId: conversation.id,
          messageId: `msg_${i}_${k}`,
          messageSeq: 2 * i + k + 1,
          author: 'customer' as const,
          visibility: 'public' as const,
        });
        // Fifty callers at once, two events each, some with their own time.
        const later = new Date(deps.now().getTime() + 60_000);
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            events.appendMany([message(i, 0), message(i, 1)], i % 2 ? later : deps.now()),
          ),
        );
        // The first caller's block is stored alone; everyone who called meanwhile goes in the next.
        expect(eventWrites).toBeLessThanOrEqual(3);
        expect(counterWrites).toBe(eventWrites);
        answers.forEach((stored, i) => {
          expect(stored.map((e) => (e as { messageId: string }).messageId)).toEqual([
            `msg_${i}_0`,
            `msg_${i}_1`,
          ]);
          expect(stored.map((e) => e.seq)).toEqual([2 * i + 1, 2 * i + 2]);
          expect(stored.every((e) => e.at.getTime() === (i % 2 ? later : deps.now()).getTime())).toBe(true);
        });
        const log = await events.readAfter(0, 1000);
        expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
        expect(log).toEqual(answers.flat());
        // An invalid caller among valid ones fails alone and takes no numbers.
        const mixed = await Promise.allSettled([
          events.append(message(60, 0)),
          events.appendMany([message(61, 0), { type: 'conversation.nonsense' } as never]),
          events.append(message(62, 0)),
        ]);
        expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((await events.readAfter(100)).map((e) => e.seq)).toEqual([101, 102]);
      });

      it('fails only the caller whose events the store refuses when appends were grouped', async () => {
        const { conversation } = await aWorld(repos);
        const poisoned = (docs: unknown[]) =>
          docs.some((d) => (d as { messageId?: string }).messageId === 'poison');
        const refusing = interceptStore(store, (collection, method, args) => {
          const docs = method === 'insertMany' ? (args[0] as unknown[]) : [args[0]];
          if (collection === 'events' && method.startsWith('insert') && poisoned(docs))
            throw new Error('the disk refused it');
        });
        const events = (await createRepositories(refusing, deps, { eventGapGraceMs: 50 })).events;
        const message = (messageId: string) => ({
          type: 'message.added' as const,
          conversationId: conversation.id,
          messageId,
          messageSeq: 1,
          author: 'customer' as const,
          visibility: 'public' as const,
        });
        const results = await Promise.allSettled(
          ['first', 'second', 'poison', 'fourth'].map((m) => events.append(message(m))),
        );
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
        expect((results[2] as PromiseRejectedResult).reason).toMatchObject({
          message: 'the disk refused it',
        });
        // The refused block's numbers are a gap that readers seal once it is older than the grace.
        const stored = new Set(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.seq] : [])));
        let read: number[] = [];
        for (const until = Date.now() + 10_000; Date.now() < until;) {
          read = (await events.readAfter(0)).map((e) => e.seq);
          if (read.length === 3) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        expect(new Set(read)).toEqual(stored);
      });

      it('appends a batch with consecutive sequence numbers in one counter advance, interleaved safely with single appends', async () => {
        const { conversation } = await aWorld(repos);
        const resolved = { type: 'conversation.bot_resolved' as const, conversationId: conversation.id };
        const counters = store.collection<{ id: string; value: number }>('counters');
        // Two "instances" on one store: batches and single events race for numbers.
        const other = (await createRepositories(store, deps)).events;
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            i % 2 === 0
              ? repos.events.appendMany([resolved, resolved, resolved], deps.now())
              : other.append(resolved).then((e) => [e]),
          ),
        );
        for (const batch of results) {
          const seqs = batch.map((e) => e.seq);
          expect(seqs).toEqual(seqs.map((_, k) => seqs[0]! + k));
        }
        const all = results.flat().map((e) => e.seq);
        expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect((await repos.events.readAfter(0, 1000)).map((e) => e.seq)).toEqual(all);
        expect((await counters.findOne({ id: 'events' }))?.value).toBe(40);
        expect(await repos.events.appendMany([])).toEqual([]);
        // One invalid event stores none of its batch and takes no numbers.
        await expectError(
          repos.events.appendMany([resolved, { type: 'conversation.nonsense' } as never]),
          ValidationError,
          'event.invalid',
        );
        expect(await repos.events.lastSeq()).toBe(40);
        expect(await repos.events.readAfter(40)).toEqual([]);
      });

      it('numbers concurrently opened cases CAS-01001… without duplicates', async () => {
        await aWorld(repos);
        const cases = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            repos.cases.create({ customerId: 'cust_dana', title: `Case ${i}` }),
          ),
        );
        expect(cases.map((c) => c.number).sort()).toEqual(
          Array.from({ length: 20 }, (_, i) => `CAS-${String(1001 + i).padStart(5, '0')}`),
        );
      });
    });

    describe.runIf(Boolean(fixture.openAnother))('two server instances on one database', () => {
      let other: DocumentStore;
      let otherRepos: Repositories;
      beforeEach(async () => {
        other = await fixture.openAnother!(store);
        otherRepos = await createRepositories(other, deps);
      });
      afterEach(async () => {
        await other.close();
      });

      it('both seed an empty database with the demo data when they start at the same moment', async () => {
        const seeded = await Promise.all([seedDemoData(repos, deps), seedDemoData(otherRepos, deps)]);
        expect(seeded.filter((s) => s.created)).toHaveLength(1);
        expect((await repos.queues.list({ limit: 100 })).length).toBeGreaterThan(0);
        expect(await repos.markers.has(DEMO_SEED_MARKER)).toBe(true);
      });

      it('never assign one item twice, overbook an agent or repeat a sequence number', async () => {
        const { conversation } = await aWorld(repos);
        const instances = [repos, otherRepos];
        const claims = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            instances[i % 2]!.conversations.writeStep(conversation, {
              ...conversation,
              status: 'offered',
              agentId: i % 4 < 2 ? 'agent_alex' : 'agent_blair',
            }),
          ),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
        const reserved = await Promise.all(
          Array.from({ length: 20 }, (_, i) => reserveOnAlex(instances[i % 2]!, `conv_${i}`, 30)),
        );
        expect(reserved.filter(Boolean)).toHaveLength(3);
        expect((await repos.agents.require('agent_alex')).usedUnits).toBe(90);
        const appended = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            instances[i % 2]!.messages.append({
              conversationId: conversation.id,
              author: 'customer',
              text: `m${i}`,
            }),
          ),
        );
        expect(appended.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 40 }, (_, i) => i + 1),
        );
        const events = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            instances[i % 2]!.events.append({
              type: 'conversation.bot_resolved',
              conversationId: conversation.id,
            }),
          ),
        );
        expect(events.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 40 }, (_, i) => i + 1),
        );
        expect((await otherRepos.events.readAfter(0)).map((e) => e.seq)).toEqual(
          Array.from({ length: 40 }, (_, i) => i + 1),
        );
      });
    });

    describe('event log queries', () => {
      it('reads events by conversation, by agent and by type within a time range', async () => {
        const { conversation } = await aWorld(repos);
        const t0 = deps.now();
        await repos.events.append(
          { type: 'conversation.queued', conversationId: conversation.id, queueId: 'q_tech', skills: [] },
          t0,
        );
        await repos.events.append(
          {
            type: 'conversation.offered',
            conversationId: conversation.id,
            agentId: 'agent_alex',
            expiresAt: new Date(t0.getTime() + 60_000),
          },
          new Date(t0.getTime() + 1000),
        );
        await repos.events.append(
          { type: 'presence.changed', agentId: 'agent_alex', presence: 'busy', automatic: true },
          new Date(t0.getTime() + 2000),
        );
        expect((await repos.events.byConversation(conversation.id)).map((e) => e.type)).toEqual([
          'conversation.queued',
          'conversation.offered',
        ]);
        expect((await repos.events.byAgent('agent_alex')).map((e) => e.type)).toEqual([
          'conversation.offered',
          'presence.changed',
        ]);
        const ranged = await repos.events.byType(['conversation.queued', 'conversation.offered'], {
          from: new Date(t0.getTime() + 500),
          to: new Date(t0.getTime() + 5000),
        });
        expect(ranged.map((e) => e.type)).toEqual(['conversation.offered']);
        expect(ranged[0]!.at).toEqual(new Date(t0.getTime() + 1000));
        expect((ranged[0] as { expiresAt: Date }).expiresAt).toEqual(new Date(t0.getTime() + 60_000));
      });

      it("hands out events without the log's bookkeeping, in V8's fast layout (not a dictionary)", async () => {
        const { conversation } = await aWorld(repos);
        // A message's announcement is said once: the log keeps a key for that beside its own time.
        await repos.events.append({
          type: 'message.added',
          conversationId: conversation.id,
          messageId: 'msg_layout',
          messageSeq: 1,
          author: 'customer',
          visibility: 'public',
        });
        const [event] = await repos.events.byConversation(conversation.id);
        expect(Object.keys(event!).sort()).toEqual(
          ['at', 'author', 'conversationId', 'messageId', 'messageSeq', 'seq', 'type', 'visibility'].sort(),
        );
        expect(hasFastProperties(event!)).toBe(true);
      });

      it("reads one type of a conversation's events, or only the latest before a number, for an agent", async () => {
        const { conversation } = await aWorld(repos);
        const id = conversation.id;
        const reading = (level: 'negative' | 'neutral' | 'positive', score: number) =>
          repos.events.append({ type: 'sentiment.changed', conversationId: id, level, score });
        const offer = (agentId: string) =>
          repos.events.append({
            type: 'conversation.offered',
            conversationId: id,
            agentId,
            expiresAt: deps.now(),
          });
        const first = await reading('negative', -0.5);
        const toAlex = await offer('agent_alex');
        await offer('agent_bianca');
        const second = await reading('neutral', 0);
        const third = await reading('positive', 0.5);
        expect((await repos.events.ofConversation(id, 'sentiment.changed')).map((e) => e.seq)).toEqual([
          first.seq,
          second.seq,
          third.seq,
        ]);
        const [previous] = await repos.events.ofConversation(id, 'sentiment.changed', {
          latest: 1,
          beforeSeq: third.seq,
        });
        expect(previous).toMatchObject({ seq: second.seq, level: 'neutral', score: 0 });
        expect(
          await repos.events.ofConversation(id, 'sentiment.changed', { latest: 1, beforeSeq: first.seq }),
        ).toEqual([]);
        const [alexOffer] = await repos.events.ofConversation(id, 'conversation.offered', {
          latest: 1,
          agentId: 'agent_alex',
        });
        expect(alexOffer?.seq).toBe(toAlex.seq);
      });
    });

    describe('event log readers', () => {
      it('never skip an event still being stored by another instance, and pass a lost one after the grace period', async () => {
        const { conversation } = await aWorld(repos);
        const events = (await createRepositories(store, deps, { eventGapGraceMs: 300 })).events;
        const counters = store.collection<{ id: string; value: number }>('counters');
        const resolved = { type: 'conversation.bot_resolved' as const, conversationId: conversation.id };
        await events.append(resolved);
        // Another instance takes seq 2 and is slow to store it.
        await counters.updateOne({ id: 'events' }, { $inc: { value: 1 } });
        await events.append(resolved);
        expect((await events.readAfter(0)).map((e) => e.seq)).toEqual([1]);
        await store
          .collection('events')
          .insertOne({ ...resolved, seq: 2, at: deps.now(), storedAtMs: Date.now() });
        expect((await events.readAfter(0)).map((e) => e.seq)).toEqual([1, 2, 3]);
        // Seq 4 is taken by a writer that dies before storing it.
        await counters.updateOne({ id: 'events' }, { $inc: { value: 1 } });
        await events.append(resolved);
        expect(await events.readAfter(3)).toEqual([]);
        await new Promise((r) => setTimeout(r, 350));
        const after = await events.readAfter(3);
        expect(after.map((e) => e.seq)).toEqual([5]);
        expect(after[0]).toEqual({ ...resolved, seq: 5, at: deps.now() });
      });
    });

    describe('event log writers slower than the grace period', () => {
      it('lose nothing: the numbers they were too slow to store are sealed and their events appended after', async () => {
        const { conversation } = await aWorld(repos);
        const events = (await createRepositories(store, deps, { eventGapGraceMs: 300 })).events;
        // A second instance whose next insert into the log stalls (a starved machine) until released.
        let stalled!: () => void;
        let release!: () => void;
        const reached = new Promise<void>((r) => (stalled = r));
        const gate = new Promise<void>((r) => (release = r));
        let armed = true;
        const hold = async () => {
          if (!armed) return;
          armed = false;
          stalled();
          await gate;
        };
        const slowStore = interceptStore(store, (collection, method) =>
          collection === 'events' && method.startsWith('insert') ? hold() : undefined,
        );
        const slow = (await createRepositories(slowStore, deps, { eventGapGraceMs: 300 })).events;
        const resolved = { type: 'conversation.bot_resolved' as const, conversationId: conversation.id };
        const wrapUp = { type: 'conversation.wrap_up' as const, conversationId: conversation.id };
        const queued = {
          type: 'conversation.queued' as const,
          conversationId: conversation.id,
          queueId: 'q_tech',
          skills: [],
        };

        await events.append(resolved);
        const late = slow.appendMany([wrapUp, queued]);
        await reached; // the slow instance holds numbers 2 and 3
        await events.append(resolved);
        expect((await events.readAfter(0)).map((e) => e.seq)).toEqual([1]);
        await new Promise((r) => setTimeout(r, 350));
        expect((await events.readAfter(0)).map((e) => e.seq)).toEqual([1, 4]);

        release();
        expect((await late).map((e) => [e.seq, e.type])).toEqual([
          [5, 'conversation.wrap_up'],
          [6, 'conversation.queued'],
        ]);
        const all = await events.readAfter(0);
        expect(all.map((e) => [e.seq, e.type])).toEqual([
          [1, 'conversation.bot_resolved'],
          [4, 'conversation.bot_resolved'],
          [5, 'conversation.wrap_up'],
          [6, 'conversation.queued'],
        ]);
        expect(await events.readAfter(4)).toEqual(all.slice(2));
        expect((await events.byConversation(conversation.id)).map((e) => e.seq)).toEqual([1, 4, 5, 6]);
        expect(await events.lastSeq()).toBe(6);
      });
    });

    describe('event log readers and batches', () => {
      it('never skip a batch another instance has numbered but not yet stored', async () => {
        const { conversation } = await aWorld(repos);
        const events = (await createRepositories(store, deps, { eventGapGraceMs: 60_000 })).events;
        const counters = store.collection<{ id: string; value: number }>('counters');
        const resolved = { type: 'conversation.bot_resolved' as const, conversationId: conversation.id };
        await events.append(resolved);
        // Another instance takes 2…4 for a batch and is slow to store it; this one appends 5 and 6.
        await counters.updateOne({ id: 'events' }, { $inc: { value: 3 } });
        expect((await events.appendMany([resolved, resolved])).map((e) => e.seq)).toEqual([5, 6]);
        expect((await events.readAfter(0)).map((e) => e.seq)).toEqual([1]);
        await store
          .collection('events')
          .insertMany([2, 3, 4].map((seq) => ({ ...resolved, seq, at: deps.now(), storedAtMs: Date.now() })));
        expect((await events.readAfter(0)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      });
    });

    describe('event log: what is said once', () => {
      const announcement = (conversationId: string, messageId: string) => ({
        type: 'message.added' as const,
        conversationId,
        messageId,
        messageSeq: 1,
        author: 'agent' as const,
        visibility: 'public' as const,
      });
      const resolvedOf = (conversationId: string) => ({
        type: 'conversation.bot_resolved' as const,
        conversationId,
      });

      it("stores a message's announcement once: a second writer, here or another instance, is told the first", async () => {
        const { conversation } = await aWorld(repos);
        // A grace far longer than the test: a reader must not have to wait out a writer's gap.
        const other = (await createRepositories(store, deps, { eventGapGraceMs: 60_000 })).events;
        const first = await repos.events.append(announcement(conversation.id, 'msg_once_1'));
        const again = await other.append(announcement(conversation.id, 'msg_once_1')).then(
          () => null,
          (e: unknown) => e,
        );
        expect(again).toBeInstanceOf(EventSaidBefore);
        expect((again as EventSaidBefore).earlier).toEqual(first);
        // Both instances at once, several times over: one of them stores it.
        const racing = await Promise.allSettled(
          [repos.events, other, repos.events, other].map((e) =>
            e.append(announcement(conversation.id, 'msg_once_2')),
          ),
        );
        const won = racing.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        expect(won).toHaveLength(1);
        for (const r of racing)
          if (r.status === 'rejected') expect((r.reason as EventSaidBefore).earlier).toEqual(won[0]);
        const log = await other.readAfter(0);
        expect(log.filter((e) => e.type === 'message.added').map((e) => e.seq)).toEqual([
          first.seq,
          won[0]!.seq,
        ]);
        expect(log).toContainEqual(first);
      });

      it('leaves a repeat out of a batch, stores the rest, and leaves readers no gap to wait for', async () => {
        const { conversation } = await aWorld(repos);
        const events = (await createRepositories(store, deps, { eventGapGraceMs: 60_000 })).events;
        const said = await events.append(announcement(conversation.id, 'msg_batch_1'));
        const stored = await events.appendMany([
          resolvedOf(conversation.id),
          announcement(conversation.id, 'msg_batch_1'),
          announcement(conversation.id, 'msg_batch_2'),
          announcement(conversation.id, 'msg_batch_2'),
          resolvedOf(conversation.id),
        ]);
        expect(stored.map((e) => e.type)).toEqual([
          'conversation.bot_resolved',
          'message.added',
          'conversation.bot_resolved',
        ]);
        expect(stored.map((e) => e.seq)).toEqual([...stored.map((e) => e.seq)].sort((a, b) => a - b));
        // The numbers the refused block took and did not use are sealed by its writer, not left as a
        // gap readers hold every later event back for (60 s here).
        const after = await events.append(resolvedOf(conversation.id));
        const read = await events.readAfter(said.seq);
        expect(read).toEqual([...stored, after]);
      });

      it('answers each of two callers grouped into one block', async () => {
        const { conversation } = await aWorld(repos);
        const results = await Promise.allSettled([
          repos.events.append(resolvedOf(conversation.id)),
          repos.events.append(announcement(conversation.id, 'msg_group_1')),
          repos.events.append(announcement(conversation.id, 'msg_group_1')),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
        const [, kept, repeat] = results;
        expect((repeat as PromiseRejectedResult).reason).toEqual(
          new EventSaidBefore((kept as PromiseFulfilledResult<StoredEvent>).value),
        );
        expect((await repos.events.readAfter(0)).filter((e) => e.type === 'message.added')).toEqual([
          (kept as PromiseFulfilledResult<StoredEvent>).value,
        ]);
      });
    });

    describe('invalid writes', () => {
      it('rejects missing fields and wrong types with ValidationError and stores nothing', async () => {
        await aWorld(repos);
        const before = await repos.agents.count();
        await expectError(
          repos.agents.create({ name: '', email: 'x@example.com' }),
          ValidationError,
          'agent.invalid',
        );
        await expectError(
          repos.agents.create({ name: 'X', email: 'not-an-email' } as never),
          ValidationError,
          'agent.invalid',
        );
        await expectError(
          repos.agents.create({ name: 'X', email: 'x@example.com', capacity: 'lots' } as never),
          ValidationError,
          'agent.invalid',
        );
        expect(await repos.agents.count()).toBe(before);
        await expectError(
          repos.queues.create({ name: 'Q', assignmentMethod: 'random' } as never),
          ValidationError,
          'queue.invalid',
        );
        expect(await repos.queues.count()).toBe(2);
        await expectError(
          repos.agents.update('agent_alex', { skills: [{ name: 'x', proficiency: 99 }] }),
          ValidationError,
          'agent.invalid',
        );
        expect((await repos.agents.require('agent_alex')).skills).toEqual([
          { name: 'billing', proficiency: 7 },
        ]);
        await expectError(
          repos.events.append({ type: 'conversation.nonsense', conversationId: 'x' } as never),
          ValidationError,
          'event.invalid',
        );
        expect(await repos.events.lastSeq()).toBe(0);
      });

      it('rejects writes that refer to unknown ids and stores nothing', async () => {
        const { conversation } = await aWorld(repos);
        await expectError(
          repos.agents.create({ name: 'Y', email: 'y@example.com', queueIds: ['q_missing'] }),
          ValidationError,
          'agent.unknown_queue',
        );
        await expectError(
          repos.agents.update('agent_alex', { queueIds: ['q_missing'] }),
          ValidationError,
          'agent.unknown_queue',
        );
        expect((await repos.agents.require('agent_alex')).queueIds).toEqual(['q_tech', 'q_billing']);
        await expectError(
          repos.conversations.create({
            channel: 'webchat',
            customerId: 'cust_missing',
            workstreamId: 'ws_web',
          }),
          ValidationError,
          'conversation.unknown_customer',
        );
        await expectError(
          repos.workstreams.create({ name: 'Teams', channel: 'msteams', fallbackQueueId: 'q_missing' }),
          ValidationError,
          'workstream.unknown_queue',
        );
        await expectError(
          repos.messages.append({ conversationId: 'conv_missing', author: 'customer', text: 'hello' }),
          NotFoundError,
          'conversation.not_found',
        );
        await expectError(
          repos.messages.append({ conversationId: conversation.id, author: 'robot', text: 'hello' } as never),
          ValidationError,
          'message.invalid',
        );
        await expectError(
          repos.cases.create({ customerId: 'cust_missing', title: 'x' }),
          ValidationError,
          'case.unknown_customer',
        );
        await expectError(
          repos.notes.create({ authorId: 'agent_alex', caseId: 'case_missing', text: 'x' }),
          ValidationError,
          'note.unknown_case',
        );
        await expectError(
          repos.conversations.writeStep(conversation, {
            ...conversation,
            agentId: 'agent_missing',
          }),
          ValidationError,
          'conversation.unknown_agent',
        );
        await expectError(
          repos.conversations.create({
            channel: 'webchat',
            customerId: 'cust_dana',
            workstreamId: 'ws_web',
            context: {
              preChat: { 'evil.key': 'x' },
              portalNavigation: [],
              visitor: { authenticated: false },
              custom: {},
            },
          }),
          ValidationError,
          'conversation.invalid',
        );
        expect(await repos.conversations.count()).toBe(1);
        expect(await repos.conversations.get(conversation.id)).toEqual(conversation);
        expect(await repos.messages.list(conversation.id)).toEqual([]);
        expect(await repos.cases.count()).toBe(0);
        // A rejected case did not consume a number.
        expect((await repos.cases.create({ customerId: 'cust_dana', title: 'ok' })).number).toBe('CAS-01001');
      });

      it.runIf(fixture.enforcesUniqueIndexes)(
        'refuses a second entity with the same id as a conflict (unique-index enforcement)',
        async () => {
          await aWorld(repos);
          await expectError(
            repos.queues.create({ id: 'q_tech', name: 'Again' }),
            ConflictError,
            'queue.exists',
          );
          expect((await repos.queues.require('q_tech')).name).toBe('Technical support');
        },
      );
    });

    describe.runIf(Boolean(fixture.reopen))('durability', () => {
      it('keeps every entity, message, event and counter across close and reopen', async () => {
        const w = await aWorld(repos);
        await repos.messages.append({
          conversationId: w.conversation.id,
          author: 'customer',
          text: 'hello',
          activityId: 'a1',
        });
        await repos.events.append({
          type: 'conversation.queued',
          conversationId: w.conversation.id,
          queueId: 'q_tech',
          skills: [],
        });
        const kase = await repos.cases.create({ customerId: 'cust_dana', title: 'Slow speeds' });
        await reserveOnAlex(repos, 'conv_held', 30);
        store = await fixture.reopen!(store);
        repos = await createRepositories(store, deps);
        expect(await repos.conversations.get(w.conversation.id)).toMatchObject({ lastMessageSeq: 1 });
        expect(await repos.agents.require('agent_alex')).toMatchObject({ usedUnits: 30 });
        expect(await repos.cases.getByNumber(kase.number)).toEqual(kase);
        expect(
          (
            await repos.messages.append({
              conversationId: w.conversation.id,
              author: 'customer',
              text: 'x',
              activityId: 'a1',
            })
          ).duplicate,
        ).toBe(true);
        expect(
          (
            await repos.messages.append({
              conversationId: w.conversation.id,
              author: 'customer',
              text: 'more',
            })
          ).message.seq,
        ).toBe(2);
        expect(
          (
            await repos.events.append({
              type: 'conversation.bot_resolved',
              conversationId: w.conversation.id,
            })
          ).seq,
        ).toBe(2);
        expect((await repos.cases.create({ customerId: 'cust_dana', title: 'Next' })).number).toBe(
          'CAS-01002',
        );
        expect(await repos.workstreams.require('ws_web')).toEqual(w.web);
      });
    });
  });
}

const ANY_PRESENCE: BasePresence[] = ['available', 'busy', 'busy-dnd', 'away', 'offline'];

/** Reserves a conversation's units on Alex (capacity 100), as routing does. */
function reserveOnAlex(repos: Repositories, conversationId: string, units: number, presences = ANY_PRESENCE) {
  return repos.agents.reserveHold({ agentId: 'agent_alex', conversationId, units, capacity: 100, presences });
}
