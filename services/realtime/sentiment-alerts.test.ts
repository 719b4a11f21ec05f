import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SentimentLevel, StoredEvent } from '../domain/index.js';
import { EventBus } from '../events/index.js';
import { createRepositories, openEmbeddedStore, type DocumentStore } from '../store/index.js';
import { createSentimentAlerts, sentimentAlertPorts } from './sentiment-alerts.js';

// Sentiment alerts as the server wires them, on the real event log: an alert fires when a reading
// crosses a recipient's threshold, once — the previous reading is the one before it in the log —
// and again only after the customer recovered above the threshold.

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

describe('sentiment alerts', () => {
  it('alert the agent and the queue supervisor on each crossing of their thresholds, not on every reading', async () => {
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
      queueId: 'q',
      status: 'active',
      agentId: 'ann',
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
    const reading = async (level: SentimentLevel) => {
      await bus.publish({ type: 'sentiment.changed', conversationId: c.id, level, score: SCORES[level]! });
      await alerts.idle();
    };

    await reading('slightly negative'); // crosses Sue's threshold
    await reading('negative'); // crosses Ann's; Sue is already alerted
    await reading('very negative'); // below both already: nothing
    await reading('neutral'); // recovered: both re-armed
    await reading('negative'); // crosses both again

    expect(failures).toEqual([]);
    expect(raised).toEqual(['sue:slightly negative', 'ann:negative', 'ann:negative', 'sue:negative']);
  });
});
