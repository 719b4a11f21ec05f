import type { Conversation, Workstream } from '../domain/index.js';

/**
 * Returning customers: the agent who served this customer last in the stream, if that chat ended
 * within the stream's `returnToLastAgentHours`. A chat counts as served once an agent accepted it,
 * and as ended when it went to wrap-up (or closed without one).
 */
export function lastAgentAmong(
  past: readonly Conversation[],
  c: Pick<Conversation, 'id' | 'workstreamId'>,
  stream: Pick<Workstream, 'returnToLastAgentHours'>,
  now: Date,
): string | undefined {
  const hours = stream.returnToLastAgentHours ?? 0;
  if (hours <= 0) return undefined;
  const since = now.getTime() - hours * 3_600_000;
  let best: { agentId: string; endedAt: number } | undefined;
  for (const p of past) {
    if (p.id === c.id || p.workstreamId !== c.workstreamId || !p.agentId || !p.timestamps.acceptedAt)
      continue;
    if (p.status !== 'wrap-up' && p.status !== 'closed') continue;
    const ended = p.timestamps.wrapUpAt ?? p.timestamps.closedAt;
    const endedAt = ended ? new Date(ended).getTime() : NaN;
    if (!(endedAt >= since) || (best && best.endedAt >= endedAt)) continue;
    best = { agentId: p.agentId, endedAt };
  }
  return best?.agentId;
}

/** The customer's recent chats are few: the newest this many are enough to find the last one served. */
const RECENT_CHATS = 20;

export async function lastAgentOf(
  conversations: { findByCustomer(customerId: string, page: { limit: number }): Promise<Conversation[]> },
  c: Conversation,
  stream: Workstream,
  now: Date,
): Promise<string | undefined> {
  if (!stream.returnToLastAgentHours) return undefined;
  return lastAgentAmong(
    await conversations.findByCustomer(c.customerId, { limit: RECENT_CHATS }),
    c,
    stream,
    now,
  );
}
