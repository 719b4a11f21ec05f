import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type {
  Agent,
  Conversation,
  Deps,
  Queue,
  StoredEvent,
  Workstream,
} from '../../services/domain/index.js';
import { EventBus } from '../../services/events/index.js';
import {
  createRouter,
  ManualScheduler,
  type Router,
  type RouterOptions,
} from '../../services/routing/index.js';
import {
  createRepositories,
  openEmbeddedStore,
  type DocumentStore,
  type Repositories,
} from '../../services/store/index.js';

/** A fake clock the router, the store and the scheduler share. */
export class Clock {
  constructor(public ms = Date.parse('2026-11-25T09:00:00Z')) {}
  now = (): Date => new Date(this.ms);
}

export interface World {
  dir: string;
  store: DocumentStore;
  repos: Repositories;
  bus: EventBus;
  clock: Clock;
  scheduler: ManualScheduler;
  router: Router;
  events: StoredEvent[];
  /** Moves the clock and fires the timers that fell due, then lets their async work finish. */
  advance(seconds: number): Promise<void>;
  agent(id: string): Promise<Agent & { capacityHolds?: Record<string, { units: number }> }>;
  conversation(id: string): Promise<Conversation>;
  /** A customer conversation in `bot` status, ready for `router.enqueue`. */
  newConversation(id: string, over?: Partial<Conversation>): Promise<Conversation>;
  close(): Promise<void>;
}

export interface Setup {
  queues: Array<Partial<Queue> & { id: string }>;
  workstreams: Array<Partial<Workstream> & { id: string; fallbackQueueId: string }>;
  agents: Array<Partial<Agent> & { id: string }>;
  router?: Partial<RouterOptions>;
  /** Call `router.start()` (default true). */
  start?: boolean;
}

export async function makeWorld(setup: Setup): Promise<World> {
  const dir = await mkdtemp(path.join(tmpdir(), 'routing-'));
  const clock = new Clock();
  let n = 0;
  const deps: Deps = { now: clock.now, newId: (p) => `${p}_${++n}`, random: () => 0.5 };
  const store = await openEmbeddedStore(dir);
  const repos = await createRepositories(store, deps);
  for (const q of setup.queues) await repos.queues.create({ name: q.id, workstreamIds: ['ws_chat'], ...q });
  for (const w of setup.workstreams) {
    await repos.workstreams.create({
      name: w.id,
      channel: 'webchat',
      capacityCost: 25,
      allowedPresences: ['available'],
      ...w,
    });
  }
  for (const a of setup.agents) {
    await repos.agents.create({
      name: a.id,
      email: `${a.id}@example.test`,
      queueIds: ['q_general'],
      presence: 'available',
      chosenPresence: 'available',
      ...a,
    });
  }
  await repos.customers.create({ id: 'cust_1', name: 'Casey Customer' });
  await repos.customers.create({ id: 'cust_2', name: 'Dana Customer' });
  const bus = new EventBus(repos.events, clock.now);
  const events: StoredEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const scheduler = new ManualScheduler(() => clock.ms);
  const router = createRouter({ repos, bus, deps, scheduler, sweepIntervalMs: 0, ...setup.router });
  if (setup.start !== false) await router.start();

  const settle = async () => {
    // Timer callbacks and presence reactions start async work nobody awaits; wait until the event
    // log has been quiet for a few turns (adaptive, so a loaded CI machine does not make it flaky).
    let quiet = 0;
    for (let i = 0; i < 200 && quiet < 4; i++) {
      const before = events.length;
      await new Promise((r) => setTimeout(r, 5));
      quiet = events.length === before ? quiet + 1 : 0;
    }
    await router.dispatch();
  };

  return {
    dir,
    store,
    repos,
    bus,
    clock,
    scheduler,
    router,
    events,
    async advance(seconds) {
      clock.ms += seconds * 1000;
      scheduler.runDue(clock.ms);
      await settle();
    },
    async agent(id) {
      const a = await store.collection<Agent>('agents').findOne({ id });
      if (!a) throw new Error(`no agent ${id}`);
      return a;
    },
    async conversation(id) {
      return repos.conversations.require(id);
    },
    async newConversation(id, over = {}) {
      return repos.conversations.create({
        id,
        channel: 'webchat',
        customerId: 'cust_1',
        workstreamId: 'ws_chat',
        ...over,
      });
    },
    async close() {
      await router.stop();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The types of events about one conversation, in order. */
export function typesFor(events: StoredEvent[], conversationId: string): string[] {
  return events
    .filter((e) => 'conversationId' in e && e.conversationId === conversationId)
    .map((e) => e.type);
}
