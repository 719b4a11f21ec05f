import type { Agent, Conversation, DomainEvent, Queue, Workstream } from '../domain/index.js';
import { DomainError, transition } from '../domain/index.js';
import type { Presence } from '../presence/index.js';
import type { AgentWithHolds } from '../store/index.js';
import type { Capacity } from './capacity.js';
import type { ConversationSteps } from './conversation-steps.js';
import { offerIdOf, offerReason } from './offer-reason.js';
import { statusChanged, type Outbox } from './outbox.js';
import type { RoutingIndex } from './routing-index.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

type WithdrawReason = Extract<DomainEvent, { type: 'conversation.offer_withdrawn' }>['reason'];
import type { BackgroundTasks, Report } from './tasks.js';

export type Offers = ReturnType<typeof createOffers>;

/** What became of an attempt to offer an item: offered, or back in line (with its fresh state). */
export type OfferOutcome = { offered: true } | { offered: false; retry: Conversation | null };

/**
 * The events of an agent taking an item, by accepting an offer or by picking it. A consult or monitor
 * part of theirs ends as the primary one begins (and its session with it: the session log ends it
 * before the offer's session is accepted, so the two are never open at once).
 */
export function acceptedEvents(
  before: Conversation,
  after: Conversation,
  agentId: string,
  picked: boolean,
): DomainEvent[] {
  const formerParts = before.participants.filter(
    (p) => p.agentId === agentId && p.mode !== 'primary' && !p.leftAt,
  );
  return [
    ...formerParts.map(
      (p) => ({ type: 'participant.left', conversationId: after.id, agentId, mode: p.mode }) as const,
    ),
    statusChanged(before, after, picked ? 'picked' : 'accepted'),
    {
      type: 'conversation.accepted',
      conversationId: after.id,
      agentId,
      ...(after.queueId ? { queueId: after.queueId } : {}),
      picked,
    },
    { type: 'participant.joined', conversationId: after.id, agentId, mode: 'primary' },
  ];
}

/**
 * Marks the events of an offer that a transfer made (not routing), so the transcript can say the chat
 * went back to the queue when it ends unanswered: the hand-over note named the agent it went to.
 */
function transferOffer(offered: Conversation, agentId: string): { transfer?: true } {
  return offered.handOver?.toAgentId === agentId ? { transfer: true } : {};
}

/**
 * The offer lifecycle in one place: an offer is created (capacity reserved, then the conversation
 * claimed — each one conditional write), presented with a timer from its stored expiry, and ends
 * accepted, rejected, expired, or taken back when the agent goes offline. Timers are only a prompt:
 * the expiry is stored on the conversation (`offerExpiresAt`), so the sweep and a restarted router
 * find it again. See docs/decisions/0002-routing.md.
 */
export function createOffers(d: {
  steps: ConversationSteps;
  capacity: Capacity;
  index: RoutingIndex;
  presence: Presence;
  outbox: Outbox;
  tasks: BackgroundTasks;
  scheduler: Scheduler;
  now: () => Date;
  report: Report;
  /** Taking an offer back frees an agent and puts an item back in line: routing runs again. */
  redispatch: () => Promise<void>;
  onDecision?: (ms: number) => void;
}) {
  const timers = new Map<string, TimerHandle>();

  function arm(c: Pick<Conversation, 'id' | 'offerExpiresAt'>): void {
    // The timer keeps the id alone: a pending offer must not hold its whole conversation in memory.
    const id = c.id;
    disarm(id);
    if (!c.offerExpiresAt || d.tasks.stopped) return;
    const ms = c.offerExpiresAt.getTime() - d.now().getTime();
    timers.set(
      id,
      d.scheduler.setTimeout(() => {
        timers.delete(id);
        d.tasks.track(expire(id, 'timeout').catch((e: unknown) => d.report(e, id, 'offer expiry failed')));
      }, ms),
    );
  }

  function disarm(id: string): void {
    const t = timers.get(id);
    if (t !== undefined) d.scheduler.clearTimeout(t);
    timers.delete(id);
  }

  function notOfferedToYou(conversationId: string, agentId: string): DomainError {
    return new DomainError(
      'conversation.not_offered_to_you',
      'This conversation is not offered to you',
      'conflict',
      { conversationId, agentId },
    );
  }

  async function acceptOffer(c: Conversation, agentId: string): Promise<Conversation> {
    const { before, after } = await d.steps.mutate(c.id, () => ({ type: 'accept', agentId }), c);
    disarm(c.id);
    await d.outbox.publish(acceptedEvents(before, after, agentId, false));
    return after;
  }

  /** An offer the agent now has: accepted at once when the work stream says so, else timed. */
  async function present(
    claimed: Conversation,
    agentId: string,
    stream: Workstream,
    reserved: AgentWithHolds,
  ): Promise<Conversation> {
    await d.presence.applyLoad(reserved);
    if (stream.autoAccept) return acceptOffer(claimed, agentId);
    arm(claimed);
    return claimed;
  }

  /**
   * Takes an offer back: its time ran out (a missed offer: the agent is set Away), or the agent
   * went offline (withdrawn: no refusal of theirs, they may be offered it again when back). Safe to
   * call on anything.
   */
  async function expire(id: string, why: 'timeout' | WithdrawReason): Promise<boolean> {
    const c = await d.steps.get(id);
    if (!c || c.status !== 'offered' || !c.agentId) return false;
    if (why === 'timeout' && (!c.offerExpiresAt || c.offerExpiresAt.getTime() > d.now().getTime())) {
      arm(c);
      return false;
    }
    const agentId = c.agentId;
    const timedOut = why === 'timeout';
    let result;
    try {
      result = await d.steps.mutate(
        id,
        () => ({ type: timedOut ? 'offer-timeout' : 'offer-withdraw', agentId }),
        c,
      );
    } catch (e) {
      // Accepted or abandoned meanwhile: the other write won, nothing to take back.
      if (e instanceof DomainError && e.code === 'conversation.illegal_transition') return false;
      throw e;
    }
    disarm(id);
    await d.capacity.release(agentId, id);
    d.index.addWaiting(result.after);
    const transfer = transferOffer(result.before, agentId);
    await d.outbox.publish([
      timedOut
        ? { type: 'conversation.offer_timed_out', conversationId: id, agentId, ...transfer }
        : { type: 'conversation.offer_withdrawn', conversationId: id, agentId, reason: why, ...transfer },
      statusChanged(result.before, result.after, timedOut ? 'offer_timed_out' : why),
    ]);
    if (timedOut) await d.presence.missedOffer(agentId);
    void d.redispatch();
    return true;
  }

  return {
    /**
     * Creates an offer: reserve the agent's capacity, then claim the conversation, each one
     * conditional write; a lost race gives the item back (with its fresh state when still waiting).
     */
    async make(item: Conversation, agent: Agent, queue: Queue, stream: Workstream, t0: number) {
      let reserved: AgentWithHolds | null;
      try {
        reserved = await d.capacity.reserve(agent, item.id, stream, stream.allowedPresences);
      } finally {
        d.index.settle(agent.id, stream.capacityCost);
      }
      if (!reserved) {
        // Another instance (or a pick) took the room, or is claiming this very item (its hold is
        // already there). The index now has the agent's real load; retry only a still-waiting item.
        const fresh = await d.steps.get(item.id);
        const racing = d.index.agents.get(agent.id) as AgentWithHolds | undefined;
        const retry = fresh?.status === 'waiting' && !racing?.capacityHolds?.[item.id] ? fresh : null;
        return { offered: false, retry } satisfies OfferOutcome;
      }
      let base = item;
      if (item.declinedBy.includes(agent.id)) {
        // Everyone able to take it declined a while ago: start a fresh round (requeue clears the list).
        const fresh = await d.steps.conversations.writeStep(
          item,
          transition(item, { type: 'requeue', queueId: queue.id }, d.now()),
          'transition',
        );
        if (!fresh) {
          await d.capacity.release(agent.id, item.id);
          const now = await d.steps.get(item.id);
          return { offered: false, retry: now?.status === 'waiting' ? now : null } satisfies OfferOutcome;
        }
        base = fresh;
      }
      const expiresAt = new Date(d.now().getTime() + stream.offerTimeoutSeconds * 1000);
      // Judged on the agent as the decision saw them (before this item's units were reserved).
      const reason = offerReason(agent, base, queue, stream, d.now());
      const next = transition(base, { type: 'offer', agentId: agent.id, expiresAt }, d.now());
      const claimed = await d.steps.conversations.writeStep(base, next, 'transition');
      if (!claimed) {
        await d.capacity.release(agent.id, item.id);
        const fresh = await d.steps.get(item.id);
        // Still waiting means only the version moved (a message arrived): try again on the next pass.
        return { offered: false, retry: fresh?.status === 'waiting' ? fresh : null } satisfies OfferOutcome;
      }
      d.onDecision?.(performance.now() - t0);
      d.outbox.publishInBackground([
        statusChanged(item, claimed, 'offered'),
        {
          type: 'conversation.offered',
          conversationId: item.id,
          agentId: agent.id,
          queueId: queue.id,
          expiresAt,
          offerId: offerIdOf(claimed),
          reason,
        },
      ]);
      await present(claimed, agent.id, stream, reserved);
      return { offered: true } satisfies OfferOutcome;
    },

    present,

    async accept(conversationId: string, agentId: string): Promise<Conversation> {
      const c = await d.steps.load(conversationId);
      if (c.status !== 'offered' || c.agentId !== agentId) throw notOfferedToYou(conversationId, agentId);
      return acceptOffer(c, agentId);
    },

    async reject(conversationId: string, agentId: string): Promise<Conversation> {
      const c = await d.steps.load(conversationId);
      if (c.status !== 'offered' || c.agentId !== agentId) throw notOfferedToYou(conversationId, agentId);
      const { before, after } = await d.steps.mutate(conversationId, () => ({ type: 'reject', agentId }), c);
      disarm(conversationId);
      await d.capacity.release(agentId, conversationId);
      d.index.addWaiting(after);
      await d.outbox.publish([
        { type: 'conversation.offer_rejected', conversationId, agentId, ...transferOffer(before, agentId) },
        statusChanged(before, after, 'offer_rejected'),
      ]);
      await d.redispatch();
      return after;
    },

    expire,

    /**
     * The agent went Offline, or chose a presence these offers' work streams offer no work in: their
     * pending offers go to someone else now, not after a minute of the customer waiting on them.
     */
    async withdrawFrom(
      agentId: string,
      offered: Conversation[],
      reason: WithdrawReason = 'agent_offline',
    ): Promise<void> {
      for (const c of offered) if (c.agentId === agentId) await expire(c.id, reason);
    },

    /** Offers made before a restart keep their stored expiry; timers are re-armed from it. */
    restore(offered: ReadonlyArray<Pick<Conversation, 'id' | 'offerExpiresAt'>>): void {
      for (const c of offered) arm(c);
    },

    /** The item left the offered state some other way (abandoned, say): its timer goes. */
    forget: disarm,

    stop(): void {
      for (const id of [...timers.keys()]) disarm(id);
    },
  };
}
