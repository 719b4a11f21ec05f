import type { Deps } from '../../domain/deps.js';
import type {
  ChannelId,
  SentimentReading,
  Conversation,
  ConversationContext,
  ConversationStatus,
} from '../../domain/entities.js';
import { AUDIENCE_FIELDS, type ConversationAudience } from '../../domain/access.js';
import { NEGATIVE_SENTIMENT_LEVELS } from '../../domain/entities.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import { conversationSchema } from '../../domain/schemas.js';
import type { Collection, Filter, Update } from '../port.js';
import {
  assertReferencesExist,
  insertNew,
  notFound,
  pageOptions,
  parseEntity,
  withoutFields,
  type Page,
} from './support.js';

/** What the write that numbers a message returns: the number and the conversation's audience. */
const NUMBERED_FIELDS = ['lastMessageSeq', ...AUDIENCE_FIELDS] as const;
type NumberedField = (typeof NUMBERED_FIELDS)[number];

export type NewConversation = Pick<Conversation, 'channel' | 'customerId' | 'workstreamId'> &
  Partial<
    Omit<Conversation, 'id' | 'version' | 'lastMessageSeq' | 'channel' | 'customerId' | 'workstreamId'>
  > & {
    id?: string;
  };

export interface ConversationQuery {
  status?: ConversationStatus | ConversationStatus[];
  queueId?: string;
  agentId?: string;
  customerId?: string;
  workstreamId?: string;
  channel?: ChannelId;
  createdFrom?: Date;
  createdTo?: Date;
}

export interface ConversationRefs {
  customers: Collection<{ id: string }>;
  workstreams: Collection<{ id: string }>;
  queues: Collection<{ id: string }>;
  agents: Collection<{ id: string }>;
}

const emptyContext = (): ConversationContext => ({
  preChat: {},
  portalNavigation: [],
  visitor: { authenticated: false },
  custom: {},
});

/** What a customer message changes on its conversation, in the write that numbers it. */
export interface MessageAlso {
  sentiment?: SentimentReading;
  channelRef?: Record<string, unknown>;
}

const channelRefSchema = conversationSchema.shape.channelRef.unwrap();

/** Optimistic writes retry this often when someone else changed the conversation in between. */
export const WRITE_ATTEMPTS = 5;

/** Fields a state change never writes: ids and counters moved by their own atomic writes. */
const NOT_STEPPED = new Set(['id', 'version', 'lastMessageSeq', 'lastActivityAt']);

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return (
      ka.length === kb.length &&
      ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

/**
 * The update that turns `before` into `next`: the changed top-level fields only, plus the version
 * bump. Fields nobody changed are not written, so a step computed from an earlier read never
 * overwrites what a message wrote meanwhile (its sequence number, the rolling sentiment).
 */
export function stepUpdate(before: Conversation, next: Conversation): Update {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(next)])) {
    if (NOT_STEPPED.has(k)) continue;
    const b = (before as unknown as Record<string, unknown>)[k];
    const n = (next as unknown as Record<string, unknown>)[k];
    if (n === undefined) {
      if (b !== undefined) $unset[k] = '';
    } else if (!same(b, n)) $set[k] = n;
  }
  return {
    ...(Object.keys($set).length ? { $set } : {}),
    ...(Object.keys($unset).length ? { $unset } : {}),
    // Messages move lastActivityAt without a version change; a step must never move it back.
    $max: { lastActivityAt: next.lastActivityAt },
    $inc: { version: 1 },
  };
}

function toDomain(doc: Conversation | null): Conversation | null {
  // Documents written before activity ids moved out of the conversation may still carry them; the
  // store hands out its own copy, so one without them is handed on as it is.
  if (!doc || !LEGACY_FIELDS.some((f) => Object.hasOwn(doc, f))) return doc;
  return withoutFields(doc as Conversation & { seenActivityIds?: unknown }, LEGACY_FIELDS);
}
const LEGACY_FIELDS = ['seenActivityIds'] as const;

/** What the sweeper reads of a conversation whose capacity hold it checks (`holdersOf`). */
const HOLDER_FIELDS = ['id', 'agentId', 'status', 'workstreamId', 'queueId', 'timestamps'] as const;
export type Holder = Pick<Conversation, (typeof HOLDER_FIELDS)[number]>;

const QUEUED: ConversationStatus[] = ['waiting', 'offered'];
const HANDLED: ConversationStatus[] = ['active', 'wrap-up'];
export type HandledStatus = 'active' | 'wrap-up';

function statusFilter(status: ConversationStatus | ConversationStatus[]): unknown {
  return Array.isArray(status) ? { $in: status } : status;
}

export class Conversations {
  constructor(
    private readonly collection: Collection<Conversation>,
    private readonly refs: ConversationRefs,
    private readonly deps: Deps,
  ) {}

  async create(input: NewConversation): Promise<Conversation> {
    const now = this.deps.now();
    return this.insert({
      status: 'bot',
      requiredSkills: [],
      context: emptyContext(),
      participants: [],
      declinedBy: [],
      transferCount: 0,
      lastActivityAt: now,
      timestamps: { createdAt: now },
      ...input,
      id: input.id ?? this.deps.newId('conv'),
      lastMessageSeq: 0,
      version: 1,
    });
  }

  /** Stores a complete new conversation (its `lastMessageSeq` must be 0: messages come through `Messages`). */
  async insert(conversation: Conversation): Promise<Conversation> {
    const doc = parseEntity(conversationSchema, conversation, 'conversation');
    if (doc.lastMessageSeq !== 0) {
      throw new ValidationError('conversation.invalid', 'A new conversation starts with lastMessageSeq 0');
    }
    await this.checkReferences(doc);
    await insertNew(this.collection, 'conversation', doc);
    return doc;
  }

  async get(id: string): Promise<Conversation | null> {
    return toDomain(await this.collection.findOne({ id }));
  }

  /**
   * Who holds each of these conversations, in what status and since when (those that exist; one
   * query, order not kept): the few fields in `HOLDER_FIELDS` read, not the conversations.
   */
  async holdersOf(ids: readonly string[]): Promise<Holder[]> {
    if (ids.length === 0) return [];
    const docs = await this.collection.findFields({ id: { $in: [...new Set(ids)] } }, HOLDER_FIELDS);
    return docs.flatMap((c) => (c.id && c.status && c.timestamps ? [c as Holder] : []));
  }

  /**
   * Where the conversation's customer is answered (its channel reference), read alone: the relay
   * reads it for every message it sends, and the conversation around it is not needed there.
   * `undefined` when the conversation has none or does not exist.
   */
  async channelRefOf(id: string): Promise<Conversation['channelRef']> {
    const [doc] = await this.collection.findFields({ id }, ['channelRef'], { limit: 1 });
    return doc?.channelRef;
  }

  async require(id: string): Promise<Conversation> {
    const found = await this.get(id);
    if (!found) throw notFound('conversation', id);
    return found;
  }

  /**
   * The one conditional write every state change goes through (a claim is one write, never
   * read-then-write — docs/architecture.md, "Where each rule lives"): stores the fields `next`
   * changed relative to `before`, only if the stored version is still `before.version`, and bumps
   * the version. The loser of a race gets `null` and must reload. `next` is validated first.
   */
  async writeStep(
    before: Conversation,
    next: Conversation,
    /**
     * `transition`: `next` is the state machine's step from a stored (so valid) state, and only its
     * references need checking — routing's hot path, which re-validating whole documents slowed.
     */
    made: 'transition' | 'input' = 'input',
  ): Promise<Conversation | null> {
    if (next.id !== before.id)
      throw new ValidationError('conversation.invalid', `Cannot replace ${before.id} with ${next.id}`);
    const doc = made === 'transition' ? next : parseEntity(conversationSchema, next, 'conversation');
    await this.checkReferences(doc);
    return toDomain(
      await this.collection.findOneAndUpdate(
        { id: before.id, version: before.version },
        stepUpdate(before, doc),
      ),
    );
  }

  /**
   * Read, change, conditional write — retried when someone else wrote in between (a routing step,
   * another instance). `change` sees the fresh state each time, so a lost race surfaces as whatever
   * the change decides about the new state (the state machine throws on an illegal transition);
   * returning null means there is nothing to write.
   */
  async change(
    id: string,
    change: (c: Conversation) => Conversation | null,
    first?: Conversation,
    made: 'transition' | 'input' = 'input',
  ): Promise<{ before: Conversation; after: Conversation } | null> {
    let current = first ?? (await this.require(id));
    for (let attempt = 1; ; attempt++) {
      const next = change(current);
      if (!next) return null;
      const written = await this.writeStep(current, next, made);
      if (written) return { before: current, after: written };
      if (attempt >= WRITE_ATTEMPTS) {
        throw new ConflictError('conversation.write_conflict', 'The conversation kept changing; try again', {
          conversationId: id,
        });
      }
      current = await this.require(id);
    }
  }

  /**
   * Hands out the next per-conversation message sequence number (1, 2, 3 …) with one atomic `$inc`,
   * moving the last activity forward; what a customer message changes on the conversation (its new
   * rolling sentiment, the channel reference to answer on) rides on the same write. No version bump:
   * messages never conflict with state changes (see `stepUpdate`). The write returns the
   * conversation's audience as it left it (who may see the message: see `ConversationAudience`),
   * and none of the rest of the conversation.
   */
  async numberMessage(
    id: string,
    at: Date = this.deps.now(),
    also: MessageAlso = {},
  ): Promise<{ seq: number; audience: ConversationAudience }> {
    const $set: Partial<Pick<Conversation, 'sentiment' | 'channelRef'>> = {};
    if (also.sentiment) $set.sentiment = also.sentiment;
    if (also.channelRef) $set.channelRef = parseEntity(channelRefSchema, also.channelRef, 'conversation');
    const doc = await this.collection.findOneAndUpdateFields(
      { id },
      {
        $inc: { lastMessageSeq: 1 },
        $max: { lastActivityAt: at },
        ...(Object.keys($set).length > 0 ? { $set } : {}),
      },
      NUMBERED_FIELDS,
    );
    if (!doc) throw notFound('conversation', id);
    const { lastMessageSeq: seq, ...audience } = doc as Pick<Conversation, NumberedField>;
    return { seq, audience };
  }

  async find(query: ConversationQuery = {}, page: Page = {}): Promise<Conversation[]> {
    const filter: Filter = {};
    if (query.status !== undefined) filter.status = statusFilter(query.status);
    if (query.queueId !== undefined) filter.queueId = query.queueId;
    if (query.agentId !== undefined) filter.agentId = query.agentId;
    if (query.customerId !== undefined) filter.customerId = query.customerId;
    if (query.workstreamId !== undefined) filter.workstreamId = query.workstreamId;
    if (query.channel !== undefined) filter.channel = query.channel;
    if (query.createdFrom || query.createdTo) {
      filter['timestamps.createdAt'] = {
        ...(query.createdFrom ? { $gte: query.createdFrom } : {}),
        ...(query.createdTo ? { $lt: query.createdTo } : {}),
      };
    }
    const docs = await this.collection.find(filter, {
      ...pageOptions(page),
      sort: { 'timestamps.createdAt': -1 },
    });
    return docs.map((d) => toDomain(d)!);
  }

  async count(query: Pick<ConversationQuery, 'status' | 'queueId' | 'agentId'> = {}): Promise<number> {
    const filter: Filter = {};
    if (query.status !== undefined) filter.status = statusFilter(query.status);
    if (query.queueId !== undefined) filter.queueId = query.queueId;
    if (query.agentId !== undefined) filter.agentId = query.agentId;
    return this.collection.count(filter);
  }

  async findByStatus(
    status: ConversationStatus | ConversationStatus[],
    page: Page = {},
  ): Promise<Conversation[]> {
    return this.find({ status }, page);
  }

  /** Items an agent owns (offered to or accepted by), optionally in the given states. */
  async findByAgent(
    agentId: string,
    status?: ConversationStatus | ConversationStatus[],
  ): Promise<Conversation[]> {
    return this.find({ agentId, ...(status ? { status } : {}) }, { limit: 1000 });
  }

  /**
   * The agent's conversations closed since a time in the queues given (those they still serve), last
   * closed first (ties by id), a page after `after`; with how many there are in all since then.
   */
  async closedByAgent(
    agentId: string,
    since: Date,
    page: { limit: number; after?: { at: Date; id: string } },
    queueIds: readonly string[],
  ): Promise<{ items: Conversation[]; total: number }> {
    const filter: Filter = {
      agentId,
      status: 'closed',
      queueId: { $in: [...queueIds] },
      'timestamps.closedAt': { $gte: since },
    };
    const pageFilter: Filter = page.after
      ? {
          ...filter,
          $or: [
            { 'timestamps.closedAt': { $lt: page.after.at } },
            { 'timestamps.closedAt': page.after.at, id: { $gt: page.after.id } },
          ],
        }
      : filter;
    const [docs, total] = await Promise.all([
      this.collection.find(pageFilter, { sort: { 'timestamps.closedAt': -1, id: 1 }, limit: page.limit }),
      this.collection.count(filter),
    ]);
    return { items: docs.map((d) => toDomain(d)!), total };
  }

  async findByCustomer(customerId: string, page: Page = {}): Promise<Conversation[]> {
    return this.find({ customerId }, page);
  }

  /** The queue's waiting items, longest waiting first (first come, first served). */
  async listWaiting(queueId: string, limit = 100): Promise<Conversation[]> {
    const docs = await this.collection.find(
      { status: 'waiting', queueId },
      { sort: { 'timestamps.queuedAt': 1, id: 1 }, limit },
    );
    return docs.map((d) => toDomain(d)!);
  }

  /** Every waiting item of every queue, longest waiting first (the router's index at start and resync). */
  async listAllWaiting(): Promise<Conversation[]> {
    const docs = await this.collection.find(
      { status: 'waiting' },
      { sort: { 'timestamps.queuedAt': 1, id: 1 } },
    );
    return docs.map((d) => toDomain(d)!);
  }

  /**
   * How many of the queue's items wait for an agent (waiting or offered) and when the longest
   * waiting of them was queued: counted and one read, however long the line.
   */
  async backlog(queueId: string): Promise<{ count: number; oldestQueuedAt: Date | null }> {
    const filter = { status: { $in: QUEUED }, queueId };
    const [count, [oldest]] = await Promise.all([
      this.collection.count(filter),
      this.collection.find(filter, { sort: { 'timestamps.queuedAt': 1, id: 1 }, limit: 1 }),
    ]);
    return { count, oldestQueuedAt: oldest?.timestamps.queuedAt ?? null };
  }

  /** The queue's items that wait for an agent (waiting or offered), longest waiting first. */
  async queuedIn(queueId: string, limit: number): Promise<Conversation[]> {
    const docs = await this.collection.find(
      { status: { $in: QUEUED }, queueId },
      { sort: { 'timestamps.queuedAt': 1, id: 1 }, limit },
    );
    return docs.map((d) => toDomain(d)!);
  }

  /**
   * The queue's items agents are handling (active, wrap-up) in the order a supervisor looks at
   * them: negative live sentiment first, most negative first; then the rest, longest handled first.
   * Two reads, because MongoDB sorts a missing score (nothing scored yet) before every number.
   */
  async handledIn(queueId: string, limit: number): Promise<Conversation[]> {
    const handled = { status: { $in: HANDLED }, queueId };
    const unhappy = await this.collection.find(
      { ...handled, 'sentiment.level': { $in: [...NEGATIVE_SENTIMENT_LEVELS] } },
      { sort: { 'sentiment.score': 1, id: 1 }, limit },
    );
    const rest =
      unhappy.length < limit
        ? await this.collection.find(
            { ...handled, 'sentiment.level': { $nin: [...NEGATIVE_SENTIMENT_LEVELS] } },
            { sort: { 'timestamps.acceptedAt': 1, id: 1 }, limit: limit - unhappy.length },
          )
        : [];
    return [...unhappy, ...rest].map((d) => toDomain(d)!);
  }

  /**
   * What each of these agents is handling, as states (an agent with an active item and one in
   * wrap-up has both): two fields of each item are read, not the items.
   */
  async handlingStates(agentIds: readonly string[]): Promise<Map<string, Set<HandledStatus>>> {
    const out = new Map<string, Set<HandledStatus>>();
    if (agentIds.length === 0) return out;
    const items = await this.collection.findFields(
      { agentId: { $in: [...new Set(agentIds)] }, status: { $in: HANDLED } },
      ['agentId', 'status'],
    );
    for (const { agentId, status } of items) {
      if (!agentId) continue;
      let states = out.get(agentId);
      if (!states) out.set(agentId, (states = new Set()));
      states.add(status as HandledStatus);
    }
    return out;
  }

  /** Every open offer's expiry, however many (a restarted router re-arms each one's timer). */
  async openOffers(): Promise<Array<Pick<Conversation, 'id' | 'offerExpiresAt'>>> {
    const offers = await this.collection.findFields({ status: 'offered' }, ['id', 'offerExpiresAt']);
    return offers.flatMap(({ id, offerExpiresAt }) => (id ? [{ id, offerExpiresAt }] : []));
  }

  /** Offers whose time ran out, for the sweep that re-offers them. */
  async findExpiredOffers(now: Date, limit = 500): Promise<Conversation[]> {
    const docs = await this.collection.find(
      { status: 'offered', offerExpiresAt: { $lte: now } },
      { sort: { offerExpiresAt: 1 }, limit },
    );
    return docs.map((d) => toDomain(d)!);
  }

  private async checkReferences(doc: Conversation): Promise<void> {
    await assertReferencesExist(this.refs.customers, 'customer', [doc.customerId], 'conversation');
    await assertReferencesExist(this.refs.workstreams, 'workstream', [doc.workstreamId], 'conversation');
    await assertReferencesExist(this.refs.queues, 'queue', [doc.queueId], 'conversation');
    await assertReferencesExist(
      this.refs.agents,
      'agent',
      [doc.agentId, ...doc.participants.map((p) => p.agentId)],
      'conversation',
    );
  }
}
