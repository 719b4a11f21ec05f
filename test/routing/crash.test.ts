import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, Conversation, StoredEvent } from '../../services/domain/index.js';
import { COLLECTIONS, openMongoStore, type DocumentStore } from '../../services/store/index.js';
import { startCongo, type RunningCongo } from '../store/congo.js';
import { runScript, seedSharedRouting } from './support/shared-store.js';

// An instance killed between reserving an agent's capacity and claiming the conversation must not
// leak that capacity: another instance's sweep releases the stranded hold once its lease has passed,
// and the conversation is still routed exactly once.

const TOTAL = 20;

let congo: RunningCongo;
let store: DocumentStore;
let uri: string;

beforeAll(async () => {
  congo = await startCongo();
  uri = congo.uri(`routing_crash_${process.pid}`);
  store = await openMongoStore(uri);
  await seedSharedRouting(store, {
    agents: 4,
    conversations: TOTAL,
    capacityCost: 50,
    offerTimeoutSeconds: 2,
    status: 'waiting',
  });
}, 60_000);

afterAll(async () => {
  await store?.close();
  await congo?.stop();
});

// Safety nets, not deadlines: each instance exits as soon as its work is done.
const run = (script: string, args: string[]) => runScript(script, args, 120_000);

describe('an instance crashing between reservation and claim', () => {
  it('leaks no capacity: the survivor releases the stranded hold after its lease and routes everything once', async () => {
    const agents = store.collection<Agent & { capacityHolds?: Record<string, { units: number }> }>(
      COLLECTIONS.agents,
    );
    const crashed = await run('crash-instance.ts', [uri, 'conv_0']);
    expect(crashed.code).toBe(137);
    // Several decisions were in flight when it died: each may have left a reservation behind.
    const stranded = (await agents.find({})).flatMap((a) => Object.keys(a.capacityHolds ?? {}));
    expect(stranded.length).toBeGreaterThanOrEqual(1);
    const heldFor = await store
      .collection<Conversation>(COLLECTIONS.conversations)
      .find({ id: { $in: stranded } });
    expect(heldFor.map((c) => c.status)).toEqual(stranded.map(() => 'waiting'));

    const survivor = await run('routing-instance.ts', [uri, '1', '0', String(TOTAL - 1), String(TOTAL)]);
    expect(survivor.code, survivor.err.slice(-1500)).toBe(0);
    expect(JSON.parse(survivor.out.trim().split('\n').pop()!)).toMatchObject({ unexpected: [] });

    for (const a of await agents.find({}))
      expect({ id: a.id, used: a.usedUnits, holds: a.capacityHolds ?? {} }).toEqual({
        id: a.id,
        used: 0,
        holds: {},
      });
    const convs = await store.collection<Conversation>(COLLECTIONS.conversations).find({});
    expect(convs.filter((c) => c.status !== 'closed')).toEqual([]);
    const accepted = await store
      .collection<StoredEvent>(COLLECTIONS.events)
      .find({ type: 'conversation.accepted' });
    expect(accepted).toHaveLength(TOTAL);
    expect(new Set(accepted.map((e) => ('conversationId' in e ? e.conversationId : ''))).size).toBe(TOTAL);
  }, 150_000);
});
