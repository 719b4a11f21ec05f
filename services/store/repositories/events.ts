import type { Deps } from '../../domain/deps.js';
import {
  EventSaidBefore,
  onceKey,
  type DomainEvent,
  type DomainEventType,
  type StoredEvent,
} from '../../domain/events.js';
import type { SentimentLevel } from '../../domain/entities.js';
import { ValidationError } from '../../domain/errors.js';
import { domainEventSchema } from '../../domain/schemas.js';
import { DuplicateKeyError, type Collection, type Filter } from '../port.js';
import type { Counters } from './counters.js';
import { parseEntity, withoutFields } from './support.js';

export const EVENT_SEQ_COUNTER = 'events';
/** Wall-clock time an event was stored (store-internal, not part of StoredEvent). */
const STORED_AT = 'storedAtMs';
/** What the event says that may be said once (`onceKey`), under a unique index (store-internal). */
export const ONCE = 'once';
/** How long `readAfter` holds events back behind a missing sequence number (see readAfter). */
export const DEFAULT_GAP_GRACE_MS = 2000;

/**
 * What fills a sequence number a reader gave up waiting for (see readAfter). Stored in the log so
 * every reader skips it alike and no writer can store an event there afterwards; never returned.
 */
const SEALED = 'log.sealed_gap';

type EventDoc = StoredEvent & { [STORED_AT]?: number; [ONCE]?: string };
type SealedDoc = { seq: number; type: typeof SEALED; [STORED_AT]: number };

/** Appends stored as one block at most: bounds one insert's size (a wire message on MongoDB). */
const MAX_BLOCK_APPENDS = 256;

/** What became of one caller's events: stored now, or left out because the log already said them. */
interface Outcome {
  stored: StoredEvent[];
  saidBefore: StoredEvent[];
}

interface Append {
  events: DomainEvent[];
  at: Date;
  resolve(outcome: Outcome): void;
  reject(err: unknown): void;
}

interface Pending {
  event: DomainEvent;
  caller: number;
  once: string | undefined;
}

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
 * therefore stops at a missing number until the grace period says its writer died, and then seals
 * the number (one conditional upsert) rather than just passing it: a writer that was only slow — a
 * starved machine can stall one for seconds — finds its number taken and appends again under new
 * numbers, so its events arrive late but are never skipped.
 *
 * `appendMany` takes a block of consecutive numbers with ONE counter write (`$inc` by the block's
 * size) and stores the block with one insert: a block is to readers exactly what that many single
 * appends by one writer are (numbers taken before their events are stored, a gap held back until its
 * writer is presumed dead), at two writes per block instead of two per event.
 *
 * Appends that arrive while a block is being stored wait, and then go together as the next block
 * (group commit): under load, fifty conversations' messages cost two writes between them rather than
 * two each, and an append on a quiet log is stored at once. Each caller's events stay consecutive,
 * callers are numbered in the order they called, and each is answered once its own events are stored.
 */
export class Events {
  private readonly gapGraceMs: number;
  /** Appends waiting for the block being stored to finish. */
  private readonly waiting: Append[] = [];
  private storing = false;

  constructor(
    private readonly collection: Collection<EventDoc>,
    private readonly counters: Counters,
    private readonly deps: Deps,
    options: EventsOptions = {},
  ) {
    this.gapGraceMs = options.gapGraceMs ?? DEFAULT_GAP_GRACE_MS;
  }

  /** Rejects with `EventSaidBefore` (storing nothing) when the log already says what it says. */
  async append(event: DomainEvent, at: Date = this.deps.now()): Promise<StoredEvent> {
    const { stored, saidBefore } = await this.enqueue([event], at);
    if (stored[0]) return stored[0];
    throw new EventSaidBefore(saidBefore[0]!);
  }

  /**
   * Appends events in the order given, with consecutive sequence numbers, in two writes whatever
   * their number. Every event is validated before anything is written: one invalid event stores none.
   * An event the log already says (`onceKey`: a message announced before) is left out of the answer.
   */
  async appendMany(events: readonly DomainEvent[], at: Date = this.deps.now()): Promise<StoredEvent[]> {
    return (await this.enqueue(events, at)).stored;
  }

  private async enqueue(events: readonly DomainEvent[], at: Date): Promise<Outcome> {
    const parsed = events.map((e) => parseEntity(domainEventSchema, e, 'event') as DomainEvent);
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
      throw new ValidationError('event.invalid', 'Invalid event: at must be a valid date');
    }
    if (parsed.length === 0) return { stored: [], saidBefore: [] };
    return new Promise<Outcome>((resolve, reject) => {
      this.waiting.push({ events: parsed, at, resolve, reject });
      if (!this.storing) void this.storeWaiting();
    });
  }

  /** Stores what is waiting, a block at a time, until nothing is. */
  private async storeWaiting(): Promise<void> {
    this.storing = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, MAX_BLOCK_APPENDS);
        try {
          const stored = await this.storeBlock(group);
          group.forEach((append, i) => append.resolve(stored[i]!));
        } catch (err) {
          if (group.length === 1) group[0]!.reject(err);
          // What the store refused may be one caller's events: each tries alone, so no caller fails
          // for another's. The numbers the failed block took are a gap readers seal, as after any
          // failed append.
          else for (const append of group) await this.storeAlone(append);
        }
      }
    } finally {
      this.storing = false;
    }
  }

  private async storeAlone(append: Append): Promise<void> {
    try {
      append.resolve((await this.storeBlock([append]))[0]!);
    } catch (err) {
      append.reject(err);
    }
  }

  /** One block of appends; what became of each append's events, in the group's order. */
  private async storeBlock(group: readonly Append[]): Promise<Outcome[]> {
    const out: Outcome[] = group.map(() => ({ stored: [], saidBefore: [] }));
    const all = group.flatMap((append, caller) =>
      append.events.map((event): Pending => ({ event, caller, once: onceKey(event) })),
    );
    // One block saying a thing twice would be refused whole: the second saying waits for the first.
    const { first: firsts, repeats } = splitRepeats(all);
    let pending = firsts;
    while (pending.length > 0) {
      // Taken before the numbers: a reader seals a number only a grace period after an event
      // numbered later was stored, so an append that finished sooner than that cannot be sealed.
      const began = Date.now();
      const last = await this.counters.next(EVENT_SEQ_COUNTER, pending.length);
      const first = last - pending.length + 1;
      const stored = pending.map(
        ({ event, caller }, i) => ({ ...event, seq: first + i, at: group[caller]!.at }) as StoredEvent,
      );
      // Wall-clock, not deps.now(): it measures how long a gap has existed, not domain time.
      const storedAt = Date.now();
      const docs = stored.map((e, i) => {
        const once = pending[i]!.once;
        return once === undefined
          ? { ...e, [STORED_AT]: storedAt }
          : { ...e, [STORED_AT]: storedAt, [ONCE]: once };
      });
      let refused = false;
      try {
        if (docs.length === 1) await this.collection.insertOne(docs[0]!);
        else await this.collection.insertMany(docs);
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
        refused = true;
      }
      // Half the grace period leaves room for clocks of several machines that disagree a little.
      if (!refused && Date.now() - began < this.gapGraceMs / 2) {
        stored.forEach((e, i) => out[pending[i]!.caller]!.stored.push(e));
        break;
      }
      // Stored too late or refused: the events a reader sealed the numbers of go again.
      const unsealed = await this.withoutSealed(first, last);
      stored.forEach((e, i) => {
        if (unsealed.has(e.seq)) out[pending[i]!.caller]!.stored.push(e);
      });
      pending = pending.filter((_, i) => !unsealed.has(first + i));
      if (refused) {
        await this.sealUnused(first, last, unsealed);
        pending = await this.withoutSaidBefore(pending, out);
      }
    }
    if (repeats.length > 0) {
      const said = new Map<string, StoredEvent>();
      for (const { stored, saidBefore } of out)
        for (const e of [...stored, ...saidBefore]) said.set(onceKey(e)!, e);
      for (const { caller, once } of repeats) out[caller]!.saidBefore.push(said.get(once!)!);
    }
    return out;
  }

  /**
   * The numbers `first`…`last` of a refused block that hold none of its events are sealed by the
   * writer itself: readers would otherwise hold every later event back for the grace period.
   */
  private async sealUnused(first: number, last: number, used: ReadonlySet<number>): Promise<void> {
    // At once, not one after the other: every append waits behind this block.
    const seals: Array<Promise<boolean>> = [];
    for (let n = first; n <= last; n++) if (!used.has(n)) seals.push(this.seal(n, n + 1));
    await Promise.all(seals);
  }

  /** Leaves out (as said before) the pending events the log already says, by another writer. */
  private async withoutSaidBefore(pending: Pending[], out: Outcome[]): Promise<Pending[]> {
    const keys = pending.flatMap((p) => (p.once === undefined ? [] : [p.once]));
    if (keys.length === 0) return pending;
    const earlier = new Map(
      (await this.collection.find({ [ONCE]: { $in: keys } })).map((d) => [d[ONCE]!, toEvent(d)]),
    );
    return pending.filter((p) => {
      const said = p.once === undefined ? undefined : earlier.get(p.once);
      if (said) out[p.caller]!.saidBefore.push(said);
      return !said;
    });
  }

  /**
   * After a slow append: which of its numbers `first`…`last` hold its events rather than a seal. A
   * store with unique indexes refused the sealed ones (MongoDB stores an ordered block up to the
   * first refused document); one without them stored them beside the seal, where they are removed.
   * The events not kept are appended again, in order, under new numbers.
   */
  private async withoutSealed(first: number, last: number): Promise<Set<number>> {
    const docs = await this.collection.find({ seq: { $gte: first, $lte: last } });
    const sealed = new Set(docs.filter(isSealed).map((d) => d.seq));
    if (sealed.size > 0)
      await this.collection.deleteMany({ seq: { $in: [...sealed] }, type: { $ne: SEALED } });
    return new Set(docs.filter((d) => !isSealed(d) && !sealed.has(d.seq)).map((d) => d.seq));
  }

  /**
   * Events with a sequence number greater than `seq`, in order, without skipping one that is still
   * being stored: the result stops before a missing number, unless the event after the gap was
   * stored longer than the grace period ago. Then the missing numbers are sealed, so the writer
   * that took them (dead, or so slow it may as well be) can never store an event behind readers.
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
      if (doc.seq !== expected) {
        if (now - (doc[STORED_AT] ?? 0) < this.gapGraceMs) break;
        if (!(await this.seal(expected, doc.seq))) break;
      }
      if (!isSealed(doc)) out.push(toEvent(doc));
      expected = doc.seq + 1;
    }
    return out;
  }

  /** Seals the numbers `from` up to `to` (exclusive); false if an event got there first. */
  private async seal(from: number, to: number): Promise<boolean> {
    const seals = this.collection as unknown as Collection<SealedDoc>;
    for (let n = from; n < to; n++) {
      try {
        // Only if nothing holds the number: one conditional write, atomic on every store we support.
        const before = await seals.findOneAndUpdate(
          { seq: n },
          { $setOnInsert: { seq: n, type: SEALED, [STORED_AT]: Date.now() } },
          { upsert: true, returnDocument: 'before' },
        );
        // The writer stored it after all, or another reader sealed it: read again from here.
        if (before !== null) return false;
      } catch (err) {
        if (err instanceof DuplicateKeyError) return false;
        throw err;
      }
    }
    return true;
  }

  async lastSeq(): Promise<number> {
    return this.counters.current(EVENT_SEQ_COUNTER);
  }

  async byConversation(conversationId: string): Promise<StoredEvent[]> {
    return (await this.collection.find({ conversationId }, { sort: { seq: 1 } })).map(toEvent);
  }

  /**
   * The conversation's events of one type in order — or, with `latest`, only that many of the
   * latest (before `beforeSeq`, for `agentId`), still in order: a long conversation has thousands of
   * events, and a caller after its previous sentiment reading or its current offer needs one of them.
   */
  async ofConversation<K extends DomainEventType>(
    conversationId: string,
    type: K,
    opts: { latest?: number; beforeSeq?: number; agentId?: string } = {},
  ): Promise<Array<Extract<StoredEvent, { type: K }>>> {
    const docs = await this.collection.find(
      {
        conversationId,
        type,
        ...(opts.beforeSeq !== undefined ? { seq: { $lt: opts.beforeSeq } } : {}),
        ...(opts.agentId !== undefined ? { agentId: opts.agentId } : {}),
      },
      opts.latest !== undefined ? { sort: { seq: -1 }, limit: opts.latest } : { sort: { seq: 1 } },
    );
    if (opts.latest !== undefined) docs.reverse();
    return docs.map(toEvent) as Array<Extract<StoredEvent, { type: K }>>;
  }

  /**
   * How many sentiment alerts each of these conversations raised for one recipient: one read of the
   * alerts, not of every event of every conversation.
   */
  /** The sentiment alerts raised for `recipientId` on each conversation: how many, and the latest. */
  async alertCounts(
    recipientId: string,
    conversationIds: readonly string[],
  ): Promise<Map<string, { count: number; last: { level: SentimentLevel; at: Date } }>> {
    const out = new Map<string, { count: number; last: { level: SentimentLevel; at: Date } }>();
    if (conversationIds.length === 0) return out;
    const alerts = await this.collection.find(
      { conversationId: { $in: [...new Set(conversationIds)] }, type: 'sentiment.alert', recipientId },
      { sort: { seq: 1 } },
    );
    for (const a of alerts) {
      if (a.type !== 'sentiment.alert') continue;
      const seen = out.get(a.conversationId);
      out.set(a.conversationId, { count: (seen?.count ?? 0) + 1, last: { level: a.level, at: a.at } });
    }
    return out;
  }

  async byAgent(agentId: string, range: EventRange = {}): Promise<StoredEvent[]> {
    return (await this.collection.find({ agentId, ...atFilter(range) }, { sort: { seq: 1 } })).map(toEvent);
  }

  async byType(types: DomainEventType | DomainEventType[], range: EventRange = {}): Promise<StoredEvent[]> {
    const type = Array.isArray(types) ? { $in: types } : types;
    return (await this.collection.find({ type, ...atFilter(range) }, { sort: { seq: 1 } })).map(toEvent);
  }
}

function isSealed(doc: EventDoc): boolean {
  return (doc.type as string) === SEALED;
}

function toEvent(doc: EventDoc): StoredEvent {
  return withoutFields(doc, [STORED_AT, ONCE]);
}

/** The events in order, without those that say again what an earlier one in the list says. */
function splitRepeats(all: Pending[]): { first: Pending[]; repeats: Pending[] } {
  let saying = 0;
  for (const p of all) if (p.once !== undefined) saying += 1;
  if (saying < 2) return { first: all, repeats: [] };
  const seen = new Set<string>();
  const first: Pending[] = [];
  const repeats: Pending[] = [];
  for (const p of all) {
    if (p.once === undefined || !seen.has(p.once)) first.push(p);
    else repeats.push(p);
    if (p.once !== undefined) seen.add(p.once);
  }
  return { first, repeats };
}

function atFilter(range: EventRange): Filter {
  if (!range.from && !range.to) return {};
  return { at: { ...(range.from ? { $gte: range.from } : {}), ...(range.to ? { $lt: range.to } : {}) } };
}
