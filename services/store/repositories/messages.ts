import { createHash } from 'node:crypto';
import type { Deps } from '../../domain/deps.js';
import type { ConversationAudience } from '../../domain/access.js';
import type { Message, Visibility } from '../../domain/entities.js';
import { messageSchema } from '../../domain/schemas.js';
import { DuplicateKeyError, type Collection, type Filter } from '../port.js';
import type { Conversations, MessageAlso } from './conversations.js';
import { parseEntity } from './support.js';

export type NewMessage = Pick<Message, 'conversationId' | 'author' | 'text'> &
  Partial<Omit<Message, 'seq' | 'conversationId' | 'author' | 'text'>> & {
    /**
     * The sending client's idempotency key (not stored): the message's id is derived from it and
     * its author, so a send repeated under it is stored once, like an activity's retry.
     */
    clientKey?: string;
  };

export interface AppendResult {
  message: Message;
  /** The activity id was already stored: `message` is the earlier one and nothing was written. */
  duplicate: boolean;
  /** Who may see the conversation, as the write that numbered the message left it (not for a duplicate). */
  audience?: ConversationAudience;
}

export interface MessagePage {
  items: Message[];
  /** Present when more messages follow: the `afterSeq` that asks for the next page. */
  nextCursor?: number;
}

export interface MessageQuery {
  /** Only messages with a greater sequence number. */
  afterSeq?: number;
  limit?: number;
  /** `public` for what a customer may see; omit for everything (agents and supervisors). */
  visibility?: Visibility;
}

/**
 * Messages of Bot Framework activities get an id derived from (conversation, activity id). The
 * messages' unique id index is then the record of which activities were already stored: a channel's
 * retry finds its message by that id (one read), and two writers racing on one activity collide on
 * it. Nothing about activities is kept on the conversation document, so a message costs the same
 * bytes whatever the conversation's length.
 */
export function activityMessageId(conversationId: string, activityId: string): string {
  return `msg_${createHash('sha256').update(`${conversationId}\n${activityId}`).digest('hex').slice(0, 32)}`;
}

/** The id of the message an author sent under a client's idempotency key (see `NewMessage`). */
function clientMessageId(conversationId: string, authorId: string, key: string): string {
  return activityMessageId(conversationId, `client ${authorId} ${key}`);
}

export class Messages {
  /** Activity messages this process has claimed a seq for and is storing now. */
  private readonly storing = new Map<string, Promise<AppendResult>>();

  constructor(
    private readonly collection: Collection<Message>,
    private readonly conversations: Conversations,
    private readonly deps: Deps,
  ) {}

  /**
   * Appends a message with the conversation's next sequence number. A Bot Framework activity id
   * already stored for the conversation is ignored (so is a client key its author used before): the
   * stored message comes back with `duplicate: true`. Input is validated before a sequence number
   * is taken, so a rejected message leaves no gap. `also` (what a customer message changes on its
   * conversation: the rolling sentiment, the channel reference) is written with the sequence number,
   * in the same write. `looked`: the caller asked for this message (`ofActivity`, `ofClientKey`)
   * moments ago and was told none is stored, so it is not asked again (the unique id still refuses
   * a second copy).
   */
  async append(
    input: NewMessage,
    at: Date = this.deps.now(),
    also: MessageAlso = {},
    looked?: { unstored: true },
  ): Promise<AppendResult> {
    const { clientKey, ...fields } = input;
    const draft = parseEntity(
      messageSchema,
      {
        visibility: 'public',
        attachments: [],
        createdAt: at,
        ...fields,
        id:
          fields.id ??
          (fields.activityId
            ? activityMessageId(fields.conversationId, fields.activityId)
            : clientKey !== undefined
              ? clientMessageId(fields.conversationId, fields.authorId ?? fields.author, clientKey)
              : this.deps.newId('msg')),
        seq: 1,
      },
      'message',
    );
    if (!draft.activityId && clientKey === undefined) {
      const { seq, audience } = await this.conversations.numberMessage(draft.conversationId, at, also);
      const message = { ...draft, seq };
      await this.collection.insertOne(message);
      return { message, duplicate: false, audience };
    }
    // Retries of one activity (or key) in this process wait for the first and get its message.
    const key = draft.id;
    const inFlight = this.storing.get(key);
    if (inFlight) {
      const first = await inFlight.catch(() => null);
      if (first) return { message: first.message, duplicate: true };
    }
    const storing = this.storeActivityMessage(draft, at, also, looked?.unstored === true);
    this.storing.set(key, storing);
    try {
      return await storing;
    } finally {
      if (this.storing.get(key) === storing) this.storing.delete(key);
    }
  }

  async get(conversationId: string, messageId: string): Promise<Message | null> {
    return this.collection.findOne({ id: messageId, conversationId });
  }

  /**
   * The message a Bot Framework activity was stored as, if it was: the read `append` makes before
   * numbering one, which a caller can make beside its own reads (see `append`'s `looked`).
   */
  async ofActivity(conversationId: string, activityId: string): Promise<Message | null> {
    return this.collection.findOne({ id: activityMessageId(conversationId, activityId) });
  }

  /** The message its author sent under a client's idempotency key, if stored (as `ofActivity`). */
  async ofClientKey(conversationId: string, authorId: string, clientKey: string): Promise<Message | null> {
    return this.collection.findOne({ id: clientMessageId(conversationId, authorId, clientKey) });
  }

  /** In sequence order; at most one page (`query.limit`, else 1,000; never more than 5,000). */
  async list(conversationId: string, query: MessageQuery = {}): Promise<Message[]> {
    return (await this.page(conversationId, query)).items;
  }

  /**
   * One page in sequence order, and `nextCursor` (the last seq on it, the `afterSeq` to ask next)
   * when more messages follow, so no reader takes a full page for the whole conversation. Asks one
   * message past the page rather than counting: the answer is exact and costs the same read.
   */
  async page(conversationId: string, query: MessageQuery = {}): Promise<MessagePage> {
    const filter: Filter = { conversationId };
    if (query.afterSeq !== undefined) filter.seq = { $gt: query.afterSeq };
    if (query.visibility) filter.visibility = query.visibility;
    const limit = Math.min(Math.max(1, query.limit ?? 1000), 5000);
    const docs = await this.collection.find(filter, { sort: { seq: 1 }, limit: limit + 1 });
    if (docs.length <= limit) return { items: docs };
    const items = docs.slice(0, limit);
    return { items, nextCursor: items[items.length - 1]!.seq };
  }

  /**
   * Every message matching `query` (past `afterSeq`), page by page: for what must not be cut short,
   * like the transcript sent to a customer or the check that a file belongs to a conversation.
   */
  async all(conversationId: string, query: Omit<MessageQuery, 'limit'> = {}): Promise<Message[]> {
    const out: Message[] = [];
    let afterSeq = query.afterSeq;
    for (;;) {
      const { items, nextCursor } = await this.page(conversationId, { ...query, afterSeq, limit: 5000 });
      out.push(...items);
      if (nextCursor === undefined) return out;
      afterSeq = nextCursor;
    }
  }

  /** The most recent messages, oldest first (for transcripts shown to an agent taking over). */
  async latest(conversationId: string, limit = 50): Promise<Message[]> {
    const docs = await this.collection.find({ conversationId }, { sort: { seq: -1 }, limit });
    return docs.reverse();
  }

  /**
   * The activity's message, stored once. Another instance storing the same activity at the same
   * moment collides on the derived id (unique index) and this one returns what it stored; the
   * sequence number taken for the loser stays unused, which readers tolerate (they page by seq).
   */
  private async storeActivityMessage(
    draft: Message,
    at: Date,
    also: MessageAlso,
    unstored: boolean,
  ): Promise<AppendResult> {
    const stored = unstored ? null : await this.collection.findOne({ id: draft.id });
    if (stored) return { message: stored, duplicate: true };
    const { seq, audience } = await this.conversations.numberMessage(draft.conversationId, at, also);
    const message = { ...draft, seq };
    try {
      await this.collection.insertOne(message);
      return { message, duplicate: false, audience };
    } catch (e) {
      if (!(e instanceof DuplicateKeyError)) throw e;
      const existing = await this.collection.findOne({ id: draft.id });
      if (!existing) throw e;
      return { message: existing, duplicate: true };
    }
  }
}
