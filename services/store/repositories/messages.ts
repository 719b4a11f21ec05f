import type { Deps } from '../../domain/deps.js';
import type { Message, SentimentReading, Visibility } from '../../domain/entities.js';
import { messageSchema, sentimentReading } from '../../domain/schemas.js';
import type { Collection, Filter } from '../port.js';
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
// request; wait this long for it before giving up.
const DUPLICATE_WAIT_MS = 2000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Messages {
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
        id: input.id ?? this.deps.newId('msg'),
        seq: 1,
      },
      'message',
    );
    const { conversationId, activityId } = draft;
    const seq = activityId
      ? await this.conversations.nextMessageSeqForActivity(conversationId, activityId, at)
      : await this.conversations.nextMessageSeq(conversationId, at);
    if (seq === null)
      return { message: await this.awaitOriginal(conversationId, activityId!), duplicate: true };
    const message = { ...draft, seq };
    await this.collection.insertOne(message);
    return { message, duplicate: false };
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

  private async awaitOriginal(conversationId: string, activityId: string): Promise<Message> {
    const deadline = Date.now() + DUPLICATE_WAIT_MS;
    for (let delay = 2; ; delay = Math.min(delay * 2, 100)) {
      const found = await this.findByActivityId(conversationId, activityId);
      if (found) return found;
      if (Date.now() > deadline) throw notFound('message', `for activity ${activityId}`);
      await sleep(delay);
    }
  }
}
