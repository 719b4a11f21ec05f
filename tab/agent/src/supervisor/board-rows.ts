// What decides whether a row of the supervisor's board draws again. The board is read every 2 s
// while its queues are busy and every 5 s otherwise, and may hold a thousand rows: drawing them all
// each time froze the tab. A row draws again only when something it shows changed; its wait and
// handle time grow every second on every live row, so those two cells follow on their own.

import type { SupervisorConversation } from '../types.js';

/**
 * A row as the board reads it: the agent API's row with the fields added for long waits
 * (docs/agent-api.md, "Supervisor"), optional so a server without them still draws.
 */
export interface BoardConversation extends SupervisorConversation {
  /** Since the customer began the chat: a transfer or an assignment does not start it again. */
  conversationSeconds?: number;
  /** While an agent has it: since when the customer has waited for a person's reply. */
  awaitingReplySince?: string | null;
  /** Past the board's limit (3 minutes): in the queue, or for a reply. */
  longWait?: 'queue' | 'reply' | null;
}

export type ClockField = 'waitingSeconds' | 'handleSeconds' | 'conversationSeconds';

/** Shown by their own cells (they change on every read of every live row). */
const CLOCK_FIELDS = new Set<keyof BoardConversation>([
  'waitingSeconds',
  'handleSeconds',
  'conversationSeconds',
]);

/** The same row for drawing: every field but the clock-bound ones is equal. */
export function sameRow(a: BoardConversation, b: BoardConversation): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as Array<keyof BoardConversation>);
  for (const k of keys) {
    if (CLOCK_FIELDS.has(k)) continue;
    if (!sameValue(a[k], b[k])) return false;
  }
  return true;
}

/** Plain JSON values (the API's), compared by content. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * The agent holding the chat is not there to answer it: signed out (Offline) or stepped away
 * (Away, or a custom presence based on it), in Teams' words; undefined while they are there.
 */
export function agentAway(c: SupervisorConversation): string | undefined {
  if (!c.agentId || (c.agentPresence !== 'away' && c.agentPresence !== 'offline')) return undefined;
  return c.agentPresenceLabel ?? (c.agentPresence === 'offline' ? 'Offline' : 'Away');
}
