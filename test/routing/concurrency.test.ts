import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, Conversation, StoredEvent } from '../../services/domain/index.js';
import { COLLECTIONS, openMongoStore, type DocumentStore } from '../../services/store/index.js';
import { startCongo, type RunningCongo } from '../store/congo.js';
import { runScript, seedSharedRouting } from './support/shared-store.js';

// Two server instances (two processes, each running the production Router over the Mongo adapter)
// share ONE CongoDB server. 100 conversations arrive while 20 agents accept, reject, ignore and pick
// concurrently through both instances. Every conversation must be assigned at most once, no agent
// may ever be over capacity, and nothing may be lost.

// Sized for a loaded two-core CI machine: 100 items still keep both instances racing on every agent
// (20 agents × 2 slots) for the whole run; 500 took 41 s alone and over three minutes under load.
const TOTAL = 100;
const COST = 50;

let congo: RunningCongo;
let store: DocumentStore;
let uri: string;

beforeAll(async () => {
  congo = await startCongo();
  uri = congo.uri(`routing_concurrency_${process.pid}`);
  store = await openMongoStore(uri);
  await seedSharedRouting(store, {
    agents: 20,
    conversations: TOTAL,
    capacityCost: COST,
    offerTimeoutSeconds: 1,
    assignmentMethod: 'round-robin',
    status: 'bot',
  });
}, 60_000);

afterAll(async () => {
  await store?.close();
  await congo?.stop();
});

async function runInstance(n: number, first: number, last: number): Promise<Record<string, unknown>> {
  const { code, out, err } = await runScript(
    'routing-instance.ts',
    [uri, String(n), String(first), String(last), String(TOTAL)],
    // A safety net, not a deadline: the instance exits as soon as every conversation is closed.
    240_000,
  );
  if (code !== 0) throw new Error(`instance ${n} exited with ${code}: ${err.slice(-2000)}`);
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
}

describe('two router instances on one MongoDB-compatible store', () => {
  it('assigns each of 100 conversations at most once, never overbooks an agent and loses nothing', async () => {
    const agents = store.collection<Agent & { capacityHolds?: Record<string, { units: number }> }>(
      COLLECTIONS.agents,
    );
    const samples: string[] = [];
    let sampling = true;
    // Watch every agent while the instances run: used units within capacity and equal to the holds.
    const watcher = (async () => {
      while (sampling) {
        for (const a of await agents.find({})) {
          const held = Object.values(a.capacityHolds ?? {}).reduce((s, h) => s + h.units, 0);
          if (a.usedUnits > a.capacity || a.usedUnits !== held || a.usedUnits < 0)
            samples.push(`${a.id}: used ${a.usedUnits}, held ${held}`);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const started = Date.now();
    const [a, b] = await Promise.all([
      runInstance(1, 0, TOTAL / 2 - 1),
      runInstance(2, TOTAL / 2, TOTAL - 1),
    ]);
    sampling = false;
    await watcher;
    const seconds = (Date.now() - started) / 1000;
    console.log(JSON.stringify({ seconds, a, b }));

    expect(samples).toEqual([]);
    expect(a.unexpected).toEqual([]);
    expect(b.unexpected).toEqual([]);

    // Nothing lost: every conversation was handled to the end.
    const convs = await store.collection<Conversation>(COLLECTIONS.conversations).find({});
    expect(convs.filter((c) => c.status !== 'closed').map((c) => `${c.id}:${c.status}`)).toEqual([]);

    // Assigned at most once: exactly one acceptance and one primary participant per conversation.
    const events = await store
      .collection<StoredEvent>(COLLECTIONS.events)
      .find({ type: 'conversation.accepted' });
    const accepts = new Map<string, number>();
    for (const e of events)
      if (e.type === 'conversation.accepted')
        accepts.set(e.conversationId, (accepts.get(e.conversationId) ?? 0) + 1);
    expect([...accepts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(accepts.size).toBe(TOTAL);
    expect(
      convs.filter((c) => c.participants.filter((p) => p.mode === 'primary').length !== 1).map((c) => c.id),
    ).toEqual([]);

    // All capacity came back exactly once.
    for (const agent of await agents.find({})) {
      expect({
        id: agent.id,
        used: agent.usedUnits,
        items: agent.activeItems,
        holds: agent.capacityHolds ?? {},
      }).toEqual({ id: agent.id, used: 0, items: 0, holds: {} });
    }
    expect(Number(a.accepted) + Number(b.accepted) + Number(a.picked) + Number(b.picked)).toBe(TOTAL);
  }, 280_000);
});
