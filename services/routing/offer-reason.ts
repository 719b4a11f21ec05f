import type { Agent, Conversation, OfferReason, Queue, Workstream } from '../domain/index.js';
import { freeUnits } from '../domain/index.js';

// Why routing offered an item to an agent, computed where the router chooses (dispatcher, transfer)
// and stored on the `conversation.offered` event, so the agent sees it with the offer and Insights
// can audit it later.

/** An offer is the conversation's current offering: its id and the moment it was made. */
export function offerIdOf(c: Pick<Conversation, 'id' | 'timestamps'>): string {
  return `${c.id}.${c.timestamps.offeredAt?.getTime() ?? 0}`;
}

/** The conversation id an offer id names (the part before the last dot). */
export function conversationOfOffer(offerId: string): { conversationId: string; offeredAtMs: number } | null {
  const dot = offerId.lastIndexOf('.');
  if (dot <= 0) return null;
  const ms = Number(offerId.slice(dot + 1));
  if (!Number.isSafeInteger(ms)) return null;
  return { conversationId: offerId.slice(0, dot), offeredAtMs: ms };
}

export function offerReason(
  agent: Pick<
    Agent,
    'id' | 'chosenPresence' | 'capacity' | 'usedUnits' | 'skills' | 'lastAssignedAt' | 'lastItemEndedAt'
  >,
  item: Pick<Conversation, 'requiredSkills' | 'lastAgentId' | 'handOver'>,
  queue: Pick<Queue, 'name' | 'assignmentMethod' | 'skillMatching'>,
  stream: Pick<Workstream, 'capacityCost'>,
  now: Date,
  /** Routing chose the agent, or someone (named) handed the conversation to them. */
  how: 'routed' | { transferredBy: string } = 'routed',
): OfferReason {
  const required = [...item.requiredSkills];
  const matched = required.filter((name) => agent.skills.some((s) => s.name === name));
  const match = required.length === 0 ? 'none' : matched.length === required.length ? 'exact' : 'closest';
  // Dates may arrive as stored (string or Date) depending on the adapter; an unreadable one is "never".
  const since = agent.lastItemEndedAt ?? agent.lastAssignedAt;
  const sinceMs = since ? new Date(since).getTime() : NaN;
  const idleSeconds = Number.isFinite(sinceMs)
    ? Math.max(0, Math.round((now.getTime() - sinceMs) / 1000))
    : null;
  const rawFree = freeUnits(agent);
  const free = Number.isFinite(rawFree) ? rawFree : 0;
  const method = queue.assignmentMethod;
  const methodWords: Record<typeof method, string> = {
    'highest-capacity': 'the most free capacity',
    'round-robin': 'the longest since their last assignment (round robin)',
    'least-active': 'the longest since their last item ended',
  };
  const skillWords =
    match === 'none'
      ? 'no skills were required'
      : match === 'exact'
        ? `you have every required skill (${required.join(', ')})`
        : `you are the closest skill match (${matched.length} of ${required.length}: ${matched.join(', ') || 'none'})`;
  const returning = how === 'routed' && item.lastAgentId === agent.id;
  // Routing offers a chat to the agent who handed it on only when nobody else could take it.
  const handedBack = how === 'routed' && item.handOver?.fromAgentId === agent.id;
  const summary =
    how !== 'routed'
      ? `Transferred to you by ${how.transferredBy} in ${queue.name}; ${skillWords}.`
      : handedBack
        ? `Back to you: you handed this chat on, and nobody else in ${queue.name} can take it now ` +
          `(you have ${free} of ${agent.capacity} units free).`
        : returning
          ? `A returning customer: you served them last, and ${queue.name} offers them to you first ` +
            `(you have ${free} of ${agent.capacity} units free).`
          : `${queue.name} offers to the agent with ${methodWords[method]}: you are ${agent.chosenPresence} ` +
            `with ${free} of ${agent.capacity} units free, ${skillWords}` +
            (idleSeconds === null ? '.' : `, idle for ${idleSeconds} s.`);
  return {
    method,
    presence: agent.chosenPresence,
    freeUnits: free,
    cost: stream.capacityCost,
    skills: { required, matched, match },
    idleSeconds,
    ...(returning ? { returning: true as const } : {}),
    summary,
  };
}
