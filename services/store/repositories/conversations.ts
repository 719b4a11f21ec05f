import type { Deps } from '../../domain/deps.js';
import type {
  ChannelId,
  Conversation,
  ConversationContext,
  ConversationStatus,
} from '../../domain/entities.js';
import { ValidationError } from '../../domain/errors.js';
import { conversationSchema } from '../../domain/schemas.js';
import type { Collection, Filter } from '../port.js';
import {
  assertReferencesExist,
  insertNew,
  notFound,
  pageOptions,
  parseEntity,
  withoutFields,
  type Page,
} from './support.js';

/**
 * Bot Framework activity ids already turned into messages, kept on the conversation document so a
 * retry is recognised by the same single-document conditional write that hands out the sequence
 * number — this holds on stores that do not enforce unique indexes (CongoDB) too.
 */
export const SEEN_ACTIVITY_IDS = 'seenActivityIds';
/**
 * How many recent activity ids a conversation remembers. Channel retries come within seconds; an
 * older repeat is still caught by the message's id derived from the activity id (unique index),
 * at the cost of an unused sequence number. Bounded so a long conversation's document stays small.
 */
export const SEEN_ACTIVITY_WINDOW = 200;
const INTERNAL_FIELDS = [SEEN_ACTIVITY_IDS] as const;

type StoredConversation = Conversation & { [SEEN_ACTIVITY_IDS]?: string[] };

/** Optional fields `replaceIf` clears when the next state no longer has them (e.g. agentId after a transfer). */
const CLEARABLE: ReadonlyArray<keyof Conversation> = [
  'queueId',
  'agentId',
  'offerExpiresAt',
  'caseId',
  'sentiment',
  'botOutcome',
  'disposition',
  'csat',
  'channelRef',
];

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

function toDomain(doc: StoredConversation | null): Conversation | null {
  return doc ? withoutFields(doc, INTERNAL_FIELDS) : null;
}

function statusFilter(status: ConversationStatus | ConversationStatus[]): unknown {
  return Array.isArray(status) ? { $in: status } : status;
}

export class Conversations {
  constructor(
    private readonly collection: Collection<StoredConversation>,
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
    await insertNew(this.collection, 'conversation', { ...doc, [SEEN_ACTIVITY_IDS]: [] });
    return doc;
  }

  async get(id: string): Promise<Conversation | null> {
    return toDomain(await this.collection.findOne({ id }));
  }

  async require(id: string): Promise<Conversation> {
    const found = await this.get(id);
    if (!found) throw notFound('conversation', id);
    return found;
  }

  /**
   * The optimistic conditional write every state change goes through (CONVENTIONS §13): stores
   * `next` only if the stored version is still `expectedVersion`, and bumps the version. The loser
   * of a race gets `null` and must reload. `lastMessageSeq` is never taken from `next` and
   * `lastActivityAt` only moves forward (messages advance both without a version change).
   */
  async replaceIf(id: string, expectedVersion: number, next: Conversation): Promise<Conversation | null> {
    if (next.id !== id)
      throw new ValidationError('conversation.invalid', `Cannot replace ${id} with ${next.id}`);
    const doc = parseEntity(conversationSchema, next, 'conversation');
    await this.checkReferences(doc);
    const $set: Record<string, unknown> = { ...doc };
    delete $set.id;
    delete $set.version;
    delete $set.lastMessageSeq;
    // Messages move lastActivityAt forward without a version change; a state change computed from
    // an earlier read must not move it back.
    delete $set.lastActivityAt;
    const $unset: Record<string, ''> = {};
    for (const field of CLEARABLE) if (doc[field] === undefined) $unset[field] = '';
    const updated = await this.collection.findOneAndUpdate(
      { id, version: expectedVersion },
      {
        $set,
        $max: { lastActivityAt: doc.lastActivityAt },
        $inc: { version: 1 },
        ...(Object.keys($unset).length ? { $unset } : {}),
      },
    );
    return toDomain(updated);
  }

  /** Hands out the next per-conversation message sequence number (1, 2, 3 …) with one atomic `$inc`. */
  async nextMessageSeq(id: string, at: Date = this.deps.now()): Promise<number> {
    const doc = await this.collection.findOneAndUpdate(
      { id },
      { $inc: { lastMessageSeq: 1 }, $max: { lastActivityAt: at } },
    );
    if (!doc) throw notFound('conversation', id);
    return doc.lastMessageSeq;
  }

  /**
   * Like `nextMessageSeq`, but only if `activityId` has not been seen on this conversation; `null`
   * when it has (a Bot Framework retry). Check and record are one conditional write.
   */
  async nextMessageSeqForActivity(
    id: string,
    activityId: string,
    at: Date = this.deps.now(),
  ): Promise<number | null> {
    const doc = await this.collection.findOneAndUpdate(
      { id, [SEEN_ACTIVITY_IDS]: { $ne: activityId } },
      {
        $inc: { lastMessageSeq: 1 },
        $max: { lastActivityAt: at },
        $push: { [SEEN_ACTIVITY_IDS]: { $each: [activityId], $slice: -SEEN_ACTIVITY_WINDOW } },
      },
    );
    if (doc) return doc.lastMessageSeq;
    if ((await this.collection.count({ id })) === 0) throw notFound('conversation', id);
    return null;
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

  /** Offers whose time ran out, for the sweep that re-offers them. */
  async findExpiredOffers(now: Date, limit = 500): Promise<Conversation[]> {
    const docs = await this.collection.find(
      { status: 'offered', offerExpiresAt: { $lte: now } },
      { sort: { offerExpiresAt: 1 }, limit },
    );
    return docs.map((d) => toDomain(d)!);
  }

  /** Conversations in the given states with no activity since `before` (inactivity auto-close). */
  async findInactive(
    before: Date,
    status: ConversationStatus[] = ['bot', 'active', 'wrap-up'],
    limit = 500,
  ): Promise<Conversation[]> {
    const docs = await this.collection.find(
      { status: { $in: status }, lastActivityAt: { $lt: before } },
      { sort: { lastActivityAt: 1 }, limit },
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
