import type {
  Agent,
  Author,
  ChannelId,
  Conversation,
  ConversationAudience,
  Customer,
  DomainEvent,
  Message,
  Queue,
  SentimentLevel,
  SentimentReading,
  StoredEvent,
  Visibility,
  Workstream,
} from '../domain/index.js';

// What the customer-side conversation service needs from its neighbours, named for the need.
// The composition root adapts the store repositories, the router and the NLP
// module to these; tests can hand in the real ones or small doubles.

export interface ConversationRecords {
  get(id: string): Promise<Conversation | null>;
  /** The channel reference alone (`undefined`: none, or no such conversation). */
  channelRefOf(id: string): Promise<Conversation['channelRef']>;
  insert(conversation: Conversation): Promise<void>;
  /** Whether the customer has a conversation other than `except`. */
  customerHasOthers(customerId: string, except: string): Promise<boolean>;
  /**
   * Read, change, conditional write of the changed fields, retried when someone else wrote in
   * between; `change` returns null when there is nothing to do (then so does this).
   */
  change(
    id: string,
    change: (c: Conversation) => Conversation | null,
  ): Promise<{ before: Conversation; after: Conversation } | null>;
}

export interface NewMessage {
  conversationId: string;
  author: Author;
  authorId?: string;
  authorName?: string;
  visibility: Message['visibility'];
  text: string;
  attachments?: Message['attachments'];
  sentiment?: Message['sentiment'];
  activityId?: string;
  /**
   * The sending client's idempotency key: a message sent again under it (its answer was lost) is
   * stored once, and the repeat gets the first one back as `duplicate`.
   */
  clientKey?: string;
}

export interface MessageRecords {
  /**
   * Hands out the next per-conversation seq; `duplicate` when the activity id was already stored.
   * What a customer message changes on its conversation (the rolling sentiment, the channel
   * reference) is written with the seq (one write).
   */
  append(
    message: NewMessage,
    at: Date,
    also?: { sentiment?: SentimentReading; channelRef?: Record<string, unknown> },
    looked?: { unstored: true },
  ): Promise<{ message: Message; duplicate: boolean; audience?: ConversationAudience }>;
  /**
   * The message an activity of the conversation was stored as, if it was. `append` asks the same
   * before it numbers one, unless told (`looked`) that its caller just did.
   */
  ofActivity(conversationId: string, activityId: string): Promise<Message | null>;
  /** In sequence order; only those numbered after `afterSeq`, of one visibility, when given. */
  list(conversationId: string, query?: { afterSeq?: number; visibility?: Visibility }): Promise<Message[]>;
  get(conversationId: string, messageId: string): Promise<Message | null>;
}

export interface CustomerRecords {
  findByIdentity(channel: ChannelId, userId: string): Promise<Customer | null>;
  /** Every customer the identity names: guests who share a browser and said different names. */
  withIdentity(channel: ChannelId, userId: string): Promise<Customer[]>;
  get(id: string): Promise<Customer | null>;
  insert(customer: Customer): Promise<void>;
  /** Name and e-mail learnt from the pre-chat survey. */
  updateContact(id: string, fields: { name?: string; email?: string }, at: Date): Promise<void>;
}

export interface WorkstreamRecords {
  /** The work stream serving a channel; `null` when none is configured. */
  forChannel(channel: ChannelId): Promise<Workstream | null>;
  /** The shortest inactivity time of any work stream; `null` when there is none. */
  shortestInactivityMinutes(): Promise<number | null>;
}

export interface AgentDirectory {
  get(id: string): Promise<Pick<Agent, 'id' | 'name'> | null>;
}

/** Queues by id, for the words of a note that says where a conversation went. */
export interface QueueDirectory {
  get(id: string): Promise<Pick<Queue, 'id' | 'name'> | null>;
}

export interface QueueStatus {
  position: number;
  /** null while nobody who could take it is available. */
  estimatedWaitSeconds: number | null;
}

/** Where a hand-over would go right now, as routing sees it. */
export interface RouteOutlook {
  queueId: string;
  queueName: string;
  open: boolean;
  /** When the queue next takes work; null when it never opens. */
  opensAt: Date | null;
  timeZone?: string;
  estimatedWaitSeconds: number | null;
  /** Routing would end the hand-over (closed queue, too many waiting, too long a wait) with this message. */
  ending?: { rule: 'closed' | 'size' | 'wait'; message: string };
}

/** The slice of the router the customer side drives. */
export interface RoutingPort {
  /** Classifies and queues a conversation in `bot` status (the router applies `escalate`). */
  enqueue(conversationId: string, reason: string): Promise<void>;
  queueStatus(conversationId: string): Promise<QueueStatus | null>;
  /** What enqueueing would do now (queue, open or not, overflow ending); changes nothing. */
  preview(conversationId: string): Promise<RouteOutlook>;
  /** The customer left while waiting or offered. */
  abandon(conversationId: string): Promise<void>;
  /** The customer left while an agent had it: the conversation goes to wrap-up. */
  endByCustomer(conversationId: string): Promise<void>;
}

export interface SentimentScore {
  score: number;
  level: SentimentLevel;
}

export type SentimentScorer = (text: string) => SentimentScore | Promise<SentimentScore>;

export interface EventPublisher {
  /**
   * `carried`: the message a `message.added` announces and its conversation's audience as the
   * message's write left it, for in-process listeners (`Carried` of the event bus).
   */
  publish(
    event: DomainEvent,
    carried?: { message?: Message; audience?: ConversationAudience },
  ): Promise<StoredEvent>;
  publishAll(events: DomainEvent[]): Promise<StoredEvent[]>;
}

export interface ConversationServicePorts {
  conversations: ConversationRecords;
  messages: MessageRecords;
  customers: CustomerRecords;
  workstreams: WorkstreamRecords;
  agents: AgentDirectory;
  queues: QueueDirectory;
  router: RoutingPort;
  sentiment: SentimentScorer;
  bus: EventPublisher;
  /** Failures of work nobody awaits (reactions to events); the composition root logs them. */
  onError?: (error: unknown, what: string) => void;
}
