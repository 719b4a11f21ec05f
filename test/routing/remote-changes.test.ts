import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemDeps, type Conversation } from '../../services/domain/index.js';
import { EventBus } from '../../services/events/index.js';
import { createEventTail, type EventTail } from '../../services/realtime/index.js';
import { createRouter, type Router } from '../../services/routing/index.js';
import {
  COLLECTIONS,
  createRepositories,
  openMongoStore,
  type DocumentStore,
} from '../../services/store/index.js';
import { startCongo, type RunningCongo } from '../store/congo.js';
import { seedSharedRouting } from './support/shared-store.js';

// Two router instances on one MongoDB-compatible store, as two server processes run them, each
// hearing the other's events through its event-log tail. The sweep that would re-read everything is
// set far beyond the test's waits: only following the other instance's events can route in time.

const SWEEP_MS = 10 * 60_000;
const WAIT_MS = 30_000;

interface Instance {
  store: DocumentStore;
  router: Router;
  tail: EventTail;
}

let congo: RunningCongo;
let a: Instance;
let b: Instance;

async function instance(uri: string): Promise<Instance> {
  const store = await openMongoStore(uri);
  const repos = await createRepositories(store, systemDeps);
  const bus = new EventBus(repos.events, systemDeps.now);
  const router = createRouter({ repos, bus, deps: systemDeps, sweepIntervalMs: SWEEP_MS });
  const tail = createEventTail(repos.events, { pollMs: 50 });
  bus.subscribe((e) => tail.wake(e.seq, e));
  tail.subscribe((e, origin) => {
    if (origin === 'remote') router.followRemote(e);
  });
  await tail.start();
  await router.start();
  return { store, router, tail };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const start = Date.now();
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() - start > WAIT_MS) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  congo = await startCongo();
  const uri = congo.uri(`routing_remote_${process.pid}`);
  const seed = await openMongoStore(uri);
  await seedSharedRouting(seed, {
    agents: 1,
    conversations: 3,
    capacityCost: 50,
    offerTimeoutSeconds: 600,
    status: 'bot',
  });
  // The one agent starts Offline: neither instance may offer anything until they go Available.
  await seed
    .collection(COLLECTIONS.agents)
    .updateOne({ id: 'agent_0' }, { $set: { presence: 'offline', chosenPresence: 'offline' } });
  await seed.close();
  a = await instance(uri);
  b = await instance(uri);
}, 120_000);

afterAll(async () => {
  for (const i of [a, b]) {
    await i?.router.stop();
    await i?.tail.stop();
    await i?.store.close();
  }
  await congo?.stop();
});

const conversation = (i: Instance, id: string) =>
  i.store.collection<Conversation>(COLLECTIONS.conversations).findOne({ id });

describe('a router following another instance on the same store', () => {
  it('offers a customer queued on one instance to an agent who went Available on the other', async () => {
    await a.router.enqueue('conv_0');
    expect((await conversation(a, 'conv_0'))?.status).toBe('waiting');

    await b.router.presence.set('agent_0', 'available');
    const offered = await until('the offer', async () => {
      const c = await conversation(a, 'conv_0');
      return c?.status === 'offered' ? c : undefined;
    });
    expect(offered.agentId).toBe('agent_0');
  }, 60_000);

  it('offers the next customer as soon as the agent frees capacity on the other instance', async () => {
    await b.router.accept('conv_0', 'agent_0');
    await a.router.enqueue('conv_1');
    await until('the offer of the second slot', async () => {
      const c = await conversation(b, 'conv_1');
      return c?.status === 'offered' ? c : undefined;
    });
    await b.router.accept('conv_1', 'agent_0');

    // Both slots taken: the third customer waits on A until the agent closes one on B.
    await a.router.enqueue('conv_2');
    await a.router.dispatch();
    expect((await conversation(a, 'conv_2'))?.status).toBe('waiting');
    await b.router.end('conv_0', 'agent');
    await b.router.close('conv_0', 'agent', 'resolved');
    const offered = await until('the offer after the close', async () => {
      const c = await conversation(a, 'conv_2');
      return c?.status === 'offered' ? c : undefined;
    });
    expect(offered.agentId).toBe('agent_0');
  }, 60_000);
});
