import { afterEach, describe, expect, it } from 'vitest';
import { createRouter } from '../../services/routing/index.js';
import { makeWorld, typesFor, type World } from './harness.js';

let world: World;
afterEach(async () => world?.close());

/** A new router on the world's store, as after a restart (its sweep off: timers alone act). */
async function restartRouter(w: World) {
  const restarted = createRouter({
    repos: w.repos,
    bus: w.bus,
    deps: { now: w.clock.now, newId: (p) => `${p}_x`, random: () => 0.5 },
    scheduler: w.scheduler,
    sweepIntervalMs: 0,
  });
  await restarted.start();
  return restarted;
}

const general = { id: 'q_general', assignmentMethod: 'highest-capacity' as const };
const chat = { id: 'ws_chat', fallbackQueueId: 'q_general', capacityCost: 25, offerTimeoutSeconds: 60 };

describe('offers', () => {
  it('offers a returning customer to the agent who served them last, while within the hours and free', async () => {
    world = await makeWorld({
      queues: [general],
      workstreams: [{ ...chat, returnToLastAgentHours: 24 }],
      agents: [{ id: 'ann' }, { id: 'bea' }],
    });
    // The customer's first chat: served and closed.
    await world.newConversation('c_first');
    await world.router.enqueue('c_first');
    const servedBy = (await world.conversation('c_first')).agentId!;
    const other = servedBy === 'ann' ? 'bea' : 'ann';
    await world.router.accept('c_first', servedBy);
    await world.advance(60);
    await world.router.end('c_first', 'agent');
    await world.router.close('c_first', 'agent', 'Resolved');
    // Both are free; the method alone would pick the other agent (longer idle, same free units).
    await world.advance(2 * 3600);
    await world.newConversation('c_back');
    await world.router.enqueue('c_back');
    const back = await world.conversation('c_back');
    expect([back.lastAgentId, back.agentId]).toEqual([servedBy, servedBy]);
    const offered = world.events.find(
      (e) => e.type === 'conversation.offered' && e.conversationId === 'c_back',
    );
    expect(offered).toMatchObject({ reason: { returning: true } });
    // Another customer goes by the method as before.
    await world.newConversation('c_new', { customerId: 'cust_2' });
    await world.router.enqueue('c_new');
    expect((await world.conversation('c_new')).agentId).toBe(other);
  });

  it('routes as usual a customer back after the hours, or whose last agent has no room', async () => {
    world = await makeWorld({
      queues: [general],
      workstreams: [{ ...chat, returnToLastAgentHours: 1, capacityCost: 100 }],
      agents: [{ id: 'ann' }, { id: 'bea' }],
    });
    await world.newConversation('c_first');
    await world.router.enqueue('c_first');
    const servedBy = (await world.conversation('c_first')).agentId!;
    await world.router.accept('c_first', servedBy);
    await world.router.end('c_first', 'agent');
    await world.router.close('c_first', 'agent', 'Resolved');
    // Within the hour, but their last agent is busy with someone else (the other agent passed that
    // chat on): the other agent takes them.
    const other = servedBy === 'ann' ? 'bea' : 'ann';
    await world.newConversation('c_busy', { customerId: 'cust_2' });
    await world.router.enqueue('c_busy');
    expect((await world.conversation('c_busy')).agentId).toBe(other);
    await world.router.reject('c_busy', other);
    await world.router.accept('c_busy', servedBy);
    await world.newConversation('c_back', { customerId: 'cust_1' });
    await world.router.enqueue('c_back');
    const back = await world.conversation('c_back');
    expect([back.lastAgentId, back.agentId]).toEqual([servedBy, other]);
    // After the hour, no preference is recorded at all.
    await world.router.reject('c_back', other);
    await world.advance(2 * 3600);
    await world.newConversation('c_late');
    await world.router.enqueue('c_late');
    expect((await world.conversation('c_late')).lastAgentId).toBeUndefined();
  });

  it('offers to Bea, who has the most free units, when the queue uses highest capacity', async () => {
    world = await makeWorld({
      queues: [general],
      workstreams: [chat],
      agents: [{ id: 'ann' }, { id: 'bea' }, { id: 'cal' }],
    });
    // Ann and Cal already carry one item each (set up through the router itself).
    await world.newConversation('c_a');
    await world.newConversation('c_c');
    await world.router.enqueue('c_a');
    await world.router.enqueue('c_c');
    expect((await world.conversation('c_a')).agentId).toBe('ann');
    expect((await world.conversation('c_c')).agentId).toBe('bea');
    await world.router.accept('c_a', 'ann');
    await world.router.accept('c_c', 'bea');
    // Now Ann and Bea have 75 free, Cal 100: Cal gets the next one.
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    const c1 = await world.conversation('c1');
    expect(c1.status).toBe('offered');
    expect(c1.agentId).toBe('cal');
    expect(c1.offerExpiresAt?.getTime()).toBe(world.clock.ms + 60_000);
    expect((await world.agent('cal')).usedUnits).toBe(25);
    expect(typesFor(world.events, 'c1')).toEqual([
      'conversation.escalated',
      'conversation.status_changed',
      'conversation.queued',
      'conversation.status_changed',
      'conversation.offered',
    ]);
  });

  it('offers an item that arrives while a dispatch waits for its events at once, not at the next sweep', async () => {
    world = await makeWorld({
      queues: [general],
      workstreams: [chat],
      agents: [{ id: 'ann' }],
    });
    await world.newConversation('c1');
    await world.newConversation('c2');
    // Hold the offer's session record, so the dispatch that offers c1 ends its passes and then waits
    // for its events to be written; c2 arrives (and asks for a dispatch) in that window.
    const { sessions } = world.repos;
    const createMany = sessions.createMany.bind(sessions);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    let heldNow!: () => void;
    const holding = new Promise<void>((resolve) => (heldNow = resolve));
    sessions.createMany = async (batch) => {
      if (!held) {
        held = true;
        heldNow();
        await gate;
      }
      return createMany(batch);
    };
    const first = world.router.enqueue('c1');
    await holding;
    expect((await world.conversation('c1')).status).toBe('offered');
    const second = world.router.enqueue('c2');
    release();
    await Promise.all([first, second]);
    // No sweep has run (the scheduler's clock never moved): the dispatch asked for during the wait ran.
    const c2 = await world.conversation('c2');
    expect(c2.status).toBe('offered');
    expect(c2.agentId).toBe('ann');
  });

  it('offers the item to the next agent when the first rejects, and never back to the one who rejected', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general', assignmentMethod: 'round-robin' }],
      workstreams: [chat],
      agents: [{ id: 'ann' }, { id: 'bea' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.conversation('c1')).agentId).toBe('ann');
    await world.router.reject('c1', 'ann');
    const c1 = await world.conversation('c1');
    expect(c1.agentId).toBe('bea');
    expect(c1.declinedBy).toEqual(['ann']);
    expect((await world.agent('ann')).usedUnits).toBe(0);
    await world.router.reject('c1', 'bea');
    // Everyone declined: it waits, no one holds capacity for it.
    const again = await world.conversation('c1');
    expect(again.status).toBe('waiting');
    expect((await world.agent('bea')).usedUnits).toBe(0);
    expect(typesFor(world.events, 'c1')).toContain('conversation.offer_rejected');
  });

  it('times out an unanswered offer after the work stream timeout and offers to the next agent', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general', assignmentMethod: 'round-robin' }],
      workstreams: [{ ...chat, offerTimeoutSeconds: 30 }],
      agents: [{ id: 'ann' }, { id: 'bea' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.conversation('c1')).agentId).toBe('ann');
    await world.advance(29);
    expect((await world.conversation('c1')).agentId).toBe('ann');
    await world.advance(1);
    const c1 = await world.conversation('c1');
    expect(c1.agentId).toBe('bea');
    expect(c1.declinedBy).toEqual(['ann']);
    expect(typesFor(world.events, 'c1')).toContain('conversation.offer_timed_out');
  });

  it('sets an agent who let an offer run out Away: the next items go to someone who is there', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general', assignmentMethod: 'round-robin' }],
      workstreams: [{ ...chat, offerTimeoutSeconds: 30 }],
      agents: [{ id: 'ann' }, { id: 'bea' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    expect((await world.conversation('c1')).agentId).toBe('ann');
    await world.advance(30);
    expect(await world.agent('ann')).toMatchObject({ presence: 'away', chosenPresence: 'away' });
    expect(world.events.filter((e) => e.type === 'presence.changed' && e.agentId === 'ann')).toEqual([
      expect.objectContaining({ presence: 'away', automatic: false, reason: 'missed-offer' }),
    ]);
    // Round robin would come back to Ann; she is not there, so Bea gets the next one as well.
    await world.newConversation('c2');
    await world.router.enqueue('c2');
    expect((await world.conversation('c2')).agentId).toBe('bea');
    // Back at her desk, Ann chooses Available and gets work again.
    await world.router.presence.set('ann', 'available');
    await world.newConversation('c3');
    await world.router.enqueue('c3');
    expect((await world.conversation('c3')).agentId).toBe('ann');
  });

  it('leaves the presence of an agent who rejected an offer as it was', async () => {
    world = await makeWorld({
      queues: [general],
      workstreams: [{ ...chat, offerTimeoutSeconds: 30 }],
      agents: [{ id: 'ann' }, { id: 'bea' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    const first = (await world.conversation('c1')).agentId!;
    await world.router.reject('c1', first);
    expect((await world.agent(first)).chosenPresence).toBe('available');
  });

  it('keeps the offer timeout across a restart: a new router sweeps the stored expiry', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general', assignmentMethod: 'round-robin' }],
      workstreams: [{ ...chat, offerTimeoutSeconds: 30 }],
      agents: [{ id: 'ann' }, { id: 'bea' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    await world.router.stop(); // the instance dies; its timer with it
    world.clock.ms += 45_000;
    const restarted = await restartRouter(world);
    const c1 = await world.conversation('c1');
    expect(c1.agentId).toBe('bea');
    expect((await world.agent('ann')).usedUnits).toBe(0);
    await restarted.stop();
  });

  it('re-arms every open offer after a restart, however many there are', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general', assignmentMethod: 'round-robin' }],
      workstreams: [{ ...chat, offerTimeoutSeconds: 30 }],
      agents: [{ id: 'ann', presence: 'offline', chosenPresence: 'offline' }],
    });
    // More offers open at the instant of a restart than one page of the store holds.
    const OPEN = 1005;
    const expiresAt = new Date(world.clock.ms + 30_000);
    for (let i = 0; i < OPEN; i++) {
      await world.newConversation(`c${i}`, {
        status: 'offered',
        queueId: 'q_general',
        agentId: 'ann',
        offerExpiresAt: expiresAt,
        timestamps: {
          createdAt: world.clock.now(),
          queuedAt: world.clock.now(),
          offeredAt: world.clock.now(),
        },
      });
    }
    await world.router.stop();
    // No sweep to fall back on: only the re-armed timers take the offers back.
    const restarted = await restartRouter(world);
    expect(await world.repos.conversations.count({ status: 'offered' })).toBe(OPEN);
    await world.advance(30);
    const stillOffered = () => world.repos.conversations.count({ status: 'offered' });
    for (let polls = 0; (await stillOffered()) > 0 && polls < 1500; polls++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await stillOffered()).toBe(0);
    expect(await world.repos.conversations.count({ status: 'waiting' })).toBe(OPEN);
    await restarted.stop();
  });

  it('offers an item everyone declined to them again once a full offer timeout has passed', async () => {
    world = await makeWorld({
      queues: [general],
      workstreams: [{ ...chat, offerTimeoutSeconds: 30 }],
      agents: [{ id: 'ann' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    await world.router.reject('c1', 'ann');
    expect((await world.conversation('c1')).status).toBe('waiting');
    world.clock.ms += 10_000;
    await world.router.sweep();
    expect((await world.conversation('c1')).status).toBe('waiting');
    world.clock.ms += 20_000;
    await world.router.sweep();
    const c1 = await world.conversation('c1');
    expect(c1.status).toBe('offered');
    expect(c1.agentId).toBe('ann');
  });

  it('keeps a session per presentation: Ann rejected, Bea accepted and ended, Cal timed out', async () => {
    world = await makeWorld({
      queues: [{ id: 'q_general', assignmentMethod: 'round-robin' }],
      workstreams: [{ ...chat, offerTimeoutSeconds: 30 }],
      agents: [{ id: 'ann' }, { id: 'bea' }, { id: 'cal' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    await world.router.reject('c1', 'ann');
    await world.router.accept('c1', 'bea');
    await world.router.end('c1', 'agent');
    await world.router.close('c1', 'agent');
    await world.newConversation('c2');
    await world.router.enqueue('c2');
    expect((await world.conversation('c2')).agentId).toBe('cal');
    await world.advance(30);
    const sessions = await world.repos.sessions.listByConversation('c1');
    expect(sessions.map((s) => [s.agentId, s.state])).toEqual([
      ['ann', 'rejected'],
      ['bea', 'ended'],
    ]);
    expect(sessions[1]!.acceptedAt).toBeDefined();
    const c2 = await world.repos.sessions.listByConversation('c2');
    expect(c2.map((s) => [s.agentId, s.state])).toEqual([
      ['cal', 'timed-out'],
      ['ann', 'presented'],
    ]);
  });

  it('accepts at once when the work stream auto-accepts', async () => {
    world = await makeWorld({
      queues: [general],
      workstreams: [{ ...chat, autoAccept: true }],
      agents: [{ id: 'ann' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    const c1 = await world.conversation('c1');
    expect(c1.status).toBe('active');
    expect(c1.participants.map((p) => p.agentId)).toEqual(['ann']);
    expect(typesFor(world.events, 'c1')).toContain('conversation.accepted');
  });

  it('refuses an accept from an agent the item is not offered to', async () => {
    world = await makeWorld({
      queues: [general],
      workstreams: [chat],
      agents: [{ id: 'ann' }, { id: 'bea' }],
    });
    await world.newConversation('c1');
    await world.router.enqueue('c1');
    const offeredTo = (await world.conversation('c1')).agentId!;
    const other = offeredTo === 'ann' ? 'bea' : 'ann';
    await expect(world.router.accept('c1', other)).rejects.toMatchObject({
      code: 'conversation.not_offered_to_you',
    });
  });
});
