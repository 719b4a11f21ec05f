import { createPresence } from '../presence/index.js';
import { createAgentSteps } from './agent-steps.js';
import { createArrivals } from './arrivals.js';
import { createCapacity } from './capacity.js';
import { createConversationSteps } from './conversation-steps.js';
import { createDispatcher, type Dispatcher } from './dispatcher.js';
import { createIndexSync } from './index-sync.js';
import { lastAgentOf } from './last-agent.js';
import { createOffers } from './offers.js';
import { Outbox } from './outbox.js';
import { createRemoteChanges } from './remote-changes.js';
import { RoutingIndex } from './routing-index.js';
import { systemScheduler } from './scheduler.js';
import { SessionLog } from './session-log.js';
import { createSweeper } from './sweeper.js';
import { BackgroundTasks, reporter } from './tasks.js';
import type { Router, RouterOptions } from './types.js';
import { HandleTimes } from './wait-estimate.js';

/**
 * Unified routing: work streams classify items into queues, queues order them, and agents get them
 * by the queue's assignment method within their capacity and presence; offers, picks and transfers
 * are conditional writes, so several instances can share one store. Each part below is handed the
 * few things it uses. See docs/architecture.md and docs/decisions/0002-routing.md.
 */
export function createRouter(options: RouterOptions): Router {
  const { repos, bus, deps } = options;
  const now = deps.now;
  const scheduler = options.scheduler ?? systemScheduler;
  const log = options.log ?? (() => {});
  const report = reporter(log);
  const mongo = repos.store.kind === 'mongodb';

  const index = new RoutingIndex();
  const tasks = new BackgroundTasks();
  const handleTimes = new HandleTimes();
  /** Conversations with a decision in flight: a resync must not hand them out again. */
  const inFlight = new Set<string>();
  const presence =
    options.presence ??
    createPresence({
      agents: repos.agents,
      bus,
      deps,
      fullAt: (agent) => index.fullAtFor(agent.queueIds),
      ...(options.customPresences ? { customPresences: options.customPresences } : {}),
    });
  const outbox = new Outbox(bus, new SessionLog(repos.sessions), report);
  const steps = createConversationSteps(repos.conversations, now);
  const capacity = createCapacity({ agents: repos.agents, index, presence, now });
  const sync = createIndexSync({ repos, index, inFlight });

  // The one loop in routing, closed here: taking an offer back frees an agent, so offers ask for a
  // dispatch, and the dispatcher makes offers.
  const dispatch = (): Promise<void> => dispatcher.dispatch();
  const offers = createOffers({
    steps,
    capacity,
    index,
    presence,
    outbox,
    tasks,
    scheduler,
    now,
    report,
    redispatch: dispatch,
    ...(options.onDecision ? { onDecision: options.onDecision } : {}),
  });
  const dispatcher: Dispatcher = createDispatcher({
    index,
    offers,
    outbox,
    tasks,
    ensureLoaded: sync.ensureLoaded,
    now,
    report,
    // A write settles when its group is in the files (one flush per event-loop turn on the embedded
    // store, a round trip on MongoDB): one decision at a time waits out two of them each; a few in
    // flight share them. Four on the embedded store: 13–25 % more decisions a second than one, p99
    // 6–7 ms against 2–3 (target 10; ADR 0002, "Decisions in flight under the group commit"). Eight hide MongoDB's round trips.
    maxInFlight: Math.max(1, options.maxInFlight ?? (mongo ? 8 : 4)),
    inFlight,
  });
  const arrivals = createArrivals({
    steps,
    index,
    outbox,
    handleTimes,
    ensureLoaded: sync.ensureLoaded,
    dispatch,
    lastAgentOf: (c, stream) => lastAgentOf(repos.conversations, c, stream, now()),
    now,
  });
  const agentSteps = createAgentSteps({
    steps,
    capacity,
    offers,
    index,
    presence,
    outbox,
    handleTimes,
    ensureLoaded: sync.ensureLoaded,
    dispatch,
    now,
  });
  const sweeper = createSweeper({
    conversations: repos.conversations,
    steps,
    capacity,
    offers,
    index,
    sync,
    outbox,
    tasks,
    handleTimes,
    scheduler,
    dispatch,
    inFlight,
    now,
    log,
    report,
    sweepIntervalMs: options.sweepIntervalMs ?? 5000,
    holdLeaseMs: options.holdLeaseMs ?? 30_000,
    resyncWaiting: options.resyncWaiting ?? mongo,
  });
  const followRemote = createRemoteChanges({
    conversations: repos.conversations,
    index,
    capacity,
    inFlight,
    tasks,
    ensureLoaded: sync.ensureLoaded,
    dispatch,
    report,
  });
  let unsubscribe: (() => void) | null = null;

  return {
    enqueue: arrivals.enqueue,
    queueStatus: arrivals.queueStatus,
    preview: arrivals.preview,
    accept: offers.accept,
    reject: offers.reject,
    ...agentSteps,
    endByCustomer: async (id) => {
      await agentSteps.end(id, 'customer');
    },
    dispatch,
    sweep: sweeper.sweep,
    reload: async () => {
      await sync.reload();
    },
    // Only a shared store has other instances to follow; the embedded store is one process's (its
    // lock), where the tail can still call a local event 'remote' when it reads it before the bus
    // hands it over.
    followRemote: mongo ? followRemote : () => {},
    async start() {
      tasks.stopped = false;
      await sync.reload();
      await sweeper.loadHistory();
      offers.restore(await repos.conversations.openOffers());
      // Only presences agents choose themselves; the automatic Busy is routing's own doing.
      const offPresence =
        bus.on?.('presence.changed', (e) => {
          if (!e.automatic) sweeper.onPresenceChosen(e.agentId, e.presence);
        }) ?? null;
      // An agent's queue opt-in or opt-out changes whom that queue's work may be offered to.
      const offQueueOpt = bus.on?.('agent.queue_opt', (e) => sweeper.onQueueOpt(e.agentId)) ?? null;
      unsubscribe = () => {
        offPresence?.();
        offQueueOpt?.();
      };
      await sweeper.sweep();
      sweeper.scheduleSweep();
    },
    async stop() {
      tasks.stopped = true;
      sweeper.cancel();
      offers.stop();
      unsubscribe?.();
      unsubscribe = null;
      await tasks.idle();
      await dispatcher.idle();
      await outbox.idle();
    },
    presence,
  };
}
