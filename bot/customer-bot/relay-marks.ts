import type { DocumentStore } from '../../services/store/index.js';

/**
 * How far the customer relay got in each conversation: the sequence number of the last agent-side
 * message it sent the customer. A restart sends what came after it, so a message an agent was told
 * "sent" still reaches the customer when the server died between storing it and sending it.
 */
export interface RelayMarks {
  /**
   * Per conversation, the last message relayed with none missing before it (a conversation with
   * none relayed yet is absent): what comes after it is owed.
   */
  relayedSeqs(conversationIds: readonly string[]): Promise<Map<string, number>>;
  /** The message numbered `seq` reached the customer. */
  mark(conversationId: string, seq: number): Promise<void>;
  /**
   * The message numbered `seq` could not be sent: it stays owed, however far later messages (sent
   * by any instance) move the mark, until `caughtUp` passes it.
   */
  failed(conversationId: string, seq: number): Promise<void>;
  /** Every message up to `seq` reached the customer, the failed ones among them. */
  caughtUp(conversationId: string, seq: number): Promise<void>;
  /**
   * When this store first kept marks. Messages from before then were sent by a build that kept
   * none: they are not owed, whatever the marks say.
   */
  readonly since: Date;
}

export const RELAY_MARKS_COLLECTION = 'customer_relay_marks';

interface MarkDoc {
  conversationId: string;
  seq?: number;
  /** The first message whose send failed and that has not been sent since. */
  owedFrom?: number;
  since?: Date;
}

/** The document that holds `since` (no conversation id has this shape). */
const SINCE_KEY = '\tsince';

export async function createRelayMarks(store: DocumentStore, now: () => Date): Promise<RelayMarks> {
  const col = store.collection<MarkDoc>(RELAY_MARKS_COLLECTION);
  await col.ensureIndex({ keys: { conversationId: 1 }, unique: true });
  const first = await col.findOneAndUpdate(
    { conversationId: SINCE_KEY },
    { $setOnInsert: { conversationId: SINCE_KEY, since: now() } },
    { upsert: true, returnDocument: 'after' },
  );
  return {
    since: first?.since ?? now(),
    async relayedSeqs(conversationIds) {
      // One query for a start's whole list, not one per conversation.
      const docs = await col.find({ conversationId: { $in: [...conversationIds] } });
      return new Map(
        docs.flatMap((d) => {
          const relayed = d.owedFrom === undefined ? d.seq : Math.min(d.seq ?? 0, d.owedFrom - 1);
          return relayed === undefined ? [] : [[d.conversationId, relayed]];
        }),
      );
    },
    async mark(conversationId, seq) {
      // $max: marks of one conversation never go back, whichever instance writes last.
      await col.updateOne({ conversationId }, { $max: { seq } }, { upsert: true });
    },
    async failed(conversationId, seq) {
      await col.updateOne({ conversationId }, { $min: { owedFrom: seq } }, { upsert: true });
    },
    async caughtUp(conversationId, seq) {
      await col.updateOne({ conversationId }, { $max: { seq } }, { upsert: true });
      await col.updateOne({ conversationId, owedFrom: { $lte: seq } }, { $unset: { owedFrom: '' } });
    },
  };
}
