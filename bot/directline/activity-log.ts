import type { Activity } from 'botbuilder';
import { DuplicateKeyError, type DocumentStore } from '../../services/store/index.js';
import { KeyedQueue } from '../keyed-queue.js';

export interface DirectLineConversation {
  conversationId: string;
  userId: string;
  /** Whether `POST /conversations` happened (the bot was told the user joined). */
  started: boolean;
  /**
   * The floor for numbering (activities are numbered 1, 2, 3 … per conversation): the latest number
   * when the conversation's activities were last swept. The activities hold every later number.
   */
  lastSeq: number;
  /** Written before activities carried their own delivery debt (`owed`); read once, then cleared. */
  pending?: number;
  /** Same era as `pending`: every customer activity up to this number had reached the bot. */
  deliveredSeq?: number;
  createdAt: Date;
  /** Set when either side ended the conversation: its tokens no longer work, its streams close. */
  endedAt?: Date;
  /**
   * A stream of it opened and its customer has not been taken for gone since (absence.ts): after a
   * restart, whose streams all dropped with it, these are the customers to wait for again.
   */
  watched?: true;
  /** The customer the site signed in, when the chat began with its token (signed-in.ts). */
  verified?: { id: string; name?: string; email?: string };
}

interface StoredActivity {
  conversationId: string;
  seq: number;
  /**
   * The activity as JSON text (activities carry arbitrary keys, `$type` or dotted names, a document
   * store refuses), without what the log gives every activity (`id`, `channelId`, `conversation`),
   * which `activityOf` puts back. Documents stored before that hold the whole activity.
   */
  json: string;
  createdAt: Date;
  /** A customer activity the bot has not confirmed processing yet (found again after a crash). */
  owed?: true;
  /**
   * The instance delivering an owed activity to the bot (`instances`): the one that stored it, or
   * the one that took it over after that one stopped. Absent on activities stored before.
   */
  owner?: string;
  /**
   * `<conversationId> <the client's own id for the activity>`, unique: a client that sends again
   * what it could not tell was stored (a 503, a dropped connection) gets the first one back.
   */
  clientKey?: string;
}

/** What `append` stored, or — for a client id stored before — what was stored then (`repeat`). */
export type AppendedActivity = Partial<Activity> & {
  id: string;
  /**
   * Set when the client's id was stored before: whether that activity is still owed to the bot, and
   * which instance delivers it.
   */
  repeat?: { owed: boolean; owner?: string };
};

/** An owed customer activity, with the instance that delivers it to the bot. */
export type OwedActivity = Partial<Activity> & { id: string; owner?: string };

/** An activity was stored: its number and its JSON, exactly as `since` would return it. */
export type ActivityListener = (conversationId: string, seq: number, json: string) => void;
export type EndListener = (conversationId: string) => void;

/**
 * The channel's durable record: conversations and their activities, numbered per conversation. The
 * watermark a client holds is the last number it saw, so "everything after W" is exact and survives
 * restarts and reconnects.
 */
export interface DirectLineActivityLog {
  create(
    conversationId: string,
    userId: string,
    at: Date,
    verified?: DirectLineConversation['verified'],
  ): Promise<DirectLineConversation>;
  get(conversationId: string): Promise<DirectLineConversation | null>;
  /** True only for the first start. */
  markStarted(conversationId: string): Promise<boolean>;
  /** Marks the conversation ended (once) and tells the `onEnded` listeners. */
  end(conversationId: string, at: Date): Promise<void>;
  onEnded(listener: EndListener): () => void;
  /** Marks the conversation's customer watched for leaving (a stream opened), or no longer (gone). */
  markWatched(conversationId: string, watched: boolean): Promise<void>;
  /** Conversations that go on and whose customer was watched when the process last stopped. */
  watched(): Promise<string[]>;
  /**
   * Retention: drops activities stored before `before` (the transcript lives on in the Switchboard
   * conversation) and conversations that ended, or began, before it. Returns how many activities.
   */
  sweep(before: Date, startedBefore: Date): Promise<number>;
  /**
   * Stores the activity with the next watermark; its id becomes `<conversationId>|<seq>`, its
   * `channelId` and `conversation` this channel and conversation's. With a
   * `clientId` the conversation already stored an activity under, nothing is stored: that one comes
   * back, marked `repeat`. The bot's ids (`fromBot`) and the customer's never match each other.
   */
  append(
    conversationId: string,
    activity: Partial<Activity>,
    at: Date,
    opts?: { forBot?: boolean; clientId?: string; fromBot?: boolean; owner?: string },
  ): Promise<AppendedActivity>;
  /** Whether the customer already stored an activity under `clientId` in this conversation. */
  hasClientId(conversationId: string, clientId: string): Promise<boolean>;
  since(
    conversationId: string,
    watermark: number,
    limit?: number,
  ): Promise<{ activities: Partial<Activity>[]; watermark: number }>;
  subscribe(listener: ActivityListener): () => void;
  /** The bot has processed the customer activity numbered `seq`. */
  markDelivered(conversationId: string, seq: number): Promise<void>;
  /**
   * Customer activities stored but never confirmed delivered (a crash between acknowledging and
   * delivering); with `storedBefore`, only those stored before then (the older records' debts are
   * counted only without it, at start).
   */
  undelivered(storedBefore?: Date): Promise<Array<{ conversationId: string; activities: OwedActivity[] }>>;
  /**
   * Whether several processes may share this log (MongoDB): then each owed activity is delivered by
   * its owner while that one lives (`instances`), and taken over (`claim`) only once it stopped.
   */
  readonly shared: boolean;
  /**
   * Makes the owed activity numbered `seq` this instance's to deliver, if it still belongs to `from`
   * (`undefined`: stored without an owner): one conditional write, so one instance wins a race.
   */
  claim(conversationId: string, seq: number, owner: string, from: string | undefined): Promise<boolean>;
  /** The instances sharing the log, each with when it last said it lives (`heartbeat`). */
  instances: {
    /** Says `instance` lives, serving its Direct Line channel at `serviceUrl`. */
    heartbeat(instance: string, at: Date, serviceUrl: string): Promise<void>;
    /** The instances heard from since `since`. */
    alive(since: Date): Promise<Set<string>>;
    /**
     * The instances heard from in the last 30 days, with their channels; one that said it stopped
     * as last heard from never.
     */
    channels(): Promise<Array<{ instance: string; serviceUrl?: string; seenAt: Date }>>;
    /** The instance stopped (a graceful stop): the others need not wait to take over its activities. */
    gone(instance: string): Promise<void>;
  };
}

/** How long an instance's record outlives its last heartbeat (`instances.channels`). */
const INSTANCE_RECORD_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Activities a retention sweep drops in one step. */
const SWEEP_BATCH = 1000;

/** A tab, not a space, after the bot's: a customer cannot take an id the bot will send under. */
function clientKeyOf(conversationId: string, clientId: string, fromBot = false): string {
  return `${conversationId}${fromBot ? '\t' : ' '}${clientId}`;
}

export function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

/**
 * The fields the log gives every activity it numbers. Each document would hold them again (about
 * 140 bytes, most of an activity's heap after its text), so they are not stored but put back.
 */
function ownFields(conversationId: string, seq: number) {
  return {
    id: activityId(conversationId, seq),
    channelId: 'directline',
    conversation: { id: conversationId } as Activity['conversation'],
  };
}

/** A stored activity as the client and the bot get it. */
function activityOf(doc: StoredActivity): Partial<Activity> & { id: string } {
  const body = JSON.parse(doc.json) as Partial<Activity>;
  // A document stored before the log left its own fields out holds the whole activity.
  return body.id === undefined
    ? { ...ownFields(doc.conversationId, doc.seq), ...body }
    : (body as Partial<Activity> & { id: string });
}

export async function createActivityLog(store: DocumentStore): Promise<DirectLineActivityLog> {
  const conversations = store.collection<DirectLineConversation>('directline_conversations');
  const activities = store.collection<StoredActivity>('directline_activities');
  await conversations.ensureIndex({ keys: { conversationId: 1 }, unique: true });
  // The retention sweep reads what ended, or began, before a time.
  await conversations.ensureIndex({ keys: { endedAt: 1 }, sparse: true });
  await conversations.ensureIndex({ keys: { createdAt: 1 } });
  await activities.ensureIndex({ keys: { conversationId: 1, seq: 1 }, unique: true });
  await activities.ensureIndex({ keys: { createdAt: 1 } });
  await activities.ensureIndex({ keys: { owed: 1 }, sparse: true });
  await activities.ensureIndex({ keys: { clientKey: 1 }, unique: true, sparse: true });
  const instances = store.collection<{
    instance: string;
    seenAt: Date;
    serviceUrl?: string;
    stoppedAt?: Date;
  }>('directline_instances');
  await instances.ensureIndex({ keys: { instance: 1 }, unique: true });
  const listeners = new Set<ActivityListener>();
  const endListeners = new Set<EndListener>();
  // Numbering and storing happen as one step per conversation: were two appends to interleave, a
  // reader could see 5 before 4 is stored, move its watermark past 4 and never get it.
  const appends = new KeyedQueue();
  // An activity takes its number by being stored under it (the unique `{conversationId, seq}`
  // index), so the latest number of each conversation this process appends to is kept here rather
  // than counted in a second write; another instance storing a number first makes it read again.
  const lastSeqs = new Map<string, number>();

  async function lastSeqOf(conversationId: string): Promise<number> {
    const known = lastSeqs.get(conversationId);
    if (known !== undefined) return known;
    const conversation = await conversations.findOne({ conversationId });
    if (!conversation) throw new Error(`Direct Line conversation ${conversationId} does not exist`);
    const [latest] = await activities.find({ conversationId }, { sort: { seq: -1 }, limit: 1 });
    const last = Math.max(conversation.lastSeq, latest?.seq ?? 0);
    lastSeqs.set(conversationId, last);
    return last;
  }

  /**
   * The conversation's last number, read again only when `watermark` is past the one known here (a
   * client at the end, polling, costs no read); another instance may have stored since.
   */
  async function endBeyond(conversationId: string, watermark: number): Promise<number> {
    const known = lastSeqs.get(conversationId);
    if (known !== undefined && known >= watermark) return known;
    lastSeqs.delete(conversationId);
    // Swept away: nothing is left to skip.
    if (!(await conversations.findOne({ conversationId }))) return watermark;
    return lastSeqOf(conversationId);
  }

  return {
    async create(conversationId, userId, at, verified) {
      const doc: DirectLineConversation = {
        conversationId,
        userId,
        started: false,
        lastSeq: 0,
        createdAt: at,
        ...(verified ? { verified } : {}),
      };
      await conversations.insertOne(doc);
      lastSeqs.set(conversationId, 0);
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
    async markWatched(conversationId, watched) {
      // Filtered on the change, so a stream opening again on a watched conversation writes nothing.
      await (watched
        ? conversations.updateOne(
            { conversationId, watched: { $exists: false } },
            { $set: { watched: true } },
          )
        : conversations.updateOne({ conversationId, watched: true }, { $unset: { watched: '' } }));
    },
    async watched() {
      // Read once, at start: a scan of the conversations that go on is cheaper than an index kept
      // on every stream that opens.
      const docs = await conversations.findFields({ watched: true, endedAt: { $exists: false } }, [
        'conversationId',
      ]);
      return docs.flatMap((c) => (c.conversationId === undefined ? [] : [c.conversationId]));
    },
    async sweep(before, startedBefore) {
      let dropped = 0;
      // The oldest due first, a batch at a time: a day's backlog (ten minutes of traffic each
      // sweep) went in one piece that held the event loop for seconds.
      for (;;) {
        const due = await activities.findFields({ createdAt: { $lt: before } }, ['createdAt'], {
          sort: { createdAt: 1 },
          limit: SWEEP_BATCH,
        });
        const until = due.at(-1)?.createdAt;
        if (!until) break;
        // Up to the batch's last time (and the few stored in the same millisecond after it).
        const batch = { createdAt: { $lte: until } };
        // The latest number of each conversation losing activities is kept on it first, so a
        // conversation that outlives its activities never numbers again below what a client has seen.
        const latest = await activities.aggregate<{ _id: string; seq: number }>([
          { $match: batch },
          { $group: { _id: '$conversationId', seq: { $max: '$seq' } } },
        ]);
        for (const { _id, seq } of latest)
          await conversations.updateOne({ conversationId: _id }, { $max: { lastSeq: seq } });
        dropped += await activities.deleteMany(batch);
      }
      // Two ranges rather than an $or of them: each is read from its index, not by a scan.
      await conversations.deleteMany({ endedAt: { $lt: before } });
      await conversations.deleteMany({ createdAt: { $lt: startedBefore } });
      lastSeqs.clear();
      return dropped;
    },
    append: (conversationId, activity, at, opts = {}) =>
      appends.run(conversationId, async () => {
        // Serialized before it is numbered: an activity that cannot be stored takes no number.
        const { id: _id, timestamp: _timestamp, channelId: _c, conversation: _conv, ...fields } = activity;
        const timestamp = at.toISOString();
        // `fields` is this call's own copy: it takes the timestamp, is written out, and is handed
        // back, rather than copied twice more (an activity's fields were three copies for the old
        // generation to collect).
        const body = JSON.stringify(Object.assign(fields, { timestamp }));
        const clientKey =
          opts.clientId === undefined ? undefined : clientKeyOf(conversationId, opts.clientId, opts.fromBot);
        for (let attempt = 1; ; attempt++) {
          const seq = (await lastSeqOf(conversationId)) + 1;
          try {
            // A customer's activity for the bot carries its delivery debt in the write that stores
            // it: once the client has its id, a crash cannot leave it stored but forgotten.
            await activities.insertOne({
              conversationId,
              seq,
              json: body,
              createdAt: at,
              ...(opts.forBot ? { owed: true as const } : {}),
              ...(opts.forBot && opts.owner !== undefined ? { owner: opts.owner } : {}),
              ...(clientKey === undefined ? {} : { clientKey }),
            });
          } catch (err) {
            if (!(err instanceof DuplicateKeyError)) throw err;
            // Found only after a refused insert, so a first send pays no extra read.
            const earlier = clientKey === undefined ? null : await activities.findOne({ clientKey });
            if (earlier) {
              const repeat = {
                owed: earlier.owed === true,
                ...(earlier.owner ? { owner: earlier.owner } : {}),
              };
              return { ...activityOf(earlier), repeat };
            }
            if (attempt >= 5) throw err;
            lastSeqs.delete(conversationId);
            continue;
          }
          lastSeqs.set(conversationId, seq);
          const own = ownFields(conversationId, seq);
          if (listeners.size > 0) {
            const json = `${JSON.stringify(own).slice(0, -1)},${body.slice(1)}`;
            for (const listener of listeners) listener(conversationId, seq, json);
          }
          return Object.assign(own, fields) as unknown as Partial<Activity> & { id: string };
        }
      }),
    hasClientId: async (conversationId, clientId) =>
      (await activities.findOne({ clientKey: clientKeyOf(conversationId, clientId) })) !== null,
    async since(conversationId, watermark, limit = 500) {
      const docs = await activities.find(
        { conversationId, seq: { $gt: watermark } },
        { sort: { seq: 1 }, limit },
      );
      const last = docs.at(-1)?.seq;
      if (last !== undefined) return { activities: docs.map(activityOf), watermark: last };
      // A watermark past the end was never given out: echoed, it would make the client skip every
      // activity numbered up to it. Answered with the real end, as Direct Line's is.
      return { activities: [], watermark: Math.min(watermark, await endBeyond(conversationId, watermark)) };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async markDelivered(conversationId, seq) {
      await activities.updateOne({ conversationId, seq, owed: true }, { $unset: { owed: '' } });
    },
    async undelivered(storedBefore) {
      // All of them: what is left out here would stay owed, never delivered, until the next start.
      const owed = await activities.find(
        storedBefore === undefined ? { owed: true } : { owed: true, createdAt: { $lt: storedBefore } },
      );
      // Conversations written before activities carried their debt counted it themselves: their
      // customer activities after `deliveredSeq` are marked owed, and the count cleared.
      const legacy = storedBefore === undefined ? await conversations.find({ pending: { $gt: 0 } }) : [];
      for (const c of legacy) {
        const after = await activities.find(
          { conversationId: c.conversationId, seq: { $gt: c.deliveredSeq ?? 0 } },
          { sort: { seq: 1 } },
        );
        const fromCustomer = after.filter((d) => !d.owed && activityOf(d).from?.role === 'user');
        if (fromCustomer.length > 0) {
          await activities.updateMany(
            { conversationId: c.conversationId, seq: { $in: fromCustomer.map((d) => d.seq) } },
            { $set: { owed: true } },
          );
          owed.push(...fromCustomer);
        }
        await conversations.updateOne(
          { conversationId: c.conversationId },
          { $unset: { pending: '', deliveredSeq: '' } },
        );
      }
      // Per conversation, in the order the customer sent them.
      const byConversation = new Map<string, StoredActivity[]>();
      for (const d of owed.sort((a, b) => a.seq - b.seq)) {
        const list = byConversation.get(d.conversationId);
        if (list) list.push(d);
        else byConversation.set(d.conversationId, [d]);
      }
      return [...byConversation].map(([conversationId, docs]) => ({
        conversationId,
        activities: docs.map((d) =>
          d.owner === undefined ? activityOf(d) : { ...activityOf(d), owner: d.owner },
        ),
      }));
    },
    shared: store.kind === 'mongodb',
    async claim(conversationId, seq, owner, from) {
      const owners = from === undefined ? { $exists: false } : from;
      return (
        (await activities.updateOne(
          { conversationId, seq, owed: true, owner: owners },
          { $set: { owner } },
        )) > 0
      );
    },
    instances: {
      async heartbeat(instance, at, serviceUrl) {
        await instances.updateOne({ instance }, { $set: { seenAt: at, serviceUrl } }, { upsert: true });
      },
      async alive(since) {
        const docs = await instances.find({ seenAt: { $gte: since }, stoppedAt: { $exists: false } });
        return new Set(docs.map((d) => d.instance));
      },
      async channels() {
        // An instance silent this long has no conversation left anyone writes to.
        await instances.deleteMany({ seenAt: { $lt: new Date(Date.now() - INSTANCE_RECORD_DAYS * DAY_MS) } });
        const docs = await instances.find({});
        return docs.map(({ instance, serviceUrl, seenAt, stoppedAt }) => ({
          instance,
          serviceUrl,
          seenAt: stoppedAt ? new Date(0) : seenAt,
        }));
      },
      async gone(instance) {
        // Marked, not removed: replies to its conversations still need to know whose channel it was.
        await instances.updateOne({ instance }, { $set: { stoppedAt: new Date() } });
      },
    },
  };
}
