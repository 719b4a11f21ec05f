import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, type Db } from 'mongodb';
import { startCongo, type RunningCongo } from './congo.js';

// The unique-index rule the tests add to CongoDB (congo-unique-indexes.ts) is MongoDB's, through the
// real driver: what a second document may and may not share with a first.

let congo: RunningCongo;
let client: MongoClient;
let db: Db;
let n = 0;

beforeAll(async () => {
  congo = await startCongo();
  client = new MongoClient(congo.uri('unique_rules'));
  await client.connect();
  db = client.db('unique_rules');
});

afterAll(async () => {
  await client?.close();
  await congo?.stop();
});

/** A fresh collection with one unique index. */
async function indexed(keys: Record<string, 1>, sparse = false) {
  const c = db.collection(`c${++n}`);
  await c.createIndex(keys, { unique: true, sparse });
  return c;
}

const duplicate = { code: 11000 };

describe('CongoDB with the unique-index rule', () => {
  it('refuses a second document without the field of a unique index: missing is null', async () => {
    const c = await indexed({ email: 1 });
    await c.insertOne({ name: 'a' });
    await expect(c.insertOne({ name: 'b' })).rejects.toMatchObject(duplicate);
    await expect(c.insertOne({ name: 'c', email: null })).rejects.toMatchObject(duplicate);
    await c.insertOne({ name: 'd', email: 'd@example.com' });
    expect(await c.countDocuments()).toBe(2);
  });

  it('leaves documents without the field out of a sparse index', async () => {
    const c = await indexed({ clientKey: 1 }, true);
    await c.insertMany([{ n: 1 }, { n: 2 }, { n: 3, clientKey: 'k' }]);
    await expect(c.insertOne({ n: 4, clientKey: 'k' })).rejects.toMatchObject(duplicate);
    expect(await c.countDocuments()).toBe(3);
  });

  it('gives an array one key per element, and compares values with their types', async () => {
    const c = await indexed({ tags: 1 });
    await c.insertOne({ tags: ['red', 'blue'] });
    await expect(c.insertOne({ tags: ['green', 'blue'] })).rejects.toMatchObject(duplicate);
    await c.insertOne({ tags: ['green'] });
    const typed = await indexed({ v: 1 });
    await typed.insertMany([{ v: 1 }, { v: '1' }, { v: true }]);
    await expect(typed.insertOne({ v: 1 })).rejects.toMatchObject(duplicate);
  });

  it('refuses an update onto a taken key and frees the key a deleted document held', async () => {
    const c = await indexed({ id: 1 });
    await c.insertMany([{ id: 'a' }, { id: 'b' }]);
    await expect(c.updateOne({ id: 'b' }, { $set: { id: 'a' } })).rejects.toMatchObject(duplicate);
    await expect(c.findOneAndUpdate({ id: 'b' }, { $set: { id: 'a' } })).rejects.toMatchObject(duplicate);
    expect(
      (
        await c
          .find({}, { projection: { _id: 0 } })
          .sort({ id: 1 })
          .toArray()
      ).map((d) => d.id),
    ).toEqual(['a', 'b']);
    await c.deleteOne({ id: 'a' });
    await c.updateOne({ id: 'b' }, { $set: { id: 'a' } });
    await c.insertOne({ id: 'b' });
    expect(await c.countDocuments()).toBe(2);
  });

  it('does not build a unique index over documents that already repeat a key', async () => {
    const c = db.collection(`c${++n}`);
    await c.insertMany([{ k: 1 }, { k: 1 }]);
    await expect(c.createIndex({ k: 1 }, { unique: true })).rejects.toMatchObject(duplicate);
    await c.insertOne({ k: 1 });
    expect(await c.countDocuments()).toBe(3);
  });
});
