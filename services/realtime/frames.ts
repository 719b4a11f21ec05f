import type {
  Agent,
  Conversation,
  ConversationAudience,
  Message,
  OfferReason,
  StoredEvent,
  Viewer,
} from '../domain/index.js';
import { isEnded, relationTo, seesParticipant } from '../domain/index.js';

// Which live-stream frames one stored event makes for one signed-in user (docs/agent-api.md, "Live
// stream"). Access follows the domain's rule: a user hears about a conversation only if they may
// read it, and queue members only about items entering or leaving the queue.

export type Frame = { seq: number; type: string } & Record<string, unknown>;

export interface FrameSource {
  conversation(id: string): Promise<Conversation | null>;
  /**
   * Who may see a conversation (see `ConversationAudience`), all a message's frame needs of it: the
   * hub answers from what the message's publisher carried. Absent: the conversation is read.
   */
  audience?(id: string): Promise<ConversationAudience | null>;
  agent(id: string): Promise<Agent | null>;
  /** The Offer view (docs/agent-api.md) of a conversation's offer. */
  offer(c: Conversation, offerId: string): Promise<Record<string, unknown>>;
  /** `known`: the message as this process stored it (see `carriedMessage`), so none is read. */
  message(
    conversationId: string,
    messageId: string,
    known?: Message,
  ): Promise<Record<string, unknown> | null>;
  presence(agent: Agent): string;
  /** The customer's and the queue's names, for frames that say who and where. Absent: not said. */
  names?(c: Conversation): Promise<{ customerName: string; queueName: string | null }>;
  /**
   * The same frame for every stream one event reaches (built once per event by the hub, so it is also
   * serialized once: see `frameBytes`). Absent: each call builds its own.
   */
  shared?(key: string, make: () => Frame): Frame;
}

const wire = new WeakMap<Frame, Buffer>();

/** A frame as UTF-8 JSON, encoded once however many sockets it is sent to. */
export function frameBytes(frame: Frame): Buffer {
  let bytes = wire.get(frame);
  if (!bytes) wire.set(frame, (bytes = Buffer.from(JSON.stringify(frame))));
  return bytes;
}

/** Per-stream memory: the offers this user was shown and not yet told are closed. */
export interface StreamState {
  offers: Map<string, string>;
}

const JOINED = new Set(['owner', 'offered', 'consult', 'monitor', 'supervisor', 'admin']);

/** Whether `user` was in the conversation until its close (or abandon) ended every part in it. */
function leftAtEnd(c: Conversation, user: Viewer): boolean {
  const endedAt = (c.status === 'abandoned' ? c.timestamps.abandonedAt : c.timestamps.closedAt)?.getTime();
  return (
    endedAt !== undefined &&
    c.participants.some((p) => p.agentId === user.agentId && p.leftAt?.getTime() === endedAt)
  );
}

/** Whether `user` is told the conversation's messages (`conversation.message` frames). */
export function hearsMessages(user: Viewer, c: ConversationAudience): boolean {
  return JOINED.has(relationTo(user, c));
}

export async function framesFor(
  e: StoredEvent,
  user: Viewer,
  src: FrameSource,
  state: StreamState,
): Promise<Frame[]> {
  const frames: Frame[] = [];
  let c: Conversation | null = null;
  const push = (type: string, body: Record<string, unknown>) => frames.push({ seq: e.seq, type, ...body });
  /** A frame that reads the same for everyone told (nothing in it depends on who is asking). */
  const pushShared = (key: string, type: string, body: () => Record<string, unknown>) => {
    const make = () => ({ seq: e.seq, type, ...body() });
    frames.push(src.shared ? src.shared(`${e.seq} ${key}`, make) : make());
  };
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
        ...(e.reason ? { reason: e.reason } : {}),
      });
    } else if (user.roles.includes('supervisor')) {
      const other = await src.agent(e.agentId);
      if (other && other.queueIds.some((q) => user.queueIds.includes(q))) {
        pushShared('presence', 'presence.changed', () => ({
          agentId: e.agentId,
          presence: src.presence(other),
          automatic: e.automatic,
        }));
      }
    }
    return frames;
  }
  if (e.type === 'sentiment.alert') {
    if (e.recipientId === user.agentId) {
      const about = await src.conversation(e.conversationId);
      push('alert', {
        conversationId: e.conversationId,
        level: e.level,
        recipientRole: e.recipientRole,
        at: e.at,
        ...(about ? { queueId: about.queueId ?? null, ...(await src.names?.(about)) } : {}),
      });
    }
    return frames;
  }
  if (!('conversationId' in e)) return frames;
  if (e.type === 'message.added') {
    const conversationId = e.conversationId;
    const heard = await (src.audience ? src.audience(conversationId) : src.conversation(conversationId));
    if (heard && hearsMessages(user, heard)) {
      const message = await src.message(conversationId, e.messageId);
      if (message) pushShared('message', 'conversation.message', () => ({ conversationId, message }));
    }
    return frames;
  }
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
    case 'conversation.offer_withdrawn':
      if (e.agentId === user.agentId) closeOffer(conversationId, 'withdrawn', true);
      break;
    case 'conversation.abandoned':
    case 'conversation.transferred':
    case 'conversation.overflowed':
      closeOffer(conversationId, 'withdrawn');
      // A consultant still in it (a transfer was under way) is out now, and told it ended.
      if (e.type === 'conversation.abandoned' && !joined && leftAtEnd(c, user)) {
        pushShared('abandoned', 'conversation.ended', () => ({ conversationId, status: 'abandoned' }));
      }
      if (e.type === 'conversation.transferred' && e.fromAgentId === user.agentId && !joined) {
        pushShared('transferred', 'conversation.updated', () => ({
          conversationId,
          status: c!.status,
          transferred: true,
        }));
      }
      break;
    case 'conversation.status_changed': {
      // An offer ends with the chat (a supervisor closed it, the customer left), also for a stream
      // opened after it was made: the event names its agent.
      if (e.from === 'offered' && isEnded(e.to) && e.agentId === user.agentId)
        closeOffer(conversationId, 'withdrawn', true);
      const queueMove = e.from === 'waiting' || e.to === 'waiting';
      if (joined || (relation === 'queue-member' && queueMove) || e.agentId === user.agentId) {
        const now = c;
        pushShared('status', 'conversation.updated', () => ({
          conversationId,
          status: e.to,
          from: e.from,
          queueId: now.queueId ?? null,
          agentId: now.agentId ?? null,
        }));
      }
      break;
    }
    case 'conversation.wrap_up':
    case 'conversation.closed':
      // A consultant's or monitor's part ends with the close: they are told it closed all the same.
      if (joined || e.agentId === user.agentId || (e.type === 'conversation.closed' && leftAtEnd(c, user))) {
        pushShared('ended', 'conversation.ended', () => ({
          conversationId,
          status: e.type === 'conversation.closed' ? 'closed' : 'wrap-up',
        }));
      }
      break;
    case 'participant.joined':
    case 'participant.left':
      if (e.agentId === user.agentId && e.type === 'participant.joined' && e.mode !== 'primary') {
        // Who asked and about whom: the one asked is told in words, not "a colleague".
        const by = e.byAgentId ? await src.agent(e.byAgentId) : null;
        push('conversation.assigned', {
          conversationId,
          agentId: e.agentId,
          mode: e.mode,
          ...(await src.names?.(c)),
          ...(by ? { byAgentId: by.id, byName: by.name } : {}),
        });
      } else if (
        (joined || (e.type === 'participant.left' && e.agentId === user.agentId)) &&
        seesParticipant(user, e)
      ) {
        // Whoever left is told too, though no longer in it: a consult another ended ends in their session.
        const now = c;
        pushShared('participant', 'conversation.updated', () => ({
          conversationId,
          status: now.status,
          participant: { agentId: e.agentId, mode: e.mode, joined: e.type === 'participant.joined' },
        }));
      }
      break;
    case 'customer.connection':
      if (joined) {
        const now = c;
        pushShared('connection', 'conversation.updated', () => ({
          conversationId,
          status: now.status,
          customerAwaySince: now.customerAwaySince ?? null,
        }));
      }
      break;
    case 'customer.navigated':
      if (joined)
        pushShared('navigated', 'conversation.updated', () => ({
          conversationId,
          status: c!.status,
          portalNavigation: c!.context.portalNavigation,
        }));
      break;
    case 'sentiment.changed':
      if (joined)
        pushShared('sentiment', 'sentiment.changed', () => ({
          conversationId,
          level: e.level,
          score: e.score,
        }));
      break;
    default:
      break;
  }
  return frames;
}
