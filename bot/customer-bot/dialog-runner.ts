import { ActivityTypes, MessageFactory, type Activity } from 'botbuilder';
import type { Deps, SurveyQuestion } from '../../services/domain/index.js';
import { formatTranscript, type ConversationService } from '../../services/conversations/index.js';
import type { Logger } from '../../services/log.js';
import { surveyFor as questionsOf } from '../../services/routing/index.js';
import { decide, type DialogAction, type DialogInput, type RouteOutlook } from '../customer-dialog/index.js';
import { PromiseCache } from '../promise-cache.js';
import type { BotSession, BotSessions, DialogOutbox, SendAction } from './session-store.js';

/** Conversations whose pre-chat survey the runner keeps at hand (more than are open at a peak). */
const SURVEYS_KEPT = 20_000;

/**
 * Sends one activity to the customer: a turn's context, or a proactive one for relayed events.
 * `clientKey`, when given, is the same every time this activity is sent again: a channel that
 * keeps such keys stores it once.
 */
export type SendToCustomer = (activity: Partial<Activity>, clientKey?: string) => Promise<unknown>;

/**
 * The activity to send under a client key: Direct Line keeps a bot's client ids and stores a repeat
 * once; other channels get the activity as it is.
 */
export function keyedActivity(
  activity: Partial<Activity>,
  channelId: string | undefined,
  clientKey: string | undefined,
): Partial<Activity> {
  if (clientKey === undefined || channelId !== 'directline') return activity;
  return { ...activity, channelData: { ...activity.channelData, clientActivityId: `relay ${clientKey}` } };
}

function isSend(action: DialogAction): action is SendAction {
  return action.type === 'say' || action.type === 'event';
}

export interface DialogRunnerDeps {
  conversations: ConversationService;
  sessions: BotSessions;
  deps: Deps;
  log: Logger;
}

/**
 * Feeds one input to the pure dialog, stores the new state, then performs the actions it asked for
 * (send, store, escalate, resolve …) in order. The same runner serves customer turns and the relay.
 */
export function createDialogRunner(d: DialogRunnerDeps) {
  // Every step reads its conversation's survey; kept for the conversations stepped lately (a Map of
  // every conversation ever served grew without end: nothing took them out but a bot resolution).
  const surveys = new PromiseCache<SurveyQuestion[]>(SURVEYS_KEPT);

  function surveyFor(conversationId: string): Promise<SurveyQuestion[]> {
    return surveys.get(conversationId, async () => {
      const conversation = await d.conversations.get(conversationId);
      const workstream = await d.conversations.workstreamOf(conversation);
      return workstream ? questionsOf(workstream) : [];
    });
  }

  /** One send; under `clientKey` it is stored once however often it is sent (outbox replays). */
  async function sendOne(
    conversationId: string,
    action: SendAction,
    send: SendToCustomer,
    clientKey?: string,
  ): Promise<void> {
    if (action.type === 'event') {
      const { name, value, text } = action;
      await send({ type: ActivityTypes.Event, name, value, ...(text ? { text } : {}) }, clientKey);
      // News in words (a transfer, a reopen) belongs on the transcript, as a text channel's `say` is.
      if (text) await d.conversations.addBotMessage(conversationId, text, clientKey);
      return;
    }
    const activity = action.suggestions?.length
      ? MessageFactory.suggestedActions(action.suggestions, action.text)
      : MessageFactory.text(action.text);
    await send(activity, clientKey);
    await d.conversations.addBotMessage(conversationId, action.text, clientKey);
  }

  /** Sends what an outbox holds, in order, then clears it. Safe to run again for the same outbox. */
  async function deliver(session: BotSession, outbox: DialogOutbox, send: SendToCustomer): Promise<void> {
    for (const [i, action] of outbox.actions.entries())
      await sendOne(session.conversationId, action, send, `${outbox.id} ${i}`);
    if (outbox.end) await send({ type: ActivityTypes.EndOfConversation }, `${outbox.id} end`);
    await d.sessions.clearOutbox(session.key, outbox.id);
  }

  async function perform(session: BotSession, action: DialogAction, send: SendToCustomer): Promise<void> {
    const id = session.conversationId;
    switch (action.type) {
      case 'typing':
        await send({ type: ActivityTypes.Typing });
        return;
      case 'say':
      case 'event':
        await sendOne(id, action, send);
        return;
      case 'savePreChat':
        await d.conversations.recordPreChat(id, action.answers);
        return;
      case 'saveSubject':
        await d.conversations.recordSubject(id, action.subject);
        return;
      case 'checkRoute': {
        // Routing is asked before anything is promised; its answer steps the dialog again.
        const r = await d.conversations.routeOutlook(id);
        const route: RouteOutlook = {
          queueName: r.queueName,
          open: r.open,
          opensAt: r.opensAt && !r.open ? r.opensAt.toISOString() : undefined,
          timeZone: r.timeZone,
          estimatedWaitSeconds: r.estimatedWaitSeconds,
          ending: r.ending,
        };
        await step(session, { kind: 'route', route, at: d.deps.now().toISOString() }, send);
        return;
      }
      case 'leaveMessage':
        await d.conversations.leaveMessage(id, { by: action.by, email: action.email });
        return;
      case 'escalate': {
        await d.conversations.escalate(id, action.reason);
        const status = await d.conversations.queueStatus(id);
        if (status) await step(session, { kind: 'queueStatus', ...status }, send);
        return;
      }
      case 'resolve':
        await d.conversations.resolveByBot(id);
        surveys.delete(id);
        return;
      case 'saveCsat':
        await d.conversations.recordCsat(id, action.rating, action.comment);
        return;
      case 'sendTranscript': {
        const lines = await d.conversations.transcript(id);
        await send(
          MessageFactory.text(`Here is the transcript of this conversation:\n\n${formatTranscript(lines)}`),
        );
        return;
      }
      default: {
        const unreachable: never = action;
        throw new Error(`Unknown dialog action ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /**
   * Runs one input; the caller holds the conversation's turn lock. Returns the session as stored.
   * `outbox`: the step's sends go through an outbox (see `DialogOutbox`) — for the relay's news
   * from the agent side, which nobody is in a turn to miss. A customer's own turn sends directly:
   * they see no answer and write again, and one write fewer a message keeps the path fast.
   */
  async function step(
    session: BotSession,
    input: DialogInput,
    send: SendToCustomer,
    opts: { outbox?: boolean } = {},
  ): Promise<BotSession> {
    const survey = await surveyFor(session.conversationId);
    const { state, actions } = decide(session.state, input, { style: session.style, survey });
    const now = d.deps.now();
    const next: BotSession = {
      ...session,
      state,
      updatedAt: now,
      lastCustomerActivityAt: input.kind === 'message' ? now : session.lastCustomerActivityAt,
    };
    const ends = session.state.phase !== 'done' && next.state.phase === 'done' && session.style === 'events';
    const sends = actions.filter(isSend);
    if (opts.outbox && (sends.length > 0 || ends) && sends.length === actions.length) {
      const outbox: DialogOutbox = { id: d.deps.newId('outbox'), actions: sends, end: ends };
      await d.sessions.save(next, outbox);
      await deliver(next, outbox, send);
      return next;
    }
    // The state is stored before anything is sent: a crash mid-way repeats no question on retry.
    await d.sessions.save(next);
    let current = next;
    for (const action of actions) {
      await perform(current, action, send);
      // An escalation or a route check may have stepped the dialog again; continue from what is stored.
      if (action.type === 'escalate' || action.type === 'checkRoute')
        current = (await d.sessions.byKey(current.key)) ?? current;
    }
    // The dialog is over: the widget's Direct Line conversation ends with it (its tokens stop working).
    if (ends) await send({ type: ActivityTypes.EndOfConversation });
    return current;
  }

  return {
    step,
    /** Sends what a session's outbox still holds (left by a crash or a failed channel), then clears it. */
    async deliverOutbox(session: BotSession, send: SendToCustomer): Promise<void> {
      if (session.outbox) await deliver(session, session.outbox, send);
    },
  };
}

export type DialogRunner = ReturnType<typeof createDialogRunner>;
