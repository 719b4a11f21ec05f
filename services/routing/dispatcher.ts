import type { Agent, Conversation, Queue, Workstream } from '../domain/index.js';
import { transition } from '../domain/index.js';
import type { AgentWithHolds } from './capacity-ledger.js';
import { writeStep } from './conversation-writes.js';
import { offerIdOf, offerReason } from './offer-reason.js';
import { isOpen } from './operating-hours.js';
import type { RoutingCore } from './routing-core.js';

/** Lost races after which an item waits for the next dispatch or sweep instead of another pass now. */
const MAX_ATTEMPTS = 3;

/**
 * Places waiting items with agents: for each queue by priority, items in arrival order, the agent
 * the queue's method picks — then reserve capacity and claim the conversation, each one
 * conditional write (see docs/decisions/0002-routing.md).
 */
export function createDispatcher(core: RoutingCore) {
  const {
    options,
    repos,
    deps,
    maxInFlight,
    conversationsCol,
    index,
    presence,
    inFlight,
    ensureLoaded,
    publish,
    publishInBackground,
    statusChanged,
    mutate,
    releaseHold,
    reserveFor,
    armTimer,
    disarmTimer,
    report,
  } = core;
  let running: Promise<void> | null = null;
  let rerun = false;
  /** Lost races per item during the current dispatch (see `requeue`). */
  const attempts = new Map<string, number>();

  // --- dispatch --------------------------------------------------------------------------------

  /**
   * An item every eligible agent has declined is not stranded: once a full offer timeout has passed
   * since its last offer, the decliners may be offered it again (a new round). The sweep's dispatch
   * brings it back; in between, any agent can still pick it.
   */
  function declinesCooledDown(item: Conversation, stream: Workstream, now: Date): boolean {
    const last = item.timestamps.offeredAt?.getTime() ?? 0;
    return now.getTime() - last >= stream.offerTimeoutSeconds * 1000;
  }

  /** One dispatch at a time per instance; a request during a pass runs one more pass after it. */
  function dispatch(): Promise<void> {
    if (core.state.stopped) return Promise.resolve();
    if (running) {
      rerun = true;
      return running;
    }
    running = (async () => {
      try {
        await ensureLoaded();
        do {
          rerun = false;
          await dispatchPass();
        } while (rerun && !core.state.stopped);
        await core.outboxIdle();
      } finally {
        running = null;
        attempts.clear();
      }
    })();
    return running;
  }

  async function dispatchPass(): Promise<void> {
    const flights = new Set<Promise<void>>();
    const now = deps.now();
    outer: for (const queue of index.queuesByPriority) {
      if (!isOpen(queue.operatingHours, now)) continue;
      for (const item of index.waitingIn(queue.id).values()) {
        if (!index.anyRoom) break outer;
        const stream = index.workstreams.get(item.workstreamId);
        if (!stream || (attempts.get(item.id) ?? 0) > MAX_ATTEMPTS) continue;
        const t0 = performance.now();
        let agent = index.choose(item, queue, stream);
        if (!agent && item.declinedBy.length > 0 && declinesCooledDown(item, stream, now)) {
          agent = index.choose(item, queue, stream, true);
        }
        if (!agent) continue;
        // Promise the units and take the item out of the queue in memory before the writes, so the
        // next decision in this pass sees them gone; the writes confirm or undo it.
        index.removeWaiting(item.id);
        index.promise(agent.id, stream.capacityCost);
        inFlight.add(item.id);
        const flight = offer(item, agent, queue, stream, t0)
          .catch((e: unknown) => report(e, item.id, 'offer failed'))
          .finally(() => {
            inFlight.delete(item.id);
            flights.delete(flight);
          });
        flights.add(flight);
        if (flights.size >= maxInFlight) await Promise.race(flights);
      }
    }
    await Promise.all(flights);
  }

  /**
   * Puts an item whose decision lost a race back in line for another pass — a few times per dispatch
   * at most, so two instances chasing the same item cannot livelock; the sweep retries later.
   */
  function requeue(c: Conversation): void {
    const n = (attempts.get(c.id) ?? 0) + 1;
    attempts.set(c.id, n);
    index.addWaiting(c);
    if (n <= MAX_ATTEMPTS) rerun = true;
  }

  /** Reserve capacity, then claim the conversation; each is one conditional write. */
  async function offer(
    item: Conversation,
    agent: Agent,
    queue: Queue,
    stream: Workstream,
    t0: number,
  ): Promise<void> {
    let reserved: AgentWithHolds | null;
    try {
      reserved = await reserveFor(agent, item.id, stream, stream.allowedPresences);
    } finally {
      index.settle(agent.id, stream.capacityCost);
    }
    if (!reserved) {
      // Another instance (or a pick) took the room, or is claiming this very item (its hold is
      // already there). The index now has the agent's real load; retry only a still-waiting item.
      const fresh = await repos.conversations.get(item.id);
      const racing = index.agents.get(agent.id) as AgentWithHolds | undefined;
      if (fresh?.status === 'waiting' && !racing?.capacityHolds?.[item.id]) requeue(fresh);
      return;
    }
    let base = item;
    if (item.declinedBy.includes(agent.id)) {
      // Everyone able to take it declined a while ago: start a fresh round (requeue clears the list).
      const fresh = await writeStep(
        conversationsCol,
        item,
        transition(item, { type: 'requeue', queueId: queue.id }, deps.now()),
      );
      if (!fresh) {
        await releaseHold(agent.id, item.id);
        const now = await repos.conversations.get(item.id);
        if (now?.status === 'waiting') requeue(now);
        return;
      }
      base = fresh;
    }
    const expiresAt = new Date(deps.now().getTime() + stream.offerTimeoutSeconds * 1000);
    // Judged on the agent as the decision saw them (before this item's units were reserved).
    const reason = offerReason(agent, base, queue, stream, deps.now());
    const next = transition(base, { type: 'offer', agentId: agent.id, expiresAt }, deps.now());
    const claimed = await writeStep(conversationsCol, base, next);
    if (!claimed) {
      await releaseHold(agent.id, item.id);
      const fresh = await repos.conversations.get(item.id);
      // Still waiting means only the version moved (a message arrived): try again on the next pass.
      if (fresh?.status === 'waiting') requeue(fresh);
      return;
    }
    options.onDecision?.(performance.now() - t0);
    publishInBackground([
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
    await presence.applyLoad(reserved);
    if (stream.autoAccept) {
      await acceptOffer(claimed, agent.id, false);
      return;
    }
    armTimer(claimed);
  }

  async function acceptOffer(c: Conversation, agentId: string, picked: boolean): Promise<Conversation> {
    const { before, after } = await mutate(c.id, () => ({ type: 'accept', agentId }), c);
    disarmTimer(c.id);
    await publish([
      statusChanged(before, after, picked ? 'picked' : 'accepted'),
      {
        type: 'conversation.accepted',
        conversationId: c.id,
        agentId,
        ...(after.queueId ? { queueId: after.queueId } : {}),
        picked,
      },
      { type: 'participant.joined', conversationId: c.id, agentId, mode: 'primary' },
    ]);
    return after;
  }

  return {
    dispatch,
    acceptOffer,
    /** Resolves when the dispatch under way (if any) has finished. */
    idle: (): Promise<void> => running ?? Promise.resolve(),
  };
}
