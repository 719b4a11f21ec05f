import type { StreamEvent } from './types.js';

// Which live events change what the dashboard shows. Every agent's stream hears every move in
// their queues; at a peak that is many a second, and most concern other people's work.

/** The customer browsed during a chat: news for its session's customer summary, no list or load moves. */
const browsing = (e: StreamEvent) => e.type === 'conversation.updated' && e.portalNavigation !== undefined;

/**
 * The stream resumed from further back than the server replays (a long sleep, a long way offline):
 * what happened before its window is not coming, so whatever the tab shows is read again.
 */
export const isResync = (e: StreamEvent) => e.type === 'stream.resync';

/** The event may change one of the dashboard's lists (mine, open, closed). */
export function movesMyLists(e: StreamEvent, mine: ReadonlySet<string>): boolean {
  if (isResync(e)) return true;
  if (!e.type.startsWith('conversation.') && !e.type.startsWith('offer.')) return false;
  if (browsing(e)) return false;
  // A message in a conversation already in my list changes none of the lists.
  return e.type !== 'conversation.message' || !mine.has(e.conversationId ?? '');
}

/**
 * The event may change my own load or offers (what `GET /me` answers): my offers, my assignments,
 * my conversations ending, moving or being transferred away — not a colleague's queue moves.
 */
export function changesMyLoad(e: StreamEvent, meId: string, mine: ReadonlySet<string>): boolean {
  if (isResync(e)) return true;
  if (e.type.startsWith('offer.') || e.type === 'conversation.assigned' || e.type === 'conversation.ended')
    return true;
  if (e.type !== 'conversation.updated' || browsing(e)) return false;
  return e.agentId === meId || e.transferred === true || mine.has(e.conversationId ?? '');
}
