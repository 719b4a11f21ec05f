import type { StreamEvent } from './types.js';

// Which live events change what the dashboard shows. Every agent's stream hears every move in their
// queues; at a peak that is many a second, and most concern other people's work.

/** The dashboard's three lists: my work items, open ones in my queues, mine closed in the last 24 h. */
export type ListView = 'mine' | 'open' | 'closed';
export const LIST_VIEWS: readonly ListView[] = ['mine', 'open', 'closed'];

/** The conversations each list holds as last read: what an event about one of them may move. */
export type Listed = Record<ListView, ReadonlySet<string>>;

/** The customer browsed during a chat: news for its session's customer summary, no list or load moves. */
const browsing = (e: StreamEvent) => e.type === 'conversation.updated' && e.portalNavigation !== undefined;

/**
 * The stream resumed from further back than the server replays (a long sleep, a long way offline):
 * what happened before its window is not coming, so whatever the tab shows is read again.
 */
export const isResync = (e: StreamEvent) => e.type === 'stream.resync';

/**
 * The lists an event may change, so only those are read again (the closed list alone can be half a
 * megabyte). A list changes when an item enters or leaves it, which a status says: waiting is the
 * open list, active and wrap-up mine, closed the closed one, each of the last two only when the
 * conversation is this agent's. Messages, a consult or monitor joining, the customer's connection
 * or pages change none of them: the chats an agent consults on talk all day and move nothing here.
 */
export function listsMoved(e: StreamEvent, listed: Listed, meId: string): ListView[] {
  if (isResync(e)) return [...LIST_VIEWS];
  const id = typeof e.conversationId === 'string' ? e.conversationId : '';
  const holding = LIST_VIEWS.filter((v) => listed[v].has(id));
  switch (e.type) {
    case 'conversation.assigned':
      // Mine now (picked, accepted, assigned), maybe out of the queue; a consult or monitor is not.
      return e.agentId === meId && (e.mode === undefined || e.mode === 'primary') ? ['mine', 'open'] : [];
    case 'conversation.ended':
      return holding.includes('mine') ? (e.status === 'closed' ? ['mine', 'closed'] : ['mine']) : [];
    case 'conversation.message':
      // A waiting customer's words may be the first message the open list quotes.
      return holding.includes('open') ? ['open'] : [];
    case 'conversation.updated': {
      if (browsing(e) || e.participant !== undefined || 'customerAwaySince' in e) return [];
      const statuses = [e.status, e.from];
      const mine = e.agentId === meId;
      const moved = new Set<ListView>(holding);
      if (statuses.includes('waiting')) moved.add('open');
      if (mine && (statuses.includes('active') || statuses.includes('wrap-up'))) moved.add('mine');
      if (mine && statuses.includes('closed')) moved.add('closed');
      return LIST_VIEWS.filter((v) => moved.has(v));
    }
    default:
      return [];
  }
}

/**
 * The event may change my own load or offers (what `GET /me` answers): my offers, my assignments,
 * my conversations ending, moving or being transferred away — not a colleague's queue moves, nor
 * my customer's connection or a colleague joining my chat (a new profile renders every session).
 */
export function changesMyLoad(e: StreamEvent, meId: string, mine: ReadonlySet<string>): boolean {
  if (isResync(e)) return true;
  if (e.type.startsWith('offer.') || e.type === 'conversation.assigned' || e.type === 'conversation.ended')
    return true;
  if (
    e.type !== 'conversation.updated' ||
    browsing(e) ||
    e.participant !== undefined ||
    'customerAwaySince' in e
  )
    return false;
  return e.agentId === meId || e.transferred === true || mine.has(e.conversationId ?? '');
}
