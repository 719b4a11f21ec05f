import type { Message } from './types.js';

/**
 * How long a customer has waited for an answer, as the session list shows it beside each chat: an
 * agent with several chats sees which customer has waited longest. Past `warnSeconds` it turns
 * amber, past `urgentSeconds` red (response-time targets for chat are commonly a minute or two).
 */
export const REPLY_WAIT = { warnSeconds: 60, urgentSeconds: 120 } as const;

/** Who answers a customer: a person, never the assistant that hands them over to one. */
const PEOPLE = new Set<Message['from']>(['agent', 'supervisor']);

/**
 * When the customer began waiting for a person: their first public message after the last public
 * answer from one, or null when a person has answered everything they said. The bot's replies do not
 * end the wait ("I'm connecting you with an agent" leaves the customer waiting), but they settle what
 * was said before them: the wait counts from the customer's last turn before the bot's last reply,
 * not from the start of their chat with the bot. Internal notes answer nobody.
 */
export function awaitingReplySince(
  messages: readonly Pick<Message, 'from' | 'visibility' | 'at'>[],
): string | null {
  let since: string | null = null;
  /** The customer's turn the bot replied to last, still waiting for a person. */
  let toBot: string | null = null;
  for (const m of messages) {
    if (m.visibility !== 'public') continue;
    if (m.from === 'customer') since ??= m.at;
    else if (PEOPLE.has(m.from)) since = toBot = null;
    else if (m.from === 'bot' && since) [toBot, since] = [since, null];
  }
  return toBot ?? since;
}

export function replyWaitLevel(seconds: number): 'waiting' | 'warning' | 'urgent' {
  if (seconds >= REPLY_WAIT.urgentSeconds) return 'urgent';
  if (seconds >= REPLY_WAIT.warnSeconds) return 'warning';
  return 'waiting';
}
