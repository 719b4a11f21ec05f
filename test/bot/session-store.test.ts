import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BOT_SESSIONS_COLLECTION,
  createBotSessions,
  type BotSession,
} from '../../bot/customer-bot/session-store.js';
import { initialDialogState } from '../../bot/customer-dialog/index.js';
import { openEmbeddedStore, openMongoStore, type DocumentStore } from '../../services/store/index.js';
import { startCongo } from '../store/congo.js';

// The bot's sessions on both store adapters: the quiet-chat sweep pages through every quiet session,
// longest quiet first, without skipping or repeating one where pages meet on the same instant; and
// a restarted relay finds every customer waiting in a queue, not a page of them.

const stores: Array<{ name: string; open(): Promise<{ store: DocumentStore; done(): Promise<void> }> }> = [
  {
    name: 'embedded',
    async open() {
      const dir = await mkdtemp(path.join(tmpdir(), 'bot-sessions-'));
      const store = await openEmbeddedStore(dir);
      return { store, done: () => store.close().then(() => rm(dir, { recursive: true, force: true })) };
    },
  },
  {
    name: 'MongoDB adapter on CongoDB',
    async open() {
      const congo = await startCongo();
      const store = await openMongoStore(congo.uri(`bot_sessions_${process.pid}`));
      return { store, done: () => store.close().then(() => congo.stop()) };
    },
  },
];

describe.each(stores)('bot sessions ($name)', ({ open }) => {
  it('pages through quiet sessions oldest first, ties by key, leaving out the busy and the recent', async () => {
    const { store, done } = await open();
    try {
      const sessions = await createBotSessions(store);
      const t0 = Date.parse('2026-12-01T09:00:00Z');
      const session = (key: string, quietAtS: number, phase = 'helping'): BotSession => ({
        key,
        conversationId: `conv_${key}`,
        state: { ...initialDialogState(), phase: phase as BotSession['state']['phase'] },
        style: 'text',
        lastCustomerActivityAt: new Date(t0 + quietAtS * 1000),
        updatedAt: new Date(t0),
      });
      // Four quiet at the same instant (a page ends among them), three later, one queued, one recent.
      for (const s of [
        session('d', 0),
        session('b', 0),
        session('a', 0),
        session('c', 0),
        session('f', 20),
        session('e', 10),
        session('g', 30),
        session('queued', 5, 'queued'),
        session('recent', 7200),
      ])
        await sessions.save(s);
      const before = new Date(t0 + 3600_000);
      const pages: string[][] = [];
      let after: BotSession | undefined;
      for (;;) {
        const page = await sessions.quietWithBot(before, after, 3);
        pages.push(page.map((s) => s.key));
        if (page.length < 3) break;
        after = page.at(-1);
      }
      expect(pages).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
    } finally {
      await done();
    }
  });

  it("gives a conversation's session key, and none for a conversation without a session", async () => {
    const { store, done } = await open();
    try {
      const sessions = await createBotSessions(store);
      const at = new Date('2026-12-01T09:00:00Z');
      for (const [key, conversationId] of [
        ['msteams:chat_1', 'conv_a'],
        ['webchat:dl_2', 'conv_b'],
      ] as const)
        await sessions.save({
          key,
          conversationId,
          state: initialDialogState(),
          style: 'text',
          lastCustomerActivityAt: at,
          updatedAt: at,
        });
      expect(await sessions.keyOf('conv_b')).toBe('webchat:dl_2');
      expect(await sessions.keyOf('conv_a')).toBe('msteams:chat_1');
      expect(await sessions.keyOf('conv_none')).toBeNull();
    } finally {
      await done();
    }
  });

  it('names the conversation of every session in a phase, more than a page of them', async () => {
    const { store, done } = await open();
    try {
      const sessions = await createBotSessions(store);
      const at = new Date('2026-12-01T09:00:00Z');
      const QUEUED = 1005;
      const phases = Array.from({ length: QUEUED + 20 }, (_, i) => (i % 51 === 50 ? 'helping' : 'queued'));
      const queued = phases.flatMap((p, i) => (p === 'queued' ? [`conv_${i}`] : []));
      await store.collection<BotSession>(BOT_SESSIONS_COLLECTION).insertMany(
        phases.map((phase, i) => ({
          key: `webchat:${i}`,
          conversationId: `conv_${i}`,
          state: { ...initialDialogState(), phase: phase as BotSession['state']['phase'] },
          style: 'text',
          lastCustomerActivityAt: at,
          updatedAt: at,
        })),
      );
      expect(queued.length).toBeGreaterThan(1000);
      const found = await sessions.inPhase('queued');
      expect(found.map((s) => s.conversationId).sort()).toEqual(queued.sort());
      expect(found.every((s) => s.state.phase === 'queued')).toBe(true);
    } finally {
      await done();
    }
  });
});
