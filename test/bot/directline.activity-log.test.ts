import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { createActivityLog } from '../../bot/directline/activity-log.js';
import { openEmbeddedStore, openMongoStore, type DocumentStore } from '../../services/store/index.js';
import { startCongo, type RunningCongo } from '../store/congo.js';

// The channel's log numbers each conversation's activities 1, 2, 3 … by storing them under the
// number: a client's watermark must never be handed out twice, whatever restarts, retention
// sweeps or other instances do, and a customer activity stays owed to the bot until it is processed.

const customer = (text: string): Partial<Activity> => ({
  type: 'message',
  text,
  from: { id: 'dl_customer', name: '', role: 'user' },
});
const bot = (text: string): Partial<Activity> => ({
  type: 'message',
  text,
  from: { id: 'bot', name: '', role: 'bot' },
});
const seqs = (activities: Partial<Activity>[]) => activities.map((a) => Number(a.id!.split('|')[1]));

interface Opened {
  store: DocumentStore;
  /** Closes the store and opens the same data again (a restart). */
  reopen(): Promise<DocumentStore>;
  close(): Promise<void>;
}

async function reopenable(
  openStore: () => Promise<DocumentStore>,
  cleanup: () => Promise<void>,
): Promise<Opened> {
  let store = await openStore();
  return {
    store,
    async reopen() {
      await store.close();
      store = await openStore();
      return store;
    },
    async close() {
      await store.close();
      await cleanup();
    },
  };
}

interface Fixture {
  name: string;
  open(): Promise<Opened>;
  enforcesUniqueIndexes: boolean;
}

const fixtures: Fixture[] = [
  {
    name: 'embedded',
    enforcesUniqueIndexes: true,
    async open() {
      const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-dl-log-'));
      return reopenable(
        () => openEmbeddedStore(dir),
        () => rm(dir, { recursive: true, force: true }),
      );
    },
  },
  {
    name: 'MongoDB adapter on CongoDB',
    enforcesUniqueIndexes: true,
    async open() {
      const congo: RunningCongo = await startCongo();
      const uri = congo.uri(`dl_log_${process.pid}_${Date.now()}`);
      return reopenable(
        () => openMongoStore(uri),
        () => congo.stop(),
      );
    },
  },
];

describe.each(fixtures)('Direct Line activity log ($name)', (fixture) => {
  let opened: Opened;
  beforeEach(async () => {
    opened = await fixture.open();
  });
  afterEach(async () => {
    await opened.close();
  });

  it('numbers on from the last stored activity after a restart', async () => {
    let log = await createActivityLog(opened.store);
    const t = new Date('2026-12-03T09:00:00Z');
    await log.create('dlconv_a', 'dl_customer', t);
    for (const text of ['one', 'two']) await log.append('dlconv_a', customer(text), t, { forBot: true });
    await log.append('dlconv_a', bot('three'), t);
    log = await createActivityLog(await opened.reopen());
    await log.append('dlconv_a', customer('four'), t, { forBot: true });
    const { activities, watermark } = await log.since('dlconv_a', 0);
    expect(seqs(activities)).toEqual([1, 2, 3, 4]);
    expect(activities.map((a) => a.text)).toEqual(['one', 'two', 'three', 'four']);
    expect(watermark).toBe(4);
  });

  it('remembers across a restart whose customers were watched for leaving, until they are gone or it ends', async () => {
    let log = await createActivityLog(opened.store);
    const t = new Date('2026-12-03T09:00:00Z');
    for (const id of ['dlconv_streamed', 'dlconv_gone', 'dlconv_ended', 'dlconv_polls'])
      await log.create(id, 'dl_customer', t);
    for (const id of ['dlconv_streamed', 'dlconv_gone', 'dlconv_ended']) {
      await log.markWatched(id, true);
      await log.markWatched(id, true); // a second stream: nothing changes
    }
    await log.markWatched('dlconv_gone', false);
    await log.end('dlconv_ended', t);
    log = await createActivityLog(await opened.reopen());
    expect(await log.watched()).toEqual(['dlconv_streamed']);
    // Back after leaving: watched again.
    await log.markWatched('dlconv_gone', true);
    expect((await log.watched()).sort()).toEqual(['dlconv_gone', 'dlconv_streamed']);
  });

  it('never numbers again below what a swept conversation had reached', async () => {
    const log = await createActivityLog(opened.store);
    const old = new Date('2026-12-01T09:00:00Z');
    await log.create('dlconv_b', 'dl_customer', old);
    for (const text of ['one', 'two', 'three']) await log.append('dlconv_b', customer(text), old);
    // Retention drops every activity, the conversation itself is young enough to stay.
    expect(await log.sweep(new Date('2026-12-02T00:00:00Z'), new Date('2026-11-01T00:00:00Z'))).toBe(3);
    expect((await log.since('dlconv_b', 0)).activities).toEqual([]);
    const now = new Date('2026-12-03T09:00:00Z');
    await log.append('dlconv_b', customer('four'), now);
    expect(seqs((await log.since('dlconv_b', 0)).activities)).toEqual([4]);
    // And so does a process that never saw the conversation before.
    const fresh = await createActivityLog(await opened.reopen());
    await fresh.append('dlconv_b', customer('five'), now);
    expect(seqs((await fresh.since('dlconv_b', 3)).activities)).toEqual([4, 5]);
  });

  it("sweeps a backlog bigger than one step, keeping each conversation's number and what is in retention", async () => {
    const log = await createActivityLog(opened.store);
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 9, minute));
    const ids = ['dlconv_s1', 'dlconv_s2', 'dlconv_s3'];
    for (const id of ids) await log.create(id, 'dl_customer', at(0));
    // 700 activities each, stored in a few minutes (many in the same millisecond, so steps end inside
    // a run of equal times); the first two conversations' last 100 a day later, the third's all due.
    const when = (id: string, i: number) =>
      i < 600 || id === 'dlconv_s3' ? at(Math.floor(i / 200)) : at(24 * 60 + i);
    await Promise.all(
      ids.map(async (id) => {
        for (let i = 0; i < 700; i++) await log.append(id, customer(`m${i}`), when(id, i));
      }),
    );
    expect(await log.sweep(at(12 * 60), at(-1))).toBe(1900);
    for (const id of ['dlconv_s1', 'dlconv_s2']) {
      const { activities } = await log.since(id, 0);
      expect(seqs(activities)).toEqual(Array.from({ length: 100 }, (_, i) => 601 + i));
    }
    expect((await log.since('dlconv_s3', 0)).activities).toEqual([]);
    // A second sweep has nothing to do; numbering goes on from the last, swept or not.
    expect(await log.sweep(at(12 * 60), at(-1))).toBe(0);
    for (const id of ['dlconv_s1', 'dlconv_s3']) {
      await log.append(id, customer('after'), at(48 * 60));
      expect(seqs((await log.since(id, 700)).activities)).toEqual([701]);
    }
  }, 60_000);

  it('keeps a customer activity owed to the bot until it is delivered, across a restart', async () => {
    let log = await createActivityLog(opened.store);
    const t = new Date('2026-12-03T09:00:00Z');
    await log.create('dlconv_c', 'dl_customer', t);
    const first = await log.append('dlconv_c', customer('one'), t, { forBot: true });
    await log.append('dlconv_c', bot('hello'), t);
    const second = await log.append('dlconv_c', customer('two'), t, { forBot: true });
    await log.markDelivered('dlconv_c', Number(first.id.split('|')[1]));
    log = await createActivityLog(await opened.reopen());
    const owed = await log.undelivered();
    expect(owed.map((o) => [o.conversationId, o.activities.map((a) => a.text)])).toEqual([
      ['dlconv_c', ['two']],
    ]);
    await log.markDelivered('dlconv_c', Number(second.id.split('|')[1]));
    expect(await log.undelivered()).toEqual([]);
  });

  it('owes the bot every undelivered activity after a restart, however many there are', async () => {
    const t = new Date('2026-12-03T09:00:00Z');
    // A crash under load: more owed activities than one read of the log used to take (5,000).
    const OWED = 5003;
    const docs = Array.from({ length: OWED }, (_, i) => {
      const conversationId = `dlconv_${i % 400}`;
      const seq = Math.floor(i / 400) + 1;
      const id = `${conversationId}|${String(seq).padStart(7, '0')}`;
      return {
        conversationId,
        seq,
        json: JSON.stringify({ ...customer(`m${i}`), id }),
        createdAt: t,
        owed: true,
      };
    });
    for (let i = 0; i < docs.length; i += 1000)
      await opened.store.collection('directline_activities').insertMany(docs.slice(i, i + 1000));
    const owed = await createActivityLog(opened.store).then((log) => log.undelivered());
    expect(owed.reduce((n, o) => n + o.activities.length, 0)).toBe(OWED);
    const one = owed.find((o) => o.conversationId === 'dlconv_7')!;
    expect(seqs(one.activities)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
  });

  it('hands out every activity whole, as streamed, whether stored now or whole by an earlier version', async () => {
    const log = await createActivityLog(opened.store);
    const t = new Date('2026-12-03T09:00:00Z');
    await log.create('dlconv_w', 'dl_customer', t);
    const own = (seq: number) => ({
      id: `dlconv_w|${String(seq).padStart(7, '0')}`,
      channelId: 'directline',
      conversation: { id: 'dlconv_w' },
    });
    // An earlier version stored each activity whole.
    await opened.store.collection('directline_activities').insertOne({
      conversationId: 'dlconv_w',
      seq: 1,
      json: JSON.stringify({ ...own(1), ...customer('one'), timestamp: t.toISOString() }),
      createdAt: t,
    });
    const streamed: unknown[] = [];
    const stop = log.subscribe((_c, _seq, json) => streamed.push(JSON.parse(json)));
    // A caller's own id, channel or conversation never replaces the log's.
    const appended = await log.append(
      'dlconv_w',
      {
        ...bot('two'),
        id: 'mine',
        channelId: 'other',
        conversation: { id: 'x' } as Activity['conversation'],
      },
      t,
    );
    stop();
    const expected = { ...own(2), ...bot('two'), timestamp: t.toISOString() };
    expect(appended).toEqual(expected);
    expect(streamed).toEqual([expected]);
    const { activities } = await log.since('dlconv_w', 0);
    expect(activities).toEqual([{ ...own(1), ...customer('one'), timestamp: t.toISOString() }, expected]);
  });

  it('still delivers what a conversation of the earlier format counted as pending', async () => {
    const t = new Date('2026-12-03T09:00:00Z');
    // As the log stored it before activities carried their debt: a count on the conversation.
    await opened.store.collection('directline_conversations').insertOne({
      conversationId: 'dlconv_d',
      userId: 'dl_customer',
      started: true,
      lastSeq: 3,
      pending: 1,
      deliveredSeq: 1,
      createdAt: t,
    });
    await opened.store.collection('directline_activities').insertMany(
      [customer('one'), bot('hi'), customer('two')].map((a, i) => ({
        conversationId: 'dlconv_d',
        seq: i + 1,
        json: JSON.stringify({ ...a, id: `dlconv_d|${String(i + 1).padStart(7, '0')}` }),
        createdAt: t,
      })),
    );
    const log = await createActivityLog(opened.store);
    const owed = await log.undelivered();
    expect(owed.map((o) => o.activities.map((a) => a.text))).toEqual([['two']]);
    // Asked again before delivery (another restart), the same activity once.
    expect((await log.undelivered()).map((o) => o.activities.map((a) => a.text))).toEqual([['two']]);
    await log.markDelivered('dlconv_d', 3);
    expect(await log.undelivered()).toEqual([]);
    await log.append('dlconv_d', customer('three'), t, { forBot: true });
    expect(seqs((await log.since('dlconv_d', 3)).activities)).toEqual([4]);
  });

  // CongoDB accepts unique indexes without enforcing them; a MongoDB server does.
  it.runIf(fixture.enforcesUniqueIndexes)(
    'takes the next number when another instance stored one first',
    async () => {
      const a = await createActivityLog(opened.store);
      const b = await createActivityLog(opened.store);
      const t = new Date('2026-12-03T09:00:00Z');
      await a.create('dlconv_e', 'dl_customer', t);
      await a.append('dlconv_e', customer('one'), t);
      await b.append('dlconv_e', customer('two'), t);
      // `a` still believes 1 is the latest; its insert under 2 collides and it numbers again.
      await a.append('dlconv_e', customer('three'), t);
      const { activities } = await a.since('dlconv_e', 0);
      expect(seqs(activities)).toEqual([1, 2, 3]);
      expect(activities.map((x) => x.text)).toEqual(['one', 'two', 'three']);
    },
  );

  it.runIf(fixture.enforcesUniqueIndexes)(
    'stores a client id once per conversation, across a restart, and answers a repeat with the first',
    async () => {
      let log = await createActivityLog(opened.store);
      const t = new Date('2026-12-03T09:00:00Z');
      await log.create('dlconv_f', 'dl_customer', t);
      await log.create('dlconv_g', 'dl_customer', t);
      const first = await log.append('dlconv_f', customer('one'), t, { forBot: true, clientId: 'c1' });
      expect(first.repeat).toBeUndefined();
      log = await createActivityLog(await opened.reopen());
      const again = await log.append('dlconv_f', customer('one'), t, { forBot: true, clientId: 'c1' });
      expect(again).toMatchObject({ id: first.id, text: 'one', repeat: { owed: true } });
      await log.markDelivered('dlconv_f', 1);
      expect((await log.append('dlconv_f', customer('one'), t, { clientId: 'c1' })).repeat).toEqual({
        owed: false,
      });
      // Another conversation's client may use the same id.
      expect((await log.append('dlconv_g', customer('one'), t, { clientId: 'c1' })).repeat).toBeUndefined();
      expect(seqs((await log.since('dlconv_f', 0)).activities)).toEqual([1]);
      // A repeat takes no number: the next activity is 2.
      await log.append('dlconv_f', customer('two'), t, { clientId: 'c2' });
      expect(seqs((await log.since('dlconv_f', 0)).activities)).toEqual([1, 2]);
    },
  );
});
