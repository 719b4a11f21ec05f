import type { Deps } from '../../domain/deps.js';
import type { DomainEvent, DomainEventType, StoredEvent } from '../../domain/events.js';
import { ValidationError } from '../../domain/errors.js';
import { domainEventSchema } from '../../domain/schemas.js';
import { SerialQueue } from '../serial-queue.js';
import type { Collection, Filter } from '../port.js';
import type { Counters } from './counters.js';
import { parseEntity } from './support.js';

export const EVENT_SEQ_COUNTER = 'events';

export interface EventRange {
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/**
 * The event log (DESIGN.md §3): every event gets the next GLOBAL sequence number from one atomic
 * counter. Readers resume with `readAfter(lastSeenSeq)`.
 *
 * Within one process appends are serialized, so an event is stored before the next sequence number
 * is handed out and a reader never sees seq n+1 without n. Several instances on one MongoDB can
 * still store n+1 a moment before n; readers that must not skip should re-read a short window.
 */
export class Events {
  private readonly appends = new SerialQueue();

  constructor(
    private readonly collection: Collection<StoredEvent>,
    private readonly counters: Counters,
    private readonly deps: Deps,
  ) {}

  async append(event: DomainEvent, at: Date = this.deps.now()): Promise<StoredEvent> {
    const parsed = parseEntity(domainEventSchema, event, 'event') as DomainEvent;
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
      throw new ValidationError('event.invalid', 'Invalid event: at must be a valid date');
    }
    return this.appends.run(async () => {
      const seq = await this.counters.next(EVENT_SEQ_COUNTER);
      const stored = { ...parsed, seq, at } as StoredEvent;
      await this.collection.insertOne(stored);
      return stored;
    });
  }

  /** Events with a sequence number greater than `seq`, in order. */
  async readAfter(seq: number, limit = 500): Promise<StoredEvent[]> {
    return this.collection.find(
      { seq: { $gt: seq } },
      { sort: { seq: 1 }, limit: Math.min(Math.max(1, limit), 5000) },
    );
  }

  async lastSeq(): Promise<number> {
    return this.counters.current(EVENT_SEQ_COUNTER);
  }

  async byConversation(conversationId: string): Promise<StoredEvent[]> {
    return this.collection.find({ conversationId }, { sort: { seq: 1 } });
  }

  async byAgent(agentId: string, range: EventRange = {}): Promise<StoredEvent[]> {
    return this.collection.find({ agentId, ...atFilter(range) }, { sort: { seq: 1 } });
  }

  async byType(types: DomainEventType | DomainEventType[], range: EventRange = {}): Promise<StoredEvent[]> {
    const type = Array.isArray(types) ? { $in: types } : types;
    return this.collection.find({ type, ...atFilter(range) }, { sort: { seq: 1 } });
  }
}

function atFilter(range: EventRange): Filter {
  if (!range.from && !range.to) return {};
  return { at: { ...(range.from ? { $gte: range.from } : {}), ...(range.to ? { $lt: range.to } : {}) } };
}
