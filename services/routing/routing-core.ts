import type {
  Agent,
  BasePresence,
  Conversation,
  ConversationCommand,
  DomainEvent,
  Queue,
  Session,
  Workstream,
} from '../domain/index.js';
import { ConflictError, NotFoundError, ValidationError, transition } from '../domain/index.js';
import { createPresence } from '../presence/index.js';
import { COLLECTIONS } from '../store/index.js';
import { CapacityLedger, type AgentWithHolds } from './capacity-ledger.js';
import { writeStep } from './conversation-writes.js';
import { RoutingIndex } from './routing-index.js';
import { systemScheduler, type TimerHandle } from './scheduler.js';
import { SessionLog } from './session-log.js';
import type { RouterOptions } from './types.js';
import { HandleTimeHistory } from './wait-estimate.js';

// What every part of the router shares: configuration, the index, the capacity ledger, presence,
// the event outbox, offer timers, and the helpers that load, step and publish a conversation.
// The parts (dispatcher, arrivals, agent steps, sweeper) are built on it by `createRouter`.

export const HELD: ReadonlySet<string> = new Set(['offered', 'active', 'wrap-up']);
/** A stale version (the conversation service bumped it for a message, say) is retried this often. */
const WRITE_RETRIES = 5;

export type RoutingCore = ReturnType<typeof createRoutingCore>;

export function createRoutingCore(options: RouterOptions) {
  const { repos, bus, deps } = options;
  const scheduler = options.scheduler ?? systemScheduler;
  const log = options.log ?? (() => {});
  const sweepIntervalMs = options.sweepIntervalMs ?? 5000;
  const holdLeaseMs = options.holdLeaseMs ?? 30_000;
  // The embedded store works synchronously in this process, so overlapping decisions only queues
  // them (same throughput, longer latency); against a MongoDB server, overlap hides round trips.
  const maxInFlight = Math.max(1, options.maxInFlight ?? (repos.store.kind === 'mongodb' ? 8 : 1));
  const resyncWaiting = options.resyncWaiting ?? repos.store.kind === 'mongodb';
  const agentsCol = repos.store.collection<AgentWithHolds>(COLLECTIONS.agents);
  const conversationsCol = repos.store.collection<Conversation>(COLLECTIONS.conversations);
  const ledger = new CapacityLedger(agentsCol);
  const sessions = new SessionLog(repos.store.collection<Session>(COLLECTIONS.sessions), deps.newId);
  const index = new RoutingIndex();
  const presence =
    options.presence ??
    createPresence({
      agents: agentsCol,
      bus,
      deps,
      fullAt: (agent) => index.fullAtFor(agent.queueIds),
      ...(options.customPresences ? { customPresences: options.customPresences } : {}),
    });
  const timers = new Map<string, TimerHandle>();
  const history = new Map<string, HandleTimeHistory>();
  /** Conversations with a decision in flight: a resync must not hand them out again. */
  const inFlight = new Set<string>();

  const state = { stopped: false, loaded: null as Promise<void> | null };
  /** Work started by timers and listeners that nobody awaits; `stop` waits for it. */
  const background = new Set<Promise<unknown>>();
  function track(work: Promise<unknown>): void {
    background.add(work);
    void work.finally(() => background.delete(work));
  }
  /** Filled in by the parts built on the core (the timers need the sweeper, everyone needs dispatch). */
  const hooks = {
    dispatch: (): Promise<void> => Promise.resolve(),
    expire: (_id: string, _why: 'timeout' | 'agent_offline'): Promise<boolean> => Promise.resolve(false),
  };

  // --- loading ---------------------------------------------------------------------------------

  async function loadConfiguration(): Promise<void> {
    const [queues, workstreams] = await Promise.all([
      repos.queues.list({ limit: 1000 }),
      repos.workstreams.list({ limit: 1000 }),
    ]);
    index.setConfiguration(queues, workstreams);
  }

  async function loadAgents(): Promise<void> {
    index.setAgents(await agentsCol.find({}));
  }

  async function loadWaiting(): Promise<void> {
    const waiting = await conversationsCol.find(
      { status: 'waiting' },
      { sort: { 'timestamps.queuedAt': 1, id: 1 } },
    );
    index.setWaiting(waiting.filter((c) => !inFlight.has(c.id)).map(strip));
  }

  async function reload(): Promise<void> {
    await loadConfiguration();
    await Promise.all([loadAgents(), loadWaiting()]);
  }

  function ensureLoaded(): Promise<void> {
    state.loaded ??= reload();
    return state.loaded;
  }

  async function refreshAgent(agentId: string): Promise<void> {
    const a = await agentsCol.findOne({ id: agentId });
    if (a) index.upsertAgent(a);
  }

  // --- small helpers ---------------------------------------------------------------------------

  async function load(id: string): Promise<Conversation> {
    const c = await repos.conversations.get(id);
    if (!c) throw new NotFoundError('conversation.not_found', `conversation ${id} does not exist`);
    return c;
  }

  function queueOf(id: string | undefined): Queue {
    const q = id ? index.queues.get(id) : undefined;
    if (!q) throw new ValidationError('routing.unknown_queue', `queue ${id ?? '(none)'} is not configured`);
    return q;
  }

  function streamOf(id: string): Workstream {
    const w = index.workstreams.get(id);
    if (!w) throw new ValidationError('routing.unknown_workstream', `work stream ${id} is not configured`);
    return w;
  }

  /**
   * Every event goes through one ordered outbox, so a conversation's events are appended in the order
   * its steps happened even when a decision does not wait for its events (dispatch keeps deciding
   * while the log catches up). Callers acknowledging a step to a person await it.
   */
  let outbox: Promise<void> = Promise.resolve();
  function publish(events: DomainEvent[]): Promise<void> {
    const written = outbox.then(async () => {
      for (const e of events) {
        const stored = await bus.publish(e);
        await sessions.record(e, stored.at);
      }
    });
    outbox = written.catch((e: unknown) => report(e, undefined, 'publishing events failed'));
    return written;
  }

  /** For a decision that need not wait for its events; a failure is reported by the outbox. */
  function publishInBackground(events: DomainEvent[]): void {
    publish(events).catch(() => undefined);
  }

  function statusChanged(before: Conversation, after: Conversation, reason: string): DomainEvent {
    return {
      type: 'conversation.status_changed',
      conversationId: after.id,
      from: before.status,
      to: after.status,
      reason,
      ...((after.agentId ?? before.agentId) ? { agentId: after.agentId ?? before.agentId } : {}),
      ...(after.queueId ? { queueId: after.queueId } : {}),
    };
  }

  /**
   * Applies a command with the optimistic version check, reloading and re-applying when someone else
   * wrote in between (a message bumping the version, say). The command is re-validated against the
   * fresh state each time, so a lost race surfaces as the state machine's illegal-transition error.
   */
  async function mutate(
    id: string,
    command: (c: Conversation) => ConversationCommand,
    first?: Conversation,
  ): Promise<{ before: Conversation; after: Conversation }> {
    let current = first ?? (await load(id));
    for (let attempt = 0; ; attempt++) {
      const next = transition(current, command(current), deps.now());
      const written = await writeStep(conversationsCol, current, next);
      if (written) return { before: current, after: written };
      if (attempt >= WRITE_RETRIES) {
        throw new ConflictError('conversation.write_conflict', `conversation ${id} kept changing; try again`);
      }
      current = await load(id);
    }
  }

  function historyOf(queueId: string): HandleTimeHistory {
    let h = history.get(queueId);
    if (!h) history.set(queueId, (h = new HandleTimeHistory()));
    return h;
  }

  function releaseHold(
    agentId: string,
    conversationId: string,
    endedAt?: Date,
  ): Promise<AgentWithHolds | null> {
    return ledger.releaseAny(agentId, conversationId, deps.now(), endedAt).then(async (a) => {
      if (a) {
        index.upsertAgent(a);
        await presence.applyLoad(a);
      }
      return a;
    });
  }

  async function reserveFor(
    agent: Agent,
    conversationId: string,
    stream: Workstream,
    presences: readonly BasePresence[],
  ): Promise<AgentWithHolds | null> {
    const a = await ledger.reserve({
      agentId: agent.id,
      conversationId,
      units: stream.capacityCost,
      capacity: agent.capacity,
      presences,
      at: deps.now(),
    });
    if (a) index.upsertAgent(a);
    else await refreshAgent(agent.id);
    return a;
  }

  async function requireAgent(agentId: string): Promise<Agent> {
    const a = (await agentsCol.findOne({ id: agentId })) as Agent | null;
    if (!a) throw new NotFoundError('agent.not_found', `agent ${agentId} does not exist`);
    index.upsertAgent(a);
    return a;
  }

  // --- offers and their timers -----------------------------------------------------------------

  function armTimer(c: Pick<Conversation, 'id' | 'offerExpiresAt'>): void {
    disarmTimer(c.id);
    if (!c.offerExpiresAt || state.stopped) return;
    const ms = c.offerExpiresAt.getTime() - deps.now().getTime();
    timers.set(
      c.id,
      scheduler.setTimeout(() => {
        timers.delete(c.id);
        track(hooks.expire(c.id, 'timeout').catch((e: unknown) => report(e, c.id, 'offer expiry failed')));
      }, ms),
    );
  }

  function disarmTimer(id: string): void {
    const t = timers.get(id);
    if (t !== undefined) scheduler.clearTimeout(t);
    timers.delete(id);
  }

  function report(e: unknown, conversationId: string | undefined, msg: string): void {
    log({
      level: 'error',
      msg,
      ...(conversationId ? { conversationId } : {}),
      error: e instanceof Error ? e.message : String(e),
    });
  }

  return {
    options,
    repos,
    bus,
    deps,
    scheduler,
    log,
    sweepIntervalMs,
    holdLeaseMs,
    maxInFlight,
    resyncWaiting,
    agentsCol,
    conversationsCol,
    ledger,
    index,
    presence,
    timers,
    inFlight,
    state,
    hooks,
    loadConfiguration,
    loadAgents,
    reload,
    ensureLoaded,
    refreshAgent,
    load,
    queueOf,
    streamOf,
    publish,
    publishInBackground,
    track,
    /** Resolves once the background work started so far has finished. */
    backgroundIdle: async (): Promise<void> => {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
    /** Resolves once every event published so far is in the log. */
    outboxIdle: (): Promise<void> => outbox,
    statusChanged,
    mutate,
    historyOf,
    releaseHold,
    reserveFor,
    requireAgent,
    armTimer,
    disarmTimer,
    report,
  };
}

/** Documents read straight from the collection may carry the repository's internal fields. */
function strip(c: Conversation): Conversation {
  const copy = { ...c } as Conversation & { seenActivityIds?: unknown };
  delete copy.seenActivityIds;
  return copy;
}
