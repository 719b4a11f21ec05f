import type { Message } from '../domain/index.js';

// What the supervisor's board flags as a customer waiting too long. Work streams set no service
// level of their own, so one default for every queue: past it a row is highlighted and counted on
// the Supervisor entry. The agent's own tab turns a reply wait red after two minutes; a minute more
// and nobody has answered, a supervisor should look.
export const LONG_WAIT = { queueSeconds: 180, replySeconds: 180 } as const;

/** Who answers a customer: a person, never the assistant that hands them over to one. */
const PEOPLE = new Set<Message['author']>(['agent', 'supervisor']);

/**
 * When the customer began waiting for a person: their first public message after the last public
 * answer from one, or null when a person has answered everything they said. The bot's replies do
 * not end the wait ("I'm connecting you with an agent" leaves the customer waiting) but settle what
 * was said before them; internal notes answer nobody. The same rule as the agent's tab
 * (`tab/agent/src/reply-wait.ts`), so the board and the agent's session list agree.
 */
export function awaitingReplySince(
  messages: readonly Pick<Message, 'author' | 'visibility' | 'createdAt'>[],
): Date | null {
  let since: Date | null = null;
  /** The customer's turn the bot replied to last, still waiting for a person. */
  let toBot: Date | null = null;
  for (const m of messages) {
    if (m.visibility !== 'public') continue;
    if (m.author === 'customer') since ??= m.createdAt;
    else if (PEOPLE.has(m.author)) since = toBot = null;
    else if (m.author === 'bot' && since) [toBot, since] = [since, null];
  }
  return toBot ?? since;
}

/** Which wait of a row is past the default: in the queue, or for an agent's reply; null if none. */
export function longWait(
  row: { waitingNow: boolean; waitingSeconds: number; replyWaitSeconds: number | null },
  limits: { queueSeconds: number; replySeconds: number } = LONG_WAIT,
): 'queue' | 'reply' | null {
  if (row.waitingNow) return row.waitingSeconds >= limits.queueSeconds ? 'queue' : null;
  return row.replyWaitSeconds !== null && row.replyWaitSeconds >= limits.replySeconds ? 'reply' : null;
}
