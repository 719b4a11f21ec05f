import type { Agent, BasePresence, Queue, Workstream } from '../domain/index.js';
import { freeUnits } from '../domain/index.js';
import { isOpen } from '../routing/index.js';

// The supervisor's real-time view per queue, Amazon Connect's current-metrics set: agents
// available, on contact, in after-contact work; contacts in queue; oldest contact age.

export interface QueueRealtime {
  queueId: string;
  queueName: string;
  /** Within its operating hours now (as `GET /queues` says): routing offers a closed queue's chats to nobody. */
  open: boolean;
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

/** What routing asks of a member before offering them this queue's work (see `offerRule`). */
export interface OfferRule {
  /** The cheapest item's capacity cost: below it nothing more fits. */
  cost: number;
  /** The presences any of the queue's work streams offers work in. */
  presences: readonly BasePresence[];
}

/**
 * Pure: from the queue's members, what they handle, the queue's line and routing's rule for it.
 * An agent may be counted in more than one of the first three (one with a chat and room for
 * another is both "with room" and "in a live chat"); the tab's definitions say so.
 * - with room for a chat (`agentsAvailable`): a member routing would offer this queue's next chat
 *   to now: opted in to the queue, a chosen presence its work streams offer work in (Busy too, where
 *   a work stream allows it), room for the cheapest item; none while the queue is closed (outside
 *   its operating hours routing offers its chats to nobody, so a count would promise what is not);
 * - in a live chat (`agentsOnContact`): a member with an active conversation (any queue);
 * - wrapping up (`agentsAfterContactWork`): a member with a conversation in wrap-up (any queue),
 *   whether or not they have other chats live;
 * - in queue: this queue's conversations waiting or offered; oldest: the longest of their waits.
 */
export function queueRealtime(
  queue: Pick<Queue, 'id' | 'name' | 'operatingHours'>,
  members: readonly Agent[],
  handling: Handling,
  backlog: Backlog,
  rule: OfferRule,
  now: Date,
): QueueRealtime {
  const open = isOpen(queue.operatingHours, now);
  let available = 0;
  let onContact = 0;
  let acw = 0;
  for (const a of members) {
    const states = handling.get(a.id);
    if (states?.has('active')) onContact++;
    if (states?.has('wrap-up')) acw++;
    const optedIn = !(a.optedOutQueueIds ?? []).includes(queue.id);
    if (open && optedIn && rule.presences.includes(a.chosenPresence) && freeUnits(a) >= rule.cost)
      available++;
  }
  const oldest = Math.min(backlog.oldestQueuedAt?.getTime() ?? now.getTime(), now.getTime());
  return {
    queueId: queue.id,
    queueName: queue.name,
    open,
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

/** Routing's rule for offering the queue's work: its work streams' cheapest cost and presences. */
export function offerRule(queue: Pick<Queue, 'workstreamIds'>, streams: readonly Workstream[]): OfferRule {
  const mine = streams.filter((s) => queue.workstreamIds.includes(s.id));
  return {
    cost: smallestCost(queue, streams),
    presences: mine.length ? [...new Set(mine.flatMap((s) => s.allowedPresences))] : ['available'],
  };
}
