import type { Agent, Conversation, Queue, Workstream } from '../domain/index.js';
import { freeUnits } from '../domain/index.js';

// The supervisor's real-time view per queue, Amazon Connect's current-metrics set: agents
// available, on contact, in after-contact work; contacts in queue; oldest contact age.

export interface QueueRealtime {
  queueId: string;
  queueName: string;
  agentsAvailable: number;
  agentsOnContact: number;
  agentsAfterContactWork: number;
  contactsInQueue: number;
  oldestContactAgeSeconds: number;
}

/**
 * Pure: from the queue's members, its open conversations and its work streams' smallest cost.
 * - available: a member opted in to the queue, presence Available, with room for one more item;
 * - on contact: a member with an active conversation (any queue: they are busy with a customer);
 * - after-contact work: a member with a conversation in wrap-up and none active;
 * - in queue: this queue's conversations waiting or offered; oldest: the longest of their waits.
 */
export function queueRealtime(
  queue: Pick<Queue, 'id' | 'name'>,
  members: readonly Agent[],
  open: readonly Pick<Conversation, 'agentId' | 'status' | 'queueId' | 'timestamps'>[],
  minCost: number,
  now: Date,
): QueueRealtime {
  const active = new Set(open.filter((c) => c.status === 'active' && c.agentId).map((c) => c.agentId!));
  const wrapping = new Set(open.filter((c) => c.status === 'wrap-up' && c.agentId).map((c) => c.agentId!));
  let available = 0;
  let onContact = 0;
  let acw = 0;
  for (const a of members) {
    if (active.has(a.id)) onContact++;
    else if (wrapping.has(a.id)) acw++;
    const optedIn = !(a.optedOutQueueIds ?? []).includes(queue.id);
    if (optedIn && a.chosenPresence === 'available' && freeUnits(a) >= minCost) available++;
  }
  const queued = open.filter(
    (c) => c.queueId === queue.id && (c.status === 'waiting' || c.status === 'offered'),
  );
  const oldest = queued.reduce(
    (min, c) => Math.min(min, (c.timestamps.queuedAt ?? now).getTime()),
    now.getTime(),
  );
  return {
    queueId: queue.id,
    queueName: queue.name,
    agentsAvailable: available,
    agentsOnContact: onContact,
    agentsAfterContactWork: acw,
    contactsInQueue: queued.length,
    oldestContactAgeSeconds: Math.max(0, Math.round((now.getTime() - oldest) / 1000)),
  };
}

/** The smallest capacity cost among the queue's work streams (one item of the cheapest kind). */
export function smallestCost(queue: Pick<Queue, 'workstreamIds'>, streams: readonly Workstream[]): number {
  const costs = streams.filter((s) => queue.workstreamIds.includes(s.id)).map((s) => s.capacityCost);
  return costs.length ? Math.min(...costs) : 1;
}
