import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, SentimentLevel } from '../../services/domain/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiClient, type Json } from './support/clients.js';

// The lists people watch at a peak: more conversations in one queue than one page of the store
// holds. A supervisor's figures count every one of them, and their board shows the ones to see
// first — the longest waiting, and the unhappiest of those being handled — with the total; an
// agent's open work items are the longest waiting, with how many there are in all.

const QUEUE = 'queue_peak';
const WAITING = 1100;
const HOUR = 3600_000;
const CLOSED_TODAY = 1100;
const CLOSED_YESTERDAY = 5;

let server: TestServer;
let lead: ApiClient;
let idleAgent: ApiClient;
let t0: number;
const handled: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  const { repos } = server.services;
  await repos.queues.create({ id: QUEUE, name: 'Peak', workstreamIds: ['ws_webchat'] });
  // Members who are all away: nothing here is routed while the test reads the figures.
  const member = (id: string, roles: ('agent' | 'supervisor')[] = ['agent']) =>
    repos.agents.create({
      id,
      name: `Member ${id}`,
      email: `${id}@example.com`,
      roles,
      queueIds: [QUEUE],
      presence: 'away',
      chosenPresence: 'away',
    });
  await member('peak_lead', ['agent', 'supervisor']);
  for (const id of ['m_angry', 'm_uneasy', 'm_happy', 'm_quiet', 'm_wrapping', 'm_idle', 'm_closer'])
    await member(id);
  const customer = await repos.customers.create({ name: 'Peak Customer' });
  t0 = Date.now();
  const conversation = (over: Partial<Conversation>) =>
    repos.conversations.create({
      channel: 'webchat',
      customerId: customer.id,
      workstreamId: 'ws_webchat',
      queueId: QUEUE,
      ...over,
    });
  // Queued oldest last, so no store order hands the oldest out by accident.
  for (let i = WAITING; i > 0; i -= 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, k) => {
        const at = new Date(t0 - 3 * HOUR * ((i - k) / WAITING));
        return conversation({ status: 'waiting', timestamps: { createdAt: at, queuedAt: at } });
      }),
    );
  }
  const offeredAt = new Date(t0 - 60_000);
  await conversation({
    status: 'offered',
    agentId: 'm_idle',
    offerExpiresAt: new Date(t0 + HOUR),
    timestamps: { createdAt: offeredAt, queuedAt: offeredAt, offeredAt },
  });
  const handle = async (agentId: string, minutesAgo: number, level?: SentimentLevel, score = 0) => {
    const at = new Date(t0 - minutesAgo * 60_000);
    const c = await conversation({
      status: agentId === 'm_wrapping' ? 'wrap-up' : 'active',
      agentId,
      participants: [{ agentId, mode: 'primary', joinedAt: at }],
      ...(level ? { sentiment: { level, score, at } } : {}),
      timestamps: { createdAt: at, queuedAt: at, offeredAt: at, acceptedAt: at },
    });
    handled[agentId] = c.id;
  };
  await handle('m_happy', 50, 'positive', 0.6);
  await handle('m_quiet', 40);
  await handle('m_uneasy', 5, 'slightly negative', -0.2);
  await handle('m_angry', 2, 'very negative', -0.8);
  await handle('m_wrapping', 30, 'neutral', 0);
  const alert = (recipientId: string, level: 'negative' | 'very negative' = 'very negative') => ({
    type: 'sentiment.alert' as const,
    conversationId: handled.m_angry!,
    level,
    recipientId,
    recipientRole: 'supervisor' as const,
  });
  await repos.events.appendMany([
    alert('peak_lead', 'negative'),
    alert('peak_lead'),
    alert('supervisor_sam'),
  ]);
  // A busy agent's day: more closed than one page, created in the opposite order to their closing so
  // only a sort by the closing time lists them last closed first; and yesterday's, out of the list.
  for (let i = 0; i < CLOSED_TODAY + CLOSED_YESTERDAY; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, CLOSED_TODAY + CLOSED_YESTERDAY - i) }, (_, k) => {
        const n = i + k;
        const closedAt = new Date(n < CLOSED_TODAY ? t0 - 60_000 * (n + 1) : t0 - 30 * HOUR - n);
        const createdAt = new Date(t0 - 40 * HOUR + n * 1000);
        return conversation({
          status: 'closed',
          agentId: 'm_closer',
          timestamps: { createdAt, queuedAt: createdAt, acceptedAt: createdAt, closedAt },
        });
      }),
    );
  }
  lead = await signIn(server.url, 'peak_lead');
  idleAgent = await signIn(server.url, 'm_idle');
}, 120_000);
afterAll(() => server.close());

describe("a supervisor's view of a queue at its peak", () => {
  it('counts every waiting customer and the real oldest wait on the wallboard', async () => {
    const res = await lead.call('GET', '/supervisor/realtime');
    expect(res.status).toBe(200);
    const [peak] = res.body.items as Json[];
    expect(peak).toMatchObject({
      queueId: QUEUE,
      contactsInQueue: WAITING + 1,
      agentsAvailable: 0,
      agentsOnContact: 4, // angry, uneasy, happy, quiet
      agentsAfterContactWork: 1,
    });
    const ageNow = (Date.now() - (t0 - 3 * HOUR)) / 1000;
    expect(peak.oldestContactAgeSeconds).toBeGreaterThanOrEqual(3 * 3600 - 1);
    expect(peak.oldestContactAgeSeconds).toBeLessThanOrEqual(Math.ceil(ageNow) + 1);
  });

  it('lists the longest waiting first, then the unhappiest handled, and says how many there are in all', async () => {
    const res = await lead.call('GET', '/supervisor/conversations');
    expect(res.status).toBe(200);
    const items = res.body.items as Json[];
    expect(res.body.total).toBe(WAITING + 1 + 5);
    const queued = items.filter((c) => c.status === 'waiting' || c.status === 'offered');
    expect(queued).toHaveLength(500);
    expect(items.slice(0, 500)).toEqual(queued);
    const waits = queued.map((c) => c.waitingSeconds as number);
    expect(waits[0]).toBeGreaterThanOrEqual(3 * 3600 - 1);
    expect(waits).toEqual([...waits].sort((a, b) => b - a));
    // The 500 longest of 1,100 spread over three hours: none queued in the last 80 minutes.
    expect(Math.min(...waits)).toBeGreaterThan(80 * 60);

    const rest = items.slice(500);
    expect(rest.map((c) => c.id)).toEqual([
      handled.m_angry,
      handled.m_uneasy,
      handled.m_happy, // then the longest handled
      handled.m_quiet,
      handled.m_wrapping,
    ]);
    expect(rest[0]).toMatchObject({ sentiment: 'very negative', alerts: 2, agentName: 'Member m_angry' });
    // What the latest was, for a supervisor who was not watching when it came.
    expect(rest[0]!.lastAlert).toEqual({ level: 'very negative', at: expect.any(String) });
    expect(rest.slice(1).every((c) => c.alerts === 0 && c.lastAlert === null)).toBe(true);
    expect(rest[3]).toMatchObject({ sentiment: 'neutral', customerName: 'Peak Customer' });
  });

  it("gives an agent the queue's longest waiting as open work items, and how many wait in all", async () => {
    const res = await idleAgent.call('GET', '/work-items?view=open');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(WAITING);
    const waits = (res.body.items as Json[]).map((w) => w.waitingSeconds as number);
    expect(waits).toHaveLength(200);
    expect(waits[0]).toBeGreaterThanOrEqual(3 * 3600 - 1);
    expect(waits).toEqual([...waits].sort((a, b) => b - a));
    expect((res.body.items as Json[]).every((w) => w.status === 'waiting' && w.queueName === 'Peak')).toBe(
      true,
    );
    const mine = await idleAgent.call('GET', '/work-items?view=mine');
    expect(mine.body).toEqual({ items: [], total: 0 });
  });
});

describe("a busy agent's closed list", () => {
  it('pages every item closed in the last 24 hours, last closed first, and counts them all', async () => {
    const closer = await signIn(server.url, 'm_closer');
    const seen: Json[] = [];
    let before: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await closer.call(
        'GET',
        `/work-items?view=closed${before ? `&before=${encodeURIComponent(before)}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(CLOSED_TODAY);
      seen.push(...(res.body.items as Json[]));
      before = res.body.nextCursor as string | undefined;
      if (!before) break;
      expect(res.body.items).toHaveLength(200);
    }
    expect(before).toBeUndefined();
    expect(seen).toHaveLength(CLOSED_TODAY);
    expect(new Set(seen.map((w) => w.id)).size).toBe(CLOSED_TODAY);
    expect(seen.every((w) => w.status === 'closed')).toBe(true);
    // Last closed first: the creation times, which run the other way, rise down the list.
    const created = seen.map((w) => Date.parse(w.createdAt as string));
    expect(created).toEqual([...created].sort((a, b) => a - b));

    const bad = await closer.call('GET', '/work-items?view=closed&before=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('work_items.bad_cursor');
  });
});
