import type { Conversation, DomainEvent, StoredEvent } from '../domain/index.js';
import { ValidationError } from '../domain/index.js';
import type { SessionLog } from './session-log.js';
import type { Report } from './tasks.js';

/** Events per append at most: one insert of this many documents stays a modest write. */
const MAX_BATCH_EVENTS = 512;
/**
 * An append starts once this many events wait, or once the event loop has had a turn — unless a
 * dispatch pass holds the outbox and nobody waits for their events: the pass's decisions each wait
 * a turn or two for the store's group commit, so their background events are gathered until the
 * pass ends or a batch is full.
 */
const FULL_BATCH_EVENTS = 64;

interface Pending {
  events: DomainEvent[];
  /** A caller waits for these events (an acknowledgement to a person), so they are not held. */
  awaited: boolean;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Every routing event goes through one ordered outbox, so a conversation's events are appended in the
 * order its steps happened even when a decision does not wait for its events (dispatch keeps deciding
 * while the log catches up). Each stored event also moves the agents' session records. Callers
 * acknowledging a step to a person await `publish`.
 *
 * What is published while an append is under way waits and goes with the next one: one append (one
 * counter write and one insert in the event log) carries the events of every decision made meanwhile,
 * still in publishing order, instead of two writes per event.
 */
export class Outbox {
  private queue: Pending[] = [];
  private queuedEvents = 0;
  /** Queued publishers that wait for their events. */
  private awaitedInQueue = 0;
  /** Dispatch passes under way that asked to gather their events (see `hold`). */
  private holds = 0;
  private draining: Promise<void> | null = null;
  /** Wakes a drain waiting for its batch to fill. */
  private filled: (() => void) | null = null;

  constructor(
    private readonly bus: {
      publish(event: DomainEvent): Promise<StoredEvent>;
      publishAll?(events: DomainEvent[]): Promise<StoredEvent[]>;
    },
    private readonly sessions: SessionLog,
    private readonly report: Report,
  ) {}

  publish(events: DomainEvent[], awaited = true): Promise<void> {
    const written = new Promise<void>((resolve, reject) =>
      this.queue.push({ events, awaited, resolve, reject }),
    );
    this.queuedEvents += events.length;
    if (awaited) this.awaitedInQueue += 1;
    if (this.queuedEvents >= FULL_BATCH_EVENTS || awaited) this.filled?.();
    // The drain lets go in the same step as it finds the queue empty (see its `finally`): a publish
    // a few promise hops after the last append once found it still set, started nothing, and waited
    // for the next publish. It always waits at least once (for the write), so it is set here first.
    this.draining ??= this.drain();
    // Reported here, once, whoever awaits it.
    written.catch((e: unknown) => this.report(e, undefined, 'publishing events failed'));
    return written;
  }

  /** For a decision that need not wait for its events; a failure is reported by the outbox. */
  publishInBackground(events: DomainEvent[]): void {
    this.publish(events, false).catch(() => undefined);
  }

  /**
   * Gathers background events into full batches until the returned release is called (a dispatch
   * pass, start to end); events someone waits for go at the next turn as always.
   */
  hold(): () => void {
    this.holds += 1;
    return () => {
      this.holds -= 1;
      if (this.holds === 0) this.filled?.();
    };
  }

  /** Resolves once every event published so far is in the log. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        if (this.queuedEvents < FULL_BATCH_EVENTS) {
          await new Promise<void>((resolve) => {
            const held = this.holds > 0 && this.awaitedInQueue === 0;
            const turn = held ? null : setImmediate(() => resolve());
            this.filled = () => {
              if (turn) clearImmediate(turn);
              resolve();
            };
          });
          this.filled = null;
        }
        let n = 0;
        let take = 0;
        while (
          take < this.queue.length &&
          (take === 0 || n + this.queue[take]!.events.length <= MAX_BATCH_EVENTS)
        ) {
          n += this.queue[take]!.events.length;
          take += 1;
        }
        const batch = this.queue.splice(0, take);
        this.queuedEvents -= n;
        for (const p of batch) if (p.awaited) this.awaitedInQueue -= 1;
        try {
          await this.write(batch);
        } catch (e) {
          // Nothing was stored when one event of the batch is invalid: each publisher's events go on
          // their own, so only the one that published it fails.
          if (e instanceof ValidationError && batch.length > 1) {
            for (const p of batch) await this.write([p]).catch((err: unknown) => p.reject(err));
          } else for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.draining = null;
    }
  }

  /**
   * Appends the publishers' events in one go, then their session records; settles each publisher.
   * A failing session record fails the whole batch's publishers (their events are stored): the records
   * are never written twice, and with routing's own references they do not fail in practice.
   */
  private async write(batch: Pending[]): Promise<void> {
    const stored = await this.append(batch.flatMap((p) => p.events));
    try {
      await this.sessions.recordAll(stored);
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    for (const p of batch) p.resolve();
  }

  private async append(events: DomainEvent[]): Promise<StoredEvent[]> {
    if (this.bus.publishAll) return this.bus.publishAll(events);
    const out: StoredEvent[] = [];
    for (const e of events) out.push(await this.bus.publish(e));
    return out;
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
