import type { Activity } from 'botbuilder';
import type { Deps } from '../../services/domain/index.js';
import type { Logger } from '../../services/log.js';
import { KeyedQueue } from '../keyed-queue.js';
import type { DirectLineActivityLog } from './activity-log.js';
import { dlErrors } from './errors.js';
import { MAX_TEXT_CHARS, type ClientActivity } from './schemas.js';
import type { DirectLineTokens, TokenClaims } from './tokens.js';

/** Hands an activity to the bot as a channel would; resolves when the bot's turn is over. */
export type BotDelivery = (activity: Partial<Activity>) => Promise<void>;

export interface DirectLineChannelDeps {
  log: DirectLineActivityLog;
  tokens: DirectLineTokens;
  deliver: BotDelivery;
  /** Base URL the bot and clients reach this server at (no trailing slash), read when needed. */
  baseUrl: () => string;
  /** The bot's id as recipient of customer activities. */
  botId: string;
  deps: Deps;
  logger: Logger;
}

export interface ConversationAnswer {
  conversationId: string;
  token: string;
  expires_in: number;
  streamUrl?: string;
}

/**
 * The local Direct Line 3.0 channel's behaviour, free of HTTP: tokens, conversations, client
 * activities (stored, then forwarded to the bot in order), bot activities (stored, then streamed).
 */
export function createDirectLineChannel(d: DirectLineChannelDeps) {
  const deliveries = new KeyedQueue();
  const serviceUrl = () => `${d.baseUrl()}/v3/directline`;

  function streamUrl(conversationId: string, token: string, watermark?: number): string {
    const ws = d.baseUrl().replace(/^http/, 'ws');
    const w = watermark !== undefined ? `watermark=${watermark}&` : '';
    return `${ws}/v3/directline/conversations/${encodeURIComponent(conversationId)}/stream?${w}t=${encodeURIComponent(token)}`;
  }

  /**
   * The token's claims, only if the conversation exists (404) and the token belongs to it (403). The
   * user is the conversation's, as announced at start: older tokens from `tokens/generate` still work.
   */
  async function authorize(token: string | undefined, conversationId: string): Promise<TokenClaims> {
    const claims = await d.tokens.verify(token);
    const conversation = await d.log.get(conversationId);
    if (!conversation) throw dlErrors.unknownConversation(conversationId);
    if (claims.conversationId !== conversationId) throw dlErrors.otherConversation();
    return { conversationId, userId: conversation.userId };
  }

  /** Delivers in order per conversation; a stored activity (`seq`) is marked delivered once the bot had it. */
  function forward(activity: Partial<Activity>, seq?: number): void {
    const conversationId = activity.conversation?.id ?? '';
    void deliveries
      .run(conversationId, async () => {
        await d.deliver(activity);
        if (seq !== undefined) await d.log.markDelivered(conversationId, seq);
      })
      .catch((err: unknown) => {
        d.logger.error('direct line delivery to the bot failed', {
          err,
          channelConversationId: conversationId,
          activityId: activity.id,
        });
      });
  }

  function toBot(claims: TokenClaims, fields: Partial<Activity>): Partial<Activity> {
    return {
      ...fields,
      channelId: 'directline',
      serviceUrl: serviceUrl(),
      conversation: { id: claims.conversationId } as Activity['conversation'],
      recipient: { id: d.botId, name: 'Virtual assistant', role: 'bot' },
    };
  }

  return {
    authorize,
    streamUrl,

    /** `POST /tokens/generate`: a new conversation id and a token bound to it. */
    async generateToken(userId?: string): Promise<ConversationAnswer> {
      const conversationId = d.deps.newId('dlconv');
      const user = userId ?? d.deps.newId('dl');
      await d.log.create(conversationId, user, d.deps.now());
      return { conversationId, ...(await d.tokens.issue({ conversationId, userId: user })) };
    },

    /** `POST /conversations` with a token from `tokens/generate`: the conversation starts, the bot hears the user joined. */
    async start(
      token: string | undefined,
      opts: { userId?: string; locale?: string } = {},
    ): Promise<{ created: boolean; answer: ConversationAnswer }> {
      const { conversationId } = await d.tokens.verify(token);
      if (!(await d.log.get(conversationId))) throw dlErrors.unknownConversation(conversationId);
      const created = await d.log.markStarted(conversationId, opts.userId);
      const claims = await authorize(token, conversationId);
      const fresh = await d.tokens.issue(claims);
      if (created) {
        forward(
          toBot(claims, {
            type: 'conversationUpdate',
            id: `${claims.conversationId}|start`,
            from: { id: claims.userId, name: '', role: 'user' },
            membersAdded: [{ id: claims.userId, name: '' }],
            locale: opts.locale,
            timestamp: d.deps.now(),
          }),
        );
      }
      return {
        created,
        answer: {
          conversationId: claims.conversationId,
          ...fresh,
          streamUrl: streamUrl(claims.conversationId, fresh.token),
        },
      };
    },

    /** `GET /conversations/{id}?watermark=W`: reconnect with a fresh token and stream URL. */
    async reconnect(
      token: string | undefined,
      conversationId: string,
      watermark?: number,
    ): Promise<ConversationAnswer> {
      const claims = await authorize(token, conversationId);
      const fresh = await d.tokens.issue(claims);
      return { conversationId, ...fresh, streamUrl: streamUrl(conversationId, fresh.token, watermark) };
    },

    async refresh(token: string | undefined): Promise<ConversationAnswer> {
      const claims = await d.tokens.verify(token);
      if (!(await d.log.get(claims.conversationId)))
        throw dlErrors.unknownConversation(claims.conversationId);
      return { conversationId: claims.conversationId, ...(await d.tokens.issue(claims)) };
    },

    /**
     * A customer activity from a sender `authorize` let in: validated, stored (typing is only
     * forwarded), then sent to the bot.
     */
    async postFromClient(claims: TokenClaims, activity: ClientActivity): Promise<{ id: string }> {
      const { conversationId } = claims;
      if ((activity.text?.length ?? 0) > MAX_TEXT_CHARS) throw dlErrors.tooLong(MAX_TEXT_CHARS);
      if (
        activity.type === 'message' &&
        !activity.text?.trim() &&
        !activity.attachments?.length &&
        activity.value === undefined
      ) {
        throw dlErrors.invalidActivity('A message needs text, attachments or a value');
      }
      if (activity.type === 'event' && !activity.name)
        throw dlErrors.invalidActivity('An event needs a name');
      // The sender is whoever holds the token, whatever the body claims.
      const from = { id: claims.userId, name: activity.from?.name ?? '', role: 'user' };
      const fields = {
        ...(activity as Partial<Activity>),
        from,
        channelId: 'directline',
        conversation: { id: conversationId } as Activity['conversation'],
      };
      const now = d.deps.now();
      if (activity.type === 'typing') {
        // Typing is passed on, never stored: it means nothing a moment later.
        const id = `${conversationId}|typing-${now.getTime()}`;
        forward(toBot(claims, { ...fields, id, timestamp: now }));
        return { id };
      }
      const stored = await d.log.append(conversationId, fields, now, { forBot: true });
      forward(toBot(claims, { ...stored, timestamp: now }), seqOf(stored.id));
      return { id: stored.id };
    },

    /** An activity from the bot through the Bot Connector routes: stored and streamed to the client. */
    async postFromBot(conversationId: string, activity: Partial<Activity>): Promise<{ id: string }> {
      if (!(await d.log.get(conversationId))) throw dlErrors.unknownConversation(conversationId);
      const stored = await d.log.append(
        conversationId,
        {
          ...activity,
          channelId: 'directline',
          conversation: { id: conversationId } as Activity['conversation'],
        },
        d.deps.now(),
      );
      return { id: stored.id };
    },

    async activities(token: string | undefined, conversationId: string, watermark: number) {
      await authorize(token, conversationId);
      const page = await d.log.since(conversationId, watermark);
      return { activities: page.activities, watermark: String(page.watermark) };
    },

    /**
     * Delivers what was acknowledged to a client but never reached the bot (the server stopped in
     * between). Run once the bot's endpoint is listening; the bot ignores activity ids it already has.
     */
    async recover(): Promise<number> {
      let count = 0;
      for (const { conversationId, activities } of await d.log.undelivered()) {
        for (const a of activities) {
          const claims = { conversationId, userId: a.from?.id ?? '' };
          forward(toBot(claims, { ...a, timestamp: new Date(a.timestamp ?? d.deps.now()) }), seqOf(a.id));
          count++;
        }
      }
      if (count > 0) d.logger.info('direct line redelivering activities the bot had not received', { count });
      return count;
    },

    /** Resolves when every activity received so far has reached the bot. */
    idle: () => deliveries.drain(),
  };
}

export type DirectLineChannel = ReturnType<typeof createDirectLineChannel>;

/** The watermark number at the end of an activity id (`<conversationId>|0000042`). */
function seqOf(id: string): number {
  return Number(id.slice(id.lastIndexOf('|') + 1));
}

export function parseWatermark(raw: unknown): number {
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : 0;
  return Number.isSafeInteger(n) ? n : 0;
}
