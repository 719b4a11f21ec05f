import { afterEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './harness.js';

let world: World;
afterEach(async () => world?.close());

const chat = { id: 'ws_chat', fallbackQueueId: 'q_general', capacityCost: 50, offerTimeoutSeconds: 60 };

describe('presence', () => {
  it('re-routes the item offered to Ann to Bea when Ann goes Offline', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general', assignmentMethod: 'round-robin' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }, { id: 'bea' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.conversation('c1')).agentId).toBe('ann');
    await world.router.presence.set('ann', 'offline');
    await world.advance(0);
    const c1 = await world.conversation('c1');
    expect(c1.agentId).toBe('bea');
    expect((await world.agent('ann')).usedUnits).toBe(0);
    expect(world.events.filter((e) => e.type === 'presence.changed')[0]).toMatchObject({
      agentId: 'ann',
      presence: 'offline',
      automatic: false,
    });
  });

  it('withdraws the offer of an agent who goes Offline without counting it as missed or declined', async () => {
    world = await makeWorld({ queues: [{ id: 'q_general' }], workstreams: [chat], agents: [{ id: 'ann' }] });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.conversation('c1')).agentId).toBe('ann');
    await world.router.presence.set('ann', 'offline');
    await world.advance(0);
    const types = world.events.map((e) => e.type);
    expect(types).toContain('conversation.offer_withdrawn');
    expect(types).not.toContain('conversation.offer_timed_out');
    expect(await world.repos.sessions.listByConversation('c1')).toMatchObject([
      { agentId: 'ann', state: 'withdrawn' },
    ]);
    // She is not set Away for it, and back at work she is the one it goes to.
    expect((await world.agent('ann')).presence).toBe('offline');
    await world.router.presence.set('ann', 'available');
    await world.advance(0);
    expect(await world.conversation('c1')).toMatchObject({ status: 'offered', agentId: 'ann' });
  });

  it('takes back her offer at once when she chooses Do not disturb, and leaves her in it', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general', assignmentMethod: 'round-robin' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }, { id: 'bea' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.conversation('c1')).agentId).toBe('ann');
    await world.router.presence.set('ann', 'busy-dnd');
    await world.advance(0);
    // Bea has it now, not after the minute the customer would have waited on Ann.
    expect(await world.conversation('c1')).toMatchObject({ status: 'offered', agentId: 'bea' });
    expect(world.events.find((e) => e.type === 'conversation.offer_withdrawn')).toMatchObject({
      agentId: 'ann',
      reason: 'agent_unavailable',
    });
    expect(world.events.some((e) => e.type === 'conversation.offer_timed_out')).toBe(false);
    expect(await world.agent('ann')).toMatchObject({ chosenPresence: 'busy-dnd', usedUnits: 0 });
  });

  it('leaves an agent in Do not disturb when an offer she had runs out, not Away', async () => {
    world = await makeWorld({ queues: [{ id: 'q_general' }], workstreams: [chat], agents: [{ id: 'ann' }] });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.conversation('c1')).agentId).toBe('ann');
    // Chosen elsewhere (another instance) without the reaction that takes the offer back here.
    await world.repos.agents.setPresence('ann', {
      presence: 'busy-dnd',
      chosenPresence: 'busy-dnd',
      presenceLabel: null,
    });
    await world.advance(61_000);
    expect((await world.conversation('c1')).status).toBe('waiting');
    expect(await world.agent('ann')).toMatchObject({ chosenPresence: 'busy-dnd' });
  });

  it('offers nothing to an agent in Do not disturb, and waiting work once she becomes Available', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [chat],
      agents: [{ id: 'ann', chosenPresence: 'busy-dnd', presence: 'busy-dnd' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.conversation('c1')).status).toBe('waiting');
    await world.router.presence.set('ann', 'available');
    await world.advance(0);
    expect((await world.conversation('c1')).agentId).toBe('ann');
  });

  it('maps a custom presence to its base: "In training" routes like Away and shows its label', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }],
      router: { customPresences: [{ name: 'In training', base: 'away' }] },
    });
    const view = await world.router.presence.set('ann', 'in training');
    expect(view).toEqual({ agentId: 'ann', presence: 'away', chosenPresence: 'away', label: 'In training' });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.conversation('c1')).status).toBe('waiting');
    await expect(world.router.presence.set('ann', 'On the moon')).rejects.toMatchObject({
      code: 'presence.unknown',
    });
  });

  it('counts an agent full by the cheapest work stream of her own queues, not of every queue', async () => {
    // Chat costs 40 (Ann's queue), email 10 (only Bob's queue). After two chats Ann has 20 free:
    // no room for a third chat, so she shows Busy — although a 10-unit email would fit, it is not hers.
    world = await makeWorld({
      queues: [{ id: 'q_general' }, { id: 'q_email', workstreamIds: ['ws_email'] }],
      workstreams: [
        { ...chat, capacityCost: 40 },
        { id: 'ws_email', fallbackQueueId: 'q_email', channel: 'email', capacityCost: 10 },
      ],
      agents: [{ id: 'ann' }, { id: 'bob', queueIds: ['q_email'] }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.agent('ann')).presence).toBe('available');
    await world.newConversation('c2');
    await world.router.enqueue('c2');
    expect((await world.agent('ann')).usedUnits).toBe(80);
    expect((await world.agent('ann')).presence).toBe('busy');
  });

  it('keeps a full agent shown Busy when she re-chooses Available', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general' }],
      workstreams: [{ ...chat, capacityCost: 100, autoAccept: true }],
      agents: [{ id: 'ann' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.agent('ann')).presence).toBe('busy');
    const view = await world.router.presence.set('ann', 'available');
    expect(view.presence).toBe('busy');
    expect(view.chosenPresence).toBe('available');
  });
});
