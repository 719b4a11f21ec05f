import type { Conversation, DomainEvent, StoredEvent } from '../domain/index.js';
import type { SessionLog } from './session-log.js';
import type { Report } from './tasks.js';

/**
 * Every routing event goes through one ordered outbox, so a conversation's events are appended in the
 * order its steps happened even when a decision does not wait for its events (dispatch keeps deciding
 * while the log catches up). Each stored event also moves the agents' session records. Callers
 * acknowledging a step to a person await `publish`.
 */
export class Outbox {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: { publish(event: DomainEvent): Promise<StoredEvent> },
    private readonly sessions: SessionLog,
    private readonly report: Report,
  ) {}

  publish(events: DomainEvent[]): Promise<void> {
    const written = this.tail.then(async () => {
      for (const e of events) {
        const stored = await this.bus.publish(e);
        await this.sessions.record(stored);
      }
    });
    this.tail = written.catch((e: unknown) => this.report(e, undefined, 'publishing events failed'));
    return written;
  }

  /** For a decision that need not wait for its events; a failure is reported by the outbox. */
  publishInBackground(events: DomainEvent[]): void {
    this.publish(events).catch(() => undefined);
  }

  /** Resolves once every event published so far is in the log. */
  idle(): Promise<void> {
    return this.tail;
  }
}

/** The status change every routing step reports beside its own event. */
export function statusChanged(before: Conversation, after: Conversation, reason: string): DomainEvent {
  return {
    type: 'conversation.status_changed',
    conversationId: after.id,
    from: before.status,
    to: after.status,
    reason,
    ...((after.agentId ?? before.agentId) ? { agentId: after.agentId ?? before.agentId } : {}),
    ...(after.queueId ? { queueId: after.queueId } : {}),
  };
}
