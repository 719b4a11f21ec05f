import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps, DomainEvent, StoredEvent } from '../../services/domain/index.js';
import { ValidationError } from '../../services/domain/index.js';
import { EventBus } from '../../services/events/index.js';
import { Outbox } from '../../services/routing/outbox.js';
import { SessionLog } from '../../services/routing/session-log.js';
import {
  createRepositories,
  openEmbeddedStore,
  type DocumentStore,
  type Repositories,
} from '../../services/store/index.js';

// The routing outbox on the real embedded store and event bus: what is published while an append is
// under way goes with the next one, in publishing order, and a bad event fails only its publisher.

let dir: string;
let store: DocumentStore;
let repos: Repositories;
let bus: EventBus;
let appends: number;
const errors: unknown[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'outbox-'));
  store = await openEmbeddedStore(dir);
  let n = 0;
  const deps: Deps = {
    now: () => new Date('2026-12-02T09:00:00Z'),
    newId: (p) => `${p}_${++n}`,
    random: Math.random,
  };
  repos = await createRepositories(store, deps);
  bus = new EventBus(repos.events, deps.now);
  appends = 0;
  const appendMany = repos.events.appendMany.bind(repos.events);
  repos.events.appendMany = (events, at) => {
    appends += 1;
    return appendMany(events, at);
  };
  errors.length = 0;
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** The conversation an event concerns (routing events all have one). */
const conv = (e: StoredEvent): string => ('conversationId' in e ? e.conversationId : '');

const resolved = (i: number): DomainEvent => ({
  type: 'conversation.bot_resolved',
  conversationId: `conv_${i}`,
});

describe('routing outbox', () => {
  it('stores what 200 publishers publish at once in a few appends, in publishing order, and tells listeners in that order', async () => {
    const outbox = new Outbox(bus, new SessionLog(repos.sessions), (e) => errors.push(e));
    const heard: StoredEvent[] = [];
    bus.subscribe((e) => heard.push(e));
    await Promise.all(Array.from({ length: 200 }, (_, i) => outbox.publish([resolved(i), resolved(i)])));
    await outbox.idle();
    const log = await repos.events.readAfter(0, 1000);
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(log.map(conv)).toEqual(Array.from({ length: 200 }, (_, i) => [`conv_${i}`, `conv_${i}`]).flat());
    expect(heard.map((e) => e.seq)).toEqual(log.map((e) => e.seq));
    expect(appends).toBeLessThan(200 / 4);
    expect(errors).toEqual([]);
  });

  it('fails only the publisher of an invalid event; the others are stored', async () => {
    const outbox = new Outbox(bus, new SessionLog(repos.sessions), (e) => errors.push(e));
    const results = await Promise.allSettled([
      outbox.publish([resolved(1)]),
      outbox.publish([resolved(2), { type: 'conversation.nonsense' } as never]),
      outbox.publish([resolved(3)]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ValidationError);
    expect((await repos.events.readAfter(0)).map(conv)).toEqual(['conv_1', 'conv_3']);
    expect(errors).toHaveLength(1);
  });

  it('stores an event published at any moment of an append finishing, without waiting for another publish', async () => {
    for (let hops = 0; hops <= 16; hops++) {
      const outbox = new Outbox(bus, new SessionLog(repos.sessions), (e) => errors.push(e));
      const first = outbox.publish([resolved(100 + hops)]);
      await first;
      for (let i = 0; i < hops; i++) await Promise.resolve();
      let timer: NodeJS.Timeout | undefined;
      // A cap on a wait that would hang: nothing else is ever published.
      await Promise.race([
        outbox.publish([resolved(200 + hops)]),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`published ${hops} microtasks after: never stored`)),
            2000,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      await outbox.idle();
    }
    const stored = (await repos.events.readAfter(0, 100)).map(conv);
    expect(stored).toHaveLength(34);
    expect(errors).toEqual([]);
  });

  it("gathers a held pass's background events until the pass ends, but never holds an event someone waits for", async () => {
    const outbox = new Outbox(bus, new SessionLog(repos.sessions), (e) => errors.push(e));
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
    const release = outbox.hold();
    for (let i = 0; i < 10; i++) {
      outbox.publishInBackground([resolved(i)]);
      // A decision waits a turn or two for the store's group commit between its events.
      await turn();
      await turn();
    }
    expect(appends).toBe(0);
    // A caller acknowledging a step to a person waits for its event: it goes now, with the gathered.
    await outbox.publish([resolved(99)]);
    expect(appends).toBe(1);
    for (let i = 10; i < 15; i++) outbox.publishInBackground([resolved(i)]);
    await turn();
    await turn();
    expect(appends).toBe(1);
    release();
    await outbox.idle();
    expect(appends).toBe(2);
    const stored = (await repos.events.readAfter(0, 100)).map(conv);
    expect(stored).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `conv_${i}`),
      'conv_99',
      'conv_10',
      'conv_11',
      'conv_12',
      'conv_13',
      'conv_14',
    ]);
    expect(errors).toEqual([]);
  });

  it('publishes a lone event without waiting for company', async () => {
    const outbox = new Outbox(bus, new SessionLog(repos.sessions), (e) => errors.push(e));
    await outbox.publish([resolved(7)]);
    expect((await repos.events.readAfter(0)).map(conv)).toEqual(['conv_7']);
  });
});
