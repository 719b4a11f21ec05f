import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  DEFAULT_QUIET_CHAT_POLICY,
  hasLeftQuietly,
  inactivityMinutes,
  quietCloseNotice,
  quietCutoffMinutes,
  type AgentDirectory,
  type ConversationService,
  type QuietChatPolicy,
} from '../../services/conversations/index.js';
import type { Conversation, Deps } from '../../services/domain/index.js';
import type { EventSource } from '../../services/events/index.js';
import type { Logger } from '../../services/log.js';
import type { DocumentStore, Files } from '../../services/store/index.js';
import { KeyedQueue } from '../keyed-queue.js';
import { CustomerBot } from './customer-bot.js';
import { createDialogRunner, keyedActivity, type SendToCustomer } from './dialog-runner.js';
import { createRelayMarks } from './relay-marks.js';
import { startCustomerRelay, type CustomerRelay, type ProactiveSender } from './relay.js';
import { createBotSessions, type BotSession, type BotSessions, type QuietCursor } from './session-store.js';
import type { SelfServicePort } from './understand.js';

export { CustomerBot, channelStyle, routingChannel } from './customer-bot.js';
export type { ProactiveSender, CustomerRelay } from './relay.js';
export { selfServiceFrom, type SelfServicePort } from './understand.js';
export type { BotSession, BotSessions } from './session-store.js';

/** Quiet sessions read per query by the sweep that closes chats customers left. */
const QUIET_PAGE = 200;

/**
 * How long the rating asked after a widget's chat ended waits for an answer. The customer has it,
 * the transcript and the files on screen meanwhile; then the chat is over, and its Direct Line
 * conversation with it, so a token left in a browser reads none of it any more.
 */
export const SURVEY_MINUTES = 10;

export interface CustomerBotOptions {
  store: DocumentStore;
  conversations: ConversationService;
  agents: AgentDirectory;
  selfService: SelfServicePort;
  bus: EventSource;
  /** How the bot writes to a customer outside their turn (the adapter's continueConversationAsync). */
  proactive: ProactiveSender;
  /** Where files agents send to customers, and Teams customers' files, are kept. */
  files: Pick<Files, 'share' | 'read' | 'info' | 'put' | 'countOf'>;
  /**
   * This server's own Direct Line channel (its serviceUrl): the one whose word that the site signed a
   * customer in is taken, and whose customers open files kept here.
   */
  ownChannelUrl(): string;
  /**
   * App credentials are set: every activity from another channel came with a Bot Connector token
   * botbuilder checked, so Teams' word on who sent it (their Entra object id) is taken.
   */
  connectorVouches: boolean;
  deps: Deps;
  log: Logger;
  /** A customer who confirmed an answer and stays quiet this long is closed as resolved by the bot. */
  idleResolveMinutes?: number;
  /** How long a widget's post-chat rating waits for an answer (`SURVEY_MINUTES`). */
  surveyMinutes?: number;
}

export interface CustomerBotParts {
  bot: CustomerBot;
  relay: CustomerRelay;
  sessions: BotSessions;
  /**
   * Closes bot conversations whose customer went quiet: as resolved after a confirmed answer, as
   * abandoned after the work stream's inactivity time otherwise; and ends widget chats whose rating
   * went unanswered for `surveyMinutes`. Returns how many.
   */
  sweepIdle(): Promise<number>;
  /** Resolves when every turn and relay delivery started so far is done. */
  idle(): Promise<void>;
  stop(): void;
}

/** The customer bot and everything around it, independent of which adapter runs its turns. */
export async function createCustomerBot(o: CustomerBotOptions): Promise<CustomerBotParts> {
  const sessions = await createBotSessions(o.store);
  const marks = await createRelayMarks(o.store, () => o.deps.now());
  const turns = new KeyedQueue();
  const runner = createDialogRunner({ conversations: o.conversations, sessions, deps: o.deps, log: o.log });
  const relay = startCustomerRelay({
    bus: o.bus,
    conversations: o.conversations,
    sessions,
    marks,
    runner,
    turns,
    agents: o.agents,
    proactive: o.proactive,
    files: o.files,
    ownChannelUrl: o.ownChannelUrl,
    deps: o.deps,
    log: o.log,
  });
  const bot = new CustomerBot({
    conversations: o.conversations,
    sessions,
    runner,
    selfService: o.selfService,
    turns,
    deps: o.deps,
    log: o.log,
    onEscalated: (id) => relay.watch(id),
    ownChannelUrl: o.ownChannelUrl,
    connectorVouches: o.connectorVouches,
    files: o.files,
    onCustomerTyping: (id) => o.conversations.typing({ conversationId: id, author: 'customer' }),
  });
  const policy: QuietChatPolicy = {
    ...DEFAULT_QUIET_CHAT_POLICY,
    ...(o.idleResolveMinutes !== undefined ? { resolveAfterMinutes: o.idleResolveMinutes } : {}),
  };

  /**
   * Customers still with the bot who went quiet for their work stream's inactivity time have left.
   * Every quiet session is looked at, a page at a time: those quiet but not yet past a longer
   * inactivity time must not hide the ones past a shorter one.
   */
  async function closeQuiet(now: Date): Promise<number> {
    const cutoff = quietCutoffMinutes(await o.conversations.shortestInactivityMinutes(), policy);
    const before = new Date(now.getTime() - cutoff * 60_000);
    // Each channel's work stream once a sweep, not once per quiet session.
    const minutesByChannel = new Map<string, Promise<number>>();
    const minutesFor = (c: Conversation) => {
      let minutes = minutesByChannel.get(c.channel);
      if (!minutes) {
        minutes = o.conversations.workstreamOf(c).then((w) => inactivityMinutes(w, policy));
        minutesByChannel.set(c.channel, minutes);
      }
      return minutes;
    };
    let closed = 0;
    let after: QuietCursor | undefined;
    for (;;) {
      const page = await sessions.quietWithBot(before, after, QUIET_PAGE);
      for (const s of page) if (await closeIfLeft(s, now, minutesFor)) closed++;
      if (page.length < QUIET_PAGE) return closed;
      after = page.at(-1)!;
      // The embedded store answers reads without leaving the turn: between pages, the customers and
      // agents waiting on the event loop go first.
      await nextTurn();
    }
  }

  async function closeIfLeft(
    s: BotSession,
    now: Date,
    minutesFor: (c: Conversation) => Promise<number>,
  ): Promise<boolean> {
    const c = await o.conversations.get(s.conversationId);
    const minutes = await minutesFor(c);
    if (!hasLeftQuietly(s.lastCustomerActivityAt, minutes, now)) return false;
    await turns.run(s.key, async () => {
      const current = await sessions.byKey(s.key);
      if (!current || current.lastCustomerActivityAt.getTime() !== s.lastCustomerActivityAt.getTime()) return;
      if (c.status === 'bot') await o.conversations.customerLeft(c.id);
      await sessions.save({
        ...current,
        state: { ...current.state, phase: 'done' },
        writeAgain: true,
        updatedAt: now,
      });
      const reference = c.channelRef as Parameters<ProactiveSender>[0] | undefined;
      if (reference) {
        await o.proactive(reference, async (context) => {
          await context.sendActivity(quietCloseNotice(minutes));
        });
      }
    });
    return true;
  }

  /**
   * A widget's rating nobody answered in its time: the dialog is done, and the runner ends the
   * channel conversation with it. Through an outbox, so an end the channel did not take is sent again
   * at the next start.
   */
  async function closeLapsedSurveys(now: Date): Promise<number> {
    const minutes = o.surveyMinutes ?? SURVEY_MINUTES;
    const lapsed = await sessions.surveyLapsed(new Date(now.getTime() - minutes * 60_000));
    for (const s of lapsed) {
      await turns
        .run(s.key, async () => {
          const current = await sessions.byKey(s.key);
          // Stepped since it was read (rated, reopened): its time starts again.
          if (!current || current.updatedAt.getTime() !== s.updatedAt.getTime()) return;
          const reference = (await o.conversations.channelRef(s.conversationId)) as
            Parameters<ProactiveSender>[0] | undefined;
          // Without a reference there is no channel to tell; the dialog is done all the same.
          const send: SendToCustomer = async (activity, clientKey) => {
            if (!reference) return;
            await o.proactive(reference, async (context) => {
              await context.sendActivity(keyedActivity(activity, reference.channelId, clientKey));
            });
          };
          await runner.step(current, { kind: 'surveyLapsed' }, send, { outbox: true });
        })
        .catch((err: unknown) =>
          o.log.warn('could not end a chat whose rating went unanswered', {
            err,
            conversationId: s.conversationId,
          }),
        );
    }
    return lapsed.length;
  }

  async function sweepIdle(): Promise<number> {
    const now = o.deps.now();
    const before = new Date(now.getTime() - policy.resolveAfterMinutes * 60_000);
    const idle = await sessions.idleConfirmed(before);
    const closed = (await closeQuiet(now)) + (await closeLapsedSurveys(now));
    for (const s of idle) {
      await turns.run(s.key, async () => {
        const c = await o.conversations.get(s.conversationId);
        const reference = c.channelRef as Parameters<ProactiveSender>[0] | undefined;
        if (!reference) return;
        await runner.step(s, { kind: 'inactivity' }, (activity) =>
          o.proactive(reference, async (context) => {
            await context.sendActivity(activity);
          }),
        );
      });
    }
    return idle.length + closed;
  }

  return {
    bot,
    relay,
    sessions,
    sweepIdle,
    async idle() {
      for (let i = 0; i < 3; i++) {
        await relay.idle();
        await turns.drain();
      }
    },
    stop: () => relay.stop(),
  };
}
