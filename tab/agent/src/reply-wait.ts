import type { Message } from './types.js';

/**
 * How long a customer has waited for an answer, as the session list shows it beside each chat: an
 * agent with several chats sees which customer has waited longest. Past `warnSeconds` it turns
 * amber, past `urgentSeconds` red (response-time targets for chat are commonly a minute or two).
 */
export const REPLY_WAIT = { warnSeconds: 60, urgentSeconds: 120 } as const;

/** Who answers a customer: an agent, a supervisor, or the assistant before them. */
const ANSWERS = new Set<Message['from']>(['agent', 'supervisor', 'bot']);

/**
 * When the customer began waiting: their first public message after the last public answer, or
 * null when nothing they said is unanswered. Internal notes answer nobody.
 */
export function awaitingReplySince(
  messages: readonly Pick<Message, 'from' | 'visibility' | 'at'>[],
): string | null {
  let since: string | null = null;
  for (const m of messages) {
    if (m.visibility !== 'public') continue;
    if (m.from === 'customer') since ??= m.at;
    else if (ANSWERS.has(m.from)) since = null;
  }
  return since;
}

export function replyWaitLevel(seconds: number): 'waiting' | 'warning' | 'urgent' {
  if (seconds >= REPLY_WAIT.urgentSeconds) return 'urgent';
  if (seconds >= REPLY_WAIT.warnSeconds) return 'warning';
  return 'waiting';
}
