import {
  ActivityTypes,
  MessageFactory,
  TeamsInfo,
  TurnContext,
  type Activity,
  type Attachment,
} from 'botbuilder';
import type {
  Attachment as MessageAttachment,
  ChannelId,
  Deps,
  SentimentLevel,
  VerifiedCustomer,
} from '../../services/domain/index.js';
import { fileName, hasVisibleText, isDomainError } from '../../services/domain/index.js';
import {
  awayCloseNotice,
  MAX_MESSAGE_CHARS,
  type ConversationService,
} from '../../services/conversations/index.js';
import type { Logger } from '../../services/log.js';
import {
  initialDialogState,
  missedHandover,
  type ChannelStyle,
  type DialogInput,
} from '../customer-dialog/index.js';
import { channelFileUrl } from '../directline/index.js';
import { isSharedChat } from '../chat-scope.js';
import type { KeyedQueue } from '../keyed-queue.js';
import {
  awayChannelData,
  connectionChannelData,
  verifiedChannelData,
  teamsEmail,
  teamsUser,
  csatValue,
  portalNavigationValue,
  preChatValue,
  visitorContextValue,
} from './activity-schemas.js';
import { keyedActivity, type DialogRunner, type SendToCustomer } from './dialog-runner.js';
import { personalChatPointer } from './private-chat.js';
import { sessionKey, type BotSession, type BotSessions } from './session-store.js';
import { keepTeamsFiles, type TeamsFilesDeps } from './teams-files-in.js';
import { answerFileConsent, FILE_CONSENT_INVOKE, type FileConsentDeps } from './teams-files-out.js';
import { understand, type SelfServicePort } from './understand.js';

export interface CustomerBotDeps {
  conversations: ConversationService;
  sessions: BotSessions;
  runner: DialogRunner;
  selfService: SelfServicePort;
  /** Per-conversation turn lock shared with the relay. */
  turns: KeyedQueue;
  deps: Deps;
  log: Logger;
  /** Called after a conversation was handed to routing, so the relay follows its queue position. */
  onEscalated?(conversationId: string): void;
  /** Customer typing, relayed to the agent side. */
  onCustomerTyping?(conversationId: string): void;
  /**
   * This server's own Direct Line channel (its serviceUrl): the one channel whose word that the
   * site signed a customer in is taken. Absent: nobody is taken as signed in.
   */
  ownChannelUrl?(): string;
  /** Teams' word on who a customer is counts: a Bot Connector token vouched for the activity. */
  connectorVouches?: boolean;
  /**
   * Where Teams customers' files are kept (teams-files-in.ts), and read from when one takes a file
   * an agent sent (teams-files-out.ts); without it they stay names.
   */
  files?: TeamsFilesDeps['files'] & FileConsentDeps['files'];
}

/** The widget renders events; every other channel gets the same flow as text. */
export function channelStyle(channelId: string): ChannelStyle {
  return channelId === 'directline' || channelId === 'webchat' ? 'events' : 'text';
}

/** The channel as routing knows it: Teams has its own work stream, everything web-like is web chat. */
export function routingChannel(channelId: string): ChannelId {
  return channelId === 'msteams' ? 'msteams' : 'webchat';
}

/**
 * Where to write to the customer later, as plain JSON. The id of the activity it was taken from is
 * left out: it changes with every message while the reference itself (service URL, conversation,
 * user) rarely does, and the conversation is rewritten only when the reference really changed.
 */
/**
 * An attachment as the transcript keeps it: a file the local Direct Line channel keeps for this very
 * conversation by its id (agents open it through the agent API), any other link only when it is
 * http(s), and otherwise just its name and type.
 */
function attachmentOf(att: Attachment, a: Activity, ownChannel: boolean): MessageAttachment {
  const name = fileName(att.name ?? 'attachment');
  const kept = channelFileUrl(a.serviceUrl, a.conversation.id, '');
  const url = att.contentUrl ?? '';
  if (ownChannel && url.startsWith(kept)) {
    const fileId = url.slice(kept.length);
    if (/^[\w-]{1,64}$/.test(fileId)) return { name, contentType: att.contentType, fileId };
  }
  return /^https?:\/\//i.test(url)
    ? { name, contentType: att.contentType, url }
    : { name, contentType: att.contentType };
}

function channelReference(a: Activity): Record<string, unknown> {
  const { activityId: _activityId, ...reference } = TurnContext.getConversationReference(a);
  return JSON.parse(JSON.stringify(reference)) as Record<string, unknown>;
}

/**
 * Phases in which a message goes through the NLP module: everything said to the bot, the survey
 * included (what the customer says there is used too); with an agent it is only stored.
 */
const LISTENING_PHASES = new Set([
  'new',
  'prechat',
  'helping',
  'feedback',
  'confirmed',
  'routing',
  'closed-options',
]);

/**
 * The customer-facing bot: a thin Bot Framework shell around the pure dialog. It maps activities to
 * dialog inputs, stores what the customer says and what the widget reports, and lets the runner act.
 *
 * It is the adapter's turn logic itself rather than an `ActivityHandler`: that class passes every
 * turn through a dozen generator-wrapped emitters for handler lists this bot never fills to reach
 * the one switch below; without them a message costs about 14 % less CPU (ADR 0019, stop 35).
 * Invokes, which this bot does not answer, get the same 501 from the adapter that the handler's
 * defaults gave.
 */
export class CustomerBot {
  constructor(private readonly d: CustomerBotDeps) {}

  async run(context: TurnContext): Promise<void> {
    // Nothing said in a group chat or channel is kept, answered or routed: there the helpdesk would
    // take one person's words for another's and post an agent's replies to everyone.
    if (isSharedChat(context.activity)) {
      if (context.activity.type === ActivityTypes.Message)
        await context.sendActivity(personalChatPointer(context.activity));
      return;
    }
    const key = sessionKey(context.activity.channelId, context.activity.conversation.id);
    await this.d.turns.run(key, () => this.serveTurn(context, key));
  }

  private async serveTurn(context: TurnContext, key: string): Promise<void> {
    const activity = context.activity;
    const send: SendToCustomer = (a, clientKey) =>
      context.sendActivity(keyedActivity(a, activity.channelId, clientKey));
    try {
      switch (activity.type) {
        case ActivityTypes.ConversationUpdate: {
          // The chat starts when the customer joins it, or, in Teams, when the bot is added to their
          // personal chat: installing the app names only the bot.
          const joined = (activity.membersAdded ?? []).some(
            (m) => m.id !== activity.recipient?.id || activity.channelId === 'msteams',
          );
          const left = (activity.membersRemoved ?? []).some((m) => m.id !== activity.recipient?.id);
          if (joined) {
            const session = await this.session(context, key, { create: true });
            if (session) await this.d.runner.step(session, { kind: 'start' }, send);
          }
          if (left) {
            const away = awayChannelData.safeParse(activity.channelData);
            await this.customerLeft(key, away.success ? { awaySeconds: away.data.away.seconds, send } : {});
          }
          const connection = connectionChannelData.safeParse(activity.channelData);
          if (connection.success) await this.customerConnection(key, connection.data.connection);
          return;
        }
        case ActivityTypes.EndOfConversation: {
          // The widget may carry the customer's rating of the agent with their goodbye.
          const rated = csatValue.safeParse(activity.value);
          await this.customerLeft(key, rated.success ? { csat: rated.data.csat } : {});
          return;
        }
        case ActivityTypes.Typing: {
          const session = await this.d.sessions.byKey(key);
          if (session) this.d.onCustomerTyping?.(session.conversationId);
          return;
        }
        case ActivityTypes.Event:
          await this.onWidgetEvent(context, key);
          return;
        case ActivityTypes.Message:
          await this.onCustomerMessage(context, key, send);
          return;
        case ActivityTypes.Invoke:
          // Other invokes get the adapter's 501: this bot answers none of them.
          if (activity.name === FILE_CONSENT_INVOKE) await this.onFileConsent(context);
          return;
        default:
          return;
      }
    } catch (err) {
      // A customer never sees a stack trace; the error is logged with the conversation it belongs to.
      this.d.log.error('customer bot turn failed', {
        err,
        code: isDomainError(err) ? err.code : undefined,
        channelConversationId: activity.conversation.id,
        activityType: activity.type,
      });
      if (activity.type === ActivityTypes.Message) {
        const tooLong = isDomainError(err) && err.code === 'message.too_long';
        await context.sendActivity(
          tooLong
            ? `That message is too long for me; please keep it under ${MAX_MESSAGE_CHARS.toLocaleString('en-US')} characters.`
            : 'Sorry, something went wrong on our side. Please try again in a moment.',
        );
      }
    }
  }

  /**
   * The session for this channel conversation, opening a Switchboard conversation when there is none
   * or the previous one is over (a Teams chat with the bot lives on after a conversation closes).
   */
  private async session(
    context: TurnContext,
    key: string,
    opts: { create: boolean },
  ): Promise<BotSession | null> {
    const existing = await this.d.sessions.byKey(key);
    // A widget's chat that was told it is over opens nothing new: a line its channel still
    // delivers (typed as the chat ended) belongs to the chat that ended, where the agent reads it.
    const over = existing?.state.phase === 'done' && (existing.style !== 'events' || existing.writeAgain);
    if (existing && !over) return existing;
    if (!opts.create) return existing;
    const a = context.activity;
    const { conversation } = await this.d.conversations.start({
      channel: routingChannel(a.channelId),
      channelUserId: a.from.id,
      userName: a.from.name && a.from.name !== a.from.id ? a.from.name : undefined,
      channelRef: channelReference(a),
    });
    const now = this.d.deps.now();
    const session: BotSession = {
      key,
      conversationId: conversation.id,
      customerId: conversation.customerId,
      state: initialDialogState(),
      style: channelStyle(a.channelId),
      // Saved over the session before it: a quiet close's mark must not outlive its chat.
      writeAgain: false,
      lastCustomerActivityAt: now,
      updatedAt: now,
    };
    const verified = await this.verifiedCustomer(context);
    if (verified) await this.d.conversations.recordVerifiedCustomer(conversation.id, verified);
    await this.d.sessions.save(session);
    this.d.log.info('customer conversation started', {
      conversationId: conversation.id,
      channel: a.channelId,
    });
    return session;
  }

  private async onCustomerMessage(context: TurnContext, key: string, send: SendToCustomer): Promise<void> {
    const a = context.activity;
    const opened = await this.session(context, key, { create: true });
    if (!opened) return;
    const session = await this.withFreshSubjectAnswer(opened);
    const id = session.conversationId;
    // What the relay could not send before (the channel failed) comes before any answer.
    await this.d.runner.deliverOutbox(session, send);

    // A form's submit carries a value; typed text has none, and a parse that fails builds an error
    // (issues, paths) for every message a customer types.
    if (a.value !== undefined) {
      const preChat = preChatValue.safeParse(a.value);
      if (preChat.success) {
        await this.d.runner.step(session, { kind: 'preChatAnswers', answers: preChat.data.preChat }, send);
        return;
      }
      const csat = csatValue.safeParse(a.value);
      if (csat.success) {
        await this.d.runner.step(session, { kind: 'csat', ...csat.data.csat }, send);
        return;
      }
    }

    // Text that shows nothing (zero-width or bidi characters alone) is no message, as on every path.
    const text = hasVisibleText(a.text ?? '') ? (a.text ?? '').trim() : '';
    // Only what has an address is a file or a link: Teams sends each message's formatted copy
    // (text/html) and cards inline, and the agent would read them as files named "attachment".
    const withAddress = (a.attachments ?? []).filter((att) => att.contentUrl);
    const teamsFiles =
      a.channelId === 'msteams' && this.d.files
        ? await keepTeamsFiles({ files: this.d.files, log: this.d.log }, context, id, withAddress)
        : undefined;
    const attachments = withAddress.map(
      (att) => teamsFiles?.files.get(att) ?? attachmentOf(att, a, this.fromOwnChannel(a)),
    );
    if (!text && attachments.length === 0) return;

    const stored = await this.d.conversations.addCustomerMessage(id, {
      text,
      activityId: a.id,
      attachments,
      channelRef: channelReference(a),
      customerId: session.customerId,
    });
    // A hand-over the dialog promised that did not reach routing (the escalation failed): again now.
    const handover = missedHandover(session.state, stored.status);
    if (handover) await this.d.conversations.escalate(id, handover);
    // Bot Framework retries a delivery it thinks failed with the same activity id: answer it once.
    if (stored.duplicate) return;
    const refused = [...(teamsFiles?.refused.values() ?? [])];
    if (refused.length) await this.d.runner.step(session, { kind: 'filesRefused', reasons: refused }, send);
    // Files without words are kept for the agent; the bot says it has them.
    if (!text) {
      const names = withAddress.flatMap((att, i) =>
        teamsFiles?.refused.has(att) ? [] : [attachments[i]!.name],
      );
      if (names.length) await this.d.runner.step(session, { kind: 'files', names }, send);
      return;
    }

    const sentiment: SentimentLevel = stored.messageSentiment?.level ?? 'neutral';
    const felt = { sentiment, rollingSentiment: stored.sentiment?.level };
    const input: DialogInput = {
      kind: 'message',
      text,
      understanding: LISTENING_PHASES.has(session.state.phase)
        ? { ...felt, ...(await understand(this.d.selfService, text)) }
        : felt,
    };
    const after = await this.d.runner.step(session, input, send);
    const handedOver = (s: BotSession) => s.state.phase === 'queued' || s.state.phase === 'message-left';
    if (!handedOver(session) && handedOver(after)) this.d.onEscalated?.(id);
  }

  /**
   * The article found for what the customer came about, kept while they fill in the survey, is
   * looked up again before the survey can end with it: one unpublished, made agents-only or
   * deleted meanwhile was still offered, and a better one may have come.
   */
  private async withFreshSubjectAnswer(session: BotSession): Promise<BotSession> {
    const { state } = session;
    if (state.phase !== 'prechat' || !state.subject || !state.subjectAnswer) return session;
    const { answer } = await understand(this.d.selfService, state.subject);
    return { ...session, state: { ...state, subjectAnswer: answer } };
  }

  /**
   * A Teams customer allowed or declined a file an agent sent (teams-files-out.ts); the agents read
   * which in the internal notes of the conversation it was sent in, which the Teams chat may have
   * gone on from.
   */
  private async onFileConsent(context: TurnContext): Promise<void> {
    if (!this.d.files) return;
    const answered = await answerFileConsent({ files: this.d.files, log: this.d.log }, context);
    const conversationId = answered?.conversationId;
    if (!answered || !conversationId) return;
    const who = context.activity.from?.name || 'The customer';
    const note = {
      saved: `${who} saved ${answered.name} to their OneDrive.`,
      declined: `${who} declined ${answered.name}.`,
      failed: `${who} allowed ${answered.name}, but it could not be saved to their OneDrive: send it again.`,
    }[answered.outcome];
    await this.d.conversations.noteForAgents(conversationId, note);
  }

  private async onWidgetEvent(context: TurnContext, key: string): Promise<void> {
    const a = context.activity;
    const session = await this.session(context, key, { create: a.name === 'visitorContext' });
    if (!session) return;
    const id = session.conversationId;
    if (a.name === 'visitorContext') {
      const parsed = visitorContextValue.safeParse(a.value);
      if (!parsed.success) {
        this.d.log.warn('ignored a malformed visitorContext event', { conversationId: id });
        return;
      }
      const { visitor, custom, portalNavigation } = parsed.data;
      await this.d.conversations.recordVisitorContext(id, {
        visitor,
        custom,
        portalNavigation,
      });
      return;
    }
    if (a.name === 'transcript') {
      await this.d.runner.step(session, { kind: 'transcriptRequest' }, (x) => context.sendActivity(x));
      return;
    }
    if (a.name === 'portalNavigation') {
      const parsed = portalNavigationValue.safeParse(a.value);
      if (parsed.success) await this.d.conversations.addPortalNavigation(id, parsed.data.entries);
      else this.d.log.warn('ignored a malformed portalNavigation event', { conversationId: id });
    }
  }

  /** Whether the activity came through this server's own Direct Line channel, whose word is trusted. */
  private fromOwnChannel(activity: Activity): boolean {
    return activity.channelId === 'directline' && activity.serviceUrl === this.d.ownChannelUrl?.();
  }

  /**
   * Who the customer was proven to be as the chat starts: the site's signed-in customer, when this
   * server's own channel says so; a Teams user, when the Bot Connector vouched for the activity.
   */
  private async verifiedCustomer(context: TurnContext): Promise<VerifiedCustomer | undefined> {
    const activity = context.activity;
    if (this.fromOwnChannel(activity)) {
      const parsed = verifiedChannelData.safeParse(activity.channelData);
      return parsed.success ? { by: 'site', ...parsed.data.verifiedCustomer } : undefined;
    }
    if (activity.channelId !== 'msteams' || !this.d.connectorVouches) return undefined;
    const teams = teamsUser.safeParse({ from: activity.from, channelData: activity.channelData });
    if (!teams.success) return undefined;
    const { from, channelData } = teams.data;
    const email = await this.teamsEmail(context);
    return {
      by: 'microsoft-teams',
      id: from.aadObjectId,
      ...(from.name ? { name: from.name } : {}),
      ...(email ? { email } : {}),
      ...(channelData?.tenant ? { tenantId: channelData.tenant.id } : {}),
    };
  }

  /**
   * The Teams user's e-mail, which Teams gives only when asked (the Bot Connector's conversation
   * member). The chat starts without it when the connector cannot say.
   */
  private async teamsEmail(context: TurnContext): Promise<string | undefined> {
    try {
      const member = await TeamsInfo.getMember(context, context.activity.from.id);
      const email = teamsEmail.safeParse(member.email);
      return email.success ? email.data : undefined;
    } catch (err) {
      this.d.log.warn('the Teams member could not be looked up', {
        err,
        conversation: context.activity.conversation.id,
      });
      return undefined;
    }
  }

  /** The channel says the customer's connection dropped, or that they are back. */
  private async customerConnection(
    key: string,
    connection: { state: 'disconnected'; since: Date } | { state: 'reconnected' },
  ): Promise<void> {
    // Whatever the chat's phase: the conversation knows whether anyone is watching it.
    const session = await this.d.sessions.byKey(key);
    if (!session) return;
    await this.d.conversations.customerConnection(
      session.conversationId,
      connection.state === 'disconnected' ? connection.since : null,
    );
  }

  /**
   * The customer closed the chat or left the conversation, rating the agent or not; or the channel
   * says their connection dropped `awaySeconds` ago and they did not come back. Such a chat ends
   * and says why, where they will read it if they return to the page.
   */
  private async customerLeft(
    key: string,
    opts: { csat?: { rating: number; comment?: string }; awaySeconds?: number; send?: SendToCustomer },
  ): Promise<void> {
    const { csat, awaySeconds, send } = opts;
    const session = await this.d.sessions.byKey(key);
    if (!session || session.state.phase === 'done') return;
    // Asked to rate a chat that had already ended, they are not leaving anything behind.
    const ongoing = session.state.phase !== 'csat-rating' && session.state.phase !== 'csat-comment';
    // A message left for the team stays with the team when the customer closes the chat.
    await this.d.conversations.customerLeft(session.conversationId, {
      botResolved: session.state.phase === 'confirmed',
      ...(ongoing && awaySeconds !== undefined ? { awaySeconds } : {}),
    });
    // Only someone an agent served rates them; the assistant's rating is asked in the chat.
    if (csat && session.state.agentServed)
      await this.d.conversations.recordCsat(session.conversationId, csat.rating, csat.comment);
    await this.d.sessions.save({
      ...session,
      state: { ...session.state, phase: 'done' },
      updatedAt: this.d.deps.now(),
    });
    if (ongoing && awaySeconds !== undefined && send) {
      await send(MessageFactory.text(awayCloseNotice(awaySeconds)));
      // The widget shows the chat as over and starts a fresh one next time.
      if (session.style === 'events') await send({ type: ActivityTypes.Event, name: 'conversationEnded' });
    } else if (awaySeconds !== undefined && send && session.style === 'events') {
      // Gone while asked to rate a chat already over: nothing is left to come back to, and the
      // widget's conversation ends as a rating does (its token reads the chat no more).
      await send({ type: ActivityTypes.EndOfConversation });
    }
  }
}

export type { Activity };
