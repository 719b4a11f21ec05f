import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../services/domain/index.js';
import { makeWorld, typesFor, type World } from './harness.js';

let world: World;
afterEach(async () => world?.close());

const chat = { id: 'ws_chat', fallbackQueueId: 'q_general', capacityCost: 50, offerTimeoutSeconds: 60 };

async function activeWith(agentId: string, id: string): Promise<void> {
  await world.newConversation(id);
  await world.router.enqueue(id);
  const c = await world.conversation(id);
  if (c.agentId !== agentId) throw new Error(`${id} went to ${c.agentId}, expected ${agentId}`);
  await world.router.accept(id, agentId);
}

describe('capacity', () => {
  it('never gives Ann a third 50-unit item: it waits until she closes one', async () => {
    world = await makeWorld({ queues: [{ id: 'q_general' }], workstreams: [chat], agents: [{ id: 'ann' }] });
    await activeWith('ann', 'c1');
    await activeWith('ann', 'c2');
    await world.newConversation('c3');
    await world.router.enqueue('c3');
    expect((await world.conversation('c3')).status).toBe('waiting');
    expect((await world.agent('ann')).usedUnits).toBe(100);
    await world.router.end('c1', 'agent');
    // Wrap-up still holds the units.
    expect((await world.conversation('c3')).status).toBe('waiting');
    await world.router.close('c1', 'agent', 'resolved');
    await world.router.dispatch();
    expect((await world.conversation('c3')).agentId).toBe('ann');
    expect((await world.agent('ann')).usedUnits).toBe(100);
  });

  it("frees a wrap-up's units after the stream's hold, though the agent has not closed it", async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [{ ...chat, wrapUpHoldMinutes: 5 }],
      agents: [{ id: 'ann' }],
    });
    await activeWith('ann', 'c1');
    await activeWith('ann', 'c2');
    await world.newConversation('c3');
    await world.router.enqueue('c3');
    await world.router.end('c1', 'agent');
    world.clock.ms += 5 * 60_000 - 1000;
    await world.router.sweep();
    expect((await world.agent('ann')).usedUnits).toBe(100);
    world.clock.ms += 1000;
    await world.router.sweep();
    // Ann is still writing up c1; the customer waiting gets her freed slot.
    expect((await world.conversation('c1')).status).toBe('wrap-up');
    expect((await world.conversation('c3')).agentId).toBe('ann');
    await world.router.accept('c3', 'ann');
    expect((await world.agent('ann')).usedUnits).toBe(100);
    // Closing the wrap-up later gives back nothing more.
    await world.router.close('c1', 'agent', 'resolved');
    expect((await world.agent('ann')).usedUnits).toBe(100);
  });

  it('frees the units when the chat ends, for a stream that holds none for wrap-up', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [{ ...chat, wrapUpHoldMinutes: 0 }],
      agents: [{ id: 'ann' }],
    });
    await activeWith('ann', 'c1');
    await world.router.end('c1', 'agent');
    expect((await world.agent('ann')).usedUnits).toBe(0);
    expect((await world.conversation('c1')).status).toBe('wrap-up');
  });

  it('shows Ann Busy automatically at full capacity and Available again when an item closes', async () => {
    world = await makeWorld({ queues: [{ id: 'q_general' }], workstreams: [chat], agents: [{ id: 'ann' }] });
    await activeWith('ann', 'c1');
    expect((await world.agent('ann')).presence).toBe('available');
    await activeWith('ann', 'c2');
    expect((await world.agent('ann')).presence).toBe('busy');
    expect((await world.agent('ann')).chosenPresence).toBe('available');
    await world.router.end('c2', 'agent');
    await world.router.close('c2', 'agent');
    expect((await world.agent('ann')).presence).toBe('available');
    const changes = world.events.filter((e) => e.type === 'presence.changed');
    expect(changes.map((e) => e.type === 'presence.changed' && [e.presence, e.automatic])).toEqual([
      ['busy', true],
      ['available', true],
    ]);
  });

  it('releases capacity exactly once when an item closes, and records when it ended', async () => {
    world = await makeWorld({ queues: [{ id: 'q_general' }], workstreams: [chat], agents: [{ id: 'ann' }] });
    await activeWith('ann', 'c1');
    await activeWith('ann', 'c2');
    world.clock.ms += 120_000;
    await world.router.end('c1', 'agent');
    await world.router.close('c1', 'agent');
    await expect(world.router.close('c1', 'agent')).rejects.toMatchObject({
      code: 'conversation.illegal_transition',
    });
    const ann = await world.agent('ann');
    expect(ann.usedUnits).toBe(50);
    expect(ann.activeItems).toBe(1);
    expect(ann.lastItemEndedAt?.getTime()).toBe(world.clock.ms);
    expect(Object.keys(ann.capacityHolds ?? {})).toEqual(['c2']);
  });

  it('gives the reservation back when the customer abandons while the item is offered', async () => {
    world = await makeWorld({ queues: [{ id: 'q_general' }], workstreams: [chat], agents: [{ id: 'ann' }] });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.agent('ann')).usedUnits).toBe(50);
    await world.router.abandon('c1');
    expect((await world.conversation('c1')).status).toBe('abandoned');
    expect((await world.agent('ann')).usedUnits).toBe(0);
    expect(typesFor(world.events, 'c1').slice(-2)).toEqual([
      'conversation.status_changed',
      'conversation.abandoned',
    ]);
  });

  it('reopens a closed item for its agent within 24 hours, taking capacity again', async () => {
    world = await makeWorld({ queues: [{ id: 'q_general' }], workstreams: [chat], agents: [{ id: 'ann' }] });
    await activeWith('ann', 'c1');
    await world.router.end('c1', 'agent');
    await world.router.close('c1', 'agent');
    expect((await world.agent('ann')).usedUnits).toBe(0);
    world.clock.ms += 23 * 3600_000;
    const c1 = await world.router.reopen('c1', 'ann');
    expect(c1.status).toBe('active');
    expect((await world.agent('ann')).usedUnits).toBe(50);
    // Her second session is the queue's like the first, for the queue's agent figures.
    const sessions = await world.repos.sessions.listByConversation('c1');
    expect(sessions.map((s) => [s.state, s.queueId])).toEqual([
      ['ended', 'q_general'],
      ['accepted', 'q_general'],
    ]);
  });

  it('refuses to reopen after 24 hours and takes no capacity', async () => {
    world = await makeWorld({ queues: [{ id: 'q_general' }], workstreams: [chat], agents: [{ id: 'ann' }] });
    await activeWith('ann', 'c1');
    await world.router.end('c1', 'agent');
    await world.router.close('c1', 'agent');
    world.clock.ms += 24 * 3600_000 + 1;
    await expect(world.router.reopen('c1', 'ann')).rejects.toMatchObject({
      code: 'conversation.illegal_transition',
    });
    expect((await world.agent('ann')).usedUnits).toBe(0);
  });
});

describe('pick', () => {
  it('lets Bea pick an open item from her queue, and then the offer to Ann cannot win', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [chat],
      agents: [
        { id: 'ann', chosenPresence: 'away', presence: 'away' },
        { id: 'bea', chosenPresence: 'away', presence: 'away' },
      ],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.conversation('c1')).status).toBe('waiting');
    const picked = await world.router.pick('c1', 'bea');
    expect(picked.status).toBe('active');
    expect(picked.agentId).toBe('bea');
    await expect(world.router.pick('c1', 'ann')).rejects.toMatchObject({ code: 'conversation.not_open' });
    expect((await world.agent('ann')).usedUnits).toBe(0);
    expect(world.events.some((e) => e.type === 'conversation.accepted' && e.picked)).toBe(true);
  });

  it('has exactly one winner when a pick races the offer for the same item', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }, { id: 'bea', queueIds: ['q_general'] }],
    });
    await world.newConversation('c1');
    // Enqueue (which offers to someone) and Bea's pick start together.
    const results = await Promise.allSettled([world.router.enqueue('c1'), world.router.pick('c1', 'bea')]);
    const c1 = await world.conversation('c1');
    const ann = await world.agent('ann');
    const bea = await world.agent('bea');
    expect(['offered', 'active']).toContain(c1.status);
    // Whoever holds it holds its 50 units; nobody else holds any.
    expect(ann.usedUnits + bea.usedUnits).toBe(50);
    const holder = c1.agentId === 'ann' ? ann : bea;
    expect(Object.keys(holder.capacityHolds ?? {})).toEqual(['c1']);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
  });

  it('refuses a pick by an agent outside the item queue', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }, { id: 'q_other' }],
      workstreams: [chat],
      agents: [{ id: 'zed', queueIds: ['q_other'] }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    await expect(world.router.pick('c1', 'zed')).rejects.toMatchObject({ code: 'routing.not_queue_member' });
  });
});

describe('transfer', () => {
  it('transfers to Bea as a new offer: Ann gets her units back, Bea holds them, the context stays', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general', assignmentMethod: 'round-robin' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }, { id: 'bea' }],
    });
    await world.newConversation('c1', {
      context: {
        preChat: { topic: 'billing' },
        portalNavigation: [],
        visitor: { authenticated: true },
        custom: {},
      },
    });
    await world.router.enqueue('c1');
    await world.router.accept('c1', 'ann');
    const c1 = await world.router.transfer('c1', { toAgentId: 'bea' }, 'ann');
    expect(c1.status).toBe('offered');
    expect(c1.agentId).toBe('bea');
    expect(c1.transferCount).toBe(1);
    expect(c1.context.preChat).toEqual({ topic: 'billing' });
    expect((await world.agent('ann')).usedUnits).toBe(0);
    expect((await world.agent('bea')).usedUnits).toBe(50);
    await world.router.accept('c1', 'bea');
    expect((await world.conversation('c1')).status).toBe('active');
  });

  it('transfers to another queue of the same work stream and routes it there', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }, { id: 'q_billing' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }, { id: 'bill', queueIds: ['q_billing'] }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    await world.router.accept('c1', 'ann');
    const c1 = await world.router.transfer('c1', { toQueueId: 'q_billing' }, 'ann');
    expect(c1.queueId).toBe('q_billing');
    const now = await world.conversation('c1');
    expect(now.status).toBe('offered');
    expect(now.agentId).toBe('bill');
    expect((await world.agent('ann')).usedUnits).toBe(0);
  });

  it('offers a chat transferred to a queue to someone else before the agent who handed it on', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }, { id: 'bea', capacity: 120 }],
    });
    await activeWith('bea', 'c1');
    await world.newConversation('c2');
    await world.router.enqueue('c2');
    await world.router.accept('c2', 'ann');
    // Ann, with the most room once it is gone, would get her own chat straight back.
    await world.router.transfer('c2', { toQueueId: 'q_general' }, 'ann');
    expect(await world.conversation('c2')).toMatchObject({ status: 'offered', agentId: 'bea' });
  });

  it('offers a chat transferred to a queue back to its agent when nobody else can take it', async () => {
    world = await makeWorld({ queues: [{ id: 'q_general' }], workstreams: [chat], agents: [{ id: 'ann' }] });
    await activeWith('ann', 'c1');
    await world.router.transfer('c1', { toQueueId: 'q_general' }, 'ann');
    expect(await world.conversation('c1')).toMatchObject({ status: 'offered', agentId: 'ann' });
  });

  it('offers a chat whose transfer was declined back to its agent at once when nobody else can take it', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }, { id: 'bea' }],
    });
    await activeWith('ann', 'c1');
    await world.router.transfer('c1', { toAgentId: 'bea' }, 'ann');
    await world.router.reject('c1', 'bea');
    // No offer timeout has passed: Ann handed it on, she did not refuse it.
    expect(await world.conversation('c1')).toMatchObject({ status: 'offered', agentId: 'ann' });
    const offers = world.events.filter((e) => e.type === 'conversation.offered' && e.conversationId === 'c1');
    const back = offers.at(-1) as Extract<StoredEvent, { type: 'conversation.offered' }>;
    expect(back.reason?.summary).toMatch(
      /^Back to you: you handed this chat on, and nobody else in q_general/,
    );
  });

  it("marks the end of a transfer's own offer, declined or run out, and not of the offers routing makes after it", async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general', assignmentMethod: 'round-robin' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }, { id: 'bea' }, { id: 'cid' }],
    });
    await activeWith('ann', 'c1');
    await world.router.transfer('c1', { toAgentId: 'bea' }, 'ann');
    await world.advance(60);
    // Bea let it run out; routing offers it to Cid (not Ann, who handed it on), who declines.
    expect(await world.conversation('c1')).toMatchObject({ status: 'offered', agentId: 'cid' });
    await world.router.reject('c1', 'cid');
    const ended = world.events
      .filter((e) => e.type === 'conversation.offer_timed_out' || e.type === 'conversation.offer_rejected')
      .map((e) => ({
        type: e.type,
        agentId: (e as { agentId: string }).agentId,
        transfer: (e as { transfer?: true }).transfer,
      }));
    expect(ended).toEqual([
      { type: 'conversation.offer_timed_out', agentId: 'bea', transfer: true },
      { type: 'conversation.offer_rejected', agentId: 'cid', transfer: undefined },
    ]);
  });

  it('lets a supervisor move an agent conversation to another agent, but not another agent', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general', assignmentMethod: 'round-robin' }],
      workstreams: [chat],
      agents: [
        { id: 'ann' },
        { id: 'bea' },
        { id: 'sue', roles: ['agent', 'supervisor'], chosenPresence: 'offline', presence: 'offline' },
      ],
    });
    await activeWith('ann', 'c1');
    await expect(world.router.transfer('c1', { toAgentId: 'bea' }, 'bea')).rejects.toMatchObject({
      code: 'conversation.not_yours',
    });
    const moved = await world.router.transfer('c1', { toAgentId: 'bea' }, 'sue');
    expect(moved.agentId).toBe('bea');
  });

  it('says by name why an agent cannot take a transfer: their presence, or their room', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general', assignmentMethod: 'round-robin' }],
      workstreams: [chat],
      agents: [
        { id: 'ann' },
        { id: 'bea', capacity: 60 },
        { id: 'cid', chosenPresence: 'offline', presence: 'offline' },
      ],
    });
    await activeWith('ann', 'c1');
    await expect(world.router.transfer('c1', { toAgentId: 'cid' }, 'ann')).rejects.toMatchObject({
      code: 'agent.presence_not_allowed',
      message: 'cid is Offline; this work stream takes agents who are Available',
    });
    await activeWith('bea', 'c2');
    await expect(world.router.transfer('c1', { toAgentId: 'bea' }, 'ann')).rejects.toMatchObject({
      code: 'agent.no_capacity',
      message: 'bea has no room for it now (50 of 60 units in use)',
    });
    expect((await world.conversation('c1')).agentId).toBe('ann');
  });

  it('refuses a transfer to a queue that is closed now, and leaves the chat with its agent', async () => {
    world = await makeWorld({
      queues: [
        { id: 'q_general' },
        {
          id: 'q_billing',
          name: 'Billing',
          // Paris office hours; the world's clock starts on a Wednesday at 10:00 in Paris.
          operatingHours: {
            timeZone: 'Europe/Paris',
            weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:30' })),
            holidays: [],
          },
          overflow: [{ when: 'closed', action: { type: 'end', message: 'Billing has closed for today.' } }],
        },
      ],
      workstreams: [chat],
      agents: [{ id: 'ann' }],
    });
    await activeWith('ann', 'c1');
    world.clock.ms += 8 * 3600_000; // 18:00 in Paris
    await expect(world.router.transfer('c1', { toQueueId: 'q_billing' }, 'ann')).rejects.toMatchObject({
      code: 'routing.queue_closed',
      message: 'Billing is closed now; transfer the conversation to an open queue or to an agent',
    });
    expect(await world.conversation('c1')).toMatchObject({
      status: 'active',
      agentId: 'ann',
      queueId: 'q_general',
    });
    expect((await world.agent('ann')).usedUnits).toBe(50);

    world.clock.ms += 16 * 3600_000; // 10:00 the next morning
    expect((await world.router.transfer('c1', { toQueueId: 'q_billing' }, 'ann')).queueId).toBe('q_billing');
  });

  it('refuses a transfer to a queue of another work stream', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }, { id: 'q_voice', workstreamIds: ['ws_voice'] }],
      workstreams: [chat, { id: 'ws_voice', fallbackQueueId: 'q_voice', channel: 'voice' }],
      agents: [{ id: 'ann' }],
    });
    await activeWith('ann', 'c1');
    await expect(world.router.transfer('c1', { toQueueId: 'q_voice' }, 'ann')).rejects.toMatchObject({
      code: 'routing.other_workstream',
    });
  });
});
