import type { DocumentStore } from '../../services/store/index.js';

/**
 * How far the customer relay got in each conversation: the sequence number of the last agent-side
 * message it sent the customer. A restart sends what came after it, so a message an agent was told
 * "sent" still reaches the customer when the server died between storing it and sending it.
 */
export interface RelayMarks {
  /** Per conversation, the last message relayed; a conversation with none relayed yet is absent. */
  relayedSeqs(conversationIds: readonly string[]): Promise<Map<string, number>>;
  /** The message numbered `seq` reached the customer. */
  mark(conversationId: string, seq: number): Promise<void>;
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
      return new Map(docs.flatMap((d) => (d.seq === undefined ? [] : [[d.conversationId, d.seq]])));
    },
    async mark(conversationId, seq) {
      // $max: marks of one conversation never go back, whichever instance writes last.
      await col.updateOne({ conversationId }, { $max: { seq } }, { upsert: true });
    },
  };
}
