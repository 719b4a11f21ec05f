import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Conversation, SentimentLevel, StoredEvent } from '../domain/index.js';
import { EventBus } from '../events/index.js';
import { createRepositories, openEmbeddedStore, type DocumentStore } from '../store/index.js';
import { createSentimentAlerts, sentimentAlertPorts } from './sentiment-alerts.js';

// Sentiment alerts as the server wires them, on the real event log: an alert fires when a reading
// crosses a recipient's threshold, once — the previous reading is the one before it in the log —
// and again only after the customer recovered above the threshold; someone who starts watching a
// conversation already past their threshold is told when they arrive.

let store: DocumentStore | undefined;
let dir: string | undefined;
afterEach(async () => {
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const SCORES: Partial<Record<SentimentLevel, number>> = {
  'slightly negative': -0.2,
  negative: -0.5,
  'very negative': -0.8,
  neutral: 0,
};

/** Ann (agent, alerts at negative) and Sue (supervisor of queue q, at slightly negative). */
async function setUp(conversation: Partial<Conversation>) {
  dir = await mkdtemp(path.join(tmpdir(), 'sentiment-alerts-'));
  store = await openEmbeddedStore(dir);
  let n = 0;
  const now = () => new Date(Date.UTC(2026, 11, 3, 9, 0, n));
  const repos = await createRepositories(store, { now, newId: (p) => `${p}_${++n}`, random: () => 0.5 });
  await repos.queues.create({ id: 'q', name: 'Q', workstreamIds: [] });
  await repos.workstreams.create({ id: 'ws', name: 'Chat', channel: 'webchat', fallbackQueueId: 'q' });
  const person = (
    id: string,
    roles: Array<'agent' | 'supervisor'>,
    threshold: 'negative' | 'slightly negative',
  ) =>
    repos.agents.create({
      id,
      name: id,
      email: `${id}@example.com`,
      roles,
      queueIds: ['q'],
      sentimentThreshold: threshold,
    });
  await person('ann', ['agent'], 'negative');
  await person('sue', ['agent', 'supervisor'], 'slightly negative');
  const customer = await repos.customers.create({ name: 'Casey' });
  const c = await repos.conversations.create({
    channel: 'webchat',
    customerId: customer.id,
    workstreamId: 'ws',
    ...conversation,
  });
  // A long conversation: the readings sit among many other events.
  for (let i = 0; i < 50; i++) {
    await repos.events.append({
      type: 'message.added',
      conversationId: c.id,
      messageId: `m${i}`,
      messageSeq: i + 1,
      author: 'customer',
      visibility: 'public',
    });
  }

  const bus = new EventBus(repos.events, now);
  const failures: unknown[] = [];
  const alerts = createSentimentAlerts(
    sentimentAlertPorts(repos, (e) => bus.publish(e)),
    (err) => failures.push(err),
  );
  const raised: string[] = [];
  bus.subscribe((e: StoredEvent) => {
    if (e.type === 'sentiment.alert') raised.push(`${e.recipientId}:${e.level}`);
  });
  bus.subscribe(alerts.onEvent);
  const reading = (level: SentimentLevel) =>
    bus.publish({ type: 'sentiment.changed', conversationId: c.id, level, score: SCORES[level]! });
  const queued = () =>
    bus.publish({ type: 'conversation.queued', conversationId: c.id, queueId: 'q', skills: [] });
  const accepted = (agentId: string) =>
    bus.publish({
      type: 'conversation.accepted',
      conversationId: c.id,
      agentId,
      queueId: 'q',
      picked: false,
    });
  return { repos, c, alerts, raised, failures, reading, queued, accepted };
}

describe('sentiment alerts', () => {
  it('alert the agent and the queue supervisor on each crossing of their thresholds, not on every reading', async () => {
    const { alerts, raised, failures, reading } = await setUp({
      queueId: 'q',
      status: 'active',
      agentId: 'ann',
    });
    const step = async (level: SentimentLevel) => {
      await reading(level);
      await alerts.idle();
    };

    await step('slightly negative'); // crosses Sue's threshold
    await step('negative'); // crosses Ann's; Sue is already alerted
    await step('very negative'); // below both already: nothing
    await step('neutral'); // recovered: both re-armed
    await step('negative'); // crosses both again

    expect(failures).toEqual([]);
    expect(raised).toEqual(['sue:slightly negative', 'ann:negative', 'ann:negative', 'sue:negative']);
  });

  it('alert whoever starts watching a conversation already past their threshold, once', async () => {
    const { repos, c, alerts, raised, failures, reading, queued, accepted } = await setUp({ status: 'bot' });
    const settled = async (step: Promise<unknown>) => {
      await step;
      await alerts.idle();
    };

    // Angry before anyone is there to be told: with the bot, in no queue.
    await settled(reading('negative'));
    expect(raised).toEqual([]);

    // Queued: the queue's supervisor is told; queued again (a rejected offer), not twice.
    await repos.conversations.change(c.id, (x) => ({ ...x, queueId: 'q', status: 'waiting' }));
    await settled(queued());
    await settled(queued());
    expect(raised).toEqual(['sue:negative']);

    // Accepted: the agent is told; an angrier message in the same stretch tells no one again.
    await repos.conversations.change(c.id, (x) => ({ ...x, agentId: 'ann', status: 'active' }));
    await settled(accepted('ann'));
    await settled(reading('very negative'));
    expect(raised).toEqual(['sue:negative', 'ann:negative']);

    // A crossing and an arrival at the same moment tell the agent once, whichever is judged first:
    // here the reading is in the log before the arrival is judged, and its crossing after it.
    await settled(reading('neutral'));
    const crossing = await repos.events.append({
      type: 'sentiment.changed',
      conversationId: c.id,
      level: 'negative',
      score: SCORES.negative!,
    });
    await settled(accepted('ann'));
    alerts.onEvent(crossing);
    await alerts.idle();
    // And the other way round.
    await settled(reading('neutral'));
    await settled(Promise.all([reading('negative'), accepted('ann')]));
    expect(failures).toEqual([]);
    expect(raised.filter((r) => r.startsWith('ann:'))).toEqual([
      'ann:negative',
      'ann:negative',
      'ann:negative',
    ]);
  });
});
