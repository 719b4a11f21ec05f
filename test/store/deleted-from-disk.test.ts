import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActivityLog } from '../../bot/directline/activity-log.js';
import { openEmbeddedStore } from '../../services/store/index.js';

// "Deleted" on the embedded store means gone from the datafile's bytes, not a deletion line appended
// below the old text (which stayed until the next restart or 50,000 more lines).

const datafile = (dir: string, collection: string) => path.join(dir, `${collection}.db`);
const bytesOf = async (file: string) => (await readFile(file)).toString('utf8');

describe('deleted data on the embedded store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-deleted-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a Direct Line retention sweep leaves none of the swept text in the datafiles', async () => {
    const store = await openEmbeddedStore(dir);
    const log = await createActivityLog(store);
    const long = new Date('2026-01-01T10:00:00Z');
    await log.create('dl-old', 'dl_visitor_old', long);
    await log.append(
      'dl-old',
      { type: 'message', text: 'my account PIN is 80417', from: { id: 'dl_visitor_old', name: '' } },
      long,
    );
    const now = new Date('2026-01-09T10:00:00Z');
    await log.create('dl-new', 'dl_visitor_new', now);
    await log.append(
      'dl-new',
      { type: 'message', text: 'still here', from: { id: 'dl_visitor_new', name: '' } } as Partial<Activity>,
      now,
    );
    await log.end('dl-old', long);
    expect(await bytesOf(datafile(dir, 'directline_activities'))).toContain('80417');

    const swept = await log.sweep(new Date('2026-01-08T10:00:00Z'), new Date('2026-01-02T10:00:00Z'));
    expect(swept).toBe(1);
    // The server goes on running: the files are rewritten beside it, not at the next start.
    await expect.poll(() => bytesOf(datafile(dir, 'directline_activities'))).not.toContain('80417');
    await expect
      .poll(() => bytesOf(datafile(dir, 'directline_conversations')))
      .not.toContain('dl_visitor_old');
    expect(await bytesOf(datafile(dir, 'directline_activities'))).toContain('still here');
    expect(await log.since('dl-new', 0)).toMatchObject({ activities: [{ text: 'still here' }] });
    await store.close();
  });

  it('a deletion during a rewrite is purged by one more rewrite, and writes go on meanwhile', async () => {
    const store = await openEmbeddedStore(dir);
    type Thing = { id: string; secret: string; pad: string };
    const things = store.collection<Thing>('things');
    await things.ensureIndex({ keys: { id: 1 }, unique: true });
    // Many turns of the event loop to rewrite: the second deletion lands while the first rewrite runs.
    await things.insertMany(
      Array.from({ length: 3000 }, (_, i) => ({ id: `t${i}`, secret: `s-${i}-x`, pad: 'x'.repeat(300) })),
    );
    await things.deleteMany({ id: 't1' });
    await things.deleteMany({ id: 't2' });
    await things.insertOne({ id: 'late', secret: 'kept', pad: '' });
    await expect.poll(() => bytesOf(datafile(dir, 'things'))).not.toMatch(/s-1-x|s-2-x/);
    await store.close();
    const text = await bytesOf(datafile(dir, 'things'));
    expect(text).not.toMatch(/s-1-x|s-2-x/);
    expect(text).toContain('s-3-x');
    const reopened = await openEmbeddedStore(dir);
    expect(await reopened.collection<Thing>('things').count({})).toBe(2999);
    await reopened.close();
  });

  it('compact(names) rewrites a datafile so what an update replaced is gone from the disk', async () => {
    const store = await openEmbeddedStore(dir);
    const people = store.collection<{ id: string; name: string }>('people');
    await people.insertOne({ id: 'p1', name: 'Dana Whitfield' });
    await people.updateOne({ id: 'p1' }, { $set: { name: 'Erased customer' } });
    expect(await bytesOf(datafile(dir, 'people'))).toContain('Dana Whitfield');
    await store.compact(['people', 'never-opened']);
    expect(await bytesOf(datafile(dir, 'people'))).not.toContain('Dana Whitfield');
    expect(await people.findOne({ id: 'p1' })).toEqual({ id: 'p1', name: 'Erased customer' });
    await store.close();
  });
});
