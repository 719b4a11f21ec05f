import type { Activity } from 'botbuilder';
import {
  characterCount,
  checkFile,
  hasVisibleText,
  maskCardNumbers,
  maskCardNumbersIn,
  MAX_FILES_PER_CONVERSATION,
  withoutControlCharacters,
  type Deps,
} from '../../services/domain/index.js';
import type { Logger } from '../../services/log.js';
import { Files } from '../../services/store/index.js';
import { KeyedQueue } from '../keyed-queue.js';
import { StreamAbsence } from './absence.js';
import type {
  AppendedActivity,
  DirectLineActivityLog,
  DirectLineConversation,
  OwedActivity,
} from './activity-log.js';
import { dlErrors } from './errors.js';
import { newVisitorCredential, signedInUserId, VISITOR_CREDENTIAL, visitorUserId } from './keys.js';
import type { SignedInCustomers, VerifiedCustomer } from './signed-in.js';
import { RecentlyOngoing } from './recently-ongoing.js';
import {
  botActivity,
  clientIdOf,
  MAX_ACTIVITY_BYTES,
  MAX_TEXT_CHARS,
  type ClientActivity,
} from './schemas.js';
import type { DirectLineTokens, TokenClaims, VerifiedToken } from './tokens.js';
import { TurnOrder } from './turn-order.js';
import { TurnsUnderway } from './turns-underway.js';

/** Hands an activity to the bot as a channel would; resolves when the bot's turn is over. */
export type BotDelivery = (activity: Partial<Activity>) => Promise<void>;

/** The file store the channel keeps uploads in (services/store `Files`). */
export type ChannelFiles = Pick<Files, 'put' | 'read' | 'countOf' | 'share' | 'remove'>;

export interface DirectLineChannelDeps {
  log: DirectLineActivityLog;
  files: ChannelFiles;
  /** Checks the sign-in tokens sites give their signed-in customers' chats (signed-in.ts). */
  signedIn: SignedInCustomers;
  tokens: DirectLineTokens;
  /** Key the server derives visitors' user ids with (keys.ts). */
  visitorKey: Uint8Array;
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

/** What the widget gets: a token, the user id the server gave it, and the credential to be that visitor again. */
export interface WidgetTokenAnswer extends ConversationAnswer {
  userId: string;
  visitor: string;
  /** When the chat began with the site's sign-in token: how the site knows the customer. */
  verified?: { name?: string; email?: string };
}

/** What `conversationUpdate` activities say of the customer's connection (`channelData.connection`). */
export type CustomerConnection = { state: 'disconnected'; since: string } | { state: 'reconnected' };

/** A file as an upload carried it, before it is checked. */
export interface UploadedFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** Files one upload may carry (Web Chat sends one per upload; a few pictures at once are fine). */
export const MAX_FILES_PER_UPLOAD = 3;

/**
 * Who a conversation's uploads belong to in the file store, and who a file an agent sends is shared
 * with: only the conversation's token reads them here.
 */
export const fileReader = (conversationId: string) => `directline:${conversationId}`;

/** Where a kept file of a conversation is read on this channel (`serviceUrl` is the channel's). */
export function channelFileUrl(serviceUrl: string, conversationId: string, fileId: string): string {
  return `${serviceUrl}/conversations/${encodeURIComponent(conversationId)}/attachments/${encodeURIComponent(fileId)}`;
}

/**
 * Whether a conversation's `serviceUrl` is this product's own Direct Line channel (`<base>/v3/directline`),
 * on this instance or on any other sharing its store: the conversation is in the shared activity
 * log, so whichever instance writes to the customer does it through its own channel.
 */
export function isLocalChannelUrl(serviceUrl: string | undefined): boolean {
  if (!serviceUrl) return false;
  try {
    return /\/v3\/directline$/i.test(new URL(serviceUrl).pathname.replace(/\/+$/, ''));
  } catch {
    return false;
  }
}

/** How long the channel trusts its own read that a conversation goes on, for the bot's answers (1–2 windows). */
const ONGOING_WINDOW_MS = 1000;

/**
 * The local Direct Line 3.0 channel's behaviour, free of HTTP: tokens, conversations, client
 * activities (stored, then forwarded to the bot in order), bot activities (stored, then streamed).
 */
/** How long the other instances' registered channels are taken as read (`siblingChannel`). */
const SIBLINGS_FRESH_MS = 2500;
const SIBLINGS_RECHECK_MS = 250;

export function createDirectLineChannel(d: DirectLineChannelDeps) {
  const deliveries = new KeyedQueue();
  const turns = new TurnsUnderway();
  const turnOrder = new TurnOrder();
  /** Stored customer activities this process has handed to its delivery queue and not yet delivered. */
  const delivering = new Set<string>();
  /**
   * This process among the instances sharing the log: the owner of the customer activities it
   * stores, until it delivers them or stops and another takes them over (`takeOver`).
   */
  const instance = d.deps.newId('dlinst');
  /** For the bot's answers only: see recently-ongoing.ts. */
  const recentlyOngoing = new RecentlyOngoing(ONGOING_WINDOW_MS);
  /** Customers whose streams closed, until they come back or count as gone (absence.ts). */
  const absence = new StreamAbsence(() => d.deps.now().getTime());
  d.log.onEnded((conversationId) => {
    recentlyOngoing.forget(conversationId);
    absence.forget(conversationId);
  });
  const serviceUrl = () => `${d.baseUrl()}/v3/directline`;

  const attachmentUrl = (conversationId: string, fileId: string) =>
    channelFileUrl(serviceUrl(), conversationId, fileId);

  function streamUrl(conversationId: string, token: string, watermark?: number): string {
    const ws = d.baseUrl().replace(/^http/, 'ws');
    const w = watermark !== undefined ? `watermark=${watermark}&` : '';
    return `${ws}/v3/directline/conversations/${encodeURIComponent(conversationId)}/stream?${w}t=${encodeURIComponent(token)}`;
  }

  /**
   * The token's claims, only if the conversation exists (404), has not ended (404: its tokens are
   * revoked) and the token belongs to it (403). The user is the conversation's.
   */
  async function authorize(token: string | undefined, conversationId: string): Promise<VerifiedToken> {
    const claims = await d.tokens.verify(token);
    const conversation = await d.log.get(conversationId);
    if (!conversation) throw dlErrors.unknownConversation(conversationId);
    if (claims.conversationId !== conversationId) throw dlErrors.otherConversation();
    if (conversation.endedAt) throw dlErrors.ended(conversationId);
    recentlyOngoing.seen(conversation.conversationId);
    if (absence.heard(conversation.conversationId))
      tellConnection(conversation.conversationId, { state: 'reconnected' });
    // The stored id, not the one from the path: that one is a slice of the request's URL, and every
    // activity stored under it would keep its request's whole URL in memory.
    return {
      conversationId: conversation.conversationId,
      userId: conversation.userId,
      expiresAt: claims.expiresAt,
    };
  }

  /** The conversation a token names, if it exists and goes on. */
  async function ongoing(conversationId: string): Promise<DirectLineConversation> {
    const conversation = await d.log.get(conversationId);
    if (!conversation) throw dlErrors.unknownConversation(conversationId);
    if (conversation.endedAt) throw dlErrors.ended(conversationId);
    recentlyOngoing.seen(conversation.conversationId);
    return conversation;
  }

  async function generateToken(userId?: string, verified?: VerifiedCustomer): Promise<ConversationAnswer> {
    const conversationId = d.deps.newId('dlconv');
    const user = userId ?? d.deps.newId('dl');
    await d.log.create(conversationId, user, d.deps.now(), verified);
    return { conversationId, ...(await d.tokens.issue({ conversationId, userId: user })) };
  }

  /** Ends the conversation once: tokens stop working, open streams close after their last activities. */
  async function end(conversationId: string): Promise<void> {
    await d.log.end(conversationId, d.deps.now());
  }

  /** Delivers in order per conversation; a stored activity (`seq`) is marked delivered once the bot had it. */
  function forward(activity: Partial<Activity>, seq?: number, opts: { begun?: boolean } = {}): void {
    const conversationId = activity.conversation?.id ?? '';
    if (!opts.begun) turns.begin(conversationId);
    const tracked = seq !== undefined && activity.id !== undefined ? activity.id : undefined;
    if (tracked) delivering.add(tracked);
    void deliveries
      .run(conversationId, async () => {
        try {
          // After the event loop's I/O pass: requests already arrived (other customers' posts,
          // their acknowledgements) are not held behind every queued bot turn (turn-order.ts).
          await turnOrder.next(conversationId);
          await d.deliver(activity);
        } finally {
          turnOrder.end(conversationId);
          turns.end(conversationId);
        }
        if (seq !== undefined) await d.log.markDelivered(conversationId, seq);
      })
      .finally(() => {
        if (tracked) delivering.delete(tracked);
      })
      .catch((err: unknown) => {
        d.logger.error('direct line delivery to the bot failed', {
          err,
          channelConversationId: conversationId,
          activityId: activity.id,
        });
      });
  }

  /**
   * A send the client repeated (it could not tell the first one was stored: a 503, a connection
   * dropped before the answer): the first one's id, stored and delivered once. Only if the first
   * never reached the bot (its request failed after the write) does this one take it there.
   */
  function repeated(
    claims: TokenClaims,
    activity: Partial<Activity>,
    stored: AppendedActivity,
    clientId: string,
  ): { id: string } {
    const { repeat, ...first } = stored;
    if (contentOf(first) !== contentOf(activity))
      throw dlErrors.invalidActivity(
        `channelData client id ${JSON.stringify(clientId)} was already used for a different activity`,
      );
    // On a shared log, another instance's activity is its to deliver, or taken over once it stopped.
    const ours = !d.log.shared || repeat?.owner === instance;
    if (repeat?.owed && ours && !delivering.has(first.id)) {
      const timestamp = first.timestamp ? new Date(first.timestamp) : d.deps.now();
      forward(toBot(claims, { ...first, timestamp }), seqOf(first.id));
    }
    return { id: first.id };
  }

  /** Connection news told so far, in order (see `tellConnection`). */
  let connectionNews = Promise.resolve();

  /**
   * Tells the bot its customer's connection dropped or came back: a `conversationUpdate` whose
   * `channelData.connection` says which, as Teams says what changed in `channelData.eventType`.
   * Clients cannot post conversation updates, so no customer can say this of themselves.
   */
  function tellConnection(conversationId: string, connection: CustomerConnection): void {
    const told = async () => {
      const conversation = await d.log.get(conversationId);
      if (!conversation || conversation.endedAt) return;
      const now = d.deps.now();
      forward(
        toBot(
          { conversationId, userId: conversation.userId },
          {
            type: 'conversationUpdate',
            id: `${conversationId}|${connection.state}-${now.getTime()}`,
            from: { id: conversation.userId, name: '', role: 'user' },
            channelData: { connection },
            timestamp: now,
          },
        ),
      );
    };
    // In the order they happened: a reconnection must not reach the bot before its disconnection.
    connectionNews = connectionNews
      .then(told)
      .catch((err: unknown) =>
        d.logger.error("telling the bot of a customer's connection failed", { err, conversationId }),
      );
  }

  /** Says this instance lives; resolves with the instances heard from within `graceMs`. */
  async function heartbeat(graceMs: number): Promise<Set<string>> {
    const now = d.deps.now();
    await d.log.instances.heartbeat(instance, now, serviceUrl());
    return d.log.instances.alive(new Date(now.getTime() - graceMs));
  }

  /**
   * The other instances' channels as they registered them, read again at most every
   * `SIBLINGS_FRESH_MS`: asked only for conversations another instance began, never for this one's.
   */
  let siblings: { at: number; read: Promise<Array<{ serviceUrl: string; seenAt: Date }>> } | undefined;
  function siblingChannels(
    freshMs = SIBLINGS_FRESH_MS,
  ): Promise<Array<{ serviceUrl: string; seenAt: Date }>> {
    const now = d.deps.now().getTime();
    if (!siblings || now - siblings.at > freshMs) {
      const read = d.log.instances
        .channels()
        .then((all) =>
          all.flatMap((c) =>
            c.instance !== instance && c.serviceUrl ? [{ serviceUrl: c.serviceUrl, seenAt: c.seenAt }] : [],
          ),
        );
      siblings = { at: now, read };
      read.catch(() => {
        if (siblings?.read === read) siblings = undefined;
      });
    }
    return siblings.read;
  }

  /**
   * Hands owed activities to the bot, each conversation's in order. With `alive` (a shared log), an
   * activity is first claimed from its owner if that one is not alive; the rest of a conversation
   * waits behind one that cannot be taken (a live owner's, or one another instance claimed first).
   */
  async function redeliver(
    owed: Array<{ conversationId: string; activities: OwedActivity[] }>,
    alive?: Set<string>,
  ): Promise<number> {
    let count = 0;
    for (const { conversationId, activities } of owed) {
      for (const { owner, ...a } of activities) {
        if (alive) {
          // This instance's own are in its queue (or were delivered since they were read).
          if (owner === instance || (owner !== undefined && alive.has(owner))) break;
          if (!(await d.log.claim(conversationId, seqOf(a.id), instance, owner))) break;
        } else if (delivering.has(a.id)) continue;
        const claims = { conversationId, userId: a.from?.id ?? '' };
        forward(toBot(claims, { ...a, timestamp: new Date(a.timestamp ?? d.deps.now()) }), seqOf(a.id));
        count++;
      }
    }
    return count;
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
    /** Conversations whose customer activity is on its way through the bot. */
    turns: turns as Pick<TurnsUnderway, 'underway' | 'onSettled'>,

    end,

    /**
     * `POST /tokens/generate` (a caller holding the Direct Line secret): a new conversation id and a
     * token bound to it, for the user the site's server names or a new one.
     */
    generateToken,

    /**
     * `POST /widget/token`: the widget's token. The user id is the server's: derived from the
     * visitor credential the browser kept from last time, or from a new one it is given now.
     */
    async widgetToken(visitor?: string, authToken?: string): Promise<WidgetTokenAnswer> {
      const credential = visitor && VISITOR_CREDENTIAL.test(visitor) ? visitor : newVisitorCredential();
      if (authToken !== undefined) {
        // The site signed this customer in: the chat is theirs, the same user on every device.
        const verified = await d.signedIn.verify(authToken);
        const userId = signedInUserId(d.visitorKey, verified.id);
        const { id: _siteId, ...shown } = verified;
        return {
          ...(await generateToken(userId, verified)),
          userId,
          visitor: credential,
          verified: shown,
        };
      }
      const userId = visitorUserId(d.visitorKey, credential);
      return { ...(await generateToken(userId)), userId, visitor: credential };
    },

    /**
     * `POST /conversations` with a token from `tokens/generate` (or the secret, which generates one
     * first): the conversation starts, the bot hears the user joined. The user is the token's,
     * whatever the body says.
     */
    async start(
      token: string | undefined,
      opts: { locale?: string } = {},
    ): Promise<{ created: boolean; answer: ConversationAnswer }> {
      const { conversationId } = await d.tokens.verify(token);
      const conversation = await ongoing(conversationId);
      const created = await d.log.markStarted(conversationId);
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
            // Who the site signed in, said by the channel: clients cannot post conversation updates.
            ...(conversation.verified ? { channelData: { verifiedCustomer: conversation.verified } } : {}),
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

    /** A stream of the conversation opened (stream.ts): its customer is here. */
    streamOpened(conversationId: string): void {
      if (absence.opened(conversationId)) tellConnection(conversationId, { state: 'reconnected' });
      // Kept on the record for a restart, which drops every stream: their customers are waited for again.
      d.log
        .markWatched(conversationId, true)
        .catch((err: unknown) => d.logger.warn('could not mark a customer watched', { conversationId, err }));
    },
    /** A stream closed: when it was the last, the customer has the away time to come back. */
    streamClosed: (conversationId: string, opts: { watch: boolean }) => absence.closed(conversationId, opts),

    /** Tells the bot of each customer whose streams have all been closed for `disconnectedMs`. */
    tellDisconnected(disconnectedMs: number): void {
      for (const { conversationId, since } of absence.takeDisconnected(disconnectedMs)) {
        tellConnection(conversationId, { state: 'disconnected', since: new Date(since).toISOString() });
      }
    },

    /**
     * Tells the bot of each customer gone for `awayMs` (absence.ts) the way channels say someone
     * left: a `conversationUpdate` with them in `membersRemoved`, whose `channelData.away.seconds`
     * says it was the connection, and for how long. The conversation itself goes on: a customer who
     * comes back later can write again.
     */
    async tellGone(awayMs: number): Promise<void> {
      const now = d.deps.now();
      for (const conversationId of absence.takeGone(awayMs)) {
        await d.log.markWatched(conversationId, false);
        const conversation = await d.log.get(conversationId);
        if (!conversation || conversation.endedAt) continue;
        const customer = { id: conversation.userId, name: '' };
        forward(
          toBot(
            { conversationId, userId: conversation.userId },
            {
              type: 'conversationUpdate',
              id: `${conversationId}|gone-${now.getTime()}`,
              from: { ...customer, role: 'user' },
              membersRemoved: [customer],
              channelData: { away: { seconds: Math.round(awayMs / 1000) } },
              timestamp: now,
            },
          ),
        );
      }
    },

    /**
     * `POST /conversations/{id}/upload`: the files are checked (services/domain/files.ts) and kept,
     * then sent as one message (with the upload's own activity's text, if it had one) whose
     * attachments point at `GET …/attachments/{fileId}`, readable with the conversation's token.
     */
    async upload(
      claims: TokenClaims,
      upload: { activity?: ClientActivity; files: UploadedFile[] },
    ): Promise<{ id: string }> {
      const { conversationId } = claims;
      if (upload.activity && upload.activity.type !== 'message')
        throw dlErrors.invalidActivity('An upload sends a message activity');
      if (upload.files.length === 0) throw dlErrors.invalidActivity('An upload needs at least one file');
      if (upload.files.length > MAX_FILES_PER_UPLOAD)
        throw dlErrors.invalidActivity(`An upload may carry at most ${MAX_FILES_PER_UPLOAD} files`);
      // Before any file is kept: a refused message must leave none behind.
      checkLength(upload.activity?.text);
      const checked = upload.files.map((f) => {
        const check = checkFile(maskCardNumbers(f.name), f.type, f.bytes);
        if (!check.ok) throw dlErrors.fileRefused(check.reason, check.message);
        return { ...check, bytes: f.bytes };
      });
      const clientId = upload.activity && clientIdOf(upload.activity);
      if (clientId !== undefined && (await d.log.hasClientId(conversationId, clientId))) {
        // Sent again because its answer was lost: the first upload's message answers, and its files
        // are not kept twice (they would count towards the conversation's limit).
        const attachments = checked.map((f) => ({ contentType: f.contentType, name: f.name }));
        return this.postFromClient(
          claims,
          { ...upload.activity, type: 'message', attachments },
          { uploaded: true },
        );
      }
      const owner = fileReader(conversationId);
      if ((await d.files.countOf(owner)) + checked.length > MAX_FILES_PER_CONVERSATION)
        throw dlErrors.tooManyFiles(MAX_FILES_PER_CONVERSATION);
      const attachments = [];
      const keptIds: string[] = [];
      try {
        for (const f of checked) {
          const kept = await d.files.put({ owner, name: f.name, contentType: f.contentType, bytes: f.bytes });
          keptIds.push(kept.id);
          attachments.push({
            contentType: kept.contentType,
            name: kept.name,
            contentUrl: attachmentUrl(conversationId, kept.id),
          });
        }
        return await this.postFromClient(
          claims,
          { ...upload.activity, type: 'message', attachments },
          { uploaded: true },
        );
      } catch (err) {
        // The message was refused (too large with its attachments, say): nothing of it is kept, and
        // its files do not count towards the conversation's limit.
        await d.files.remove(keptIds);
        throw err;
      }
    },

    /** `GET /conversations/{id}/attachments/{fileId}`: a file of this conversation, for its token. */
    async attachment(token: string | undefined, conversationId: string, fileId: string) {
      await authorize(token, conversationId);
      const file = await d.files.read(fileId);
      // Another conversation's file is as unknown here as one that never was.
      if (!file || !Files.readableBy(file.info, fileReader(conversationId))) throw dlErrors.unknownFile();
      return file;
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
      const { conversationId } = await d.tokens.verify(token);
      const claims = await authorize(token, conversationId);
      return {
        conversationId: claims.conversationId,
        ...(await d.tokens.issue({ conversationId: claims.conversationId, userId: claims.userId })),
      };
    },

    /**
     * A customer activity from a sender `authorize` let in: validated, stored (typing is only
     * forwarded), then sent to the bot.
     */
    async postFromClient(
      claims: TokenClaims,
      sent: ClientActivity,
      opts: { uploaded?: boolean } = {},
    ): Promise<{ id: string }> {
      const { conversationId } = claims;
      // Only an upload points at files this channel keeps: a customer cannot pass another
      // conversation's file off as theirs by its address.
      if (!opts.uploaded && sent.attachments?.some((a) => isChannelFile(a.contentUrl)))
        throw dlErrors.invalidActivity('Files are sent with POST …/upload, not by their address here');
      checkLength(sent.text);
      // Stored as the agent will read it (services/domain/message-text.ts), so the customer's own
      // stream, the bot and the transcript agree.
      const activity =
        sent.text === undefined ? sent : { ...sent, text: withoutControlCharacters(sent.text) };
      // A chat message, not a file: whatever else rides along (value, channelData, entities) is bounded too.
      if (Buffer.byteLength(JSON.stringify(activity)) > MAX_ACTIVITY_BYTES)
        throw dlErrors.tooLarge(MAX_ACTIVITY_BYTES);
      if (
        activity.type === 'message' &&
        // Whitespace or zero-width characters alone would be a blank bubble for the agent, who may
        // not send one either (services/domain/visible-text.ts).
        !hasVisibleText(activity.text ?? '') &&
        !activity.attachments?.length &&
        activity.value === undefined
      ) {
        throw dlErrors.invalidActivity('A message needs text, attachments or a value');
      }
      if (activity.type === 'event' && !activity.name)
        throw dlErrors.invalidActivity('An event needs a name');
      // The sender is whoever holds the token, whatever the body claims.
      const from = { id: claims.userId, name: activity.from?.name ?? '', role: 'user' };
      // The log gives it its id, channel and conversation. A card number is never stored, not even
      // here, wherever in the activity it is (text, value, a link's name or address, the sender's
      // name): the bot, the transcript and the customer's own stream get it masked.
      const fields = maskCardNumbersIn({ ...(activity as Partial<Activity>), from });
      const now = d.deps.now();
      if (activity.type === 'typing') {
        // Typing is passed on, never stored: it means nothing a moment later.
        const id = `${conversationId}|typing-${now.getTime()}`;
        forward(toBot(claims, { ...fields, id, timestamp: now }));
        return { id };
      }
      // The turn counts from before the activity is stored, so the stream can send the customer's
      // own activity together with the bot's answer (stream.ts).
      turns.begin(conversationId);
      const clientId = clientIdOf(activity);
      let stored: Awaited<ReturnType<typeof d.log.append>>;
      try {
        stored = await d.log.append(conversationId, fields, now, {
          forBot: true,
          owner: instance,
          ...(clientId === undefined ? {} : { clientId }),
        });
      } catch (err) {
        turns.end(conversationId);
        throw err;
      }
      let answer: { id: string };
      if (stored.repeat) {
        turns.end(conversationId);
        // Compared as stored: masked, as the first was.
        answer = repeated(claims, fields, stored, clientId!);
      } else {
        // The log's answer is this call's own object: it becomes the bot's activity.
        stored.timestamp = now;
        forward(toBot(claims, stored), seqOf(stored.id), { begun: true });
        answer = { id: stored.id };
      }
      // The customer left: the bot still hears it (delivery is queued), the conversation is over.
      if (activity.type === 'endOfConversation') await end(conversationId);
      return answer;
    },

    /**
     * An activity from the bot (the Bot Connector routes' body, over HTTP or from this process's own
     * connector): validated, stored and streamed to the client.
     */
    async postFromBot(conversationId: string, body: unknown): Promise<{ id: string }> {
      const parsed = botActivity.safeParse(body);
      if (!parsed.success) throw dlErrors.invalidActivity('The body is not an activity');
      const activity = parsed.data as Partial<Activity>;
      // Mostly an answer to what the customer just sent, whose token check has just read the
      // conversation; a customer's own activities never skip the store (recently-ongoing.ts).
      if (!recentlyOngoing.has(conversationId)) await ongoing(conversationId);
      // The bot may send again what it is not sure went out (the customer relay after a restart):
      // under its own client id, the repeat stores and streams nothing.
      const clientId = clientIdOf(activity);
      const stored = await d.log.append(
        conversationId,
        activity,
        d.deps.now(),
        clientId === undefined ? {} : { clientId, fromBot: true },
      );
      // The bot ended it (Bot Framework's way of saying goodbye): the client sees this last activity.
      if (activity.type === 'endOfConversation') await end(conversationId);
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
    async recover(graceMs: number): Promise<number> {
      // On a shared log, what a live instance owes the bot is left to it; what an instance that stopped
      // owed is taken over now, or by `takeOver` once its owner has been silent for the grace.
      const alive = d.log.shared ? await heartbeat(graceMs) : undefined;
      const count = await redeliver(await d.log.undelivered(), alive);
      if (count > 0) d.logger.info('direct line redelivering activities the bot had not received', { count });
      // Their streams went with the last process: the customers who do not come back have left, and
      // one back already may still be marked disconnected from before.
      for (const conversationId of absence.watchRecovered(await d.log.watched()))
        tellConnection(conversationId, { state: 'reconnected' });
      return count;
    },

    /**
     * Retention (the transcript stays in the conversation record): activities older than
     * `retentionMs` are dropped, and so are conversations that ended that long ago or began more than
     * `maxAgeMs` ago. Returns how many activities went.
     */
    async sweep(retentionMs: number, maxAgeMs: number): Promise<number> {
      const now = d.deps.now().getTime();
      return d.log.sweep(new Date(now - retentionMs), new Date(now - maxAgeMs));
    },

    /**
     * On a shared log (several instances): says this instance lives, and delivers the customer
     * activities another instance acknowledged and stopped before delivering — stored more than
     * `graceMs` ago by an instance silent for as long. Returns how many it took over.
     */
    async takeOver(graceMs: number): Promise<number> {
      if (!d.log.shared) return 0;
      const alive = await heartbeat(graceMs);
      const storedBefore = new Date(d.deps.now().getTime() - graceMs);
      const count = await redeliver(await d.log.undelivered(storedBefore), alive);
      if (count > 0)
        d.logger.info('direct line taking over activities a stopped instance had not delivered', { count });
      return count;
    },

    /**
     * Whether `url` is under the channel of another instance sharing this log (`live`: heard from
     * within `graceMs`; `silent`: registered, not heard from since), or of none. Only a registered
     * instance is a sibling: a URL's shape is the caller's choice, and the bot's secret goes to a
     * live sibling alone.
     */
    async siblingChannel(url: string, graceMs: number): Promise<'live' | 'silent' | undefined> {
      if (!d.log.shared) return undefined;
      const wanted = url.replace(/\/+$/, '').toLowerCase();
      const find = (all: Array<{ serviceUrl: string; seenAt: Date }>) =>
        all.find((c) => {
          const base = c.serviceUrl.replace(/\/+$/, '').toLowerCase();
          return wanted === base || wanted.startsWith(`${base}/`);
        });
      // An instance that started since the last read is looked for once more, soon after.
      const found = find(await siblingChannels()) ?? find(await siblingChannels(SIBLINGS_RECHECK_MS));
      if (!found) return undefined;
      return d.deps.now().getTime() - found.seenAt.getTime() <= graceMs ? 'live' : 'silent';
    },

    /** A graceful stop: the other instances take over what is left without waiting out the grace. */
    async leave(): Promise<void> {
      if (d.log.shared) await d.log.instances.gone(instance);
    },

    /** Resolves when every activity received so far has reached the bot. */
    idle: () => deliveries.drain(),
  };
}

export type DirectLineChannel = ReturnType<typeof createDirectLineChannel>;

/**
 * What a repeated send must carry unchanged: what the customer said, not when or how it was sent.
 * Attachments by name and type: an upload sent again keeps its files under new addresses.
 */
function contentOf(a: Partial<Activity> | ClientActivity): string {
  const files = a.attachments?.map((f) => [f.contentType, f.name ?? null]) ?? null;
  return JSON.stringify([a.type, a.text ?? null, a.name ?? null, a.value ?? null, files]);
}

/** Refuses text over the limit, counted as on every other path (services/domain/message-text.ts). */
function checkLength(text: string | undefined): void {
  const count = text === undefined ? 0 : characterCount(text);
  if (count > MAX_TEXT_CHARS) throw dlErrors.tooLong(count);
}

/** Whether an address is one of this channel's kept files, whatever host or spelling names it. */
function isChannelFile(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return /\/v3\/directline\/conversations\/[^/]+\/attachments\//i.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

/** The watermark number at the end of an activity id (`<conversationId>|0000042`). */
function seqOf(id: string): number {
  return Number(id.slice(id.lastIndexOf('|') + 1));
}

/**
 * The `watermark` a client sent back (a query parameter, on the activities route, a reconnect or a
 * stream's URL): none (or empty) for the whole history, else the digits this channel gave. Anything
 * else is a 400: read as 0 it sent the whole history again as new.
 */
export function readWatermark(raw: string | undefined | null): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) throw dlErrors.badWatermark(raw);
  return n;
}
