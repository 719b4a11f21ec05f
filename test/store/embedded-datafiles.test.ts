import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { DuplicateKeyError, openEmbeddedStore } from '../../services/store/index.js';
import { datafileLine } from '../../services/store/embedded/datafile-line.js';
import type { EmbeddedCollection } from '../../services/store/embedded/embedded-collection.js';

const require = createRequire(import.meta.url);
const nedbModel = require('@seald-io/nedb/lib/model.js') as {
  serialize(doc: object): string;
  deserialize(line: string): unknown;
};

const lineCount = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter(Boolean).length;

describe('embedded store datafiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-compact-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rewrites a datafile without superseded lines once they pile up, and keeps every write', async () => {
    const store = await openEmbeddedStore(dir, { compactAfterLines: 200 });
    const things = store.collection<{ id: string; n: number }>('things');
    await things.ensureIndex({ keys: { id: 1 }, unique: true });
    await things.insertMany(Array.from({ length: 20 }, (_, i) => ({ id: `t${i}`, n: 0 })));
    for (let round = 1; round <= 50; round++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => things.updateOne({ id: `t${i}` }, { $inc: { n: 1 } })),
      );
    }
    const file = path.join(dir, 'things.db');
    // Closing waits for a rewrite in progress. 1 020 documents were written; without a rewrite the
    // file would hold every one of them (the writes made while one ran are in the new file too).
    await store.close();
    expect(await lineCount(file)).toBeLessThan(1020);

    const reopened = await openEmbeddedStore(dir, { compactAfterLines: 200 });
    const all = await reopened.collection<{ id: string; n: number }>('things').find({});
    expect(all).toHaveLength(20);
    expect(all.every((t) => t.n === 50)).toBe(true);
    await reopened.close();
  });

  it('goes on answering writes while it rewrites a datafile, and the new file keeps every one', async () => {
    const store = await openEmbeddedStore(dir);
    type Thing = { id: string; n: number; pad: string };
    const things = store.collection<Thing>('things');
    await things.ensureIndex({ keys: { id: 1 }, unique: true });
    // Large enough that the rewrite takes many turns of the event loop (and several chunks).
    const COUNT = 5000;
    await things.insertMany(
      Array.from({ length: COUNT }, (_, i) => ({ id: `t${i}`, n: 0, pad: 'x'.repeat(300) })),
    );
    await things.updateMany({}, { $inc: { n: 1 } });
    const file = path.join(dir, 'things.db');
    expect(await lineCount(file)).toBe(2 * COUNT);

    let finished = false;
    // The rewrite the collection starts by itself once superseded lines pile up, started now.
    const rewrite = (things as EmbeddedCollection<Thing>).compact().then(() => (finished = true));
    const expected = new Map<string, number>();
    let during = 0;
    while (!finished) {
      const id = `t${(during * 7) % COUNT}`;
      await things.updateOne({ id }, { $inc: { n: 1 } });
      expected.set(id, (expected.get(id) ?? 1) + 1);
      during++;
    }
    await rewrite;
    // Writes that waited for the rewrite would all have been answered after it: one at most.
    expect(during).toBeGreaterThan(1);
    // The documents as they were when it started, then every line written since.
    expect(await lineCount(file)).toBe(COUNT + during);
    expect(existsSync(`${file}~`)).toBe(false);
    await store.close();

    const reopened = await openEmbeddedStore(dir);
    const all = await reopened.collection<{ id: string; n: number }>('things').find({});
    expect(all).toHaveLength(COUNT);
    for (const t of all) expect(t.n, t.id).toBe(expected.get(t.id) ?? 1);
    await reopened.close();
  });

  it('answers a write, and a read that saw it, only once its line is in the file', async () => {
    const store = await openEmbeddedStore(dir);
    const things = store.collection<{ id: string; n: number }>('things');
    await things.ensureIndex({ keys: { id: 1 }, unique: true });
    const file = path.join(dir, 'things.db');
    // Read synchronously: the moment a promise settles, not after another turn of the event loop.
    const inFile = (id: string) => readFileSync(file, 'utf8').includes(`"id":"${id}"`);
    // Not awaited: the read below sees the document in memory before the group commit writes it.
    const written = things.insertOne({ id: 'seen-early', n: 1 });
    const read = things.findOne({ id: 'seen-early' });
    const counted = things.count({ id: 'seen-early' });
    expect(await read).toEqual({ id: 'seen-early', n: 1 });
    expect(inFile('seen-early')).toBe(true);
    expect(await counted).toBe(1);
    await written;
    // Writes issued together all reach the file before any of them is answered.
    const batch = Array.from({ length: 30 }, (_, i) => things.insertOne({ id: `together-${i}`, n: i }));
    await batch[0];
    for (let i = 0; i < 30; i++) expect(inFile(`together-${i}`)).toBe(true);
    await Promise.all(batch);
    await store.close();
  });

  it('writes datafile lines exactly as NeDB does, dates included, without changing the document', () => {
    const at = new Date('2026-12-02T09:30:00.123Z');
    const docs: object[] = [
      { _id: 'a', id: 'c1', n: 3, ok: true, none: null, gone: undefined, text: 'é "quoted" \n' },
      { _id: 'b', at, nested: { at, list: [1, at, { at, s: 'x' }, null] }, empty: {}, arr: [] },
      { _id: 'c', deep: { a: { b: { c: [[at]] } } }, plain: { x: 1 } },
      { $$deleted: true, _id: 'a' },
      { $$indexCreated: { fieldName: 'id', unique: true, sparse: false } },
    ];
    for (const doc of docs) {
      const before = JSON.stringify(doc);
      const line = datafileLine(doc);
      expect(line).toBe(nedbModel.serialize(doc));
      expect(nedbModel.deserialize(line)).toEqual(nedbModel.deserialize(nedbModel.serialize(doc)));
      // Tagging dates copies the paths that hold one; the document itself keeps its Date objects.
      expect(JSON.stringify(doc)).toBe(before);
    }
    expect((docs[1] as { at: unknown }).at).toBe(at);
  });

  it('gives documents ids that stay unique across reopening, and reads their dates back as dates', async () => {
    const at = new Date('2026-12-02T09:30:00.000Z');
    let store = await openEmbeddedStore(dir);
    await store
      .collection<{ id: string; at: Date }>('things')
      .insertMany(Array.from({ length: 50 }, (_, i) => ({ id: `t${i}`, at })));
    await store.close();
    store = await openEmbeddedStore(dir);
    const things = store.collection<{ id: string; at: Date; more?: boolean }>('things');
    await things.insertMany(Array.from({ length: 50 }, (_, i) => ({ id: `u${i}`, at, more: true })));
    await things.updateOne({ id: 't1' }, { $set: { more: false } });
    await store.close();

    const file = path.join(dir, 'things.db');
    const ids = (await readFile(file, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { _id?: string })._id)
      .filter((id): id is string => typeof id === 'string');
    // 100 inserts and one update of t1 (same _id again).
    expect(ids).toHaveLength(101);
    expect(new Set(ids).size).toBe(100);

    store = await openEmbeddedStore(dir);
    const all = await store.collection<{ id: string; at: Date; more?: boolean }>('things').find({});
    expect(all).toHaveLength(100);
    expect(all.every((t) => t.at instanceof Date && t.at.getTime() === at.getTime())).toBe(true);
    expect(all.find((t) => t.id === 't1')?.more).toBe(false);
    await store.close();
  });

  it('keeps one Date per instant and shared empty values for documents it reads back, as for those written', async () => {
    type Note = { id: string; at: Date; seen: { at: Date }; tags: string[]; extra: object };
    const at = new Date('2026-12-05T09:30:00.000Z');
    let store = await openEmbeddedStore(dir);
    await store
      .collection<Note>('notes')
      .insertMany(
        ['n1', 'n2'].map((id) => ({ id, at: new Date(at), seen: { at: new Date(at) }, tags: [], extra: {} })),
      );
    await store.close();

    store = await openEmbeddedStore(dir);
    const notes = store.collection<Note>('notes');
    await notes.count({});
    // The stored documents themselves: what the store keeps in memory per document.
    const [a, b] = [...(notes as unknown as { docs: { values(): Iterable<Note> } }).docs.values()];
    expect(a!.at).toBe(b!.at);
    expect(a!.seen.at).toBe(a!.at);
    expect(a!.tags).toBe(b!.tags);
    expect(Object.isFrozen(a!.tags) && Object.isFrozen(a!.extra)).toBe(true);
    // Readers still get their own: changing a read changes nothing stored.
    const read = (await notes.findOne({ id: 'n1' }))!;
    read.tags.push('mine');
    read.at.setTime(0);
    expect(await notes.findOne({ id: 'n2' })).toEqual({ id: 'n2', at, seen: { at }, tags: [], extra: {} });
    await store.close();
  });

  it('takes over a compound unique index an earlier version left in the datafile, and still enforces it', async () => {
    // What an earlier version wrote: NeDB's own index on { conversationId, seq } and two documents.
    const file = path.join(dir, 'messages.db');
    const lines = [
      { $$indexCreated: { fieldName: 'conversationId,seq', unique: true, sparse: false } },
      { _id: 'm1', conversationId: 'c1', seq: 1, text: 'hello' },
      { _id: 'm2', conversationId: 'c1', seq: 2, text: 'again' },
    ];
    await writeFile(file, lines.map((l) => nedbModel.serialize(l)).join('\n') + '\n');

    const store = await openEmbeddedStore(dir);
    const messages = store.collection<{ conversationId: string; seq: number; text: string }>('messages');
    await messages.ensureIndex({ keys: { conversationId: 1, seq: 1 }, unique: true });
    await expect(messages.insertOne({ conversationId: 'c1', seq: 2, text: 'dup' })).rejects.toBeInstanceOf(
      DuplicateKeyError,
    );
    await messages.insertOne({ conversationId: 'c1', seq: 3, text: 'third' });
    await store.close();
    // NeDB's index definition is gone from the file (not rebuilt at the next load), the data is whole.
    expect(await readFile(file, 'utf8')).not.toContain('$$indexCreated');

    const reopened = await openEmbeddedStore(dir);
    const again = reopened.collection<{ conversationId: string; seq: number; text: string }>('messages');
    await again.ensureIndex({ keys: { conversationId: 1, seq: 1 }, unique: true });
    expect((await again.find({}, { sort: { seq: 1 } })).map((m) => m.text)).toEqual([
      'hello',
      'again',
      'third',
    ]);
    await expect(again.insertOne({ conversationId: 'c1', seq: 3, text: 'dup' })).rejects.toBeInstanceOf(
      DuplicateKeyError,
    );
    await reopened.close();
  });

  it('refuses a second store on a data directory in use, and allows it once the first is closed', async () => {
    const first = await openEmbeddedStore(dir);
    await expect(openEmbeddedStore(dir)).rejects.toMatchObject({ code: 'store.data_dir_in_use' });
    await first.close();
    const second = await openEmbeddedStore(dir);
    await second.close();
  });

  it('takes over a lock naming a pid that runs but is another process than the one that wrote it', async () => {
    // A container's server is pid 1 on every start: a killed one's lock names the new one's pid.
    await writeFile(path.join(dir, 'LOCK'), `${process.pid}\n`);
    await (await openEmbeddedStore(dir)).close();
    // A pid reused by another process: it runs, but it did not start when the lock says.
    await writeFile(path.join(dir, 'LOCK'), `${process.ppid}\n1\n`);
    const store = await openEmbeddedStore(dir);
    await store.close();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    // Pid 2^22 + 1 is above Linux's pid_max, so no process has it.
    await writeFile(path.join(dir, 'LOCK'), String(4_194_305));
    const store = await openEmbeddedStore(dir);
    await store.close();
  });
});
