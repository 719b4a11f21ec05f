import type { Deps } from '../../domain/deps.js';
import type { DomainEvent, DomainEventType, StoredEvent } from '../../domain/events.js';
import { ValidationError } from '../../domain/errors.js';
import { domainEventSchema } from '../../domain/schemas.js';
import { SerialQueue } from '../serial-queue.js';
import type { Collection, Filter } from '../port.js';
import type { Counters } from './counters.js';
import { parseEntity, withoutFields } from './support.js';

export const EVENT_SEQ_COUNTER = 'events';
/** Wall-clock time an event was stored (store-internal, not part of StoredEvent). */
const STORED_AT = 'storedAtMs';
/** How long `readAfter` holds events back behind a missing sequence number (see readAfter). */
export const DEFAULT_GAP_GRACE_MS = 2000;

type EventDoc = StoredEvent & { [STORED_AT]?: number };

export interface EventsOptions {
  gapGraceMs?: number;
}

export interface EventRange {
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/**
 * The event log: every event gets the next GLOBAL sequence number from one atomic
 * counter. Readers resume with `readAfter(lastSeenSeq)`.
 *
 * Within one process appends are serialized, so an event is stored before the next sequence number
 * is handed out. Several instances on one MongoDB can store n+1 a moment before n; `readAfter`
 * therefore stops at a missing number until the grace period says its writer died.
 *
 * `appendMany` takes a block of consecutive numbers with ONE counter write (`$inc` by the block's
 * size) and stores the block with one insert: a block is to readers exactly what that many single
 * appends by one writer are (numbers taken before their events are stored, a gap held back until its
 * writer is presumed dead), at two writes per block instead of two per event.
 */
export class Events {
  private readonly appends = new SerialQueue();
  private readonly gapGraceMs: number;

  constructor(
    private readonly collection: Collection<EventDoc>,
    private readonly counters: Counters,
    private readonly deps: Deps,
    options: EventsOptions = {},
  ) {
    this.gapGraceMs = options.gapGraceMs ?? DEFAULT_GAP_GRACE_MS;
  }

  async append(event: DomainEvent, at: Date = this.deps.now()): Promise<StoredEvent> {
    const [stored] = await this.appendMany([event], at);
    return stored!;
  }

  /**
   * Appends events in the order given, with consecutive sequence numbers, in two writes whatever
   * their number. Every event is validated before anything is written: one invalid event stores none.
   */
  async appendMany(events: readonly DomainEvent[], at: Date = this.deps.now()): Promise<StoredEvent[]> {
    const parsed = events.map((e) => parseEntity(domainEventSchema, e, 'event') as DomainEvent);
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
      throw new ValidationError('event.invalid', 'Invalid event: at must be a valid date');
    }
    if (parsed.length === 0) return [];
    return this.appends.run(async () => {
      const last = await this.counters.next(EVENT_SEQ_COUNTER, parsed.length);
      const first = last - parsed.length + 1;
      const stored = parsed.map((e, i) => ({ ...e, seq: first + i, at }) as StoredEvent);
      // Wall-clock, not deps.now(): it measures how long a gap has existed, not domain time.
      const storedAt = Date.now();
      const docs = stored.map((e) => ({ ...e, [STORED_AT]: storedAt }));
      if (docs.length === 1) await this.collection.insertOne(docs[0]!);
      else await this.collection.insertMany(docs);
      return stored;
    });
  }

  /**
   * Events with a sequence number greater than `seq`, in order, without skipping one that is still
   * being stored: the result stops before a missing number, unless the event after the gap was
   * stored longer than the grace period ago (then the missing number's writer died between taking
   * it and storing the event, and it will never appear).
   */
  async readAfter(seq: number, limit = 500): Promise<StoredEvent[]> {
    const docs = await this.collection.find(
      { seq: { $gt: seq } },
      { sort: { seq: 1 }, limit: Math.min(Math.max(1, limit), 5000) },
    );
    const out: StoredEvent[] = [];
    let expected = seq + 1;
    const now = Date.now();
    for (const doc of docs) {
      if (doc.seq !== expected && now - (doc[STORED_AT] ?? 0) < this.gapGraceMs) break;
      out.push(toEvent(doc));
      expected = doc.seq + 1;
    }
    return out;
  }

  async lastSeq(): Promise<number> {
    return this.counters.current(EVENT_SEQ_COUNTER);
  }

  async byConversation(conversationId: string): Promise<StoredEvent[]> {
    return (await this.collection.find({ conversationId }, { sort: { seq: 1 } })).map(toEvent);
  }

  async byAgent(agentId: string, range: EventRange = {}): Promise<StoredEvent[]> {
    return (await this.collection.find({ agentId, ...atFilter(range) }, { sort: { seq: 1 } })).map(toEvent);
  }

  async byType(types: DomainEventType | DomainEventType[], range: EventRange = {}): Promise<StoredEvent[]> {
    const type = Array.isArray(types) ? { $in: types } : types;
    return (await this.collection.find({ type, ...atFilter(range) }, { sort: { seq: 1 } })).map(toEvent);
  }
}

function toEvent(doc: EventDoc): StoredEvent {
  return withoutFields(doc, [STORED_AT]);
}

function atFilter(range: EventRange): Filter {
  if (!range.from && !range.to) return {};
  return { at: { ...(range.from ? { $gte: range.from } : {}), ...(range.to ? { $lt: range.to } : {}) } };
}
