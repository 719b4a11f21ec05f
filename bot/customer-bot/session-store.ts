import type { DocumentStore } from '../../services/store/index.js';
import type { ChannelStyle, DialogAction, DialogState } from '../customer-dialog/index.js';

/** What a dialog step sends the customer, and nothing else. */
export type SendAction = Extract<DialogAction, { type: 'say' | 'event' }>;

/**
 * The sends of a step the relay took for news from the agent side (joined, left, ended), stored
 * in the same write as the state it moved to and cleared once they went. The state is
 * stored first so that nothing is asked twice; a process that dies before the sends went, or a
 * channel that refused them, leaves them here for the next step or the next start to send, under
 * client keys derived from `id` so that a channel that keeps them, and the transcript, keep one.
 */
export interface DialogOutbox {
  id: string;
  actions: SendAction[];
  /** The step ended the dialog on a channel that is told so (an EndOfConversation after the sends). */
  end: boolean;
}

/**
 * Which Switchboard conversation a channel conversation is in, and where the bot's dialog stands.
 * Kept in the bot's own collection (not on the conversation document) so the bot's turn-by-turn
 * writes never race routing's versioned claims on the conversation.
 */
export interface BotSession {
  /** `${channelId}:${channel conversation id}`. */
  key: string;
  conversationId: string;
  /**
   * The conversation's customer, so a message's author is read beside its conversation (absent in
   * sessions stored before it was kept; the conversation names its customer then).
   */
  customerId?: string;
  state: DialogState;
  /** How this channel shows structured parts (events for the widget, text elsewhere). */
  style: ChannelStyle;
  /** Last time the customer wrote; the inactivity sweep reads it. */
  lastCustomerActivityAt: Date;
  updatedAt: Date;
  /**
   * The bot closed the chat for quiet and told the customer to write again here: their next message
   * opens a new conversation, as every message after the end does on a text channel (Teams).
   */
  writeAgain?: boolean;
  /** Sends of the relay's last step not yet known to have gone out. */
  outbox?: DialogOutbox;
}

export interface BotSessions {
  byKey(key: string): Promise<BotSession | null>;
  /** The key of the conversation's session, read alone (the relay's turns are queued by it). */
  keyOf(conversationId: string): Promise<string | null>;
  /**
   * Stores the session's fields, with `outbox` in the same write when given; a stored outbox is
   * otherwise left as it is (only `clearOutbox` removes it).
   */
  save(session: BotSession, outbox?: DialogOutbox): Promise<void>;
  /** Removes the outbox `id` once its sends went (a later step's outbox stays). */
  clearOutbox(key: string, id: string): Promise<void>;
  /** Sessions with sends not yet known to have gone out (read once at start). */
  withOutbox(): Promise<BotSession[]>;
  /** Sessions whose customer confirmed an answer and has been quiet since `before`. */
  idleConfirmed(before: Date): Promise<BotSession[]>;
  /** Widget sessions asking for the post-chat rating with nothing happening since `before`. */
  surveyLapsed(before: Date): Promise<BotSession[]>;
  /**
   * Sessions still with the bot (not queued, not with an agent) whose customer has been quiet since
   * `before`, the longest quiet first, a page at a time: the next page starts after `after`.
   */
  quietWithBot(before: Date, after?: QuietCursor, limit?: number): Promise<BotSession[]>;
  /**
   * Every session in a phase, however many (its conversation and dialog state): everyone waiting in a
   * queue after a restart, everyone the relay may owe something.
   */
  inPhase(phase: BotSession['state']['phase']): Promise<Array<Pick<BotSession, 'conversationId' | 'state'>>>;
}

/** Where a page of quiet sessions ended: the last one's quiet-since time and key. */
export type QuietCursor = Pick<BotSession, 'lastCustomerActivityAt' | 'key'>;

const QUIET_PHASES = [
  'new',
  'prechat',
  'helping',
  'feedback',
  'routing',
  'closed-options',
  'message',
  'email-ask',
] as const satisfies ReadonlyArray<BotSession['state']['phase']>;

export const BOT_SESSIONS_COLLECTION = 'customer_bot_sessions';

export async function createBotSessions(store: DocumentStore): Promise<BotSessions> {
  const col = store.collection<BotSession>(BOT_SESSIONS_COLLECTION);
  await col.ensureIndex({ keys: { key: 1 }, unique: true });
  await col.ensureIndex({ keys: { conversationId: 1 } });
  // The sweeps look for quiet sessions in a phase.
  await col.ensureIndex({ keys: { 'state.phase': 1, lastCustomerActivityAt: 1 } });
  // The rating's time counts from the dialog's last step.
  await col.ensureIndex({ keys: { 'state.phase': 1, updatedAt: 1 } });
  // The start reads the few sessions with an outbox out of every session ever kept (MongoDB answers
  // from this sparse index; the embedded store has them in memory).
  await col.ensureIndex({ keys: { 'outbox.id': 1 }, sparse: true });
  return {
    byKey: (key) => col.findOne({ key }),
    async keyOf(conversationId) {
      const [doc] = await col.findFields({ conversationId }, ['key'], { limit: 1 });
      return doc?.key ?? null;
    },
    async save(session, outbox) {
      const { outbox: _stored, ...fields } = session;
      await col.updateOne(
        { key: session.key },
        { $set: outbox ? { ...fields, outbox } : fields },
        { upsert: true },
      );
    },
    async clearOutbox(key, id) {
      await col.updateOne({ key, 'outbox.id': id }, { $unset: { outbox: '' } });
    },
    withOutbox: () => col.find({ 'outbox.id': { $exists: true } }),
    idleConfirmed: (before) =>
      col.find({ 'state.phase': 'confirmed', lastCustomerActivityAt: { $lt: before } }, { limit: 100 }),
    surveyLapsed: (before) =>
      col.find(
        {
          'state.phase': { $in: ['csat-rating', 'csat-comment'] },
          style: 'events',
          updatedAt: { $lt: before },
        },
        { limit: 100 },
      ),
    quietWithBot: (before, after, limit = 200) =>
      col.find(
        {
          'state.phase': { $in: [...QUIET_PHASES] },
          lastCustomerActivityAt: { $lt: before },
          ...(after
            ? {
                $or: [
                  { lastCustomerActivityAt: { $gt: after.lastCustomerActivityAt } },
                  { lastCustomerActivityAt: after.lastCustomerActivityAt, key: { $gt: after.key } },
                ],
              }
            : {}),
        },
        { sort: { lastCustomerActivityAt: 1, key: 1 }, limit },
      ),
    async inPhase(phase) {
      const sessions = await col.findFields({ 'state.phase': phase }, ['conversationId', 'state']);
      return sessions.flatMap(({ conversationId, state }) =>
        conversationId && state ? [{ conversationId, state }] : [],
      );
    },
  };
}

export function sessionKey(channelId: string, channelConversationId: string): string {
  return `${channelId}:${channelConversationId}`;
}
