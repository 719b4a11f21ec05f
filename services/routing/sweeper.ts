import type { StoredEvent } from '../domain/index.js';
import { DomainError } from '../domain/index.js';
import { createClosedOverflow } from './closed-overflow.js';
import { HELD, type RoutingCore } from './routing-core.js';
import type { TimerHandle } from './scheduler.js';
import type { SweepReport } from './types.js';

/**
 * What runs on a clock: offer expiry (from the stored `offerExpiresAt`, so it survives restarts),
 * release of capacity holds leaked by a crashed instance, and the resync of the index; plus the
 * reaction to presence changes (Offline takes offers back, Available dispatches).
 */
export function createSweeper(core: RoutingCore) {
  const {
    repos,
    deps,
    scheduler,
    log,
    sweepIntervalMs,
    holdLeaseMs,
    resyncWaiting,
    ledger,
    index,
    inFlight,
    state,
    hooks,
    loadConfiguration,
    loadAgents,
    reload,
    ensureLoaded,
    refreshAgent,
    publish,
    statusChanged,
    mutate,
    historyOf,
    releaseHold,
    armTimer,
    disarmTimer,
    report,
  } = core;
  let sweepTimer: TimerHandle | null = null;
  const overflowClosedQueues = createClosedOverflow(core);

  /** Takes an offer back: its time ran out, or the agent went offline. Safe to call on anything. */
  async function expire(id: string, why: 'timeout' | 'agent_offline'): Promise<boolean> {
    const c = await repos.conversations.get(id);
    if (!c || c.status !== 'offered' || !c.agentId) return false;
    if (why === 'timeout' && (!c.offerExpiresAt || c.offerExpiresAt.getTime() > deps.now().getTime())) {
      armTimer(c);
      return false;
    }
    const agentId = c.agentId;
    let result;
    try {
      result = await mutate(id, () => ({ type: 'offer-timeout', agentId }), c);
    } catch (e) {
      // Accepted or abandoned meanwhile: the other write won, nothing to take back.
      if (e instanceof DomainError && e.code === 'conversation.illegal_transition') return false;
      throw e;
    }
    disarmTimer(id);
    await releaseHold(agentId, id);
    index.addWaiting(result.after);
    await publish([
      { type: 'conversation.offer_timed_out', conversationId: id, agentId },
      statusChanged(result.before, result.after, why === 'timeout' ? 'offer_timed_out' : 'agent_offline'),
    ]);
    void hooks.dispatch();
    return true;
  }
  // --- sweep -----------------------------------------------------------------------------------

  /** Capacity whose hold outlived the lease while its item is not with that agent (crash between reserve and claim, or before a release). */
  async function releaseLeakedHolds(): Promise<number> {
    const cutoff = deps.now().getTime() - holdLeaseMs;
    let released = 0;
    for (const agent of await ledger.agentsWithHolds()) {
      for (const [conversationId, hold] of Object.entries(agent.capacityHolds ?? {})) {
        if (new Date(hold.at).getTime() > cutoff || inFlight.has(conversationId)) continue;
        const c = await repos.conversations.get(conversationId);
        if (c && c.agentId === agent.id && HELD.has(c.status)) continue;
        if (await releaseHold(agent.id, conversationId)) {
          released += 1;
          log({
            level: 'warn',
            msg: 'released leaked capacity hold',
            conversationId,
            agentId: agent.id,
            units: hold.units,
          });
        }
      }
    }
    return released;
  }

  async function sweep(): Promise<SweepReport> {
    await ensureLoaded();
    let expiredOffers = 0;
    for (const c of await repos.conversations.findExpiredOffers(deps.now())) {
      if (
        await expire(c.id, 'timeout').catch((e: unknown) => (report(e, c.id, 'offer expiry failed'), false))
      )
        expiredOffers += 1;
    }
    const releasedHolds = await releaseLeakedHolds();
    if (resyncWaiting) await reload();
    else {
      await loadConfiguration();
      await loadAgents();
    }
    const overflowed = await overflowClosedQueues();
    await hooks.dispatch();
    let waiting = 0;
    for (const q of index.queues.keys()) waiting += index.waitingCount(q);
    return { expiredOffers, releasedHolds, overflowed, waiting };
  }

  function scheduleSweep(): void {
    if (state.stopped || sweepIntervalMs <= 0) return;
    sweepTimer = scheduler.setTimeout(() => {
      core.track(
        sweep()
          .catch((e: unknown) => report(e, undefined, 'sweep failed'))
          .finally(scheduleSweep),
      );
    }, sweepIntervalMs);
  }

  function onEvent(event: StoredEvent): void {
    // An agent's own presence choice or queue opt-in changes whom routing may offer work to.
    const chosen = event.type === 'presence.changed' && !event.automatic;
    if (!chosen && event.type !== 'agent.queue_opt') return;
    const work = async (): Promise<void> => {
      await refreshAgent(event.agentId);
      if (event.type === 'presence.changed' && event.presence === 'offline') {
        for (const c of await repos.conversations.findByAgent(event.agentId, 'offered'))
          await expire(c.id, 'agent_offline');
      }
      await hooks.dispatch();
    };
    core.track(work().catch((e: unknown) => report(e, undefined, 'presence reaction failed')));
  }

  async function loadHistory(): Promise<void> {
    for (const queueId of index.queues.keys()) {
      const closed = await repos.conversations.find({ status: 'closed', queueId }, { limit: 50 });
      const h = historyOf(queueId);
      for (const c of closed.reverse()) {
        const { acceptedAt, closedAt } = c.timestamps;
        if (acceptedAt && closedAt) h.add((closedAt.getTime() - acceptedAt.getTime()) / 1000);
      }
    }
  }

  return {
    expire,
    sweep,
    scheduleSweep,
    onEvent,
    loadHistory,
    cancel(): void {
      if (sweepTimer !== null) core.scheduler.clearTimeout(sweepTimer);
      sweepTimer = null;
    },
  };
}
