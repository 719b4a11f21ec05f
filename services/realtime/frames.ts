import type { Agent, Conversation, OfferReason, StoredEvent, Viewer } from '../domain/index.js';
import { relationTo } from '../domain/index.js';

// Which live-stream frames one stored event makes for one signed-in user (docs/agent-api.md, "Live
// stream"). Access follows the domain's rule: a user hears about a conversation only if they may
// read it, and queue members only about items entering or leaving the queue.

export type Frame = { seq: number; type: string } & Record<string, unknown>;

export interface FrameSource {
  conversation(id: string): Promise<Conversation | null>;
  agent(id: string): Promise<Agent | null>;
  /** The Offer view (docs/agent-api.md) of a conversation's offer. */
  offer(c: Conversation, offerId: string): Promise<Record<string, unknown>>;
  message(conversationId: string, messageId: string): Promise<Record<string, unknown> | null>;
  presence(agent: Agent): string;
}

/** Per-stream memory: the offers this user was shown and not yet told are closed. */
export interface StreamState {
  offers: Map<string, string>;
}

const JOINED = new Set(['owner', 'consult', 'monitor', 'supervisor', 'admin']);

export async function framesFor(
  e: StoredEvent,
  user: Viewer,
  src: FrameSource,
  state: StreamState,
): Promise<Frame[]> {
  const frames: Frame[] = [];
  let c: Conversation | null = null;
  const push = (type: string, body: Record<string, unknown>) => frames.push({ seq: e.seq, type, ...body });
  /** `mine`: the event names this user, so a stream resumed after the offer still closes it. */
  const closeOffer = (conversationId: string, outcome: string, mine = false) => {
    const offerId =
      state.offers.get(conversationId) ??
      (mine && c?.timestamps.offeredAt ? `${conversationId}.${c.timestamps.offeredAt.getTime()}` : undefined);
    if (!offerId) return;
    state.offers.delete(conversationId);
    push('offer.closed', { offerId, conversationId, outcome });
  };

  if (e.type === 'presence.changed') {
    if (e.agentId === user.agentId) {
      const me = await src.agent(e.agentId);
      push('presence.changed', {
        agentId: e.agentId,
        presence: me ? src.presence(me) : e.presence,
        automatic: e.automatic,
      });
    } else if (user.roles.includes('supervisor')) {
      const other = await src.agent(e.agentId);
      if (other && other.queueIds.some((q) => user.queueIds.includes(q))) {
        push('presence.changed', {
          agentId: e.agentId,
          presence: src.presence(other),
          automatic: e.automatic,
        });
      }
    }
    return frames;
  }
  if (e.type === 'sentiment.alert') {
    if (e.recipientId === user.agentId) {
      push('alert', {
        conversationId: e.conversationId,
        level: e.level,
        recipientRole: e.recipientRole,
        at: e.at,
      });
    }
    return frames;
  }
  if (!('conversationId' in e)) return frames;
  c = await src.conversation(e.conversationId);
  if (!c) return frames;
  const relation = relationTo(user, c);
  const joined = JOINED.has(relation);
  const conversationId = c.id;

  switch (e.type) {
    case 'conversation.offered':
      if (e.agentId === user.agentId) {
        const offerId = e.offerId ?? `${c.id}.${new Date(e.at).getTime()}`;
        state.offers.set(conversationId, offerId);
        const view = await src.offer(c, offerId);
        push('offer.created', {
          ...view,
          offerId,
          conversationId,
          agentId: e.agentId,
          expiresAt: e.expiresAt,
          reason: (e.reason as OfferReason | undefined) ?? null,
        });
      }
      break;
    case 'conversation.accepted':
      closeOffer(
        conversationId,
        e.agentId === user.agentId ? 'accepted' : 'taken',
        e.agentId === user.agentId && !e.picked,
      );
      if (e.agentId === user.agentId)
        push('conversation.assigned', {
          conversationId,
          agentId: e.agentId,
          mode: 'primary',
          picked: e.picked,
        });
      break;
    case 'conversation.offer_rejected':
      if (e.agentId === user.agentId) closeOffer(conversationId, 'rejected', true);
      break;
    case 'conversation.offer_timed_out':
      if (e.agentId === user.agentId) closeOffer(conversationId, 'expired', true);
      break;
    case 'conversation.abandoned':
    case 'conversation.transferred':
    case 'conversation.overflowed':
      closeOffer(conversationId, 'withdrawn');
      if (e.type === 'conversation.transferred' && e.fromAgentId === user.agentId && !joined) {
        push('conversation.updated', { conversationId, status: c.status, transferred: true });
      }
      break;
    case 'conversation.status_changed': {
      const queueMove = e.from === 'waiting' || e.to === 'waiting';
      if (joined || (relation === 'queue-member' && queueMove) || e.agentId === user.agentId) {
        push('conversation.updated', {
          conversationId,
          status: e.to,
          from: e.from,
          queueId: c.queueId ?? null,
          agentId: c.agentId ?? null,
        });
      }
      break;
    }
    case 'conversation.wrap_up':
    case 'conversation.closed':
      if (joined || e.agentId === user.agentId) {
        push('conversation.ended', {
          conversationId,
          status: e.type === 'conversation.closed' ? 'closed' : 'wrap-up',
        });
      }
      break;
    case 'message.added':
      if (joined) {
        const message = await src.message(conversationId, e.messageId);
        if (message) push('conversation.message', { conversationId, message });
      }
      break;
    case 'participant.joined':
    case 'participant.left':
      if (e.agentId === user.agentId && e.type === 'participant.joined' && e.mode !== 'primary') {
        push('conversation.assigned', { conversationId, agentId: e.agentId, mode: e.mode });
      } else if (joined) {
        push('conversation.updated', {
          conversationId,
          status: c.status,
          participant: { agentId: e.agentId, mode: e.mode, joined: e.type === 'participant.joined' },
        });
      }
      break;
    case 'sentiment.changed':
      if (joined) push('sentiment.changed', { conversationId, level: e.level, score: e.score });
      break;
    default:
      break;
  }
  return frames;
}
