import {
  clipCharacters,
  ConflictError,
  DomainError,
  NotFoundError,
  maskCardNumbers,
  maskCardNumbersIn,
  MAX_MESSAGE_CHARS,
  storableMessageText,
  typedMessageText,
  withoutControlCharacters,
  hasVisibleText,
  ValidationError,
  transition,
  type Agent,
  type ChannelId,
  type Conversation,
  type ConversationAudience,
  type ConversationCommand,
  type ConversationContext,
  type ConversationStatus,
  type Customer,
  type Deps,
  type DomainEvent,
  type Message,
  type PortalNavigationEntry,
  type SentimentReading,
  type VerifiedCustomer,
  type VisitorDetails,
  type Visibility,
  type Workstream,
  STATUS_IN_WORDS,
} from '../domain/index.js';
import { nextConversationSentiment } from '../assist/index.js';
import type { EventOf, EventSource } from '../events/index.js';
import type { ConversationServicePorts } from './ports.js';
import { fitsRecord, namesRecord, UNNAMED_GUEST, type TypedContact } from './guest-contact.js';
import { awayDuration } from './quiet-chat.js';
import { publicTranscript, type TranscriptLine } from './transcript.js';

/** Longest message text accepted from any side (services/domain/message-text.ts). */
export { MAX_MESSAGE_CHARS };

export interface StartInput {
  /** The channel as routing knows it (e.g. `webchat`, `msteams`). */
  channel: ChannelId;
  /** The customer's id on that channel. */
  channelUserId: string;
  userName?: string;
  /** Opaque reference the bot needs to write to the customer later. */
  channelRef: Record<string, unknown>;
}

export interface StartResult {
  conversation: Conversation;
  customer: Customer;
  workstream: Workstream;
}

export interface CustomerMessageInput {
  text: string;
  activityId?: string;
  attachments?: Message['attachments'];
  /** Where to answer the customer (the channel's conversation reference), kept when it changed. */
  channelRef?: Record<string, unknown>;
  /**
   * The conversation's customer as the caller knows it (the bot keeps it in its session), so the
   * customer's name is read beside the conversation rather than after it. A customer the
   * conversation does not name is not trusted: the conversation's own is read then.
   */
  customerId?: string;
}

export interface CustomerMessageResult {
  message: Message;
  duplicate: boolean;
  /** The conversation's rolling sentiment after this message (absent for duplicates). */
  sentiment?: SentimentReading;
  /** The message's own score. */
  messageSentiment?: SentimentReading;
  /** The conversation's status as read before the message was stored. */
  status: ConversationStatus;
}

export interface VisitorContextInput {
  visitor?: Partial<VisitorDetails>;
  custom?: Record<string, string | number | boolean>;
  portalNavigation?: PortalNavigationEntry[];
}

export type ConversationService = ReturnType<typeof createConversationService>;

/** Someone is typing. Ephemeral: told to in-process listeners (bot relay, live stream), never logged. */
export interface TypingSignal {
  conversationId: string;
  author: 'customer' | 'agent';
  agentId?: string;
}

/**
 * The customer side of a conversation: who the customer is, what they said, what the bot learnt
 * about them, and how their part ends. Loads, applies the pure rule, stores with a version check,
 * publishes. Knows nothing of Bot Framework.
 */
export function createConversationService(ports: ConversationServicePorts, deps: Deps) {
  const { conversations, messages, customers, workstreams, agents, router, bus } = ports;
  const typingListeners = new Set<(signal: TypingSignal) => void>();
  /** Writes started by events (nobody awaits them); `idle` waits for them. */
  const background = new Set<Promise<void>>();

  async function load(id: string): Promise<Conversation> {
    const c = await conversations.get(id);
    if (!c) throw new NotFoundError('conversation.not_found', 'No such conversation', { conversationId: id });
    return c;
  }

  /** Read-modify-write with the version check (the store's one retry loop); null: nothing to do. */
  function update(
    id: string,
    change: (c: Conversation) => Conversation | null,
  ): Promise<{ before: Conversation; after: Conversation } | null> {
    return conversations.change(id, change);
  }

  async function applyCommand(id: string, cmd: ConversationCommand) {
    const result = await update(id, (c) => transition(c, cmd, deps.now()));
    if (!result)
      throw new DomainError('conversation.no_change', 'Nothing to do for this conversation', 'invalid', {
        conversationId: id,
      });
    return result;
  }

  /**
   * The customer's chat window lost its connection at `awaySince`, or is back (null). Marked only
   * while someone may be waiting on them (queued, offered, with an agent: the state machine drops the
   * mark when the chat leaves those), so agents know why no answer comes.
   */
  async function customerConnection(id: string, awaySince: Date | null): Promise<Conversation> {
    const written = await update(id, (c) => {
      if (awaySince === null) {
        if (!c.customerAwaySince) return null;
        const { customerAwaySince: _cleared, ...rest } = c;
        return rest;
      }
      const watched = c.status === 'waiting' || c.status === 'offered' || c.status === 'active';
      return watched && !c.customerAwaySince ? { ...c, customerAwaySince: awaySince } : null;
    });
    if (!written) return load(id);
    await bus.publish({ type: 'customer.connection', conversationId: id, connected: awaySince === null });
    return written.after;
  }

  /** Keyed sends this process is storing and announcing now, by conversation, author and key. */
  const sending = new Map<string, Promise<Message>>();

  /** `audience`: the conversation's, as the write that numbered the message left it (see `Carried`). */
  async function publishMessage(message: Message, audience?: ConversationAudience): Promise<void> {
    await bus.publish(
      {
        type: 'message.added',
        conversationId: message.conversationId,
        messageId: message.id,
        messageSeq: message.seq,
        author: message.author,
        visibility: message.visibility,
      },
      audience ? { message, audience } : { message },
    );
  }

  /**
   * A message its client sent again under the same key (the first answer was lost): the first one
   * comes back, refused if the repeat says something else, and announced now if the first request
   * failed between storing it and announcing it. The log stores a message's announcement once, so
   * announcing it again (or a stalled first request announcing it after this) tells nobody twice.
   */
  async function repeatedSend(message: Message, text: string, visibility: Visibility): Promise<Message> {
    assertSameSend(message, text, visibility);
    await publishMessage(message);
    return message;
  }

  function assertSameSend(message: Message, text: string, visibility: Visibility): void {
    if (message.text !== text || message.visibility !== visibility) {
      throw new ValidationError(
        'message.idempotency_key_reused',
        'This Idempotency-Key was already used for a different message',
      );
    }
  }

  /**
   * One keyed send at a time per key in this process: a repeat that overtakes its first request
   * (both sent at once) waits for it to be stored and announced, and does not announce it again.
   */
  async function sendOnce(
    sendKey: string,
    text: string,
    visibility: Visibility,
    send: () => Promise<Message>,
  ): Promise<Message> {
    const underway = sending.get(sendKey);
    if (underway) {
      // Settled means stored and announced; a failed first leaves this one to try.
      const first = await underway.catch(() => null);
      if (first) {
        assertSameSend(first, text, visibility);
        return first;
      }
    }
    const attempt = send();
    sending.set(sendKey, attempt);
    try {
      return await attempt;
    } finally {
      if (sending.get(sendKey) === attempt) sending.delete(sendKey);
    }
  }

  /**
   * A message from the bot or the system (no agent, no sentiment): `public` ones reach the customer
   * (the bot relays the system's), `internal` ones only agents and supervisors.
   */
  async function appendUnsigned(
    id: string,
    author: 'bot' | 'system',
    visibility: Visibility,
    authorName: string,
    text: string,
    clientKey?: string,
  ): Promise<Message> {
    // No read first: numbering the message refuses a conversation that does not exist.
    const { message, duplicate, audience } = await messages.append(
      {
        conversationId: id,
        author,
        authorName,
        visibility,
        text: storableMessageText(text),
        ...(clientKey === undefined ? {} : { clientKey }),
      },
      deps.now(),
    );
    if (!duplicate) await publishMessage(message, audience);
    return message;
  }

  function appendPublic(
    id: string,
    author: 'bot' | 'system',
    authorName: string,
    text: string,
    clientKey?: string,
  ): Promise<Message> {
    return appendUnsigned(id, author, 'public', authorName, text, clientKey);
  }

  /**
   * A line for the agents and supervisors in the conversation saying what happened to it (the
   * customer left, a supervisor closed it): internal, so never relayed to the customer.
   */
  function noteForAgents(id: string, text: string): Promise<Message> {
    return appendUnsigned(id, 'system', 'internal', 'Switchboard', text);
  }

  /** The note that a transfer's offer ended unanswered (see `followRoutingNotices`); once per event. */
  async function noteTransferBack(
    e: EventOf<
      'conversation.offer_rejected' | 'conversation.offer_timed_out' | 'conversation.offer_withdrawn'
    >,
  ): Promise<Message> {
    const [agent, c] = await Promise.all([agents.get(e.agentId), load(e.conversationId)]);
    const queue = c.queueId ? await ports.queues.get(c.queueId) : null;
    const who = agent?.name ?? 'The agent';
    const why =
      e.type === 'conversation.offer_rejected'
        ? 'declined the transfer'
        : e.type === 'conversation.offer_timed_out'
          ? 'did not answer the transfer in time'
          : e.reason === 'agent_unavailable'
            ? 'became unavailable before answering the transfer'
            : 'went offline before answering the transfer';
    const where = queue ? `the ${queue.name} queue` : 'its queue';
    return appendUnsigned(
      e.conversationId,
      'system',
      'internal',
      'Switchboard',
      `${who} ${why}: the conversation went back to ${where}.`,
      `transfer-back|${e.seq}`,
    );
  }

  async function identifyCustomer(input: StartInput): Promise<Customer> {
    const known = await customers.findByIdentity(input.channel, input.channelUserId);
    if (known) return known;
    const now = deps.now();
    const customer: Customer = {
      id: deps.newId('cust'),
      kind: 'contact',
      name: input.userName?.trim() || UNNAMED_GUEST,
      identities: [{ channel: input.channel, userId: input.channelUserId }],
      createdAt: now,
      updatedAt: now,
    };
    await customers.insert(customer);
    return customer;
  }

  /**
   * The name a customer's message carries. Until a guest's chat says who they are (the pre-chat
   * survey), the browser's record may be the last guest's on it: a record with an e-mail was filled
   * in by an earlier chat, so its name is not put on this one's messages.
   */
  function authorNameOf(conversation: Conversation, customer: Customer): string | undefined {
    const { visitor, preChat } = conversation.context;
    const told = visitor.verified || preChat.name?.trim() || preChat.email?.trim();
    return told || customer.email === undefined ? customer.name : undefined;
  }

  /**
   * The customer record a guest's chat belongs to, given what they typed. The browser's identity
   * found the record the last guest on it left; several people share a browser, and a guest's word
   * about themselves never rewrites another's record (nor hands them its history): a record with
   * other details stays as it is, and the chat goes to the record of the guest it names, or a new one.
   */
  async function guestRecord(conversation: Conversation, typed: TypedContact): Promise<string> {
    const current = await customers.get(conversation.customerId);
    if (!current || fitsRecord(current, typed)) return conversation.customerId;
    // Made for this chat (from a name the page gave): it is this guest's.
    if (!(await conversations.customerHasOthers(current.id, conversation.id))) return current.id;
    const identities = current.identities.filter((i) => i.channel === conversation.channel);
    for (const identity of identities) {
      const named = (await customers.withIdentity(identity.channel, identity.userId)).find(
        (other) => other.id !== current.id && namesRecord(other, typed),
      );
      if (named) return named.id;
    }
    const now = deps.now();
    const customer: Customer = {
      id: deps.newId('cust'),
      kind: 'contact',
      name: typed.name ?? UNNAMED_GUEST,
      identities,
      createdAt: now,
      updatedAt: now,
    };
    await customers.insert(customer);
    return customer.id;
  }

  return {
    get: load,

    /** Identifies (or creates) the customer and opens a conversation in `bot` status. */
    async start(input: StartInput): Promise<StartResult> {
      const workstream = await workstreams.forChannel(input.channel);
      if (!workstream) {
        throw new NotFoundError(
          'workstream.not_configured',
          `No work stream serves the ${input.channel} channel`,
        );
      }
      const customer = await identifyCustomer(input);
      const now = deps.now();
      const conversation: Conversation = {
        id: deps.newId('conv'),
        channel: input.channel,
        customerId: customer.id,
        workstreamId: workstream.id,
        requiredSkills: [],
        context: { preChat: {}, portalNavigation: [], visitor: { authenticated: false }, custom: {} },
        status: 'bot',
        participants: [],
        declinedBy: [],
        transferCount: 0,
        lastMessageSeq: 0,
        lastActivityAt: now,
        channelRef: input.channelRef,
        timestamps: { createdAt: now },
        version: 1,
      };
      await conversations.insert(conversation);
      await bus.publish({
        type: 'conversation.created',
        conversationId: conversation.id,
        channel: conversation.channel,
        workstreamId: workstream.id,
        customerId: customer.id,
      });
      return { conversation, customer, workstream };
    },

    async workstreamOf(conversation: Conversation): Promise<Workstream | null> {
      return workstreams.forChannel(conversation.channel);
    },

    /** The shortest inactivity time of any work stream (`null` when there is none). */
    shortestInactivityMinutes(): Promise<number | null> {
      return workstreams.shortestInactivityMinutes();
    },

    /**
     * Stores a customer message (a retried activity id is recognised and ignored), scores it and
     * moves the conversation's rolling sentiment.
     */
    async addCustomerMessage(id: string, input: CustomerMessageInput): Promise<CustomerMessageResult> {
      // Whether the activity is stored already is asked beside the conversation's read, not after
      // it: on MongoDB one round trip fewer on the way to the agent. A conversation's customer
      // messages come one at a time (the bot serves its turns in order), so no other copy of this
      // one is being stored here meanwhile.
      const [conversation, earlier, named] = await Promise.all([
        load(id),
        input.activityId ? messages.ofActivity(id, input.activityId) : null,
        input.customerId ? customers.get(input.customerId) : undefined,
      ]);
      if (earlier) return { message: earlier, duplicate: true, status: conversation.status };
      const text = storableMessageText(input.text);
      const now = deps.now();
      const scored = text.trim() ? await ports.sentiment(text) : { score: 0, level: 'neutral' as const };
      const messageSentiment: SentimentReading = { ...scored, at: now };
      const customer =
        input.customerId === conversation.customerId ? named : await customers.get(conversation.customerId);
      // The rolling sentiment rides on the write that hands out the message's seq. Customer messages
      // of one conversation arrive one at a time (the bot serves a conversation's turns in order).
      const sentiment = nextConversationSentiment(conversation.sentiment, messageSentiment);
      const movedRef =
        input.channelRef && JSON.stringify(conversation.channelRef) !== JSON.stringify(input.channelRef)
          ? input.channelRef
          : undefined;
      const { message, duplicate, audience } = await messages.append(
        {
          conversationId: id,
          author: 'customer',
          authorId: conversation.customerId,
          authorName: customer ? authorNameOf(conversation, customer) : undefined,
          visibility: 'public',
          text,
          attachments: maskCardNumbersIn(input.attachments ?? []),
          sentiment: messageSentiment,
          activityId: input.activityId,
        },
        now,
        { sentiment, channelRef: movedRef },
        input.activityId ? { unstored: true } : undefined,
      );
      if (duplicate) return { message, duplicate, status: conversation.status };
      await publishMessage(message, audience);
      // They wrote, so they are there, whatever the channel last said (its watch is per process).
      if (conversation.customerAwaySince) await customerConnection(id, null);
      if (conversation.sentiment?.level !== sentiment.level) {
        await bus.publish({
          type: 'sentiment.changed',
          conversationId: id,
          score: sentiment.score,
          level: sentiment.level,
        });
      }
      return { message, duplicate, sentiment, messageSentiment, status: conversation.status };
    },

    /** `clientKey`: what the bot said again under the same key is stored once (a relay's replayed outbox). */
    async addBotMessage(id: string, text: string, clientKey?: string): Promise<Message> {
      return appendPublic(id, 'bot', 'Virtual assistant', text, clientKey);
    },

    /**
     * A notice for the customer from the system (e.g. routing's overflow "end" message). Stored as a
     * public system message; the bot's relay delivers it, unlike `addBotMessage`, which records what
     * the bot already said in the customer's turn.
     */
    async notifyCustomer(id: string, text: string): Promise<Message> {
      return appendPublic(id, 'system', 'Northwind Fiber', text);
    },

    noteForAgents,

    /**
     * An agent's (or supervisor's) message. Public ones reach the customer through the bot's relay,
     * which listens for `message.added`; internal ones stay with agents and supervisors.
     * `clientKey`: the client's idempotency key; a send repeated under it is stored once.
     * `read`: the conversation and agent as the caller has just read them to check its access, so
     * they are not read again (on MongoDB, a round trip before the message can be stored); for a
     * keyed send, `stored` is what the caller asked beside them (`Messages.ofClientKey`): the
     * message sent under the key before, or null for none, so that is not asked again either.
     */
    async postAgentMessage(
      id: string,
      agentId: string,
      typed: string,
      visibility: Visibility,
      clientKey?: string,
      read?: {
        conversation: Conversation;
        agent: Pick<Agent, 'id' | 'name'>;
        stored?: Message | null;
      },
    ): Promise<Message> {
      const text = typedMessageText(typed);
      if (read && (read.conversation.id !== id || read.agent.id !== agentId)) {
        throw new Error('postAgentMessage: what was read is not the conversation and agent named');
      }
      const [conversation, agent] = read
        ? [read.conversation, read.agent]
        : await Promise.all([load(id), agents.get(agentId)]);
      const participant = conversation.participants.find((p) => p.agentId === agentId && !p.leftAt);
      if (!participant && conversation.agentId !== agentId) {
        throw new DomainError(
          'conversation.not_a_participant',
          `${agentId} is not in conversation ${id}`,
          'forbidden',
        );
      }
      if (visibility === 'public' && conversation.status !== 'active') {
        throw new ConflictError(
          'conversation.not_active',
          `This conversation is ${STATUS_IN_WORDS[conversation.status]}; the customer can only be written to while it is active`,
          { conversationId: id, status: conversation.status },
        );
      }
      const looked = clientKey === undefined ? undefined : read?.stored;
      const store = async (): Promise<Message> => {
        if (looked) return repeatedSend(looked, text, visibility);
        const { message, duplicate, audience } = await messages.append(
          {
            conversationId: id,
            author: participant?.mode === 'monitor' ? 'supervisor' : 'agent',
            authorId: agentId,
            authorName: agent?.name,
            visibility,
            text,
            ...(clientKey === undefined ? {} : { clientKey }),
          },
          deps.now(),
          undefined,
          looked === null ? { unstored: true } : undefined,
        );
        if (duplicate) return repeatedSend(message, text, visibility);
        await publishMessage(message, audience);
        return message;
      };
      if (clientKey === undefined) return store();
      return sendOnce(`${id}\n${agentId}\n${clientKey}`, text, visibility, store);
    },

    repeatedSend,

    /**
     * Announces a message stored by another part (an agent's internal note), carrying it and the
     * audience its write returned along.
     */
    announceMessage: publishMessage,

    /** Public messages numbered after `afterSeq`, in order (what a customer relay may still owe). */
    async publicMessagesAfter(id: string, afterSeq: number): Promise<Message[]> {
      return messages.list(id, { afterSeq, visibility: 'public' });
    },

    /** Where to answer the customer (as `Conversation.channelRef`), without the rest of the conversation. */
    async channelRef(id: string): Promise<Conversation['channelRef']> {
      return conversations.channelRefOf(id);
    },

    async message(id: string, messageId: string): Promise<Message | null> {
      return messages.get(id, messageId);
    },

    /**
     * Pre-chat answers become context routing classifies on; a guest's name or e-mail also says whose
     * customer record the chat is (`guestRecord`).
     */
    async recordPreChat(id: string, typed: Record<string, string>): Promise<Conversation> {
      const answers = maskCardNumbersIn(typed);
      const now = deps.now();
      const written = await update(id, (c) => ({
        ...c,
        context: { ...c.context, preChat: { ...c.context.preChat, ...answers } },
        lastActivityAt: now,
      }));
      const conversation = written?.after ?? (await load(id));
      // A signed-in customer's record keeps what the site knows; what they typed stays in the answers.
      if (conversation.context.visitor.verified) return conversation;
      const contact: TypedContact = {};
      if (answers.name?.trim()) contact.name = answers.name.trim();
      if (answers.email?.trim()) contact.email = answers.email.trim();
      if (!contact.name && !contact.email) return conversation;
      const customerId = await guestRecord(conversation, contact);
      await customers.updateContact(customerId, contact, now);
      if (customerId === conversation.customerId) return conversation;
      const moved = await update(id, (c) => (c.customerId === customerId ? null : { ...c, customerId }));
      return moved?.after ?? load(id);
    },

    /**
     * What the customer's browser says about the visit. It is the customer's word: a claim to be
     * signed in and custom values are stored as reported, never as verified, and the context cannot
     * grow without bound.
     */
    async recordVisitorContext(id: string, reportedContext: VisitorContextInput): Promise<Conversation> {
      // From any channel, a card number the page put in it (a string or a number) is never stored.
      const input = maskCardNumbersIn(reportedContext);
      // Neither being signed in nor who as is the page's to say (recordVerifiedCustomer).
      const { authenticated: reported, verified: _notThePages, ...details } = input.visitor ?? {};
      const written = await update(id, (c) => {
        const context: ConversationContext = {
          preChat: c.context.preChat,
          visitor: {
            ...c.context.visitor,
            ...details,
            authenticated: c.context.visitor.authenticated,
            reportedAuthenticated: reported ?? c.context.visitor.reportedAuthenticated,
          },
          ...reportedCustom(c.context, mergeCustom(c.context.custom, input.custom ?? {}), input.custom ?? {}),
          portalNavigation: withNewEntries(c.context.portalNavigation, input.portalNavigation ?? []),
        };
        return { ...c, context };
      });
      return written?.after ?? load(id);
    },

    /**
     * A channel proved who the customer is (the site's signed token, or Teams through the Bot
     * Connector): the chat is theirs, verified, and their customer record takes the name and e-mail
     * it knows them by.
     */
    async recordVerifiedCustomer(id: string, verified: VerifiedCustomer): Promise<Conversation> {
      const written = await update(id, (c) => ({
        ...c,
        context: { ...c.context, visitor: { ...c.context.visitor, authenticated: true, verified } },
      }));
      const conversation = written?.after ?? (await load(id));
      const contact: { name?: string; email?: string } = {};
      if (verified.name) contact.name = verified.name;
      if (verified.email) contact.email = verified.email;
      if (contact.name || contact.email)
        await customers.updateContact(conversation.customerId, contact, deps.now());
      return conversation;
    },

    async addPortalNavigation(id: string, entries: PortalNavigationEntry[]): Promise<Conversation> {
      if (entries.length === 0) return load(id);
      const written = await update(id, (c) => ({
        ...c,
        context: { ...c.context, portalNavigation: withNewEntries(c.context.portalNavigation, entries) },
      }));
      // The agent's customer summary shows where the customer goes while they chat, as they go.
      if (written) {
        const known = new Set(written.before.context.portalNavigation.map(navigationKey));
        const added = written.after.context.portalNavigation.filter(
          (e) => !known.has(navigationKey(e)),
        ).length;
        if (added > 0) await bus.publish({ type: 'customer.navigated', conversationId: id, entries: added });
      }
      return written?.after ?? load(id);
    },

    /** The customer confirmed the bot's answer and said goodbye (or went quiet): the bot resolved it. */
    async resolveByBot(id: string): Promise<Conversation> {
      const { before, after } = await applyCommand(id, { type: 'close', by: 'bot', botOutcome: 'resolved' });
      await bus.publishAll(closedEvents(before, after, 'bot'));
      await bus.publish({ type: 'conversation.bot_resolved', conversationId: id });
      return after;
    },

    /** Hands the conversation to routing with everything the bot learnt already stored on it. */
    async escalate(id: string, reason: string): Promise<Conversation> {
      const c = await load(id);
      if (c.status !== 'bot') return c;
      await router.enqueue(id, reason);
      return load(id);
    },

    /** What the customer came about, in their own words; the first one said is kept. */
    async recordSubject(id: string, subject: string): Promise<Conversation> {
      const text = clipCharacters(
        maskCardNumbers(withoutControlCharacters(subject).trim()),
        MAX_MESSAGE_CHARS,
      );
      const written = await update(id, (c) => (c.subject || !text ? null : { ...c, subject: text }));
      return written?.after ?? load(id);
    },

    /** Where a hand-over would go now: the queue, whether it is open and when it opens, overflow. */
    async routeOutlook(id: string) {
      return router.preview(id);
    },

    /**
     * The customer leaves a message for a team that is closed or full: a work item in the team's
     * queue that waits for an agent (reply in the chat, or by e-mail when asked), never ended by
     * overflow or by the customer closing the chat.
     */
    async leaveMessage(id: string, request: { by: 'chat' | 'email'; email?: string }): Promise<Conversation> {
      const email = request.email?.trim() || undefined;
      if (request.by === 'email' && !email)
        throw new ValidationError('follow_up.email_missing', 'An e-mail follow-up needs an address');
      const now = deps.now();
      const c = await load(id);
      if (c.status !== 'bot') return c;
      await update(id, (x) =>
        x.status === 'bot' ? { ...x, followUp: { by: request.by, email, requestedAt: now } } : null,
      );
      await router.enqueue(id, 'left a message');
      return load(id);
    },

    /**
     * The customer closed the chat, or their connection dropped and they did not come back within
     * `awaySeconds`. With the bot it closes (abandoned, or resolved when they had confirmed an
     * answer); queued or offered it is abandoned; with an agent it goes to wrap-up.
     */
    async customerLeft(
      id: string,
      opts: { botResolved?: boolean; awaySeconds?: number } = {},
    ): Promise<Conversation> {
      const c = await load(id);
      switch (c.status) {
        case 'bot': {
          const botOutcome = opts.botResolved ? 'resolved' : 'abandoned';
          const { before, after } = await applyCommand(id, { type: 'close', by: 'customer', botOutcome });
          await bus.publishAll(closedEvents(before, after, 'customer'));
          if (opts.botResolved) await bus.publish({ type: 'conversation.bot_resolved', conversationId: id });
          return after;
        }
        case 'waiting':
        case 'offered':
          // A left message is meant to be answered after the customer has gone.
          if (c.followUp) return c;
          await router.abandon(id);
          return load(id);
        case 'active': {
          await router.endByCustomer(id);
          // The agent sees the session turn to wrap-up; the note says why, where they are reading.
          const customer = await customers.get(c.customerId);
          const who = customer?.name ?? 'The customer';
          await noteForAgents(
            id,
            opts.awaySeconds === undefined
              ? `${who} left the chat.`
              : `${who} left the chat: their connection dropped and they were not back within ${awayDuration(opts.awaySeconds)}.`,
          );
          return load(id);
        }
        default:
          return c;
      }
    },

    customerConnection,

    async recordCsat(id: string, rating: number, comment?: string): Promise<Conversation> {
      if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
        throw new ValidationError('csat.invalid_rating', 'The rating must be a whole number from 1 to 5');
      }
      // Clipped, not refused: a long comment still leaves its rating (masked first, so a card number
      // at the cut is not left half shown).
      const said = withoutControlCharacters(comment ?? '').trim();
      const text = hasVisibleText(said) ? clipCharacters(maskCardNumbers(said), 1000) : undefined;
      const now = deps.now();
      const written = await update(id, (c) => ({ ...c, csat: { rating, comment: text, at: now } }));
      await bus.publish({ type: 'csat.recorded', conversationId: id, rating });
      const after = written?.after ?? (await load(id));
      // The agent and their supervisor read the rating where they read the chat, once however often
      // the same rating is sent.
      const who = (await customers.get(after.customerId))?.name ?? 'The customer';
      await appendUnsigned(
        id,
        'system',
        'internal',
        'Switchboard',
        `${who} rated the chat ${rating} of 5${text ? `: “${text}”` : ''}`,
        `csat|${rating}|${text ?? ''}`,
      );
      return after;
    },

    async transcript(id: string): Promise<TranscriptLine[]> {
      await load(id);
      return publicTranscript(await messages.list(id));
    },

    async queueStatus(id: string) {
      return router.queueStatus(id);
    },

    /**
     * Routing's words for a customer (an overflow "end" rule's message) become a public system
     * message, which the bot relays. Routing only publishes the event; it never calls back here, so
     * the dependency runs one way: conversations → routing. Returns the unsubscribe.
     */
    followRoutingNotices(source: EventSource): () => void {
      const inBackground = (conversationId: string, work: Promise<unknown>) => {
        const done = work.then(
          () => undefined,
          (err: unknown) => ports.onError?.(err, `storing the routing notice for ${conversationId} failed`),
        );
        background.add(done);
        void done.finally(() => background.delete(done));
      };
      const stopOverflow = source.on('conversation.overflowed', (e) => {
        if (!e.message) return;
        inBackground(
          e.conversationId,
          appendPublic(e.conversationId, 'system', 'Northwind Fiber', e.message),
        );
      });
      // The transcript named whom a transfer went to; when that offer ends unanswered, it says the
      // chat went back to the queue, so it does not read as if they took it.
      const stopTransferBack = source.on(
        ['conversation.offer_rejected', 'conversation.offer_timed_out', 'conversation.offer_withdrawn'],
        (e) => {
          if (!e.transfer) return;
          inBackground(e.conversationId, noteTransferBack(e));
        },
      );
      return () => {
        stopOverflow();
        stopTransferBack();
      };
    },

    /** Resolves once the work started by events so far (routing notices) is done. */
    async idle(): Promise<void> {
      while (background.size > 0) await Promise.allSettled([...background]);
    },

    typing(signal: TypingSignal): void {
      for (const listener of typingListeners) {
        try {
          listener(signal);
        } catch {
          // A listener's failure must not stop the others; typing is best effort by nature.
        }
      }
    },

    onTyping(listener: (signal: TypingSignal) => void): () => void {
      typingListeners.add(listener);
      return () => typingListeners.delete(listener);
    },
  };
}

/** The widget re-reports its history after a reload; an entry already recorded is not added twice. */
/** Portal navigation kept per conversation (the latest entries) and custom context keys at most. */
export const MAX_NAVIGATION_ENTRIES = 200;
export const MAX_CUSTOM_KEYS = 100;

/** The merged custom context, with the keys the page reported marked as such. */
function reportedCustom(
  before: ConversationContext,
  custom: Record<string, string | number | boolean>,
  incoming: Record<string, string | number | boolean>,
): Pick<ConversationContext, 'custom' | 'reportedCustomKeys'> {
  const reported = new Set(before.reportedCustomKeys ?? []);
  for (const key of Object.keys(incoming)) if (Object.hasOwn(custom, key)) reported.add(key);
  return reported.size > 0 ? { custom, reportedCustomKeys: [...reported] } : { custom };
}

function mergeCustom(
  known: Record<string, string | number | boolean>,
  incoming: Record<string, string | number | boolean>,
): Record<string, string | number | boolean> {
  const out = { ...known };
  for (const [k, v] of Object.entries(incoming)) {
    if (Object.hasOwn(out, k) || Object.keys(out).length < MAX_CUSTOM_KEYS) out[k] = v;
  }
  return out;
}

/** One visit, search or article read: the same one told twice (a resent batch) is kept once. */
function navigationKey(e: PortalNavigationEntry): string {
  return `${e.kind}|${e.title}|${e.url ?? ''}|${new Date(e.at).getTime()}`;
}

function withNewEntries(
  known: PortalNavigationEntry[],
  incoming: PortalNavigationEntry[],
): PortalNavigationEntry[] {
  const seen = new Set(known.map(navigationKey));
  const out = [...known];
  for (const e of incoming) {
    const key = navigationKey(e);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out.slice(-MAX_NAVIGATION_ENTRIES);
}

function closedEvents(before: Conversation, after: Conversation, by: 'bot' | 'customer'): DomainEvent[] {
  return [
    {
      type: 'conversation.status_changed',
      conversationId: after.id,
      from: before.status,
      to: after.status,
      reason: by === 'bot' ? 'bot resolved' : 'customer left',
    },
    { type: 'conversation.closed', conversationId: after.id, by },
  ];
}
