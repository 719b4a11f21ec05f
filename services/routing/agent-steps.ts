import type { Agent, Author, BasePresence, Conversation, DomainEvent } from '../domain/index.js';
import {
  AccessDeniedError,
  BASE_PRESENCE_LABELS,
  ConflictError,
  DomainError,
  PICK_PRESENCES,
  STATUS_IN_WORDS,
  ValidationError,
  isBeingHandedOver,
  movedMeanwhileError,
  transition,
} from '../domain/index.js';
import type { Presence } from '../presence/index.js';
import type { AgentWithHolds } from '../store/index.js';
import type { Capacity } from './capacity.js';
import type { ConversationSteps } from './conversation-steps.js';
import { offerIdOf, offerReason } from './offer-reason.js';
import { isOpen } from './operating-hours.js';
import { acceptedEvents, type Offers } from './offers.js';
import { statusChanged, type Outbox } from './outbox.js';
import type { RoutingIndex } from './routing-index.js';
import type { HandleTimes } from './wait-estimate.js';
import type { TransferTarget } from './types.js';

/**
 * What agents (and the customer leaving) do to an item beyond answering an offer: pick, transfer,
 * end, close, abandon, reopen.
 */
export function createAgentSteps(d: {
  steps: ConversationSteps;
  capacity: Capacity;
  offers: Pick<Offers, 'present' | 'forget'>;
  index: RoutingIndex;
  presence: Presence;
  outbox: Outbox;
  handleTimes: HandleTimes;
  ensureLoaded: () => Promise<void>;
  dispatch: () => Promise<void>;
  now: () => Date;
}) {
  const { steps, capacity, index, presence, outbox } = d;
  const { load, mutate } = steps;
  const publish = (events: DomainEvent[]) => outbox.publish(events);

  /**
   * Why `capacity.reserve` said no, which its one conditional write does not say: the agent is read
   * again. A hold the conversation already has on them means a request of theirs got there first
   * (a second reopen sent at the same moment); a presence the work stream does not take is no
   * question of room, and is answered as what it is (`agent.presence_not_allowed`).
   */
  async function refusedReserve(
    agentId: string,
    conversationId: string,
    allowed: readonly BasePresence[],
  ): Promise<{ why: 'held' | 'presence' | 'room'; agent: Agent }> {
    const agent: AgentWithHolds = await capacity.requireAgent(agentId);
    if (agent.capacityHolds?.[conversationId]?.held) return { why: 'held', agent };
    if (!allowed.includes(agent.chosenPresence)) return { why: 'presence', agent };
    return { why: 'room', agent };
  }

  /**
   * A step meant for the chat as `agentId` had it, which someone moved on meanwhile (a supervisor's
   * assign, the agent's own transfer, an end): refused, naming where it is now, rather than done to
   * the chat as it became (the next agent's) or refused in words about something else.
   */
  class MovedMeanwhile extends Error {
    constructor(readonly now: Conversation) {
      super('moved meanwhile');
    }
  }
  function stillWith(agentId: string) {
    return (c: Conversation) => {
      // Its state the transition judges (ended already, say): only a change of hands is this refusal.
      if (c.agentId !== agentId) throw new MovedMeanwhile(c);
    };
  }
  async function movedMeanwhile(e: unknown): Promise<never> {
    if (!(e instanceof MovedMeanwhile)) throw e;
    const { now } = e;
    throw movedMeanwhileError(now, now.agentId ? (await capacity.requireAgent(now.agentId)).name : undefined);
  }

  async function pick(conversationId: string, agentId: string): Promise<Conversation> {
    await d.ensureLoaded();
    const c = await load(conversationId);
    if (c.status !== 'waiting') {
      throw new ConflictError(
        'conversation.not_open',
        `This conversation is ${STATUS_IN_WORDS[c.status]}, not waiting to be picked`,
        { conversationId, status: c.status },
      );
    }
    const agent = await capacity.requireAgent(agentId);
    if (!c.queueId || !agent.queueIds.includes(c.queueId)) {
      throw new DomainError(
        'routing.not_queue_member',
        `${agent.name} is not a member of queue ${(c.queueId && index.queues.get(c.queueId)?.name) ?? c.queueId}`,
        'forbidden',
      );
    }
    const stream = index.requireStream(c.workstreamId);
    const reserved = await capacity.reserve(agent, conversationId, stream, PICK_PRESENCES);
    if (!reserved) {
      const { why, agent: now } = await refusedReserve(agentId, conversationId, PICK_PRESENCES);
      if (why === 'presence') throw new ConflictError(PRESENCE_REFUSED, cannotTake(now, PICK_PRESENCES));
      throw new ConflictError(
        'agent.no_capacity',
        `${agent.name} has no room for another ${stream.name} item`,
      );
    }
    const next = transition(c, { type: 'accept', agentId }, d.now());
    // Exactly the version we read: if an offer (or another pick) got there first, this one loses.
    const claimed = await steps.conversations.writeStep(c, next, 'transition');
    if (!claimed) {
      await capacity.release(agentId, conversationId);
      throw new ConflictError('conversation.already_taken', 'This conversation was taken by someone else', {
        conversationId,
      });
    }
    index.removeWaiting(conversationId);
    await publish(acceptedEvents(c, claimed, agentId, true));
    await presence.applyLoad(reserved);
    return claimed;
  }

  async function transfer(
    conversationId: string,
    target: TransferTarget,
    byAgentId: string,
  ): Promise<Conversation> {
    await d.ensureLoaded();
    const c = await load(conversationId);
    if (isBeingHandedOver(c)) await movedMeanwhile(new MovedMeanwhile(c));
    if (c.status !== 'active')
      throw new ConflictError(
        'conversation.not_active',
        `Only an active conversation can be transferred; this one is ${STATUS_IN_WORDS[c.status]}`,
        { conversationId, status: c.status },
      );
    // The agent who has it transfers it; a supervisor (or admin) may move anyone's conversation.
    const by = await capacity.requireAgent(byAgentId);
    if (c.agentId !== byAgentId && !by.roles.some((r) => r === 'supervisor' || r === 'admin')) {
      throw new DomainError(
        'conversation.not_yours',
        'This conversation is not yours to transfer',
        'forbidden',
        { conversationId },
      );
    }
    const stream = index.requireStream(c.workstreamId);
    const fromAgentId = c.agentId;
    if (!fromAgentId)
      throw new ConflictError(
        'conversation.not_active',
        'This conversation has no agent to transfer it from',
        {
          conversationId,
        },
      );
    if (target.toQueueId !== undefined) {
      const queue = index.requireQueue(target.toQueueId);
      if (!queue.workstreamIds.includes(c.workstreamId)) {
        throw new ValidationError(
          'routing.other_workstream',
          `Queue ${queue.id} does not serve work stream ${c.workstreamId}`,
        );
      }
      // A customer in a live chat would sit in a closed queue until it opens, or be sent away by
      // its closed-hours rule a moment later: never what the agent meant.
      if (!isOpen(queue.operatingHours, d.now())) {
        throw new ConflictError(
          'routing.queue_closed',
          `${queue.name} is closed now; transfer the conversation to an open queue or to an agent`,
        );
      }
      const { before, after } = await mutate(
        conversationId,
        (now) => {
          stillWith(fromAgentId)(now);
          return { type: 'transfer', toQueueId: queue.id, note: target.note };
        },
        c,
      ).catch(movedMeanwhile);
      await capacity.release(fromAgentId, conversationId);
      index.addWaiting(after);
      await publish([
        { type: 'conversation.transferred', conversationId, fromAgentId, toQueueId: queue.id },
        { type: 'participant.left', conversationId, agentId: fromAgentId, mode: 'primary' },
        statusChanged(before, after, 'transferred'),
      ]);
      await d.dispatch();
      return after;
    }
    const toAgent = await capacity.requireAgent(target.toAgentId);
    if (toAgent.id === fromAgentId)
      throw new ValidationError('routing.same_agent', 'The conversation is already with that agent');
    if (
      c.queueId &&
      !toAgent.queueIds.some((q) => index.queues.get(q)?.workstreamIds.includes(c.workstreamId))
    ) {
      throw new ValidationError(
        'routing.other_workstream',
        `${toAgent.name} serves no queue of work stream ${c.workstreamId}`,
      );
    }
    const reserved = await capacity.reserve(toAgent, conversationId, stream, stream.allowedPresences);
    if (!reserved) {
      const { why, agent: now } = await refusedReserve(toAgent.id, conversationId, stream.allowedPresences);
      // Held already: another hand-over of this chat to them got there first.
      if (why === 'held') await movedMeanwhile(new MovedMeanwhile(await load(conversationId)));
      throw new ConflictError(
        why === 'presence' ? PRESENCE_REFUSED : 'agent.no_capacity',
        cannotTake(now, stream.allowedPresences),
      );
    }
    const expiresAt = new Date(d.now().getTime() + stream.offerTimeoutSeconds * 1000);
    let result;
    try {
      result = await mutate(
        conversationId,
        (now) => {
          stillWith(fromAgentId)(now);
          return { type: 'transfer', toAgentId: toAgent.id, expiresAt, note: target.note };
        },
        c,
      );
    } catch (e) {
      await capacity.release(toAgent.id, conversationId);
      return movedMeanwhile(e);
    }
    await capacity.release(fromAgentId, conversationId);
    await publish([
      { type: 'conversation.transferred', conversationId, fromAgentId, toAgentId: toAgent.id },
      { type: 'participant.left', conversationId, agentId: fromAgentId, mode: 'primary' },
      statusChanged(result.before, result.after, 'transferred'),
      {
        type: 'conversation.offered',
        conversationId,
        agentId: toAgent.id,
        ...(result.after.queueId ? { queueId: result.after.queueId } : {}),
        expiresAt,
        offerId: offerIdOf(result.after),
        reason: offerReason(toAgent, c, index.requireQueue(result.after.queueId), stream, d.now(), {
          transferredBy: by.name,
        }),
      },
    ]);
    return d.offers.present(result.after, toAgent.id, stream, reserved);
  }

  async function end(conversationId: string, by: Author, agentId?: string): Promise<Conversation> {
    const { before, after } = await mutate(conversationId, (now) => {
      if (agentId) stillWith(agentId)(now);
      return { type: 'end', by };
    }).catch(movedMeanwhile);
    // A stream that holds no capacity for wrap-up frees the slot now (the sweeper frees it after
    // a limited hold: sweeper.ts).
    if (after.agentId && index.workstreams.get(after.workstreamId)?.wrapUpHoldMinutes === 0) {
      const now = d.now();
      if (await capacity.release(after.agentId, conversationId, now)) d.handleTimes.slotFreed(after, now);
    }
    await publish([
      statusChanged(before, after, `ended_by_${by}`),
      { type: 'conversation.wrap_up', conversationId, ...(after.agentId ? { agentId: after.agentId } : {}) },
    ]);
    return after;
  }

  async function close(conversationId: string, by: Author, disposition?: string): Promise<Conversation> {
    const { before, after } = await mutate(conversationId, () => ({
      type: 'close',
      by,
      ...(disposition !== undefined ? { disposition } : {}),
    }));
    if (before.status === 'waiting' || before.status === 'offered') {
      await closedInQueue(before, after, by, disposition);
      return after;
    }
    const now = d.now();
    // Capacity is held through wrap-up (unless its hold ran out); the slot frees now, which is also
    // what the wait estimate measures.
    if (after.agentId && (await capacity.release(after.agentId, conversationId, now)))
      d.handleTimes.slotFreed(before, now);
    await publish([
      statusChanged(before, after, 'closed'),
      {
        type: 'conversation.closed',
        conversationId,
        by,
        ...(after.agentId ? { agentId: after.agentId } : {}),
        ...(disposition !== undefined ? { disposition } : {}),
      },
      ...(after.agentId
        ? [{ type: 'participant.left', conversationId, agentId: after.agentId, mode: 'primary' } as const]
        : []),
    ]);
    void d.dispatch();
    return after;
  }

  /**
   * A supervisor closed a chat nobody had taken yet: it leaves the queue, an offer of it ends (not
   * missed: the agent is not set Away) and its units come back, as when the customer leaves. A
   * closed conversation, not an abandoned one: the customer did not leave.
   */
  async function closedInQueue(before: Conversation, after: Conversation, by: Author, disposition?: string) {
    const conversationId = after.id;
    index.removeWaiting(conversationId);
    d.offers.forget(conversationId);
    const offeredTo = before.status === 'offered' ? before.agentId : undefined;
    if (offeredTo) await capacity.release(offeredTo, conversationId);
    await publish([
      statusChanged(before, after, `closed_by_${by}`),
      {
        type: 'conversation.closed',
        conversationId,
        by,
        ...(disposition !== undefined ? { disposition } : {}),
      },
    ]);
    if (offeredTo) void d.dispatch();
  }

  async function abandon(conversationId: string): Promise<void> {
    const c = await load(conversationId);
    const heldBy = c.status === 'offered' ? c.agentId : undefined;
    const { before, after } = await mutate(conversationId, () => ({ type: 'abandon' }), c);
    index.removeWaiting(conversationId);
    d.offers.forget(conversationId);
    if (heldBy) await capacity.release(heldBy, conversationId);
    await publish([
      statusChanged(before, after, 'customer_left'),
      {
        type: 'conversation.abandoned',
        conversationId,
        ...(after.queueId ? { queueId: after.queueId } : {}),
      },
    ]);
    if (heldBy) void d.dispatch();
  }

  async function reopen(conversationId: string, agentId: string): Promise<Conversation> {
    await d.ensureLoaded();
    const c = await load(conversationId);
    if (c.status !== 'closed')
      throw new ConflictError(
        'conversation.not_closed',
        `Only a closed conversation can be reopened; this one is ${STATUS_IN_WORDS[c.status]}`,
        { conversationId, status: c.status },
      );
    // Validate before taking capacity: the 24-hour window and "only its agent" come from the state machine.
    transition(c, { type: 'reopen', agentId }, d.now());
    const agent = await capacity.requireAgent(agentId);
    // Its agent taken off its queue no longer serves it there (`relationTo`).
    if (c.queueId !== undefined && !agent.queueIds.includes(c.queueId))
      throw new AccessDeniedError('reopen', conversationId);
    const stream = index.requireStream(c.workstreamId);
    const reserved = await capacity.reserve(agent, conversationId, stream, PICK_PRESENCES);
    if (!reserved) {
      const { why, agent: now } = await refusedReserve(agentId, conversationId, PICK_PRESENCES);
      if (why === 'held') {
        // Another reopen of the same conversation holds it: to this one it is not closed any more.
        throw new ConflictError('conversation.not_closed', 'This conversation is being reopened already', {
          conversationId,
        });
      }
      if (why === 'presence') throw new ConflictError(PRESENCE_REFUSED, cannotTake(now, PICK_PRESENCES));
      throw new ConflictError('agent.no_capacity', `${agent.name} has no room to reopen it`);
    }
    let result;
    try {
      result = await mutate(conversationId, () => ({ type: 'reopen', agentId }), c);
    } catch (e) {
      await capacity.release(agentId, conversationId);
      throw e;
    }
    await publish([
      statusChanged(result.before, result.after, 'reopened'),
      {
        type: 'conversation.reopened',
        conversationId,
        agentId,
        ...(result.after.queueId ? { queueId: result.after.queueId } : {}),
      },
      { type: 'participant.joined', conversationId, agentId, mode: 'primary' },
    ]);
    await presence.applyLoad(reserved);
    return result.after;
  }

  return { pick, transfer, end, close, abandon, reopen };
}

/** The agent's chosen presence is not one the action takes (docs/agent-api.md). */
const PRESENCE_REFUSED = 'agent.presence_not_allowed';

/** Why an agent refused by capacity.reserve cannot take a conversation, in words for the person asking. */
function cannotTake(
  a: Pick<Agent, 'name' | 'presence' | 'presenceLabel' | 'chosenPresence' | 'capacity' | 'usedUnits'>,
  allowed: readonly BasePresence[],
): string {
  // Shown Busy only because they are full (presenceForLoad): their room is the reason, not a choice.
  if (!allowed.includes(a.chosenPresence)) {
    const shown = a.presenceLabel ?? BASE_PRESENCE_LABELS[a.chosenPresence];
    const wanted = allowed.map((p) => BASE_PRESENCE_LABELS[p]).join(' or ');
    return `${a.name} is ${shown}; this work stream takes agents who are ${wanted}`;
  }
  return `${a.name} has no room for it now (${a.usedUnits} of ${a.capacity} units in use)`;
}
