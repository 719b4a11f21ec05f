import { createHash } from 'node:crypto';
import type { Deps } from '../../domain/deps.js';
import type { Message, SentimentReading, Visibility } from '../../domain/entities.js';
import { messageSchema, sentimentReading } from '../../domain/schemas.js';
import { DuplicateKeyError, type Collection, type Filter } from '../port.js';
import type { Conversations } from './conversations.js';
import { notFound, parseEntity } from './support.js';

export type NewMessage = Pick<Message, 'conversationId' | 'author' | 'text'> &
  Partial<Omit<Message, 'seq' | 'conversationId' | 'author' | 'text'>>;

export interface AppendResult {
  message: Message;
  /** The activity id was already stored: `message` is the earlier one and nothing was written. */
  duplicate: boolean;
}

export interface MessageQuery {
  /** Only messages with a greater sequence number. */
  afterSeq?: number;
  limit?: number;
  /** `public` for what a customer may see; omit for everything (agents and supervisors). */
  visibility?: Visibility;
}

// A duplicate's original may still be between "seq handed out" and "message stored" in another
// instance; wait this long for it before concluding that its writer died in that window.
const DUPLICATE_WAIT_MS = 1000;

/**
 * Messages of Bot Framework activities get an id derived from (conversation, activity id): if two
 * writers ever both store one (see `recoverLost`), the unique id index keeps one of them.
 */
export function activityMessageId(conversationId: string, activityId: string): string {
  return `msg_${createHash('sha256').update(`${conversationId}\n${activityId}`).digest('hex').slice(0, 32)}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Messages {
  /** Activity messages this process has claimed a seq for and is storing now. */
  private readonly storing = new Map<string, Promise<Message>>();

  constructor(
    private readonly collection: Collection<Message>,
    private readonly conversations: Conversations,
    private readonly deps: Deps,
  ) {}

  /**
   * Appends a message with the conversation's next sequence number. A Bot Framework activity id
   * already stored for the conversation is ignored: the stored message comes back with
   * `duplicate: true`. Input is validated before a sequence number is taken, so a rejected message
   * leaves no gap.
   */
  async append(input: NewMessage, at: Date = this.deps.now()): Promise<AppendResult> {
    const draft = parseEntity(
      messageSchema,
      {
        visibility: 'public',
        attachments: [],
        createdAt: at,
        ...input,
        id:
          input.id ??
          (input.activityId
            ? activityMessageId(input.conversationId, input.activityId)
            : this.deps.newId('msg')),
        seq: 1,
      },
      'message',
    );
    const { conversationId, activityId } = draft;
    const seq = activityId
      ? await this.conversations.nextMessageSeqForActivity(conversationId, activityId, at)
      : await this.conversations.nextMessageSeq(conversationId, at);
    if (seq === null) return this.original(draft, at);
    const message = { ...draft, seq };
    if (!activityId) {
      await this.collection.insertOne(message);
      return { message, duplicate: false };
    }
    const key = `${conversationId}\n${activityId}`;
    const stored = this.insertActivityMessage(message);
    this.storing.set(key, stored);
    try {
      const result = await stored;
      return { message: result, duplicate: result !== message };
    } finally {
      this.storing.delete(key);
    }
  }

  async get(conversationId: string, messageId: string): Promise<Message | null> {
    return this.collection.findOne({ id: messageId, conversationId });
  }

  async findByActivityId(conversationId: string, activityId: string): Promise<Message | null> {
    return this.collection.findOne({ activityId, conversationId });
  }

  /** In sequence order. */
  async list(conversationId: string, query: MessageQuery = {}): Promise<Message[]> {
    const filter: Filter = { conversationId };
    if (query.afterSeq !== undefined) filter.seq = { $gt: query.afterSeq };
    if (query.visibility) filter.visibility = query.visibility;
    return this.collection.find(filter, {
      sort: { seq: 1 },
      limit: Math.min(Math.max(1, query.limit ?? 1000), 5000),
    });
  }

  /** The most recent messages, oldest first (for transcripts shown to an agent taking over). */
  async latest(conversationId: string, limit = 50): Promise<Message[]> {
    const docs = await this.collection.find({ conversationId }, { sort: { seq: -1 }, limit });
    return docs.reverse();
  }

  async setSentiment(conversationId: string, messageId: string, reading: SentimentReading): Promise<Message> {
    const sentiment = parseEntity(sentimentReading, reading, 'message');
    const updated = await this.collection.findOneAndUpdate(
      { id: messageId, conversationId },
      { $set: { sentiment } },
    );
    if (!updated) throw notFound('message', messageId);
    return updated;
  }

  /** Stores an activity's message; a repeat older than the conversation's window collides on its id. */
  private async insertActivityMessage(message: Message): Promise<Message> {
    try {
      await this.collection.insertOne(message);
      return message;
    } catch (e) {
      if (!(e instanceof DuplicateKeyError)) throw e;
      const existing = await this.findByActivityId(message.conversationId, message.activityId!);
      if (!existing) throw e;
      return existing;
    }
  }

  /** The message first stored for a repeated activity id. */
  private async original(draft: Message, at: Date): Promise<AppendResult> {
    const { conversationId } = draft;
    const activityId = draft.activityId!;
    const pending = this.storing.get(`${conversationId}\n${activityId}`);
    if (pending) {
      const message = await pending.catch(() => null);
      if (message) return { message, duplicate: true };
    }
    // Wall-clock wait for another instance's insert (not domain time, so not deps.now()).
    const deadline = Date.now() + DUPLICATE_WAIT_MS;
    for (let delay = 2; ; delay = Math.min(delay * 2, 100)) {
      const found = await this.findByActivityId(conversationId, activityId);
      if (found) return { message: found, duplicate: true };
      if (Date.now() > deadline) return this.recoverLost(draft, at);
      await sleep(delay);
    }
  }

  /**
   * The activity id was claimed but its message never stored: its writer died between the two
   * writes (the sequence number it took stays unused). Store the message now, once: a second
   * recoverer collides on the derived message id.
   */
  private async recoverLost(draft: Message, at: Date): Promise<AppendResult> {
    const message = { ...draft, seq: await this.conversations.nextMessageSeq(draft.conversationId, at) };
    try {
      await this.collection.insertOne(message);
      return { message, duplicate: false };
    } catch (e) {
      if (!(e instanceof DuplicateKeyError)) throw e;
      const existing = await this.findByActivityId(draft.conversationId, draft.activityId!);
      if (!existing) throw e;
      return { message: existing, duplicate: true };
    }
  }
}
