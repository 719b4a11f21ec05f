// `nextTurn` lets the event loop run between the sweep's batches: the embedded store answers reads
// without leaving the turn, and at 1,000 agents holding 10 chats each the whole check of old holds
// was one 140–150 ms stall every 5 s for every customer and agent.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { BasePresence } from '../domain/index.js';
import { slotFreedAt, wrapUpHoldEnds, wrapUpHoldOver } from '../domain/index.js';
import type { AgentWithHolds, Holder, Repositories } from '../store/index.js';
import type { Capacity } from './capacity.js';
import { createClosedOverflow } from './closed-overflow.js';
import { presenceAllows } from './eligibility.js';
import { HELD, type ConversationSteps } from './conversation-steps.js';
import type { IndexSync } from './index-sync.js';
import type { Offers } from './offers.js';
import type { Outbox } from './outbox.js';
import type { RoutingIndex } from './routing-index.js';
import type { Scheduler, TimerHandle } from './scheduler.js';
import type { BackgroundTasks, Report } from './tasks.js';
import type { LogEntry, SweepReport } from './types.js';
import type { HandleTimes } from './wait-estimate.js';

/** Conversations read per query when the sweep checks old capacity holds. */
const SWEEP_READ_BATCH = 500;
/** Agents whose holds are looked through in one turn (10 holds each at a busy center's peak). */
const AGENTS_PER_TURN = 100;

/**
 * What runs on a clock: expired offers the timers missed (a restart, another instance), capacity
 * holds leaked by a crashed instance, items waiting in a queue that closed, and the index resync;
 * plus the reaction to agents' own presence changes (Offline takes offers back, Available
 * dispatches) and queue opt-ins (refresh the agent, dispatch).
 */
export function createSweeper(d: {
  conversations: Repositories['conversations'];
  steps: ConversationSteps;
  capacity: Capacity;
  offers: Pick<Offers, 'expire' | 'withdrawFrom'>;
  index: RoutingIndex;
  sync: IndexSync;
  outbox: Outbox;
  tasks: BackgroundTasks;
  handleTimes: HandleTimes;
  scheduler: Scheduler;
  dispatch: () => Promise<void>;
  inFlight: ReadonlySet<string>;
  now: () => Date;
  log: (entry: LogEntry) => void;
  report: Report;
  sweepIntervalMs: number;
  holdLeaseMs: number;
  /** Whether each sweep re-reads waiting items too (several instances share the store). */
  resyncWaiting: boolean;
}) {
  let sweepTimer: TimerHandle | null = null;
  const overflowClosedQueues = createClosedOverflow(d);

  /**
   * Capacity whose hold outlived the lease while its item is not with that agent (crash between
   * reserve and claim, or before a release), among the agents as the resync read them.
   */
  async function releaseLeakedHolds(agents: readonly AgentWithHolds[]): Promise<number> {
    const cutoff = d.now().getTime() - d.holdLeaseMs;
    const stale: Array<{ agentId: string; conversationId: string; units: number }> = [];
    for (let i = 0; i < agents.length; i++) {
      if (i > 0 && i % AGENTS_PER_TURN === 0) await nextTurn();
      const agent = agents[i]!;
      for (const [conversationId, hold] of Object.entries(agent.capacityHolds ?? {})) {
        if (new Date(hold.at).getTime() > cutoff || d.inFlight.has(conversationId)) continue;
        stale.push({ agentId: agent.id, conversationId, units: hold.units });
      }
    }
    // Nearly every hold of a busy center is older than the lease: who holds its conversations is
    // read in a few queries of a few fields, not one read of each whole conversation (thousands
    // every sweep at 1,000 agents).
    const conversations = new Map<string, Holder>();
    for (let i = 0; i < stale.length; i += SWEEP_READ_BATCH) {
      await nextTurn();
      const ids = stale.slice(i, i + SWEEP_READ_BATCH).map((h) => h.conversationId);
      for (const c of await d.conversations.holdersOf(ids)) conversations.set(c.id, c);
    }
    let released = 0;
    const now = d.now();
    for (const { agentId, conversationId, units } of stale) {
      const c = conversations.get(conversationId);
      if (c && c.agentId === agentId && HELD.has(c.status)) {
        // Still the agent's: held until closed, unless its stream limits the hold for wrap-up.
        const stream = d.index.workstreams.get(c.workstreamId);
        if (!wrapUpHoldOver(c, stream, now)) continue;
        // Sampled at the hold's end, not the sweep's: the slot was the agent's until then.
        if (await d.capacity.release(agentId, conversationId, now))
          d.handleTimes.slotFreed(c, wrapUpHoldEnds(c, stream) ?? now);
        continue;
      }
      if (await d.capacity.release(agentId, conversationId)) {
        released += 1;
        d.log({ level: 'warn', msg: 'released leaked capacity hold', conversationId, agentId, units });
      }
    }
    return released;
  }

  async function sweep(): Promise<SweepReport> {
    await d.sync.ensureLoaded();
    let expiredOffers = 0;
    for (const c of await d.conversations.findExpiredOffers(d.now())) {
      const expired = await d.offers
        .expire(c.id, 'timeout')
        .catch((e: unknown) => (d.report(e, c.id, 'offer expiry failed'), false));
      if (expired) expiredOffers += 1;
    }
    await nextTurn();
    // One read of the agents serves the resync and the check of their holds (two whole reads were
    // two 10–20 ms stalls every sweep at 1,000 agents). The index takes them first: a release
    // below then leaves its own fresher copy of the agent there.
    let agents: AgentWithHolds[];
    if (d.resyncWaiting) agents = await d.sync.reload();
    else {
      await d.sync.loadConfiguration();
      agents = await d.sync.loadAgents();
    }
    await nextTurn();
    const releasedHolds = await releaseLeakedHolds(agents);
    await nextTurn();
    const overflowed = await overflowClosedQueues();
    await d.dispatch();
    let waiting = 0;
    for (const q of d.index.queues.keys()) waiting += d.index.waitingCount(q);
    return { expiredOffers, releasedHolds, overflowed, waiting };
  }

  /**
   * The last failure of a timed sweep reported. A store that is down fails every sweep: the failure
   * is reported once, again only if it changes, and the recovery once.
   */
  let failing: string | null = null;

  function scheduleSweep(): void {
    if (d.tasks.stopped || d.sweepIntervalMs <= 0) return;
    sweepTimer = d.scheduler.setTimeout(() => {
      d.tasks.track(
        sweep()
          .then(
            () => {
              if (failing !== null) d.log({ level: 'info', msg: 'sweep working again' });
              failing = null;
            },
            (e: unknown) => {
              const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
              if (what === failing) return;
              failing = what;
              d.report(e, undefined, 'sweep failed');
            },
          )
          .finally(scheduleSweep),
      );
    }, d.sweepIntervalMs);
  }

  /**
   * An agent chose a presence: offers go back when they went Offline, or chose one the offer's work
   * stream offers no work in (Do not disturb); either way, route again.
   */
  function onPresenceChosen(agentId: string, presence: BasePresence): void {
    const work = async (): Promise<void> => {
      await d.capacity.refresh(agentId);
      const offered = await d.conversations.findByAgent(agentId, 'offered');
      if (presence === 'offline') await d.offers.withdrawFrom(agentId, offered, 'agent_offline');
      else {
        const unwanted = offered.filter(
          (c) => !presenceAllows(presence, d.index.requireStream(c.workstreamId).allowedPresences),
        );
        if (unwanted.length > 0) await d.offers.withdrawFrom(agentId, unwanted, 'agent_unavailable');
      }
      await d.dispatch();
    };
    d.tasks.track(work().catch((e: unknown) => d.report(e, undefined, 'presence reaction failed')));
  }

  /** An agent opted into or out of a queue: whom routing may offer that queue's work to changed. */
  function onQueueOpt(agentId: string): void {
    const work = async (): Promise<void> => {
      await d.capacity.refresh(agentId);
      await d.dispatch();
    };
    d.tasks.track(work().catch((e: unknown) => d.report(e, undefined, 'queue opt-in reaction failed')));
  }

  /** Recent handle times per queue, so the first wait estimates after a start are not a guess. */
  async function loadHistory(): Promise<void> {
    for (const queueId of d.index.queues.keys()) {
      const closed = await d.conversations.find({ status: 'closed', queueId }, { limit: 50 });
      // The same samples as the live path took (agent-steps.ts `close`, the hold's end above).
      for (const c of closed.reverse()) {
        const freed = slotFreedAt(c, d.index.workstreams.get(c.workstreamId));
        if (freed) d.handleTimes.slotFreed(c, freed);
      }
    }
  }

  return {
    sweep,
    scheduleSweep,
    onPresenceChosen,
    onQueueOpt,
    loadHistory,
    cancel(): void {
      if (sweepTimer !== null) d.scheduler.clearTimeout(sweepTimer);
      sweepTimer = null;
    },
  };
}
