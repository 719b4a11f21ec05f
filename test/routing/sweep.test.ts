import { afterEach, describe, expect, it } from 'vitest';
import { createRouter } from '../../services/routing/index.js';
import { makeWorld, type World } from './harness.js';

let world: World;
afterEach(async () => world?.close());

const chat = { id: 'ws_chat', fallbackQueueId: 'q_general', capacityCost: 50, offerTimeoutSeconds: 60 };

/** What an instance that crashed right after reserving (before claiming the conversation) leaves behind. */
async function strandedHold(agentId: string, conversationId: string, at: Date): Promise<void> {
  await world.store.collection('agents').updateOne(
    { id: agentId },
    {
      $inc: { usedUnits: 50, activeItems: 1 },
      $set: { [`capacityHolds.${conversationId}`]: { held: true, units: 50, at } },
    },
  );
}

describe('sweep', () => {
  it('releases capacity stranded by a crash between reservation and claim once the lease has passed', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }],
      router: { holdLeaseMs: 30_000 },
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    await world.router.abandon('c1');
    await strandedHold('ann', 'c_lost', world.clock.now());
    world.clock.ms += 10_000;
    expect((await world.router.sweep()).releasedHolds).toBe(0); // within the lease: maybe a claim in flight
    world.clock.ms += 25_000;
    expect((await world.router.sweep()).releasedHolds).toBe(1);
    const ann = await world.agent('ann');
    expect(ann.usedUnits).toBe(0);
    expect(ann.activeItems).toBe(0);
    expect(ann.capacityHolds).toEqual({});
  });

  it('keeps the holds of items really with the agent', async () => {
    world = await makeWorld({ queues: [{ id: 'q_general' }], workstreams: [chat], agents: [{ id: 'ann' }] });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    await world.router.accept('c1', 'ann');
    world.clock.ms += 3600_000;
    const report = await world.router.sweep();
    expect(report.releasedHolds).toBe(0);
    expect((await world.agent('ann')).usedUnits).toBe(50);
  });

  it('in one sweep, releases each leaked hold and keeps each real one, whoever holds what', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }, { id: 'bea' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    const owner = (await world.conversation('c1')).agentId!;
    const other = owner === 'ann' ? 'bea' : 'ann';
    await world.router.accept('c1', owner);
    // The other agent holds c1 too (it is not theirs), the owner holds one that does not exist.
    await strandedHold(other, 'c1', world.clock.now());
    await strandedHold(owner, 'c_lost', world.clock.now());
    world.clock.ms += 3600_000;
    expect((await world.router.sweep()).releasedHolds).toBe(2);
    expect(Object.keys((await world.agent(owner)).capacityHolds ?? {})).toEqual(['c1']);
    expect((await world.agent(owner)).usedUnits).toBe(50);
    expect((await world.agent(other)).capacityHolds).toEqual({});
    expect((await world.agent(other)).usedUnits).toBe(0);
  });

  it('lets a second instance on the same store route the items the first one queued', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [chat],
      agents: [{ id: 'ann', chosenPresence: 'away', presence: 'away' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    const other = createRouter({
      repos: world.repos,
      bus: world.bus,
      deps: { now: world.clock.now, newId: (p) => `${p}_o`, random: () => 0.5 },
      scheduler: world.scheduler,
      sweepIntervalMs: 0,
      // Two instances on one embedded store only happen in tests; on MongoDB this is the default.
      resyncWaiting: true,
    });
    await other.start();
    // Ann comes back through the other instance, which learns of c1 from the store.
    await other.presence.set('ann', 'available');
    await other.sweep();
    expect((await world.conversation('c1')).agentId).toBe('ann');
    expect((await world.agent('ann')).usedUnits).toBe(50);
    await other.stop();
  });

  it('never lets two instances deciding at once put one agent over capacity', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }],
      start: false,
    });
    const deps = { now: world.clock.now, newId: (p: string) => `${p}_o`, random: () => 0.5 };
    const a = createRouter({
      repos: world.repos,
      bus: world.bus,
      deps,
      scheduler: world.scheduler,
      sweepIntervalMs: 0,
    });
    const b = createRouter({
      repos: world.repos,
      bus: world.bus,
      deps,
      scheduler: world.scheduler,
      sweepIntervalMs: 0,
    });
    await Promise.all([a.start(), b.start()]);
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
    for (const id of ids) await world.newConversation(id);
    // Both instances believe Ann has 100 free units and race for her.
    await Promise.all(ids.map((id, i) => (i % 2 ? a : b).enqueue(id)));
    const ann = await world.agent('ann');
    expect(ann.usedUnits).toBe(100);
    const offered = [];
    for (const id of ids) if ((await world.conversation(id)).status === 'offered') offered.push(id);
    expect(offered).toHaveLength(2);
    expect(Object.keys(ann.capacityHolds ?? {}).sort()).toEqual(offered.sort());
    await Promise.all([a.stop(), b.stop()]);
  });

  it('reports a timed sweep that keeps failing once, its recovery once, and a new failure again', async () => {
    const logs: Array<{ level: string; msg: string }> = [];
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }],
      router: { sweepIntervalMs: 5_000, log: (e) => logs.push(e) },
    });
    /** Fires the sweep timer and waits until that sweep is over (it schedules the next one). */
    const timedSweep = async () => {
      world.clock.ms += 5_000;
      expect(world.scheduler.runDue(world.clock.ms)).toBe(1);
      await expect.poll(() => world.scheduler.nextDueAt()).not.toBeNull();
    };
    const said = (msg: string) => logs.filter((l) => l.msg === msg).length;
    const agents = world.repos.agents as { ids: () => Promise<unknown> };
    const outage = () => {
      agents.ids = () => Promise.reject(new Error('store down'));
    };
    outage();
    for (let i = 0; i < 4; i++) await timedSweep();
    expect(said('sweep failed')).toBe(1);
    delete (agents as Partial<typeof agents>).ids; // the repository's own method again
    await timedSweep();
    await timedSweep();
    expect(said('sweep working again')).toBe(1);
    outage();
    await timedSweep();
    expect(said('sweep failed')).toBe(2);
  });
});
