import type { DomainEvent, StoredEvent } from '../domain/index.js';

/** Where events are made durable: the event log repository. */
export interface EventAppender {
  append(event: DomainEvent, at: Date): Promise<StoredEvent>;
}

export type EventListener = (event: StoredEvent) => void;

/**
 * Appends every event to the log first, then tells in-process listeners (live stream, Teams
 * notifications, alerts). Listeners run after the write so nobody sees an event that could be lost;
 * a listener that throws is reported, never allowed to fail the write that already happened.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly log: EventAppender,
    private readonly now: () => Date,
    private readonly onListenerError: (error: unknown, event: StoredEvent) => void = () => {},
  ) {}

  async publish(event: DomainEvent): Promise<StoredEvent> {
    const stored = await this.log.append(event, this.now());
    for (const listener of this.listeners) {
      try {
        listener(stored);
      } catch (error) {
        this.onListenerError(error, stored);
      }
    }
    return stored;
  }

  async publishAll(events: DomainEvent[]): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    for (const e of events) out.push(await this.publish(e));
    return out;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
