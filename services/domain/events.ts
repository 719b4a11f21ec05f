import type {
  Author,
  OfferReason,
  BasePresence,
  ConversationStatus,
  ParticipantMode,
  SentimentLevel,
  Visibility,
} from './entities.js';

/**
 * Every transition and message is an event. The store adds `seq` (global, increasing)
 * when it appends; Insights and the live stream read the log in `seq` order.
 */
export type DomainEvent =
  | {
      type: 'conversation.created';
      conversationId: string;
      channel: string;
      workstreamId: string;
      customerId: string;
    }
  | {
      type: 'conversation.status_changed';
      conversationId: string;
      from: ConversationStatus;
      to: ConversationStatus;
      reason: string;
      agentId?: string;
      queueId?: string;
    }
  | { type: 'conversation.escalated'; conversationId: string; queueId: string; reason: string }
  | { type: 'conversation.queued'; conversationId: string; queueId: string; skills: string[] }
  | {
      type: 'conversation.offered';
      conversationId: string;
      agentId: string;
      queueId?: string;
      expiresAt: Date;
      /** The offer's id (see `offerIdOf`) and why routing chose the agent. */
      offerId?: string;
      reason?: OfferReason;
    }
  /** `transfer`: the offer was a transfer's (an agent handed the chat to this one), now back in its queue. */
  | { type: 'conversation.offer_rejected'; conversationId: string; agentId: string; transfer?: true }
  | { type: 'conversation.offer_timed_out'; conversationId: string; agentId: string; transfer?: true }
  /** An offer taken back because its agent can no longer take it: not a missed offer. */
  | {
      type: 'conversation.offer_withdrawn';
      conversationId: string;
      agentId: string;
      /** Offline, or a presence the offer's work stream does not offer work in (Do not disturb). */
      reason: 'agent_offline' | 'agent_unavailable';
      transfer?: true;
    }
  | {
      type: 'conversation.accepted';
      conversationId: string;
      agentId: string;
      queueId?: string;
      picked: boolean;
    }
  | {
      type: 'conversation.transferred';
      conversationId: string;
      fromAgentId?: string;
      toAgentId?: string;
      toQueueId?: string;
    }
  | {
      type: 'conversation.overflowed';
      conversationId: string;
      fromQueueId: string;
      toQueueId?: string;
      rule: string;
      /** An "end" rule's words for the customer; the conversation service stores them as a system message. */
      message?: string;
    }
  | { type: 'conversation.wrap_up'; conversationId: string; agentId?: string }
  | {
      type: 'conversation.closed';
      conversationId: string;
      agentId?: string;
      disposition?: string;
      by: Author;
    }
  | { type: 'conversation.abandoned'; conversationId: string; queueId?: string }
  | { type: 'conversation.reopened'; conversationId: string; agentId: string; queueId?: string }
  | { type: 'conversation.bot_resolved'; conversationId: string }
  | {
      type: 'participant.joined' | 'participant.left';
      conversationId: string;
      agentId: string;
      mode: ParticipantMode;
      /** Joined: who brought them in, when someone else did (a consult asked for). */
      byAgentId?: string;
    }
  | {
      type: 'message.added';
      conversationId: string;
      messageId: string;
      messageSeq: number;
      author: Author;
      visibility: Visibility;
    }
  | { type: 'sentiment.changed'; conversationId: string; score: number; level: SentimentLevel }
  | {
      type: 'sentiment.alert';
      conversationId: string;
      level: SentimentLevel;
      recipientId: string;
      recipientRole: 'agent' | 'supervisor';
    }
  | {
      type: 'presence.changed';
      agentId: string;
      presence: BasePresence;
      automatic: boolean;
      /** Set when routing chose for the agent: they let an offer run out (see `Presence.missedOffer`). */
      reason?: 'missed-offer';
    }
  | { type: 'agent.queue_opt'; agentId: string; queueId: string; optedIn: boolean }
  | { type: 'csat.recorded'; conversationId: string; rating: number }
  /** The customer's chat window lost its connection, or is back (`Conversation.customerAwaySince`). */
  | { type: 'customer.connection'; conversationId: string; connected: boolean }
  /** The customer opened pages, searched or read articles during the chat (the widget's tracking). */
  | { type: 'customer.navigated'; conversationId: string; entries: number }
  | { type: 'session.focus'; conversationId: string; agentId: string; focused: boolean };

export type DomainEventType = DomainEvent['type'];

/** An event as stored: the global sequence number and the time it happened. */
export type StoredEvent = DomainEvent & { seq: number; at: Date };

/**
 * What an event says that may be said only once, whoever says it: a message is announced once.
 * Two requests can both try — the first stalls after storing the message, its client sends again
 * to another instance, which announces it; then the first wakes — and the log keeps the first.
 */
export function onceKey(event: DomainEvent): string | undefined {
  return event.type === 'message.added' ? `message.added ${event.messageId}` : undefined;
}

/** An append of an event said before (see `onceKey`): nothing was stored; `earlier` was. */
export class EventSaidBefore extends Error {
  override readonly name = 'EventSaidBefore';
  constructor(readonly earlier: StoredEvent) {
    super(`${earlier.type} was already stored as event ${earlier.seq}`);
  }
}
