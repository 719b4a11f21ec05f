import { afterEach, describe, expect, it } from 'vitest';
import { createRouter } from '../../services/routing/index.js';
import { makeWorld, typesFor, type World } from './harness.js';

let world: World;
afterEach(async () => world?.close());

const chat = { id: 'ws_chat', fallbackQueueId: 'q_general', capacityCost: 50, offerTimeoutSeconds: 60 };

describe('classification into queues and skills', () => {
  it('routes a French billing chat to the billing queue and offers it to Ida, the only agent with both skills', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }, { id: 'q_billing', skillMatching: 'exact' }],
      workstreams: [
        {
          ...chat,
          rules: [
            {
              id: 'r1',
              name: 'French billing',
              order: 1,
              conditions: [
                { field: 'prechat.topic', op: 'eq', value: 'billing' },
                { field: 'visitor.language', op: 'eq', value: 'fr' },
              ],
              queueId: 'q_billing',
              skills: ['billing', 'french'],
            },
          ],
        },
      ],
      agents: [
        { id: 'hal', queueIds: ['q_billing'], skills: [{ name: 'billing', proficiency: 9 }] },
        {
          id: 'ida',
          queueIds: ['q_billing'],
          skills: [
            { name: 'billing', proficiency: 3 },
            { name: 'french', proficiency: 4 },
          ],
        },
      ],
    });
    await world.newConversation('c1', {
      context: {
        preChat: { topic: 'Billing' },
        portalNavigation: [],
        visitor: { authenticated: false, language: 'fr' },
        custom: {},
      },
    });
    await world.router.enqueue('c1', 'customer asked for an agent');
    const c1 = await world.conversation('c1');
    expect(c1.queueId).toBe('q_billing');
    expect(c1.requiredSkills).toEqual(['billing', 'french']);
    expect(c1.agentId).toBe('ida');
  });

  it('with closest matching offers to Hal, who matches more of the skills, when nobody matches all', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general', skillMatching: 'closest' }],
      workstreams: [
        {
          ...chat,
          rules: [
            {
              id: 'r',
              name: 'r',
              order: 0,
              conditions: [],
              queueId: 'q_general',
              skills: ['billing', 'french', 'fiber'],
            },
          ],
        },
      ],
      agents: [
        { id: 'gus', skills: [{ name: 'fiber', proficiency: 10 }] },
        {
          id: 'hal',
          skills: [
            { name: 'billing', proficiency: 2 },
            { name: 'french', proficiency: 2 },
          ],
        },
      ],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.conversation('c1')).agentId).toBe('hal');
  });

  it('with least active offers to Fay, whose last item ended longest ago', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general', assignmentMethod: 'least-active' }],
      workstreams: [chat],
      agents: [
        { id: 'fay', lastItemEndedAt: new Date('2026-11-25T08:00:00Z') },
        { id: 'gil', lastItemEndedAt: new Date('2026-11-25T08:55:00Z') },
      ],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.conversation('c1')).agentId).toBe('fay');
  });

  it('serves the higher-priority queue first when one agent belongs to both', async () => {
    world = await makeWorld({
      queues: [
        { id: 'q_general', priority: 1 },
        { id: 'q_vip', priority: 10 },
      ],
      workstreams: [
        {
          ...chat,
          capacityCost: 100,
          rules: [
            {
              id: 'vip',
              name: 'vip',
              order: 0,
              conditions: [{ field: 'context.tier', op: 'eq', value: 'gold' }],
              queueId: 'q_vip',
              skills: [],
            },
          ],
        },
      ],
      agents: [{ id: 'ann', queueIds: ['q_general', 'q_vip'], chosenPresence: 'away', presence: 'away' }],
    });
    await world.newConversation('c_plain');
    await world.router.enqueue('c_plain');
    world.clock.ms += 1000;
    await world.newConversation('c_gold', {
      context: {
        preChat: {},
        portalNavigation: [],
        visitor: { authenticated: false },
        custom: { tier: 'gold' },
      },
    });
    await world.router.enqueue('c_gold');
    // Ann comes online with room for one item: the VIP one goes first although it arrived later.
    await world.router.presence.set('ann', 'available');
    await world.advance(0);
    expect((await world.conversation('c_gold')).agentId).toBe('ann');
    expect((await world.conversation('c_plain')).status).toBe('waiting');
  });

  it('serves a queue first come, first served', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [{ ...chat, capacityCost: 100 }],
      agents: [{ id: 'ann', chosenPresence: 'away', presence: 'away' }],
    });
    for (const id of ['c1', 'c2', 'c3']) {
      await world.newConversation(id);
      await world.router.enqueue(id);
      world.clock.ms += 1000;
    }
    await world.router.presence.set('ann', 'available');
    await world.advance(0);
    expect((await world.conversation('c1')).agentId).toBe('ann');
    expect((await world.conversation('c2')).status).toBe('waiting');
  });
});

describe('overflow and operating hours', () => {
  it('sends the third arrival to the backup queue when two already wait (size limit 2)', async () => {
    world = await makeWorld({
      queues: [
        { id: 'q_backup' },
        {
          id: 'q_general',
          overflow: [{ when: 'size', limit: 2, action: { type: 'transfer', queueId: 'q_backup' } }],
        },
      ],
      workstreams: [chat],
      agents: [],
    });
    for (const id of ['c1', 'c2', 'c3']) {
      await world.newConversation(id);
      await world.router.enqueue(id);
    }
    expect((await world.conversation('c2')).queueId).toBe('q_general');
    expect((await world.conversation('c3')).queueId).toBe('q_backup');
    expect(world.events.find((e) => e.type === 'conversation.overflowed')).toMatchObject({
      conversationId: 'c3',
      fromQueueId: 'q_general',
      toQueueId: 'q_backup',
      rule: 'size>=2',
    });
  });

  it('outside opening hours tells the customer and ends the conversation as unanswered', async () => {
    world = await makeWorld({
      queues: [
        {
          id: 'q_general',
          // 09:00 UTC on a Wednesday; open only on weekends.
          operatingHours: {
            timeZone: 'Europe/Paris',
            weekly: [{ day: 6, open: '09:00', close: '17:00' }],
            holidays: [],
          },
          overflow: [
            { when: 'closed', action: { type: 'end', message: 'We are closed. We open Saturday at 9.' } },
          ],
        },
      ],
      workstreams: [chat],
      agents: [{ id: 'ann' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.conversation('c1')).status).toBe('abandoned');
    // Routing publishes the words for the customer; the conversation service stores and relays them.
    const told = world.events.flatMap((e) =>
      e.type === 'conversation.overflowed' && e.message ? [[e.conversationId, e.message]] : [],
    );
    expect(told).toEqual([['c1', 'We are closed. We open Saturday at 9.']]);
    expect(typesFor(world.events, 'c1')).toContain('conversation.overflowed');
    expect((await world.agent('ann')).usedUnits).toBe(0);
  });

  it('overflows on expected wait: with one busy slot and AHT 300 s, the second waiting item (600 s) is above a 500 s limit', async () => {
    world = await makeWorld({
      queues: [
        { id: 'q_backup' },
        {
          id: 'q_general',
          overflow: [{ when: 'wait', limitSeconds: 500, action: { type: 'transfer', queueId: 'q_backup' } }],
        },
      ],
      workstreams: [{ ...chat, capacityCost: 100 }],
      agents: [{ id: 'ann' }],
    });
    await world.newConversation('c0');
    await world.router.enqueue('c0'); // takes Ann's only slot
    await world.newConversation('c1');
    await world.router.enqueue('c1'); // position 1: 300 s
    await world.newConversation('c2');
    await world.router.enqueue('c2'); // position 2: 600 s > 500 s
    expect((await world.conversation('c1')).queueId).toBe('q_general');
    expect((await world.conversation('c2')).queueId).toBe('q_backup');
  });
});

describe('items waiting when their queue closes', () => {
  // Paris weekdays 09:00–17:30; the clock starts Wednesday 09:00 UTC = 10:00 Paris.
  const dayHours = {
    timeZone: 'Europe/Paris',
    weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:30' })),
    holidays: [],
  };

  it('moves them to the open night queue at closing time, keeping their place by arrival', async () => {
    world = await makeWorld({
      queues: [
        { id: 'q_night' },
        {
          id: 'q_general',
          operatingHours: dayHours,
          overflow: [{ when: 'closed', action: { type: 'transfer', queueId: 'q_night' } }],
        },
      ],
      workstreams: [chat],
      agents: [],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.conversation('c1')).queueId).toBe('q_general');
    world.clock.ms += 7.5 * 3600_000; // 17:30 Paris
    const report = await world.router.sweep();
    expect(report.overflowed).toBe(1);
    const c1 = await world.conversation('c1');
    expect(c1.queueId).toBe('q_night');
    expect(c1.status).toBe('waiting');
    expect(c1.timestamps.queuedAt?.getTime()).toBe(Date.parse('2026-11-25T09:00:00Z'));
    expect(world.events.filter((e) => e.type === 'conversation.overflowed')).toMatchObject([
      { fromQueueId: 'q_general', toQueueId: 'q_night', rule: 'closed' },
    ]);
  });

  it('ends them with the closing message when the rule says so', async () => {
    world = await makeWorld({
      queues: [
        {
          id: 'q_general',
          operatingHours: dayHours,
          overflow: [{ when: 'closed', action: { type: 'end', message: 'We have closed for today.' } }],
        },
      ],
      workstreams: [chat],
      agents: [],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    world.clock.ms += 8 * 3600_000;
    await world.router.sweep();
    expect((await world.conversation('c1')).status).toBe('abandoned');
    const told = world.events.flatMap((e) =>
      e.type === 'conversation.overflowed' && e.message ? [e.message] : [],
    );
    expect(told).toEqual(['We have closed for today.']);
  });
});

describe('queue status', () => {
  it('tells the third waiting customer position 3 and 3 × AHT / slots as the wait', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }, { id: 'bea' }],
    });
    // 4 slots (2 agents × 100 / 50) all taken, then three waiting; no history yet → AHT default 300 s.
    for (const id of ['a1', 'a2', 'a3', 'a4', 'w1', 'w2', 'w3']) {
      await world.newConversation(id);
      await world.router.enqueue(id);
      world.clock.ms += 1000;
    }
    expect(await world.router.queueStatus('w3')).toEqual({ position: 3, estimatedWaitSeconds: 225 });
    expect(await world.router.queueStatus('w1')).toEqual({ position: 1, estimatedWaitSeconds: 75 });
    expect(await world.router.queueStatus('a1')).toEqual({ position: 1, estimatedWaitSeconds: 0 });
  });

  it('gives no estimate while nobody who could take the chat is available, and one again when someone is', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }],
    });
    await world.router.presence.set('ann', 'away');
    for (const id of ['w1', 'w2']) {
      await world.newConversation(id);
      await world.router.enqueue(id);
    }
    expect(await world.router.queueStatus('w2')).toEqual({ position: 2, estimatedWaitSeconds: null });
    await world.router.presence.set('ann', 'available');
    await expect.poll(async () => (await world.router.queueStatus('w2'))?.estimatedWaitSeconds).toBe(0);
  });

  /** Ann alone, one chat at a time: c1 handled, c2 first in line, so the estimate is the AHT. */
  async function estimateWithOneWaiting(): Promise<number | null> {
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    await world.newConversation('c2');
    await world.router.enqueue('c2');
    return (await world.router.queueStatus('c2'))?.estimatedWaitSeconds ?? null;
  }

  /** Ann alone with one slot (items taken at once) has handled c0 for `ms` and ended it. */
  async function annEndedAfter(ms: number, stream: { wrapUpHoldMinutes?: number } = {}): Promise<void> {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [{ ...chat, capacityCost: 100, autoAccept: true, ...stream }],
      agents: [{ id: 'ann' }],
    });
    await world.newConversation('c0');
    await world.router.enqueue('c0');
    world.clock.ms += ms;
    await world.router.end('c0', 'agent');
  }

  it('estimates from recent handle times once items have closed', async () => {
    await annEndedAfter(120_000);
    await world.router.close('c0', 'agent');
    // Ann handles c1; c2 is first in line, one slot, AHT 120 s.
    expect(await estimateWithOneWaiting()).toBe(120);
    expect((await world.router.queueStatus('c2'))?.position).toBe(1);
  });

  it("counts a reopened chat's handling from its reopen, not the hours it lay closed", async () => {
    await annEndedAfter(60_000);
    await world.router.close('c0', 'agent');
    world.clock.ms += 5 * 3600_000;
    await world.router.reopen('c0', 'ann');
    world.clock.ms += 120_000;
    await world.router.end('c0', 'agent');
    await world.router.close('c0', 'agent');
    // Samples of 60 s and 120 s: not 60 s and 5 h 3 min.
    expect(await estimateWithOneWaiting()).toBe(90);
  });

  it('samples a wrap-up whose hold ran out at the hold, and gives the same estimate after a restart', async () => {
    await annEndedAfter(60_000, { wrapUpHoldMinutes: 1 });
    // The sweep finds the hold over 4 minutes late; the agent closes the wrap-up 9 minutes later.
    world.clock.ms += 5 * 60_000;
    await world.router.sweep();
    world.clock.ms += 9 * 60_000;
    await world.router.close('c0', 'agent');
    // Held from acceptance to the hold's end: 60 s of chat and 60 s of wrap-up.
    expect(await estimateWithOneWaiting()).toBe(120);

    await world.router.stop();
    const again = createRouter({
      repos: world.repos,
      bus: world.bus,
      deps: { now: world.clock.now, newId: (p) => `${p}_again`, random: () => 0.5 },
      scheduler: world.scheduler,
      sweepIntervalMs: 0,
    });
    await again.start();
    try {
      expect((await again.queueStatus('c2'))?.estimatedWaitSeconds).toBe(120);
    } finally {
      await again.stop();
    }
  });
});
