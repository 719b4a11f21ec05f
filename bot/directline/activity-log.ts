import type { Activity } from 'botbuilder';
import type { DocumentStore } from '../../services/store/index.js';
import { KeyedQueue } from '../keyed-queue.js';

export interface DirectLineConversation {
  conversationId: string;
  userId: string;
  /** Whether `POST /conversations` happened (the bot was told the user joined). */
  started: boolean;
  /** Last watermark handed out: activities are numbered 1, 2, 3 … per conversation. */
  lastSeq: number;
  /** Customer activities stored but not yet confirmed delivered to the bot (found again after a crash). */
  pending?: number;
  /** Every customer activity up to this watermark has reached the bot. */
  deliveredSeq?: number;
  createdAt: Date;
  /** Set when either side ended the conversation: its tokens no longer work, its streams close. */
  endedAt?: Date;
}

interface StoredActivity {
  conversationId: string;
  seq: number;
  /** The activity as JSON text: activities carry arbitrary keys (`$type`, dotted names) a document store refuses. */
  json: string;
  createdAt: Date;
}

/** An activity was stored: its number and its JSON, exactly as `since` would return it. */
export type ActivityListener = (conversationId: string, seq: number, json: string) => void;
export type EndListener = (conversationId: string) => void;

/**
 * The channel's durable record: conversations and their activities, numbered per conversation. The
 * watermark a client holds is the last number it saw, so "everything after W" is exact and survives
 * restarts and reconnects.
 */
export interface DirectLineActivityLog {
  create(conversationId: string, userId: string, at: Date): Promise<DirectLineConversation>;
  get(conversationId: string): Promise<DirectLineConversation | null>;
  /** True only for the first start. */
  markStarted(conversationId: string): Promise<boolean>;
  /** Marks the conversation ended (once) and tells the `onEnded` listeners. */
  end(conversationId: string, at: Date): Promise<void>;
  onEnded(listener: EndListener): () => void;
  /**
   * Retention: drops activities stored before `before` (the transcript lives on in the Switchboard
   * conversation) and conversations that ended, or began, before it. Returns how many activities.
   */
  sweep(before: Date, startedBefore: Date): Promise<number>;
  /** Stores the activity with the next watermark; its id becomes `<conversationId>|<seq>`. */
  append(
    conversationId: string,
    activity: Partial<Activity>,
    at: Date,
    opts?: { forBot?: boolean },
  ): Promise<Partial<Activity> & { id: string }>;
  since(
    conversationId: string,
    watermark: number,
    limit?: number,
  ): Promise<{ activities: Partial<Activity>[]; watermark: number }>;
  subscribe(listener: ActivityListener): () => void;
  /** The bot has processed the customer activity numbered `seq`. */
  markDelivered(conversationId: string, seq: number): Promise<void>;
  /** Customer activities stored but never confirmed delivered (a crash between acknowledging and delivering). */
  undelivered(): Promise<
    Array<{ conversationId: string; activities: Array<Partial<Activity> & { id: string }> }>
  >;
}

export function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

export async function createActivityLog(store: DocumentStore): Promise<DirectLineActivityLog> {
  const conversations = store.collection<DirectLineConversation>('directline_conversations');
  const activities = store.collection<StoredActivity>('directline_activities');
  await conversations.ensureIndex({ keys: { conversationId: 1 }, unique: true });
  await activities.ensureIndex({ keys: { conversationId: 1, seq: 1 }, unique: true });
  await activities.ensureIndex({ keys: { createdAt: 1 } });
  const listeners = new Set<ActivityListener>();
  const endListeners = new Set<EndListener>();
  // Numbering and storing happen as one step per conversation: were two appends to interleave, a
  // reader could see 5 before 4 is stored, move its watermark past 4 and never get it.
  const appends = new KeyedQueue();

  return {
    async create(conversationId, userId, at) {
      const doc: DirectLineConversation = {
        conversationId,
        userId,
        started: false,
        lastSeq: 0,
        createdAt: at,
      };
      await conversations.insertOne(doc);
      return doc;
    },
    get: (conversationId) => conversations.findOne({ conversationId }),
    async markStarted(conversationId) {
      // Only the first start tells the bot; a second POST /conversations with the same token does not.
      const before = await conversations.findOneAndUpdate(
        { conversationId, started: false },
        { $set: { started: true } },
        { returnDocument: 'before' },
      );
      return before !== null;
    },
    async end(conversationId, at) {
      const before = await conversations.findOneAndUpdate(
        { conversationId, endedAt: { $exists: false } },
        { $set: { endedAt: at } },
        { returnDocument: 'before' },
      );
      if (before) for (const listener of endListeners) listener(conversationId);
    },
    onEnded(listener) {
      endListeners.add(listener);
      return () => endListeners.delete(listener);
    },
    async sweep(before, startedBefore) {
      const dropped = await activities.deleteMany({ createdAt: { $lt: before } });
      await conversations.deleteMany({
        $or: [{ endedAt: { $lt: before } }, { createdAt: { $lt: startedBefore } }],
      });
      return dropped;
    },
    append: (conversationId, activity, at, opts = {}) =>
      appends.run(conversationId, async () => {
        // Serialized before it is numbered: an activity that cannot be stored leaves no gap in the
        // numbering and no delivery debt behind.
        const { id: _id, timestamp: _timestamp, ...fields } = activity;
        const timestamp = at.toISOString();
        const body = JSON.stringify({ id: '', ...fields, timestamp });
        // The delivery debt is recorded in the same write that numbers the activity: once the client
        // has its id, a crash cannot leave it stored but forgotten by the bot.
        const counter = await conversations.findOneAndUpdate(
          { conversationId },
          { $inc: opts.forBot ? { lastSeq: 1, pending: 1 } : { lastSeq: 1 } },
        );
        if (!counter) throw new Error(`Direct Line conversation ${conversationId} does not exist`);
        const seq = counter.lastSeq;
        const id = activityId(conversationId, seq);
        const json = `{"id":${JSON.stringify(id)},${body.slice('{"id":"",'.length)}`;
        const stored = { id, ...fields, timestamp } as unknown as Partial<Activity> & { id: string };
        await activities.insertOne({ conversationId, seq, json, createdAt: at });
        for (const listener of listeners) listener(conversationId, seq, json);
        return stored;
      }),
    async since(conversationId, watermark, limit = 500) {
      const docs = await activities.find(
        { conversationId, seq: { $gt: watermark } },
        { sort: { seq: 1 }, limit },
      );
      const last = docs.at(-1)?.seq ?? watermark;
      return { activities: docs.map((d) => JSON.parse(d.json) as Partial<Activity>), watermark: last };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async markDelivered(conversationId, seq) {
      await conversations.updateOne(
        { conversationId },
        { $inc: { pending: -1 }, $set: { deliveredSeq: seq } },
      );
    },
    async undelivered() {
      const owing = await conversations.find({ pending: { $gt: 0 } }, { limit: 1000 });
      const out: Array<{ conversationId: string; activities: Array<Partial<Activity> & { id: string }> }> =
        [];
      for (const c of owing) {
        const docs = await activities.find(
          { conversationId: c.conversationId, seq: { $gt: c.deliveredSeq ?? 0 } },
          { sort: { seq: 1 } },
        );
        const fromCustomer = docs
          .map((d) => JSON.parse(d.json) as Partial<Activity> & { id: string })
          .filter((a) => a.from?.role === 'user');
        // Whatever is found is about to be redelivered; a count left by a crash before the insert clears.
        await conversations.updateOne(
          { conversationId: c.conversationId },
          { $set: { pending: fromCustomer.length } },
        );
        if (fromCustomer.length > 0) out.push({ conversationId: c.conversationId, activities: fromCustomer });
      }
      return out;
    },
  };
}
