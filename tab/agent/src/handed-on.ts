import type { ConversationDetails } from './types.js';

// A chat taken from its agent elsewhere (a supervisor's Assign, or the agent's own transfer from
// another tab or device): the agent's session learns it from a fresh read of the conversation, and
// says it as the session says a transfer made from it.

/**
 * Whether this read says the chat is no longer this agent's to answer: someone else's, or waiting in
 * a queue, with no part of theirs left in it (a consultant or monitor who stays on it is still on it).
 */
export function wasHandedOn(d: ConversationDetails, meId: string): boolean {
  if (d.agentId === meId && d.status !== 'waiting' && d.status !== 'bot') return false;
  return !d.participants?.some((p) => p.agentId === meId && !p.leftAt);
}

/** Where it went, as far as the read says (the agent it is offered to joins, with a name, on accepting). */
export function handedOnWords(d: ConversationDetails | null): string {
  if (!d) return 'Transferred to someone else';
  if (d.agentId) {
    const name = d.participants?.find(
      (p) => p.agentId === d.agentId && p.mode === 'primary' && !p.leftAt,
    )?.name;
    return name ? `Transferred to ${name}` : 'Transferred to another agent';
  }
  return d.queueName ? `Transferred to the ${d.queueName} queue` : 'Transferred to a queue';
}
