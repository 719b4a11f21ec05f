import type {
  Agent,
  Author,
  BasePresence,
  Conversation,
  ConversationCommand,
  CustomPresence,
  Deps,
  DomainEvent,
  Queue,
  Session,
  StoredEvent,
  Workstream,
} from '../domain/index.js';
import { ConflictError, DomainError, NotFoundError, ValidationError, transition } from '../domain/index.js';
import type { Presence } from '../presence/index.js';
import { createPresence } from '../presence/index.js';
import { COLLECTIONS, type Repositories } from '../store/index.js';
import { CapacityLedger, type AgentWithHolds } from './capacity-ledger.js';
import { SessionLog } from './session-log.js';
import { writeStep } from './conversation-writes.js';
import { classify } from './classification.js';
import { isOpen } from './operating-hours.js';
import { overflowFor, ruleName } from './overflow.js';
import { RoutingIndex } from './routing-index.js';
import { systemScheduler, type Scheduler, type TimerHandle } from './scheduler.js';
import { estimateWaitSeconds, HandleTimeHistory } from './wait-estimate.js';

export interface QueueStatus {
  /** 1 = next to be served. */
  position: number;
  estimatedWaitSeconds: number;
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  msg: string;
  conversationId?: string;
  agentId?: string;
  [key: string]: unknown;
}

export interface RouterOptions {
  repos: Pick<Repositories, 'store' | 'conversations' | 'queues' | 'workstreams' | 'agents'>;
  bus: {
    publish(event: DomainEvent): Promise<StoredEvent>;
    subscribe?(listener: (event: StoredEvent) => void): () => void;
  };
  deps: Deps;
  scheduler?: Scheduler;
  log?: (entry: LogEntry) => void;
  presence?: Presence;
  customPresences?: CustomPresence[];
  /** How often the sweep runs (expired offers, leaked holds, index resync); 0 = only when called. */
  sweepIntervalMs?: number;
  /**
   * Whether each sweep re-reads the waiting items too (agents and configuration are always re-read).
   * Needed when other instances share the store, which only MongoDB allows: default true there,
   * false on the embedded store, where this process makes every routing change itself.
   */
  resyncWaiting?: boolean;
  /** A capacity hold older than this whose item is not with the agent is released by the sweep. */
  holdLeaseMs?: number;
  /** Decisions whose writes may be in flight at once; default 1 on the embedded store, 8 on MongoDB. */
  maxInFlight?: number;
  /** Measures each routing decision (choose + reserve + claim), in milliseconds. */
  onDecision?: (ms: number) => void;
  /** Sends the customer a system message (overflow "end" rules); wired to the conversation service. */
  notifyCustomer?: (conversationId: string, text: string) => Promise<void>;
}

export type TransferTarget =
  { toAgentId: string; toQueueId?: undefined } | { toQueueId: string; toAgentId?: undefined };

export interface SweepReport {
  expiredOffers: number;
  releasedHolds: number;
  waiting: number;
}

export interface Router {
  /** Classifies a conversation in `bot` status, applies overflow, queues it and routes it. Idempotent for `waiting`. */
  enqueue(conversationId: string, reason?: string): Promise<void>;
  queueStatus(conversationId: string): Promise<QueueStatus | null>;
  accept(conversationId: string, agentId: string): Promise<Conversation>;
  reject(conversationId: string, agentId: string): Promise<Conversation>;
  /** An agent takes an Open (waiting) item themselves; races with offers are settled by the version. */
  pick(conversationId: string, agentId: string): Promise<Conversation>;
  transfer(conversationId: string, target: TransferTarget, byAgentId: string): Promise<Conversation>;
  end(conversationId: string, by: Author): Promise<Conversation>;
  endByCustomer(conversationId: string): Promise<void>;
  close(conversationId: string, by: Author, disposition?: string): Promise<Conversation>;
  abandon(conversationId: string): Promise<void>;
  reopen(conversationId: string, agentId: string): Promise<Conversation>;
  /** Routes whatever waiting items can be placed now. */
  dispatch(): Promise<void>;
  sweep(): Promise<SweepReport>;
  /** Reloads queues, work streams, agents and waiting items from the store (after configuration changes). */
  reload(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly presence: Presence;
}

const HELD: ReadonlySet<string> = new Set(['offered', 'active', 'wrap-up']);
/** A stale version (the conversation service bumped it for a message, say) is retried this often. */
const WRITE_RETRIES = 5;
/** Overflow "transfer" chains stop here so two queues overflowing into each other cannot loop. */
const MAX_OVERFLOW_HOPS = 5;
/** Lost races after which an item waits for the next dispatch or sweep instead of another pass now. */
const MAX_ATTEMPTS = 3;
/** Presences in which an agent may still pick work deliberately. */
const PICK_PRESENCES: readonly BasePresence[] = ['available', 'busy', 'busy-dnd', 'away'];

export function createRouter(options: RouterOptions): Router {
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
      fullAt: () => index.fullAt,
      ...(options.customPresences ? { customPresences: options.customPresences } : {}),
    });
  const timers = new Map<string, TimerHandle>();
  const history = new Map<string, HandleTimeHistory>();
  /** Conversations with a decision in flight: a resync must not hand them out again. */
  const inFlight = new Set<string>();
  let sweepTimer: TimerHandle | null = null;
  let unsubscribe: (() => void) | null = null;
  let running: Promise<void> | null = null;
  let rerun = false;
  /** Lost races per item during the current dispatch (see `requeue`). */
  const attempts = new Map<string, number>();
  let stopped = false;
  let loaded: Promise<void> | null = null;

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
    loaded ??= reload();
    return loaded;
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
    if (!c.offerExpiresAt || stopped) return;
    const ms = c.offerExpiresAt.getTime() - deps.now().getTime();
    timers.set(
      c.id,
      scheduler.setTimeout(() => {
        timers.delete(c.id);
        void expire(c.id, 'timeout').catch((e: unknown) => report(e, c.id, 'offer expiry failed'));
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
    void dispatch();
    return true;
  }

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
    if (stopped) return Promise.resolve();
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
        } while (rerun && !stopped);
        await outbox;
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

  // --- enqueue and overflow --------------------------------------------------------------------

  function expectedWait(queueId: string, stream: Workstream, position: number): number | null {
    const { slots, free } = index.slots(queueId, stream);
    return estimateWaitSeconds({
      position,
      averageHandleSeconds: historyOf(queueId).averageSeconds,
      slots,
      freeSlots: free,
    });
  }

  async function enqueue(conversationId: string, reason = 'escalated'): Promise<void> {
    await ensureLoaded();
    const c = await load(conversationId);
    if (c.status === 'waiting') {
      index.addWaiting(c);
      await dispatch();
      return;
    }
    // Already with an agent (a retried hand-over, or routed by another instance): nothing to do.
    if (HELD.has(c.status)) return;
    const stream = streamOf(c.workstreamId);
    const target = classify(c, stream);
    let queue = queueOf(target.queueId);
    const now = deps.now();
    const overflowed: DomainEvent[] = [];
    let end: string | null = null;
    for (let hop = 0; hop < MAX_OVERFLOW_HOPS; hop++) {
      const waiting = index.waitingCount(queue.id);
      const rule = overflowFor(queue, {
        open: isOpen(queue.operatingHours, now),
        waiting,
        // Unknown (nobody staffed) counts as infinitely long for a wait rule.
        expectedWaitSeconds: expectedWait(queue.id, stream, waiting + 1) ?? Infinity,
      });
      if (!rule) break;
      if (rule.action.type === 'end') {
        overflowed.push({
          type: 'conversation.overflowed',
          conversationId: c.id,
          fromQueueId: queue.id,
          rule: ruleName(rule),
        });
        end = rule.action.message;
        break;
      }
      const to = queueOf(rule.action.queueId);
      overflowed.push({
        type: 'conversation.overflowed',
        conversationId: c.id,
        fromQueueId: queue.id,
        toQueueId: to.id,
        rule: ruleName(rule),
      });
      queue = to;
    }
    const { before, after } = await mutate(
      conversationId,
      () => ({ type: 'escalate', queueId: queue.id, skills: target.skills }),
      c,
    );
    await publish([
      { type: 'conversation.escalated', conversationId, queueId: queue.id, reason },
      statusChanged(before, after, reason),
      { type: 'conversation.queued', conversationId, queueId: queue.id, skills: after.requiredSkills },
      ...overflowed,
    ]);
    if (end !== null) {
      // The conversation did reach a queue (it counts as incoming) and leaves it unanswered.
      const gone = await mutate(conversationId, () => ({ type: 'abandon' }), after);
      await publish([
        statusChanged(gone.before, gone.after, 'overflow'),
        { type: 'conversation.abandoned', conversationId, queueId: queue.id },
      ]);
      await options.notifyCustomer?.(conversationId, end);
      return;
    }
    index.addWaiting(after);
    await dispatch();
  }

  async function queueStatus(conversationId: string): Promise<QueueStatus | null> {
    await ensureLoaded();
    const c = await repos.conversations.get(conversationId);
    if (!c || !c.queueId) return null;
    if (c.status === 'offered') return { position: 1, estimatedWaitSeconds: 0 };
    if (c.status !== 'waiting') return null;
    let position = index.position(c);
    if (position === null) {
      // Queued by another instance since our last sync.
      index.addWaiting(c);
      position = index.position(c) ?? 1;
    }
    const stream = index.workstreams.get(c.workstreamId);
    const wait = stream ? expectedWait(c.queueId, stream, position) : null;
    return {
      position,
      estimatedWaitSeconds: wait ?? Math.round(position * historyOf(c.queueId).averageSeconds),
    };
  }

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
    await dispatch();
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
    if (c.agentId !== byAgentId) {
      throw new DomainError(
        'conversation.not_yours',
        `Conversation ${conversationId} is not with ${byAgentId}`,
        'forbidden',
      );
    }
    const stream = streamOf(c.workstreamId);
    const fromAgentId = c.agentId;
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
      await dispatch();
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
    void dispatch();
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
    if (heldBy) void dispatch();
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
    await dispatch();
    let waiting = 0;
    for (const q of index.queues.keys()) waiting += index.waitingCount(q);
    return { expiredOffers, releasedHolds, waiting };
  }

  function scheduleSweep(): void {
    if (stopped || sweepIntervalMs <= 0) return;
    sweepTimer = scheduler.setTimeout(() => {
      void sweep()
        .catch((e: unknown) => report(e, undefined, 'sweep failed'))
        .finally(scheduleSweep);
    }, sweepIntervalMs);
  }

  function onEvent(event: StoredEvent): void {
    if (event.type !== 'presence.changed' || event.automatic) return;
    const work = async (): Promise<void> => {
      await refreshAgent(event.agentId);
      if (event.presence === 'offline') {
        for (const c of await repos.conversations.findByAgent(event.agentId, 'offered'))
          await expire(c.id, 'agent_offline');
      }
      await dispatch();
    };
    void work().catch((e: unknown) => report(e, undefined, 'presence reaction failed'));
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
    enqueue,
    queueStatus,
    accept,
    reject,
    pick,
    transfer,
    end,
    endByCustomer: async (id) => {
      await end(id, 'customer');
    },
    close,
    abandon,
    reopen,
    dispatch,
    sweep,
    reload: async () => {
      loaded = reload();
      await loaded;
    },
    async start() {
      stopped = false;
      loaded = reload();
      await loaded;
      await loadHistory();
      // Offers made before a restart keep their stored expiry; timers are re-armed from it.
      for (const c of await repos.conversations.findByStatus('offered', { limit: 1000 })) armTimer(c);
      unsubscribe = bus.subscribe?.(onEvent) ?? null;
      await sweep();
      scheduleSweep();
    },
    async stop() {
      stopped = true;
      if (sweepTimer !== null) scheduler.clearTimeout(sweepTimer);
      sweepTimer = null;
      for (const id of [...timers.keys()]) disarmTimer(id);
      unsubscribe?.();
      unsubscribe = null;
      await running;
      await outbox;
    },
    presence,
  };
}

/** Documents read straight from the collection may carry the repository's internal fields. */
function strip(c: Conversation): Conversation {
  const copy = { ...c } as Conversation & { seenActivityIds?: unknown };
  delete copy.seenActivityIds;
  return copy;
}
