import {
  ActivityTypes,
  MessageFactory,
  type Attachment,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { Deps, DomainEventType, Message } from '../../services/domain/index.js';
import { carriedMessage, type EventSource } from '../../services/events/index.js';
import type {
  AgentDirectory,
  ConversationService,
  TypingSignal,
} from '../../services/conversations/index.js';
import type { Logger } from '../../services/log.js';
import type { Files } from '../../services/store/index.js';
import {
  missedHandover,
  missedUpdate,
  type AgentSide,
  type DialogInput,
  type MissedWhen,
} from '../customer-dialog/index.js';
import { channelFileUrl, fileReader, isLocalChannelUrl } from '../directline/index.js';
import { isSharedChat } from '../chat-scope.js';
import { KeyedQueue } from '../keyed-queue.js';
import { keyedActivity, type DialogRunner, type SendToCustomer } from './dialog-runner.js';
import type { RelayMarks } from './relay-marks.js';
import { fileConsentCard, takesFileConsent, teamsChatReader } from './teams-files-out.js';
import type { BotSession, BotSessions } from './session-store.js';

/** Opens a turn towards the customer outside of their own turn (CloudAdapter.continueConversationAsync). */
export type ProactiveSender = (
  reference: Partial<ConversationReference>,
  logic: (context: TurnContext) => Promise<void>,
) => Promise<void>;

export interface RelayDeps {
  bus: EventSource;
  conversations: ConversationService;
  sessions: BotSessions;
  marks: RelayMarks;
  runner: DialogRunner;
  turns: KeyedQueue;
  agents: AgentDirectory;
  proactive: ProactiveSender;
  /**
   * Where files agents send are kept: each is shared with the customer (or Teams chat) it goes to,
   * or read to go inline to a Teams customer.
   */
  files: Pick<Files, 'share' | 'read' | 'info'>;
  /**
   * This server's own Direct Line channel (its serviceUrl): its customers, whichever instance their
   * chat began on, open files kept here.
   */
  ownChannelUrl(): string;
  deps: Deps;
  log: Logger;
}

/** Events after which queued customers may have moved up (or the queue's wait estimate changed). */
/**
 * The largest picture sent inline to a Teams customer. Teams leaves base64 pictures out of its 100 KB
 * message limit but documents no limit of their own; a phone photo of a few megabytes is named
 * instead of risking the whole message being refused.
 */
const MAX_INLINE_PICTURE_BYTES = 1024 * 1024;

/** The first retry of an agent message that could not be sent, doubled at each failure up to the last. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;

const QUEUE_MOVES: readonly DomainEventType[] = [
  'conversation.queued',
  'conversation.offered',
  'conversation.offer_rejected',
  'conversation.offer_timed_out',
  'conversation.offer_withdrawn',
  'conversation.accepted',
  'conversation.abandoned',
  'conversation.closed',
  'conversation.transferred',
  'conversation.overflowed',
];

/** Dialog phases in which something from the agent side may still be owed to the customer after a restart. */
const OWED_PHASES = ['with-agent', 'queued', 'csat-rating', 'csat-comment'] as const;

/**
 * Whether a send that failed may go through later: the channel unreachable or busy, rather than a
 * refusal of the message itself (an ended chat's 404, an invalid activity's 400), which sending
 * again would only repeat: such a send counts as done.
 */
function passing(err: unknown): boolean {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status !== 'number' || status >= 500 || status === 408 || status === 429;
}

/** Public messages by these authors go to the customer; the bot's own were sent in its turn. */
function reachesCustomer(author: string): boolean {
  return author === 'agent' || author === 'supervisor' || author === 'system';
}

/**
 * Everything that reaches the customer from the agent side: agents' public messages (never internal
 * ones), agent joined / left, queue position while waiting, the end of the conversation and the
 * survey after it. Listens to the event bus and writes proactively with the stored reference.
 */
/** What the agents read in place of a message the relay would not post into a shared chat. */
function withheldFromSharedChat(text: string): string {
  const quoted = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return (
    `Not sent${quoted ? ` ("${quoted}")` : ''}: this chat began in a Teams group chat or channel, where ` +
    'everyone in it would read it. Ask the customer to write to the helpdesk in their personal chat with the app.'
  );
}

export function startCustomerRelay(d: RelayDeps) {
  const waiting = new Set<string>();
  const pending = new Set<Promise<void>>();
  let restored = false;

  // Work for one conversation runs in the order its events arrived, so the customer never sees an
  // agent's first words before "Alex joined", whatever each step has to look up first.
  const ordered = new KeyedQueue();

  function track(work: () => Promise<void>, what: string, conversationId: string): void {
    const p = ordered.run(conversationId, work).catch((err: unknown) => {
      d.log.error('relay to customer failed', { err, what, conversationId });
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }

  async function storedReference(conversationId: string): Promise<Partial<ConversationReference> | null> {
    const reference = await d.conversations.channelRef(conversationId);
    return (reference as Partial<ConversationReference> | undefined) ?? null;
  }

  /**
   * Where to write to the customer. Never a chat several people share: the helpdesk serves Teams
   * employees only in their personal chat (private-chat.ts), but a conversation opened in a group
   * chat before it did still names that chat, where everyone would read what is meant for one.
   */
  async function referenceOf(conversationId: string): Promise<Partial<ConversationReference> | null> {
    const reference = await storedReference(conversationId);
    return reference && !isSharedChat(reference) ? reference : null;
  }

  /**
   * Writes to the customer outside their turn (a keyed send: see `keyedActivity`), under `senderName`
   * when given: botbuilder sends every activity from the bot's account, so a person's words keep the
   * bot's id and take the person's name, and the customer sees who is talking now.
   */
  function proactiveSend(reference: Partial<ConversationReference>, senderName?: string): SendToCustomer {
    return async (activity, clientKey) => {
      let failed: { err: unknown } | undefined;
      await d.proactive(reference, async (context) => {
        if (senderName) {
          context.onSendActivities(async (_context, activities, next) => {
            for (const a of activities) if (a.from) a.from = { ...a.from, name: senderName };
            return next();
          });
        }
        try {
          await context.sendActivity(keyedActivity(activity, reference.channelId, clientKey));
        } catch (err) {
          failed = { err };
        }
      });
      if (!failed) return;
      // Thrown here, not in the turn: the adapter's turn-error handler would log it and let the send
      // pass for done, and what relies on it (a relay mark, an outbox cleared) would move on.
      if (passing(failed.err)) throw failed.err;
      d.log.warn("the customer's channel refused a send", {
        err: failed.err,
        channelConversationId: reference.conversation?.id,
      });
    };
  }

  /**
   * Runs `work` on the customer's bot session as stored, under their turn, in the conversation's
   * order (`started` first, even when there is no session: a conversation another channel began).
   */
  function withSession(
    conversationId: string,
    what: string,
    work: (session: BotSession) => Promise<void>,
    started?: () => void,
  ): void {
    track(
      async () => {
        started?.();
        const key = await d.sessions.keyOf(conversationId);
        if (!key) return;
        await d.turns.run(key, async () => {
          const session = await d.sessions.byKey(key);
          if (session) await work(session);
        });
      },
      what,
      conversationId,
    );
  }

  /** Steps the customer's dialog with something that happened on the agent side. */
  function feed(
    conversationId: string,
    input: DialogInput | ((s: BotSession) => DialogInput | null | Promise<DialogInput | null>),
    started?: () => void,
  ): void {
    withSession(
      conversationId,
      typeof input === 'function' ? 'dialog' : input.kind,
      async (current) => {
        const resolved = typeof input === 'function' ? await input(current) : input;
        if (!resolved) return;
        const reference = await referenceOf(conversationId);
        if (!reference) return;
        const send = proactiveSend(reference);
        // What an earlier step could not send goes first, so the customer hears it in order.
        await d.runner.deliverOutbox(current, send);
        // A queue position is told again at the next move: only lasting news goes through an
        // outbox, so the refreshes of a long queue (each customer's, at each move) write once.
        const outbox = resolved.kind !== 'queueStatus';
        const after = await d.runner.step(current, resolved, send, { outbox });
        if (after.state.phase === 'queued') waiting.add(conversationId);
        else waiting.delete(conversationId);
      },
      started,
    );
  }

  /** Messages queued here to go to their customer, so a restart's catch-up does not queue them again. */
  const relaying = new Set<string>();

  /**
   * Conversations with an agent-side message that could not be sent (the customer's channel was
   * unreachable), by that message's number: the later ones wait for its retry, which sends them all
   * in order.
   */
  const behind = new Map<string, number>();
  /**
   * How far a retry got, for the conversations that fell behind: a message whose event waited behind
   * the retry that already sent it is not sent twice (a channel that keeps no client ids shows both).
   */
  const retriedUpTo = new Map<string, number>();

  /**
   * Sends an agent-side message to the customer, then marks it sent. Sent under its own client id:
   * if the server dies after sending and before marking, the restart sends it again and the Direct
   * Line channel stores it once (a channel that keeps no such ids may show it twice).
   */
  function deliverAgentMessage(conversationId: string, messageId: string, known?: Message): boolean {
    if (relaying.has(messageId)) return false;
    relaying.add(messageId);
    track(
      async () => {
        try {
          // Both reads at once: on MongoDB each is a round trip on the way to the customer. A
          // message stored here came with its event and is not read back.
          const [message, sessionKey] = await Promise.all([
            known ?? d.conversations.message(conversationId, messageId),
            d.sessions.keyOf(conversationId),
          ]);
          // Defence in depth: the event said public, the stored message must say so too.
          if (!message || message.visibility !== 'public') return;
          // It goes with the retry of the one before it that failed, after it, or went with it.
          if (behind.has(conversationId) || message.seq <= (retriedUpTo.get(conversationId) ?? 0)) return;
          let sent: boolean;
          try {
            sent = await sendAgentMessage(conversationId, message, sessionKey);
          } catch (err) {
            fallBehind(conversationId, message.seq, 0);
            throw err;
          }
          if (sent) await d.marks.mark(conversationId, message.seq);
        } finally {
          relaying.delete(messageId);
        }
      },
      'agent message',
      conversationId,
    );
    return true;
  }

  /**
   * Sends one agent-side message in the customer's turn order: false when the conversation has no
   * reference to send to. Throws when it could not go but may later (`passing`).
   */
  async function sendAgentMessage(
    conversationId: string,
    message: Message,
    sessionKey: string | null | undefined,
  ): Promise<boolean> {
    return d.turns.run(sessionKey ?? conversationId, async () => {
      const reference = await storedReference(conversationId);
      if (!reference) return false;
      if (isSharedChat(reference)) {
        // Withheld for good (see `referenceOf`): marked handled, the agents told once a message.
        await d.conversations.noteForAgents(conversationId, withheldFromSharedChat(message.text));
        return true;
      }
      // Keyed by the message's id: a repeat after a restart is stored once.
      await proactiveSend(reference, message.authorName)(await outgoing(message, reference), message.id);
      return true;
    });
  }

  /**
   * The message numbered `seq` could not be sent: it is kept owed in the marks (a later message
   * another instance sends moves the mark past it, a restart's catch-up still sends it) and sent
   * again here after a pause, with everything after it.
   */
  function fallBehind(conversationId: string, seq: number, failures: number): void {
    behind.set(conversationId, seq);
    const pause = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** failures);
    setTimeout(() => retry(conversationId, failures + 1), pause).unref();
    d.marks
      .failed(conversationId, seq)
      .catch((err: unknown) =>
        d.log.warn('could not keep an unsent agent message owed', { err, conversationId }),
      );
  }

  /** Sends again, in order, the message that failed and every later one, until one fails again. */
  function retry(conversationId: string, failures: number): void {
    track(
      async () => {
        const from = behind.get(conversationId);
        if (from === undefined) return;
        const [owed, sessionKey] = await Promise.all([
          d.conversations.publicMessagesAfter(conversationId, from - 1),
          d.sessions.keyOf(conversationId),
        ]);
        let last = from;
        for (const m of owed) {
          if (!reachesCustomer(m.author)) continue;
          try {
            if (!(await sendAgentMessage(conversationId, m, sessionKey))) throw new Error('no reference');
          } catch (err) {
            if (m.seq > from) await d.marks.caughtUp(conversationId, m.seq - 1);
            fallBehind(conversationId, m.seq, failures);
            throw err;
          }
          last = m.seq;
        }
        behind.delete(conversationId);
        retriedUpTo.set(conversationId, last);
        await d.marks.caughtUp(conversationId, last);
      },
      'agent message sent again',
      conversationId,
    );
  }

  /**
   * An agent's message as the customer gets it. Files kept here reach a customer of this server's
   * own Direct Line channel as attachments they open with their conversation's token. Teams shows
   * pictures carried in the message itself (a base64 data URI, which its 100 KB message limit does
   * not count), so a Teams customer gets those; other files a Teams customer in a personal chat is
   * asked to take into their OneDrive (teams-files-out.ts). What a channel cannot carry, the
   * customer is told of by name.
   */
  async function outgoing(message: Message, reference: Partial<ConversationReference>) {
    const files = message.attachments.flatMap((a) => (a.fileId ? [{ ...a, fileId: a.fileId }] : []));
    if (files.length === 0) return MessageFactory.text(message.text);
    const channelConversation = reference.conversation?.id;
    if (channelConversation && isLocalChannelUrl(reference.serviceUrl)) {
      // Opened here: the instance the chat began on may be down, and every instance serves its files.
      const serviceUrl = d.ownChannelUrl();
      for (const f of files) await d.files.share(f.fileId, fileReader(channelConversation));
      const activity = MessageFactory.text(message.text);
      activity.attachments = files.map((f) => ({
        contentType: f.contentType,
        name: f.name,
        contentUrl: channelFileUrl(serviceUrl, channelConversation, f.fileId),
      }));
      return activity;
    }
    const agent = message.authorName ?? 'The agent';
    if (reference.channelId === 'msteams') {
      const attachments: Attachment[] = [];
      const left: string[] = [];
      // A personal chat takes other files with the customer's consent; elsewhere they are named.
      const consentChat = takesFileConsent(reference.conversation?.conversationType)
        ? channelConversation
        : undefined;
      for (const f of files) {
        const kept = f.contentType.startsWith('image/') ? await d.files.read(f.fileId) : null;
        if (kept && kept.bytes.length <= MAX_INLINE_PICTURE_BYTES) {
          const data = `data:${kept.info.contentType};base64,${kept.bytes.toString('base64')}`;
          attachments.push({ contentType: kept.info.contentType, name: f.name, contentUrl: data });
          continue;
        }
        const info = consentChat && (kept?.info ?? (await d.files.info(f.fileId)));
        if (consentChat && info) {
          await d.files.share(f.fileId, teamsChatReader(consentChat));
          attachments.push(fileConsentCard({ fileId: f.fileId, name: f.name, size: info.size }, agent));
        } else left.push(f.name);
      }
      const note = left.length ? `(${agent} sent you ${left.join(', ')}, which Teams cannot show here.)` : '';
      const activity = MessageFactory.text([message.text, note].filter(Boolean).join('\n\n'));
      if (attachments.length) activity.attachments = attachments;
      return activity;
    }
    const names = files.map((f) => f.name).join(', ');
    const note = `(${agent} sent you ${names}; files open only in the chat on our website.)`;
    return MessageFactory.text([message.text, note].filter(Boolean).join('\n\n'));
  }

  /** Sends a session's outbox again, if it is still there when its turn comes. */
  function resendOutbox(conversationId: string): void {
    withSession(conversationId, 'outbox', async (session) => {
      const reference = session.outbox ? await referenceOf(conversationId) : null;
      if (reference) await d.runner.deliverOutbox(session, proactiveSend(reference));
    });
  }

  /** Makes a hand-over the dialog promised (`missedHandover`); routing's events tell them their place. */
  function handOver(conversationId: string): void {
    withSession(conversationId, 'hand-over', async (session) => {
      const { status } = await d.conversations.get(conversationId);
      const reason = missedHandover(session.state, status);
      if (reason) await d.conversations.escalate(conversationId, reason);
    });
  }

  /**
   * Steps the dialog with what the customer missed on the agent side (missed.ts), if it is still
   * missing when the step runs: a live event's step may have told them in the meantime.
   */
  function tellMissed(conversationId: string, when: MissedWhen): void {
    feed(conversationId, async (s) => missedUpdate(s.state, await agentSide(conversationId), when));
  }

  async function agentSide(conversationId: string): Promise<AgentSide> {
    const c = await d.conversations.get(conversationId);
    const agentName = c.agentId ? (await d.agents.get(c.agentId))?.name : undefined;
    return { status: c.status, agentName };
  }

  /**
   * After a start: what happened on the agent side while no relay heard it (the server died between
   * a change and telling the customer) reaches the customer now, in the order it happened — who they
   * are talking to, the agent-side messages stored after each conversation's mark, then an end. The
   * announcements' listener died with the process that heard them; the conversation and the marks say
   * how far each customer got; before all that, the sends of a step stored but not known to have
   * gone out (its outbox); and a hand-over the dialog promised that never reached routing. Resolves
   * with how many messages and dialog steps (outboxes and hand-overs among them) were queued.
   */
  async function catchUp(): Promise<{ messages: number; updates: number }> {
    const queued = { messages: 0, updates: 0 };
    // A step's sends that never went came before anything the loop below finds missing.
    for (const { conversationId } of await d.sessions.withOutbox()) {
      resendOutbox(conversationId);
      queued.updates++;
    }
    for (const phase of OWED_PHASES) {
      const sessions = await d.sessions.inPhase(phase);
      const marks = await d.marks.relayedSeqs(sessions.map((s) => s.conversationId));
      for (const { conversationId, state } of sessions) {
        // Read once here to queue only what is missing; each step reads it again when it runs.
        const side = phase === 'queued' || phase === 'with-agent' ? await agentSide(conversationId) : null;
        if (side && missedHandover(state, side.status)) {
          handOver(conversationId);
          queued.updates++;
          continue; // nobody on the agent side has it, so nothing from there is owed
        }
        const first = side && missedUpdate(state, side, 'before messages');
        if (first) {
          // A transfer and its accept both missed: left, then joined (each step sees the one before).
          tellMissed(conversationId, 'before messages');
          if (first.kind === 'agentLeft') tellMissed(conversationId, 'before messages');
          queued.updates++;
        }
        const owed = await d.conversations.publicMessagesAfter(
          conversationId,
          marks.get(conversationId) ?? 0,
        );
        for (const m of owed) {
          if (
            reachesCustomer(m.author) &&
            m.createdAt >= d.marks.since &&
            deliverAgentMessage(conversationId, m.id)
          )
            queued.messages++;
        }
        if (side && missedUpdate(state, side, 'after messages')) {
          tellMissed(conversationId, 'after messages');
          queued.updates++;
        }
      }
    }
    return queued;
  }

  /**
   * Conversations with a queue-position refresh queued that has not started yet. Every queue move of
   * any conversation asks each waiting customer's position again; queued one behind the other, those
   * refreshes piled up in each conversation's order (events × waiting customers), and an accept's
   * "agent joined" and the agent's first words waited behind the pile for seconds. A refresh reads
   * the position when it runs, so one not yet started already answers every later move.
   */
  const refreshQueued = new Set<string>();

  function refreshQueuePositions(): void {
    for (const conversationId of waiting) {
      if (refreshQueued.has(conversationId)) continue;
      refreshQueued.add(conversationId);
      feed(
        conversationId,
        async (s) => {
          if (s.state.phase !== 'queued') return null;
          const status = await d.conversations.queueStatus(conversationId);
          return status ? { kind: 'queueStatus', ...status } : null;
        },
        () => refreshQueued.delete(conversationId),
      );
    }
  }

  async function restoreWaiting(): Promise<void> {
    if (restored) return;
    restored = true;
    for (const s of await d.sessions.inPhase('queued')) waiting.add(s.conversationId);
  }

  // Each kind of event the customer hears about has its own listener, typed by the event.
  const subscriptions = [
    d.bus.on('message.added', (e) => {
      if (reachesCustomer(e.author) && e.visibility === 'public')
        deliverAgentMessage(e.conversationId, e.messageId, carriedMessage(e));
    }),
    d.bus.on('conversation.queued', (e) => {
      waiting.add(e.conversationId);
    }),
    d.bus.on('conversation.accepted', (e) => {
      waiting.delete(e.conversationId);
      feed(e.conversationId, async () => ({
        kind: 'agentJoined',
        name: (await d.agents.get(e.agentId))?.name ?? 'An agent',
      }));
    }),
    d.bus.on('conversation.transferred', (e) => feed(e.conversationId, { kind: 'agentLeft' })),
    d.bus.on('conversation.reopened', (e) =>
      feed(e.conversationId, async (s) => {
        // A widget's customer who left (ended the chat, rated it, or went away) is not there to read
        // the agent: the agent is shown so, as for a dropped connection, until the customer writes.
        if (s.state.phase === 'done' && s.style === 'events')
          await d.conversations.customerConnection(e.conversationId, s.updatedAt);
        return { kind: 'reopened', name: (await d.agents.get(e.agentId))?.name ?? 'An agent' };
      }),
    ),
    d.bus.on('conversation.wrap_up', (e) => {
      waiting.delete(e.conversationId);
      feed(e.conversationId, { kind: 'conversationEnded' });
    }),
    d.bus.on('conversation.closed', (e) => {
      waiting.delete(e.conversationId);
      // Bot closes and customer departures are handled in the customer's own turn.
      if (e.by !== 'bot' && e.by !== 'customer') feed(e.conversationId, { kind: 'conversationEnded' });
    }),
    d.bus.on('conversation.abandoned', (e) => {
      waiting.delete(e.conversationId);
      // Routing gave up (overflow "end"); a customer who left themselves is already `done`. The
      // rule's words to the customer are still being stored as a message when this arrives
      // (`followRoutingNotices`): the end goes after them, so the customer reads why before the
      // chat ends and the survey appears.
      const after = d.conversations.idle().then(() => feed(e.conversationId, { kind: 'conversationEnded' }));
      pending.add(after);
      void after.finally(() => pending.delete(after));
    }),
    // Registered last: a queue move is handled after the listeners above updated `waiting`.
    d.bus.on(QUEUE_MOVES, () => refreshQueuePositions()),
  ];

  function onTyping(signal: TypingSignal): void {
    if (signal.author !== 'agent') return;
    track(
      async () => {
        // Under the agent's name, as their messages go: a client shows whose typing it is, and the
        // widget otherwise says its own title ("Virtual assistant is typing…") while a person types.
        const [reference, agent] = await Promise.all([
          referenceOf(signal.conversationId),
          signal.agentId ? d.agents.get(signal.agentId) : undefined,
        ]);
        if (reference) await proactiveSend(reference, agent?.name)({ type: ActivityTypes.Typing });
      },
      'agent typing',
      signal.conversationId,
    );
  }

  const stopTyping = d.conversations.onTyping(onTyping);
  track(restoreWaiting, 'restore waiting', '-');

  return {
    /**
     * Tells the customers what they are owed from before this start (run once the server listens:
     * the channel is reached over HTTP).
     */
    catchUp,
    /** A conversation the bot just handed to routing: follow its queue position. */
    watch(conversationId: string): void {
      waiting.add(conversationId);
    },
    /** Resolves when every delivery started so far has finished (tests, shutdown). */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
      await ordered.drain();
    },
    stop(): void {
      for (const unsubscribe of subscriptions) unsubscribe();
      stopTyping();
    },
  };
}

export type CustomerRelay = ReturnType<typeof startCustomerRelay>;
