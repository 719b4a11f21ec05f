import type { Author, BasePresence, Conversation } from '../domain/index.js';
import { ConflictError, DomainError, ValidationError, transition } from '../domain/index.js';
import { writeStep } from './conversation-writes.js';
import { offerIdOf, offerReason } from './offer-reason.js';
import type { RoutingCore } from './routing-core.js';
import type { TransferTarget } from './types.js';

/** Presences in which an agent may still pick work deliberately. */
const PICK_PRESENCES: readonly BasePresence[] = ['available', 'busy', 'busy-dnd', 'away'];

/** What agents (and the customer leaving) do to an item: accept, reject, pick, transfer, end, close, abandon, reopen. */
export function createAgentSteps(
  core: RoutingCore,
  acceptOffer: (c: Conversation, agentId: string, picked: boolean) => Promise<Conversation>,
) {
  const {
    deps,
    conversationsCol,
    index,
    presence,
    hooks,
    ensureLoaded,
    load,
    queueOf,
    streamOf,
    publish,
    statusChanged,
    mutate,
    historyOf,
    releaseHold,
    reserveFor,
    requireAgent,
    armTimer,
    disarmTimer,
  } = core;

  // --- agent actions ---------------------------------------------------------------------------

  async function accept(conversationId: string, agentId: string): Promise<Conversation> {
    const c = await load(conversationId);
    if (c.status !== 'offered' || c.agentId !== agentId) {
      throw new DomainError(
        'conversation.not_offered_to_you',
        `Conversation ${conversationId} is not offered to ${agentId}`,
        'conflict',
      );
    }
    return acceptOffer(c, agentId, false);
  }

  async function reject(conversationId: string, agentId: string): Promise<Conversation> {
    const c = await load(conversationId);
    if (c.status !== 'offered' || c.agentId !== agentId) {
      throw new DomainError(
        'conversation.not_offered_to_you',
        `Conversation ${conversationId} is not offered to ${agentId}`,
        'conflict',
      );
    }
    const { before, after } = await mutate(conversationId, () => ({ type: 'reject', agentId }), c);
    disarmTimer(conversationId);
    await releaseHold(agentId, conversationId);
    index.addWaiting(after);
    await publish([
      { type: 'conversation.offer_rejected', conversationId, agentId },
      statusChanged(before, after, 'offer_rejected'),
    ]);
    await hooks.dispatch();
    return after;
  }

  async function pick(conversationId: string, agentId: string): Promise<Conversation> {
    await ensureLoaded();
    const c = await load(conversationId);
    if (c.status !== 'waiting') {
      throw new ConflictError(
        'conversation.not_open',
        `Conversation ${conversationId} is ${c.status}, not waiting to be picked`,
      );
    }
    const agent = await requireAgent(agentId);
    if (!c.queueId || !agent.queueIds.includes(c.queueId)) {
      throw new DomainError(
        'routing.not_queue_member',
        `Agent ${agentId} is not a member of queue ${c.queueId}`,
        'forbidden',
      );
    }
    const stream = streamOf(c.workstreamId);
    const reserved = await reserveFor(agent, conversationId, stream, PICK_PRESENCES);
    if (!reserved)
      throw new ConflictError(
        'agent.no_capacity',
        `Agent ${agentId} has no room for another ${stream.name} item`,
      );
    const next = transition(c, { type: 'accept', agentId }, deps.now());
    // Exactly the version we read: if an offer (or another pick) got there first, this one loses.
    const claimed = await writeStep(conversationsCol, c, next);
    if (!claimed) {
      await releaseHold(agentId, conversationId);
      throw new ConflictError(
        'conversation.already_taken',
        `Conversation ${conversationId} was taken by someone else`,
      );
    }
    index.removeWaiting(conversationId);
    await publish([
      statusChanged(c, claimed, 'picked'),
      {
        type: 'conversation.accepted',
        conversationId,
        agentId,
        ...(claimed.queueId ? { queueId: claimed.queueId } : {}),
        picked: true,
      },
      { type: 'participant.joined', conversationId, agentId, mode: 'primary' },
    ]);
    await presence.applyLoad(reserved);
    return claimed;
  }

  async function transfer(
    conversationId: string,
    target: TransferTarget,
    byAgentId: string,
  ): Promise<Conversation> {
    await ensureLoaded();
    const c = await load(conversationId);
    if (c.status !== 'active')
      throw new ConflictError('conversation.not_active', `Conversation ${conversationId} is ${c.status}`);
    // The agent who has it transfers it; a supervisor (or admin) may move anyone's conversation.
    if (
      c.agentId !== byAgentId &&
      !(await requireAgent(byAgentId)).roles.some((r) => r === 'supervisor' || r === 'admin')
    ) {
      throw new DomainError(
        'conversation.not_yours',
        `Conversation ${conversationId} is not with ${byAgentId}`,
        'forbidden',
      );
    }
    const stream = streamOf(c.workstreamId);
    const fromAgentId = c.agentId;
    if (!fromAgentId)
      throw new ConflictError('conversation.not_active', `Conversation ${conversationId} has no agent`);
    if (target.toQueueId !== undefined) {
      const queue = queueOf(target.toQueueId);
      if (!queue.workstreamIds.includes(c.workstreamId)) {
        throw new ValidationError(
          'routing.other_workstream',
          `Queue ${queue.id} does not serve work stream ${c.workstreamId}`,
        );
      }
      const { before, after } = await mutate(
        conversationId,
        () => ({ type: 'transfer', toQueueId: queue.id }),
        c,
      );
      await releaseHold(fromAgentId, conversationId);
      index.addWaiting(after);
      await publish([
        { type: 'conversation.transferred', conversationId, fromAgentId, toQueueId: queue.id },
        { type: 'participant.left', conversationId, agentId: fromAgentId, mode: 'primary' },
        statusChanged(before, after, 'transferred'),
      ]);
      await hooks.dispatch();
      return after;
    }
    const toAgent = await requireAgent(target.toAgentId);
    if (toAgent.id === fromAgentId)
      throw new ValidationError('routing.same_agent', 'The conversation is already with that agent');
    if (
      c.queueId &&
      !toAgent.queueIds.some((q) => index.queues.get(q)?.workstreamIds.includes(c.workstreamId))
    ) {
      throw new ValidationError(
        'routing.other_workstream',
        `Agent ${toAgent.id} serves no queue of work stream ${c.workstreamId}`,
      );
    }
    const reserved = await reserveFor(toAgent, conversationId, stream, stream.allowedPresences);
    if (!reserved)
      throw new ConflictError(
        'agent.no_capacity',
        `Agent ${toAgent.id} cannot take it now (capacity or presence)`,
      );
    const expiresAt = new Date(deps.now().getTime() + stream.offerTimeoutSeconds * 1000);
    let result;
    try {
      result = await mutate(
        conversationId,
        () => ({ type: 'transfer', toAgentId: toAgent.id, expiresAt }),
        c,
      );
    } catch (e) {
      await releaseHold(toAgent.id, conversationId);
      throw e;
    }
    await releaseHold(fromAgentId, conversationId);
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
        reason: offerReason(toAgent, c, queueOf(result.after.queueId), stream, deps.now(), 'transferred'),
      },
    ]);
    await presence.applyLoad(reserved);
    if (stream.autoAccept) return acceptOffer(result.after, toAgent.id, false);
    armTimer(result.after);
    return result.after;
  }

  async function end(conversationId: string, by: Author): Promise<Conversation> {
    const { before, after } = await mutate(conversationId, () => ({ type: 'end', by }));
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
    const now = deps.now();
    if (after.agentId) {
      // Capacity is held through wrap-up; the slot frees only now, which is also what the wait estimate measures.
      const released = await releaseHold(after.agentId, conversationId, now);
      if (released && before.timestamps.acceptedAt && after.queueId) {
        historyOf(after.queueId).add((now.getTime() - before.timestamps.acceptedAt.getTime()) / 1000);
      }
    }
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
    void hooks.dispatch();
    return after;
  }

  async function abandon(conversationId: string): Promise<void> {
    const c = await load(conversationId);
    const heldBy = c.status === 'offered' ? c.agentId : undefined;
    const { before, after } = await mutate(conversationId, () => ({ type: 'abandon' }), c);
    index.removeWaiting(conversationId);
    disarmTimer(conversationId);
    if (heldBy) await releaseHold(heldBy, conversationId);
    await publish([
      statusChanged(before, after, 'customer_left'),
      {
        type: 'conversation.abandoned',
        conversationId,
        ...(after.queueId ? { queueId: after.queueId } : {}),
      },
    ]);
    if (heldBy) void hooks.dispatch();
  }

  async function reopen(conversationId: string, agentId: string): Promise<Conversation> {
    await ensureLoaded();
    const c = await load(conversationId);
    if (c.status !== 'closed')
      throw new ConflictError('conversation.not_closed', `Conversation ${conversationId} is ${c.status}`);
    // Validate before taking capacity: the 24-hour window and "only its agent" come from the state machine.
    transition(c, { type: 'reopen', agentId }, deps.now());
    const agent = await requireAgent(agentId);
    const stream = streamOf(c.workstreamId);
    const reserved = await reserveFor(agent, conversationId, stream, PICK_PRESENCES);
    if (!reserved) throw new ConflictError('agent.no_capacity', `Agent ${agentId} has no room to reopen it`);
    let result;
    try {
      result = await mutate(conversationId, () => ({ type: 'reopen', agentId }), c);
    } catch (e) {
      await releaseHold(agentId, conversationId);
      throw e;
    }
    await publish([
      statusChanged(result.before, result.after, 'reopened'),
      { type: 'conversation.reopened', conversationId, agentId },
      { type: 'participant.joined', conversationId, agentId, mode: 'primary' },
    ]);
    await presence.applyLoad(reserved);
    return result.after;
  }

  return { accept, reject, pick, transfer, end, close, abandon, reopen };
}
