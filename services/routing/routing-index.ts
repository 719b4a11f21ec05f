import type { Agent, BasePresence, Conversation, Queue, Workstream } from '../domain/index.js';
import { freeUnits, ValidationError } from '../domain/index.js';
import { ASSIGNMENT_METHODS, chooseAgent } from './assignment.js';
import { AgentOrder } from './agent-order.js';
import { isEligible } from './eligibility.js';

/**
 * The router's in-memory picture of who can take work and what is waiting, so a decision scans
 * agents in memory instead of querying the store. It is a cache, never the truth: every decision it
 * suggests is confirmed by the conditional writes (capacity reservation, then the conversation
 * claim), and a write that misses refreshes the entry from the store. It is rebuilt from the store at
 * start and by the periodic sync, which also brings in what other instances changed.
 */
export class RoutingIndex {
  readonly queues = new Map<string, Queue>();
  readonly workstreams = new Map<string, Workstream>();
  readonly agents = new Map<string, Agent>();
  /**
   * The fields decisions read, copied into objects of one shape: documents from the store differ in
   * which optional fields they carry, and scanning thousands of differently shaped objects per
   * decision was several times slower than scanning these.
   */
  private readonly records = new Map<string, AgentRecord>();
  private readonly members = new Map<string, Map<string, AgentRecord>>();
  /** Per queue, waiting items in arrival order (a Map iterates in insertion order: FIFO). */
  private readonly waiting = new Map<string, Map<string, Conversation>>();
  /**
   * Per queue, the latest queue time appended (an upper bound on its last item's): a new arrival at
   * or after it goes to the end without walking the queue, which holds thousands under load.
   */
  private readonly latestQueued = new Map<string, number>();
  /** Agents with room for the cheapest work stream and a presence some work stream allows. */
  private readonly roomy = new Map<string, AgentRecord>();
  /** Per queue, its roomy members in the order of the queue's assignment method (agent-order.ts). */
  private orders = new Map<string, AgentOrder<AgentRecord>>();
  private queueOrder: Queue[] = [];
  private minCost = 1;
  private workPresences = new Set<BasePresence>();

  setConfiguration(queues: Queue[], workstreams: Workstream[]): void {
    this.queues.clear();
    for (const q of queues) this.queues.set(q.id, q);
    this.workstreams.clear();
    for (const w of workstreams) this.workstreams.set(w.id, w);
    // Higher priority first; ties by id for a stable order.
    this.queueOrder = [...queues].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1));
    const costs = workstreams.map((w) => w.capacityCost).filter((c) => c > 0);
    this.minCost = costs.length ? Math.min(...costs) : 1;
    this.workPresences = new Set(workstreams.flatMap((w) => w.allowedPresences));
    // A queue's method may have changed: every order is rebuilt.
    this.orders = new Map(
      queues.map((q) => [
        q.id,
        new AgentOrder<AgentRecord>(ASSIGNMENT_METHODS[q.assignmentMethod], freeUnits),
      ]),
    );
    for (const r of this.records.values()) this.refreshRoom(r);
  }

  /**
   * Below this many free units an agent in these queues is full: the smallest cost among the work
   * streams their queues serve (the smallest of all when none is known).
   */
  fullAtFor(queueIds: readonly string[]): number {
    let min = Infinity;
    for (const q of queueIds) {
      for (const w of this.queues.get(q)?.workstreamIds ?? []) {
        const cost = this.workstreams.get(w)?.capacityCost;
        if (cost !== undefined && cost > 0 && cost < min) min = cost;
      }
    }
    return Number.isFinite(min) ? min : this.minCost;
  }

  /** The configured queue, or a clear error naming it. */
  requireQueue(id: string | undefined): Queue {
    const q = id ? this.queues.get(id) : undefined;
    if (!q) throw new ValidationError('routing.unknown_queue', `queue ${id ?? '(none)'} is not configured`);
    return q;
  }

  requireStream(id: string): Workstream {
    const w = this.workstreams.get(id);
    if (!w) throw new ValidationError('routing.unknown_workstream', `work stream ${id} is not configured`);
    return w;
  }

  get queuesByPriority(): readonly Queue[] {
    return this.queueOrder;
  }

  // --- agents ----------------------------------------------------------------------------------

  setAgents(read: Agent[]): void {
    // A resync's read spans several turns: a reservation or release that landed meanwhile has told
    // the index a newer version of its agent than the read holds, and the newer one stays.
    const agents = read.map((a) => {
      const known = this.agents.get(a.id);
      return known && known.version > a.version ? known : a;
    });
    this.agents.clear();
    this.members.clear();
    this.roomy.clear();
    for (const [id, order] of this.orders) this.orders.set(id, order.emptied());
    // Promises in flight survive a resync: their writes have not landed in what was just read.
    for (const r of this.records.values()) r.usedUnits = r.pending;
    const present = new Set(agents.map((a) => a.id));
    for (const id of [...this.records.keys()]) if (!present.has(id)) this.records.delete(id);
    for (const a of agents) this.upsertAgent(a);
  }

  /** Replaces the cached agent with a document fresh from the store. */
  upsertAgent(agent: Agent): void {
    const old = this.agents.get(agent.id);
    if (old) {
      for (const q of old.queueIds) {
        this.members.get(q)?.delete(agent.id);
        this.orders.get(q)?.remove(agent.id);
      }
    }
    this.agents.set(agent.id, agent);
    // Routing sees only the queues the agent is opted in to: opted-out ones offer them nothing.
    const routable = agent.optedOutQueueIds?.length
      ? agent.queueIds.filter((q) => !agent.optedOutQueueIds!.includes(q))
      : agent.queueIds;
    let r = this.records.get(agent.id);
    if (!r) {
      r = {
        id: agent.id,
        capacity: 0,
        usedUnits: 0,
        pending: 0,
        chosenPresence: agent.chosenPresence,
        queueIds: routable,
        skills: agent.skills,
        lastAssignedAt: undefined,
        lastItemEndedAt: undefined,
      };
      this.records.set(agent.id, r);
    }
    // Updated in place: the same object sits in the member and room sets.
    r.capacity = agent.capacity;
    r.usedUnits = agent.usedUnits + r.pending;
    r.chosenPresence = agent.chosenPresence;
    r.queueIds = routable;
    r.skills = agent.skills;
    r.lastAssignedAt = agent.lastAssignedAt ?? undefined;
    r.lastItemEndedAt = agent.lastItemEndedAt ?? undefined;
    for (const q of routable) {
      let set = this.members.get(q);
      if (!set) this.members.set(q, (set = new Map()));
      set.set(agent.id, r);
    }
    this.refreshRoom(r);
  }

  /** Units promised by decisions whose reservation write has not returned yet count as used. */
  promise(agentId: string, units: number): void {
    const r = this.records.get(agentId);
    if (!r) return;
    r.pending += units;
    r.usedUnits += units;
    this.refreshRoom(r);
  }

  settle(agentId: string, units: number): void {
    const r = this.records.get(agentId);
    if (!r) return;
    const back = Math.min(units, r.pending);
    r.pending -= back;
    r.usedUnits -= back;
    this.refreshRoom(r);
  }

  /** Called after every change of a record: its room, and its place in its queues' orders. */
  private refreshRoom(r: AgentRecord): void {
    const roomy = freeUnits(r) >= this.minCost && this.workPresences.has(r.chosenPresence);
    if (roomy) this.roomy.set(r.id, r);
    else this.roomy.delete(r.id);
    for (const q of r.queueIds) {
      const order = this.orders.get(q);
      if (!order) continue;
      if (roomy && this.members.get(q)?.get(r.id) === r) order.upsert(r);
      else order.remove(r.id);
    }
  }

  get anyRoom(): boolean {
    return this.roomy.size > 0;
  }

  /**
   * The agent the queue's method picks for the item among eligible agents, seen with in-flight
   * promises counted. Scans the smaller of "agents with room" and the queue's members.
   *
   * `leaveOut`: who is not offered it. First everyone who declined it and the agent who handed it on
   * (`declined-and-handed-on`); then, when nobody else can take it, that agent again (`declined`);
   * after the cool-down, a fresh round (`nobody`).
   */
  choose(
    item: Conversation,
    queue: Queue,
    stream: Workstream,
    leaveOut: 'declined-and-handed-on' | 'declined' | 'nobody' = 'declined-and-handed-on',
  ): Agent | null {
    const members = this.members.get(queue.id);
    if (!members || members.size === 0 || this.roomy.size === 0) return null;
    const handedOn = leaveOut === 'declined-and-handed-on' ? item.handOver?.fromAgentId : undefined;
    const declinedBy =
      leaveOut === 'nobody' ? [] : handedOn ? [...item.declinedBy, handedOn] : item.declinedBy;
    const target = { queueId: queue.id, declinedBy };
    const eligible = (a: AgentRecord) => isEligible(a, target, stream);
    // A returning customer goes to the agent who served them last when that agent is free for it:
    // before the method's order and skills, as a colleague already knows the story.
    const last = item.lastAgentId ? members.get(item.lastAgentId) : undefined;
    if (last && this.roomy.has(last.id) && eligible(last)) return this.agents.get(last.id) ?? null;
    // Without skills to weigh, the method's order decides: the first eligible agent in it. An agent
    // outside the order (no room for the cheapest stream, or a presence no stream allows) cannot be
    // eligible for a stream that costs at least that much.
    const order = this.orders.get(queue.id);
    if (order && item.requiredSkills.length === 0 && stream.capacityCost >= this.minCost) {
      const chosen = order.first(eligible);
      return chosen ? (this.agents.get(chosen.id) ?? null) : null;
    }
    const pool = this.roomy.size <= members.size ? this.roomy : members;
    const chosen = chooseAgent(pool.values(), item.requiredSkills, queue, freeUnits, eligible);
    return chosen ? (this.agents.get(chosen.id) ?? null) : null;
  }

  /** Capacity slots of the queue's staffed agents, for the wait estimate. */
  slots(queueId: string, stream: Workstream): { slots: number; free: number } {
    let slots = 0;
    let free = 0;
    const cost = Math.max(1, stream.capacityCost);
    for (const r of this.members.get(queueId)?.values() ?? []) {
      if (!stream.allowedPresences.includes(r.chosenPresence)) continue;
      slots += Math.floor(r.capacity / cost);
      free += Math.floor(freeUnits(r) / cost);
    }
    return { slots, free };
  }

  // --- waiting items ---------------------------------------------------------------------------

  setWaiting(items: Conversation[]): void {
    this.waiting.clear();
    this.latestQueued.clear();
    const sorted = [...items].sort((a, b) => queuedAt(a) - queuedAt(b) || (a.id < b.id ? -1 : 1));
    for (const c of sorted) this.addWaiting(c);
  }

  addWaiting(c: Conversation): void {
    if (c.status !== 'waiting' || !c.queueId) return;
    this.removeWaiting(c.id);
    let q = this.waiting.get(c.queueId);
    if (!q) this.waiting.set(c.queueId, (q = new Map()));
    const at = queuedAt(c);
    const latest = this.latestQueued.get(c.queueId);
    if (q.size === 0 || latest === undefined || latest <= at) {
      q.set(c.id, c);
      this.latestQueued.set(c.queueId, q.size === 1 || latest === undefined ? at : Math.max(latest, at));
      return;
    }
    // A declined or re-synced item keeps its place by queue time (rare: rebuild the order).
    const items = [...q.values(), c].sort((a, b) => queuedAt(a) - queuedAt(b) || (a.id < b.id ? -1 : 1));
    q.clear();
    for (const v of items) q.set(v.id, v);
    this.latestQueued.set(c.queueId, queuedAt(items[items.length - 1]!));
  }

  removeWaiting(id: string): void {
    for (const q of this.waiting.values()) if (q.delete(id)) return;
  }

  waitingIn(queueId: string): Map<string, Conversation> {
    return this.waiting.get(queueId) ?? new Map();
  }

  waitingCount(queueId: string): number {
    return this.waiting.get(queueId)?.size ?? 0;
  }

  /** 1-based position of a waiting item in its queue, or null. */
  position(c: Pick<Conversation, 'id' | 'queueId'>): number | null {
    if (!c.queueId) return null;
    let i = 0;
    for (const id of this.waitingIn(c.queueId).keys()) {
      i += 1;
      if (id === c.id) return i;
    }
    return null;
  }
}

/** `usedUnits` here = stored units + `pending`, the units promised by decisions still in flight. */
type AgentRecord = Pick<
  Agent,
  | 'id'
  | 'capacity'
  | 'usedUnits'
  | 'chosenPresence'
  | 'queueIds'
  | 'skills'
  | 'lastAssignedAt'
  | 'lastItemEndedAt'
> & { pending: number };

function queuedAt(c: Conversation): number {
  return (c.timestamps.queuedAt ?? c.timestamps.createdAt).getTime();
}
