import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, Conversation, Deps, StoredEvent } from '../../services/domain/index.js';
import {
  COLLECTIONS,
  createRepositories,
  openMongoStore,
  type DocumentStore,
} from '../../services/store/index.js';
import { startCongo, type RunningCongo } from '../store/congo.js';

// An instance killed between reserving an agent's capacity and claiming the conversation must not
// leak that capacity: another instance's sweep releases the stranded hold once its lease has passed,
// and the conversation is still routed exactly once.

const here = path.dirname(fileURLToPath(import.meta.url));
const TOTAL = 20;

let congo: RunningCongo;
let store: DocumentStore;
let uri: string;

beforeAll(async () => {
  congo = await startCongo();
  uri = congo.uri(`routing_crash_${process.pid}`);
  store = await openMongoStore(uri);
  const deps: Deps = {
    now: () => new Date(),
    newId: (p) => `${p}_${Math.random().toString(36).slice(2)}`,
    random: Math.random,
  };
  const repos = await createRepositories(store, deps);
  await repos.queues.create({ id: 'q_main', name: 'Main', workstreamIds: ['ws_chat'] });
  await repos.workstreams.create({
    id: 'ws_chat',
    name: 'Chat',
    channel: 'webchat',
    fallbackQueueId: 'q_main',
    capacityCost: 50,
    offerTimeoutSeconds: 2,
    allowedPresences: ['available'],
  });
  for (let i = 0; i < 4; i++) {
    await repos.agents.create({
      id: `agent_${i}`,
      name: `Agent ${i}`,
      email: `a${i}@test.example`,
      queueIds: ['q_main'],
      presence: 'available',
      chosenPresence: 'available',
    });
  }
  await repos.customers.create({ id: 'cust_1', name: 'Customer' });
  const now = new Date();
  await store.collection(COLLECTIONS.conversations).insertMany(
    Array.from({ length: TOTAL }, (_, i) => ({
      id: `conv_${i}`,
      channel: 'webchat',
      customerId: 'cust_1',
      workstreamId: 'ws_chat',
      queueId: 'q_main',
      requiredSkills: [],
      context: { preChat: {}, portalNavigation: [], visitor: { authenticated: false }, custom: {} },
      status: 'waiting' as const,
      participants: [],
      declinedBy: [],
      transferCount: 0,
      lastMessageSeq: 0,
      lastActivityAt: now,
      timestamps: { createdAt: now, queuedAt: new Date(now.getTime() + i) },
      version: 1,
      seenActivityIds: [],
    })),
  );
}, 60_000);

afterAll(async () => {
  await store?.close();
  await congo?.stop();
});

function run(script: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'support', script), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

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
  }, 60_000);
});
