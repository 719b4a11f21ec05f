import type { Agent, BasePresence, Conversation, Queue, Workstream } from '../domain/index.js';
import { freeUnits } from '../domain/index.js';
import { chooseAgent } from './assignment.js';
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
  /** Units promised by decisions whose reservation write has not returned yet. */
  private readonly pending = new Map<string, number>();
  private readonly members = new Map<string, Set<string>>();
  /** Per queue, waiting items in arrival order (a Map iterates in insertion order: FIFO). */
  private readonly waiting = new Map<string, Map<string, Conversation>>();
  /** Agents with room for the cheapest work stream and a presence some work stream allows. */
  private readonly roomy = new Set<string>();
  private queueOrder: Queue[] = [];
  private minCost = 1;
  private workPresences = new Set<BasePresence>();

  setConfiguration(queues: Queue[], workstreams: Workstream[]): void {
    this.queues.clear();
    for (const q of queues) this.queues.set(q.id, q);
    this.workstreams.clear();
    for (const w of workstreams) this.workstreams.set(w.id, w);
    // Higher priority first (DESIGN.md §3); ties by id for a stable order.
    this.queueOrder = [...queues].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1));
    const costs = workstreams.map((w) => w.capacityCost).filter((c) => c > 0);
    this.minCost = costs.length ? Math.min(...costs) : 1;
    this.workPresences = new Set(workstreams.flatMap((w) => w.allowedPresences));
    for (const a of this.agents.values()) this.refreshRoom(a);
  }

  /** The smallest cost of any work stream: below that many free units an agent is full. */
  get fullAt(): number {
    return this.minCost;
  }

  get queuesByPriority(): readonly Queue[] {
    return this.queueOrder;
  }

  // --- agents ----------------------------------------------------------------------------------

  setAgents(agents: Agent[]): void {
    this.agents.clear();
    this.members.clear();
    this.roomy.clear();
    for (const a of agents) this.upsertAgent(a);
  }

  /** Replaces the cached agent with a document fresh from the store. */
  upsertAgent(agent: Agent): void {
    const old = this.agents.get(agent.id);
    if (old) for (const q of old.queueIds) this.members.get(q)?.delete(agent.id);
    this.agents.set(agent.id, agent);
    for (const q of agent.queueIds) {
      let set = this.members.get(q);
      if (!set) this.members.set(q, (set = new Set()));
      set.add(agent.id);
    }
    this.refreshRoom(agent);
  }

  /** The agent as decisions should see it: stored load plus units promised by in-flight decisions. */
  effective(agent: Agent): Agent {
    const p = this.pending.get(agent.id) ?? 0;
    return p === 0 ? agent : { ...agent, usedUnits: agent.usedUnits + p };
  }

  promise(agentId: string, units: number): void {
    this.pending.set(agentId, (this.pending.get(agentId) ?? 0) + units);
    const a = this.agents.get(agentId);
    if (a) this.refreshRoom(a);
  }

  settle(agentId: string, units: number): void {
    const left = (this.pending.get(agentId) ?? 0) - units;
    if (left <= 0) this.pending.delete(agentId);
    else this.pending.set(agentId, left);
    const a = this.agents.get(agentId);
    if (a) this.refreshRoom(a);
  }

  private refreshRoom(agent: Agent): void {
    const e = this.effective(agent);
    if (freeUnits(e) >= this.minCost && this.workPresences.has(e.chosenPresence)) this.roomy.add(agent.id);
    else this.roomy.delete(agent.id);
  }

  get anyRoom(): boolean {
    return this.roomy.size > 0;
  }

  /**
   * The agent the queue's method picks for the item among eligible agents, seen with in-flight
   * promises counted. Scans the smaller of "agents with room" and the queue's members.
   */
  choose(item: Conversation, queue: Queue, stream: Workstream): Agent | null {
    const members = this.members.get(queue.id);
    if (!members || members.size === 0 || this.roomy.size === 0) return null;
    const pool = this.roomy.size <= members.size ? this.roomy : members;
    const target = { queueId: queue.id, declinedBy: item.declinedBy };
    // No copies per agent: this loop runs over up to thousands of agents for every decision.
    const free = (a: Pick<Agent, 'id' | 'capacity' | 'usedUnits'>): number =>
      freeUnits(a) - (this.pending.get(a.id) ?? 0);
    const candidates: Agent[] = [];
    for (const id of pool) {
      const a = this.agents.get(id);
      if (a && isEligible(a, target, stream, free(a))) candidates.push(a);
    }
    return chooseAgent(candidates, item.requiredSkills, queue, free);
  }

  /** Capacity slots of the queue's staffed agents, for the wait estimate. */
  slots(queueId: string, stream: Workstream): { slots: number; free: number } {
    let slots = 0;
    let free = 0;
    const cost = Math.max(1, stream.capacityCost);
    for (const id of this.members.get(queueId) ?? []) {
      const a = this.agents.get(id);
      if (!a || !stream.allowedPresences.includes(a.chosenPresence)) continue;
      slots += Math.floor(a.capacity / cost);
      free += Math.floor(freeUnits(this.effective(a)) / cost);
    }
    return { slots, free };
  }

  // --- waiting items ---------------------------------------------------------------------------

  setWaiting(items: Conversation[]): void {
    this.waiting.clear();
    const sorted = [...items].sort((a, b) => queuedAt(a) - queuedAt(b) || (a.id < b.id ? -1 : 1));
    for (const c of sorted) this.addWaiting(c);
  }

  addWaiting(c: Conversation): void {
    if (c.status !== 'waiting' || !c.queueId) return;
    this.removeWaiting(c.id);
    let q = this.waiting.get(c.queueId);
    if (!q) this.waiting.set(c.queueId, (q = new Map()));
    let last: Conversation | undefined;
    for (const v of q.values()) last = v;
    if (!last || queuedAt(last) <= queuedAt(c)) {
      q.set(c.id, c);
      return;
    }
    // A declined or re-synced item keeps its place by queue time (rare: rebuild the order).
    const items = [...q.values(), c].sort((a, b) => queuedAt(a) - queuedAt(b) || (a.id < b.id ? -1 : 1));
    q.clear();
    for (const v of items) q.set(v.id, v);
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

function queuedAt(c: Conversation): number {
  return (c.timestamps.queuedAt ?? c.timestamps.createdAt).getTime();
}
