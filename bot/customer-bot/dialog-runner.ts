import { ActivityTypes, MessageFactory, type Activity } from 'botbuilder';
import type { Deps, SurveyQuestion } from '../../services/domain/index.js';
import { formatTranscript, type ConversationService } from '../../services/conversations/index.js';
import type { Logger } from '../../services/log.js';
import { surveyFor as questionsOf } from '../../services/routing/index.js';
import { decide, type DialogAction, type DialogInput, type RouteOutlook } from '../customer-dialog/index.js';
import type { BotSession, BotSessions } from './session-store.js';

/** Sends one activity to the customer: a turn's context, or a proactive one for relayed events. */
export type SendToCustomer = (activity: Partial<Activity>) => Promise<unknown>;

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
  const surveys = new Map<string, SurveyQuestion[]>();

  async function surveyFor(conversationId: string): Promise<SurveyQuestion[]> {
    const cached = surveys.get(conversationId);
    if (cached) return cached;
    const conversation = await d.conversations.get(conversationId);
    const workstream = await d.conversations.workstreamOf(conversation);
    const survey = workstream ? questionsOf(workstream) : [];
    surveys.set(conversationId, survey);
    return survey;
  }

  async function perform(session: BotSession, action: DialogAction, send: SendToCustomer): Promise<void> {
    const id = session.conversationId;
    switch (action.type) {
      case 'typing':
        await send({ type: ActivityTypes.Typing });
        return;
      case 'say': {
        const activity = action.suggestions?.length
          ? MessageFactory.suggestedActions(action.suggestions, action.text)
          : MessageFactory.text(action.text);
        await send(activity);
        await d.conversations.addBotMessage(id, action.text);
        return;
      }
      case 'event':
        await send({ type: ActivityTypes.Event, name: action.name, value: action.value });
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

  /** Runs one input; the caller holds the conversation's turn lock. Returns the session as stored. */
  async function step(session: BotSession, input: DialogInput, send: SendToCustomer): Promise<BotSession> {
    const survey = await surveyFor(session.conversationId);
    const { state, actions } = decide(session.state, input, { style: session.style, survey });
    const now = d.deps.now();
    const next: BotSession = {
      ...session,
      state,
      updatedAt: now,
      lastCustomerActivityAt: input.kind === 'message' ? now : session.lastCustomerActivityAt,
    };
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
    if (session.state.phase !== 'done' && next.state.phase === 'done' && session.style === 'events') {
      await send({ type: ActivityTypes.EndOfConversation });
    }
    return current;
  }

  return { step, forget: (conversationId: string) => surveys.delete(conversationId) };
}

export type DialogRunner = ReturnType<typeof createDialogRunner>;
