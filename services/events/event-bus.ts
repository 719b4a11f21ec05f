import {
  EventSaidBefore,
  type ConversationAudience,
  type DomainEvent,
  type DomainEventType,
  type Message,
  type StoredEvent,
} from '../domain/index.js';

/** Where events are made durable: the event log repository. */
export interface EventAppender {
  /** Rejects with `EventSaidBefore` when the event may be said once (`onceKey`) and already was. */
  append(event: DomainEvent, at: Date): Promise<StoredEvent>;
  /**
   * Several events, consecutive in the log, stored together (all or none when one is invalid); an
   * event said before is left out of the answer.
   */
  appendMany?(events: readonly DomainEvent[], at: Date): Promise<StoredEvent[]>;
}

export type EventListener = (event: StoredEvent) => void;

/** The stored event of one type, narrowed from the union: `EventOf<'conversation.accepted'>`. */
export type EventOf<T extends DomainEventType> = Extract<StoredEvent, { type: T }>;

/** What a part that only listens needs of the bus. */
export interface EventSource {
  /** Every event, in the order stored (the live stream and tests). */
  subscribe(listener: EventListener): () => void;
  /** Only events of these types, typed by them: `on('conversation.accepted', (e) => e.agentId)`. */
  on<T extends DomainEventType>(types: T | readonly T[], listener: (event: EventOf<T>) => void): () => void;
}

/**
 * What the publisher had in hand when it published, for in-process listeners to take instead of
 * reading it back (on MongoDB, a round trip each for the live stream and the customer relay); never
 * written to the log.
 * - `message`: the message a `message.added` announces, as stored. A message's document never
 *   changes once stored, so the copy in hand is the stored one.
 * - `audience`: who may see its conversation as the write that numbered the message left it, so
 *   the live stream decides who hears the message from the state it was added in, as the event's
 *   place in the log does. Only those few fields: a whole conversation held until the event is
 *   stored would outlive a young collection (ADR 0019).
 */
export interface Carried {
  message?: Message;
  audience?: ConversationAudience;
}

/** Kept beside the stored event object itself, so it lives exactly as long as listeners hold that. */
const carriedBy = new WeakMap<StoredEvent, Carried>();

/**
 * The message this process stored and announced with `event`, when `event` is the object it
 * published (not one read back from the log, as another instance's events are).
 */
export function carriedMessage(event: StoredEvent): Message | undefined {
  const message = carriedBy.get(event)?.message;
  return message && 'messageId' in event && message.id === event.messageId ? message : undefined;
}

/** The audience carried with `event` (see `Carried`), when `event` is the object published here. */
export function carriedAudience(event: StoredEvent): ConversationAudience | undefined {
  const audience = carriedBy.get(event)?.audience;
  return audience && 'conversationId' in event && audience.id === event.conversationId ? audience : undefined;
}

/**
 * Appends every event to the log first, then tells in-process listeners (live stream, Teams
 * notifications, alerts). Listeners run after the write so nobody sees an event that could be lost;
 * a listener that throws is reported, never allowed to fail the write that already happened.
 */
export class EventBus implements EventSource {
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly log: EventAppender,
    private readonly now: () => Date,
    private readonly onListenerError: (error: unknown, event: StoredEvent) => void = () => {},
  ) {}

  /**
   * The stored event; for one that may be said once and already was (a message announced by a
   * request that went first, here or on another instance), the earlier one, and nobody is told again.
   */
  async publish(event: DomainEvent, carried?: Carried): Promise<StoredEvent> {
    let stored: StoredEvent;
    try {
      stored = await this.log.append(event, this.now());
    } catch (error) {
      if (error instanceof EventSaidBefore) return error.earlier;
      throw error;
    }
    if (carried) carriedBy.set(stored, carried);
    this.tell(stored);
    return stored;
  }

  /** The events in order; in one write of the log when it can append several at once. */
  async publishAll(events: DomainEvent[]): Promise<StoredEvent[]> {
    if (!this.log.appendMany) {
      const out: StoredEvent[] = [];
      for (const e of events) out.push(await this.publish(e));
      return out;
    }
    const stored = await this.log.appendMany(events, this.now());
    for (const e of stored) this.tell(e);
    return stored;
  }

  private tell(stored: StoredEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(stored);
      } catch (error) {
        this.onListenerError(error, stored);
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  on<T extends DomainEventType>(types: T | readonly T[], listener: (event: EventOf<T>) => void): () => void {
    const wanted: ReadonlySet<DomainEventType> = new Set(typeof types === 'string' ? [types] : types);
    return this.subscribe((event) => {
      if (wanted.has(event.type)) listener(event as EventOf<T>);
    });
  }
}
