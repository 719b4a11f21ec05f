import type { Agent, Queue, Workstream } from '../domain/index.js';
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

/** What the members are handling, per agent (see `Conversations.handlingStates`). */
export type Handling = ReadonlyMap<string, ReadonlySet<'active' | 'wrap-up'>>;

/** The queue's line: how many wait for an agent (waiting or offered), and since when the longest has. */
export interface Backlog {
  count: number;
  oldestQueuedAt: Date | null;
}

/**
 * Pure: from the queue's members, what they handle, the queue's line and its work streams' smallest cost.
 * - available: a member opted in to the queue, presence Available, with room for one more item;
 * - on contact: a member with an active conversation (any queue: they are busy with a customer);
 * - after-contact work: a member with a conversation in wrap-up and none active;
 * - in queue: this queue's conversations waiting or offered; oldest: the longest of their waits.
 */
export function queueRealtime(
  queue: Pick<Queue, 'id' | 'name'>,
  members: readonly Agent[],
  handling: Handling,
  backlog: Backlog,
  minCost: number,
  now: Date,
): QueueRealtime {
  let available = 0;
  let onContact = 0;
  let acw = 0;
  for (const a of members) {
    const states = handling.get(a.id);
    if (states?.has('active')) onContact++;
    else if (states?.has('wrap-up')) acw++;
    const optedIn = !(a.optedOutQueueIds ?? []).includes(queue.id);
    if (optedIn && a.chosenPresence === 'available' && freeUnits(a) >= minCost) available++;
  }
  const oldest = Math.min(backlog.oldestQueuedAt?.getTime() ?? now.getTime(), now.getTime());
  return {
    queueId: queue.id,
    queueName: queue.name,
    agentsAvailable: available,
    agentsOnContact: onContact,
    agentsAfterContactWork: acw,
    contactsInQueue: backlog.count,
    oldestContactAgeSeconds: Math.max(0, Math.round((now.getTime() - oldest) / 1000)),
  };
}

/** The smallest capacity cost among the queue's work streams (one item of the cheapest kind). */
export function smallestCost(queue: Pick<Queue, 'workstreamIds'>, streams: readonly Workstream[]): number {
  const costs = streams.filter((s) => queue.workstreamIds.includes(s.id)).map((s) => s.capacityCost);
  return costs.length ? Math.min(...costs) : 1;
}
