import type { Conversation, ParticipantMode, Role } from './entities.js';
import { DomainError } from './errors.js';

// Who may see and do what with a conversation. One pure rule that every agent-side path (HTTP API,
// live stream, Teams bot) asks, so a denial reads the same everywhere and nothing internal leaks.

export interface Viewer {
  agentId: string;
  roles: readonly Role[];
  /** The queues the viewer belongs to (membership, whether or not opted in right now). */
  queueIds: readonly string[];
}

/** The fields of a conversation that decide who may see it (`relationTo`). */
export const AUDIENCE_FIELDS = ['id', 'status', 'agentId', 'queueId', 'participants'] as const;

/**
 * A conversation as far as who may see it goes: what a store write can return and the live stream
 * carries with a message instead of the whole conversation.
 */
export type ConversationAudience = Pick<Conversation, (typeof AUDIENCE_FIELDS)[number]>;

export type ConversationRelation =
  /** The agent it is assigned to. */
  | 'owner'
  /**
   * The agent it is offered to: may read it to decide, and act in it only once they accept. A
   * consultant offered it (by transfer) stays a consultant until they accept.
   */
  | 'offered'
  /** Joined as consult or monitor and not yet left. */
  | ParticipantMode
  /** A supervisor of the conversation's queue. */
  | 'supervisor'
  /** An agent of the conversation's queue: may see it waiting and pick it. */
  | 'queue-member'
  | 'admin'
  | 'none';

export function relationTo(viewer: Viewer, c: ConversationAudience): ConversationRelation {
  const inQueue = c.queueId !== undefined && viewer.queueIds.includes(c.queueId);
  const assigned =
    c.agentId === viewer.agentId &&
    c.status !== 'waiting' &&
    c.status !== 'bot' &&
    // A chat that is over stays its agent's while they serve its queue: taken off the queue, they no
    // longer read or reopen what they served there. One they still hold stays theirs to finish.
    (inQueue || c.queueId === undefined || !isOver(c));
  if (assigned && c.status !== 'offered') return 'owner';
  // An offer is no part yet: until they accept, a consultant keeps consulting (notes, leave).
  const joined = c.participants.find((p) => p.agentId === viewer.agentId && !p.leftAt);
  if (joined && joined.mode !== 'primary') return joined.mode;
  if (assigned) return 'offered';
  if (inQueue && viewer.roles.includes('supervisor')) return 'supervisor';
  if (viewer.roles.includes('admin')) return 'admin';
  if (inQueue) return 'queue-member';
  return 'none';
}

function isOver(c: Pick<Conversation, 'status'>): boolean {
  return c.status === 'closed' || c.status === 'abandoned';
}

/** Reading the transcript (public and internal), details and customer summary. */
export function canRead(viewer: Viewer, c: Conversation): boolean {
  return relationTo(viewer, c) !== 'none';
}

/**
 * A supervisor of the conversation's queue, or an admin, whatever part they have joined in: a
 * supervisor who monitors or consults keeps what supervising allows.
 */
function supervises(viewer: Viewer, c: ConversationAudience): boolean {
  if (viewer.roles.includes('admin')) return true;
  return (
    viewer.roles.includes('supervisor') && c.queueId !== undefined && viewer.queueIds.includes(c.queueId)
  );
}

/** Writing into the conversation: public messages only as its owner, internal ones as any joined agent. */
export function canWrite(viewer: Viewer, c: Conversation, visibility: 'public' | 'internal'): boolean {
  const r = relationTo(viewer, c);
  if (visibility === 'public') return r === 'owner';
  return r === 'owner' || r === 'consult' || supervises(viewer, c);
}

/**
 * Whether the viewer is shown this participant. A supervisor monitoring a chat is unseen by the
 * agents in it (silent monitoring, as contact centers do it): only supervisors and the monitor see
 * that part.
 */
export function seesParticipant(viewer: Viewer, p: { agentId: string; mode: string }): boolean {
  return p.mode !== 'monitor' || p.agentId === viewer.agentId || viewer.roles.includes('supervisor');
}

/**
 * Seeing that the customer is typing: the agents in the conversation (its owner, a consultant, a
 * monitoring supervisor), not everyone who may read it from the queue.
 */
export function canSeeTyping(viewer: Viewer, c: Conversation): boolean {
  const r = relationTo(viewer, c);
  return r === 'owner' || r === 'consult' || r === 'monitor';
}

/** Supervisor actions: monitor, force close, assign (on someone else's conversation). */
export function canSupervise(viewer: Viewer, c: Conversation): boolean {
  return relationTo(viewer, c) !== 'owner' && supervises(viewer, c);
}

/**
 * What the viewer may do in the conversation now, for a client to offer only that: the rules above,
 * with the states in which the conversation allows each (a transfer only while active, a consult
 * until it closes).
 */
export function permissionsOf(viewer: Viewer, c: Conversation) {
  const inCharge = relationTo(viewer, c) === 'owner' || canSupervise(viewer, c);
  return {
    writePublic: canWrite(viewer, c, 'public'),
    writeInternal: canWrite(viewer, c, 'internal'),
    consult: inCharge && (c.status === 'active' || c.status === 'wrap-up'),
    transfer: inCharge && c.status === 'active',
    supervise: canSupervise(viewer, c),
  };
}

export class AccessDeniedError extends DomainError {
  constructor(what: string, conversationId: string) {
    super('access.denied', `You may not ${what} this conversation`, 'forbidden', {
      conversationId,
    });
  }
}

/** Throws `AccessDeniedError` (403 naming what was refused) unless `allowed`. */
export function assertAccess(allowed: boolean, what: string, conversationId: string): void {
  if (!allowed) throw new AccessDeniedError(what, conversationId);
}
