import type { SurveyQuestion } from '../../services/domain/index.js';
import {
  asksForAgent,
  checkAnswer,
  isGoodbye,
  isNo,
  isTranscriptRequest,
  isYes,
  minutesText,
  parseRating,
} from './phrases.js';
import type {
  DialogAction,
  DialogEnv,
  DialogInput,
  DialogState,
  DialogStep,
  EscalationReason,
  Understanding,
} from './types.js';

/** Two answers that did not help (a "No" or a question the bot could not place) hand over to a person. */
export const UNHELPFUL_LIMIT = 2;

export const GREETING = "Hi! I'm the Northwind Fiber virtual assistant.";
export const HELP_PROMPT = 'How can I help you today?';
export const DID_THAT_HELP = 'Did that help?';
export const YES_NO = ['Yes', 'No'];
export const RATINGS = ['1', '2', '3', '4', '5'];

/** Replies to small talk while helping; none of these count as an unhelpful answer. */
const SMALL_TALK: Record<string, string> = {
  greeting: `Hello! ${HELP_PROMPT}`,
  thanks: "You're welcome! Is there anything else I can help with?",
  goodbye: 'Thanks for chatting with us. Goodbye!',
  affirm: 'Great. What can I help you with?',
};

export function initialDialogState(): DialogState {
  return { phase: 'new', question: 0, answers: {}, unhelpful: 0 };
}

/**
 * The customer bot's whole conversation logic: given where the conversation stands and what just
 * happened, the next state and what to do. Pure — the ActivityHandler around it performs the actions.
 */
export function decide(state: DialogState, input: DialogInput, env: DialogEnv): DialogStep {
  switch (input.kind) {
    case 'start':
      return state.phase === 'new' ? start(state, env) : same(state);

    case 'message':
      return onMessage(state, input.text, input.understanding, env);

    case 'preChatAnswers':
      return state.phase === 'prechat' ? onSurveyForm(state, input.answers, env) : same(state);

    case 'csat':
      if (state.phase !== 'csat-rating' && state.phase !== 'csat-comment') return same(state);
      return {
        state: { ...state, phase: 'done', csatRating: input.rating },
        actions: [{ type: 'saveCsat', rating: input.rating, comment: input.comment }, thanksForFeedback()],
      };

    case 'queueStatus': {
      if (state.phase !== 'queued') return same(state);
      const status = { position: input.position, estimatedWaitSeconds: input.estimatedWaitSeconds };
      const last = state.lastQueueStatus;
      if (last && last.position === status.position) return same(state);
      return { state: { ...state, lastQueueStatus: status }, actions: [queueUpdate(status, env)] };
    }

    case 'agentJoined':
      if (state.phase === 'csat-rating' || state.phase === 'csat-comment' || state.phase === 'done')
        return same(state);
      return {
        state: { ...state, phase: 'with-agent', agentName: input.name, lastQueueStatus: undefined },
        actions: [
          env.style === 'events'
            ? { type: 'event', name: 'agentJoined', value: { name: input.name } }
            : { type: 'say', text: `${input.name} has joined the conversation.` },
        ],
      };

    case 'agentLeft': {
      if (state.phase !== 'with-agent') return same(state);
      const name = input.name ?? state.agentName ?? 'The agent';
      return {
        state: { ...state, phase: 'queued', agentName: undefined, lastQueueStatus: undefined },
        actions: [
          env.style === 'events'
            ? { type: 'event', name: 'agentLeft', value: { name } }
            : { type: 'say', text: `${name} has left the conversation. We're finding you another agent.` },
        ],
      };
    }

    case 'conversationEnded':
      if (state.phase === 'csat-rating' || state.phase === 'csat-comment' || state.phase === 'done')
        return same(state);
      return { state: { ...state, phase: 'csat-rating' }, actions: endAndAskForFeedback(env) };

    case 'inactivity':
      // Only a customer who confirmed an answer counts as resolved when they go quiet.
      if (state.phase !== 'confirmed') return same(state);
      return {
        state: { ...state, phase: 'csat-rating' },
        actions: [{ type: 'resolve' }, ...endAndAskForFeedback(env)],
      };

    case 'transcriptRequest':
      return { state, actions: state.phase === 'new' ? [] : [{ type: 'sendTranscript' }] };

    default: {
      const unreachable: never = input;
      throw new Error(`Unknown dialog input ${JSON.stringify(unreachable)}`);
    }
  }
}

function same(state: DialogState): DialogStep {
  return { state, actions: [] };
}

function start(state: DialogState, env: DialogEnv): DialogStep {
  if (env.survey.length === 0) {
    return {
      state: { ...state, phase: 'helping' },
      actions: [{ type: 'say', text: `${GREETING} ${HELP_PROMPT}` }],
    };
  }
  if (env.style === 'events') {
    return {
      state: { ...state, phase: 'prechat', question: 0 },
      actions: [
        { type: 'say', text: `${GREETING} Before we start, please tell us a little about yourself.` },
        { type: 'event', name: 'preChatSurvey', value: { questions: env.survey } },
      ],
    };
  }
  const first = env.survey[0] as SurveyQuestion;
  return {
    state: { ...state, phase: 'prechat', question: 0 },
    actions: [{ type: 'say', text: `${GREETING} Before we start, a few quick questions.` }, ask(first)],
  };
}

function ask(q: SurveyQuestion, problem?: string): DialogAction {
  const optional = q.required ? '' : " (optional — type 'skip' to leave it out)";
  const text = `${problem ? `${problem} ` : ''}${q.prompt}${optional}`;
  return q.kind === 'choice' && q.choices?.length
    ? { type: 'say', text, suggestions: q.choices }
    : { type: 'say', text };
}

function afterSurvey(state: DialogState, answers: Record<string, string>): DialogStep {
  const name = answers.name?.trim().split(/\s+/)[0];
  return {
    state: { ...state, phase: 'helping', answers },
    actions: [
      { type: 'savePreChat', answers },
      { type: 'say', text: `Thanks${name ? `, ${name}` : ''}! ${HELP_PROMPT}` },
    ],
  };
}

function onSurveyForm(state: DialogState, submitted: Record<string, string>, env: DialogEnv): DialogStep {
  const answers: Record<string, string> = {};
  const problems: string[] = [];
  for (const q of env.survey) {
    const check = checkAnswer(q, submitted[q.id] ?? '');
    if (check.ok) {
      if (check.value !== '') answers[q.id] = check.value;
    } else problems.push(`${q.prompt} ${check.problem}`);
  }
  if (problems.length > 0) {
    return {
      state,
      actions: [
        { type: 'say', text: `Please check your answers: ${problems.join(' ')}` },
        { type: 'event', name: 'preChatSurvey', value: { questions: env.survey } },
      ],
    };
  }
  return afterSurvey(state, answers);
}

function onSurveyText(state: DialogState, text: string, env: DialogEnv): DialogStep {
  const q = env.survey[state.question];
  if (!q) return afterSurvey(state, state.answers);
  const check = checkAnswer(q, text);
  if (!check.ok) return { state, actions: [ask(q, check.problem)] };
  const answers = check.value === '' ? state.answers : { ...state.answers, [q.id]: check.value };
  const nextIndex = state.question + 1;
  const next = env.survey[nextIndex];
  if (next) return { state: { ...state, question: nextIndex, answers }, actions: [ask(next)] };
  return afterSurvey({ ...state, question: nextIndex }, answers);
}

function onMessage(state: DialogState, text: string, u: Understanding, env: DialogEnv): DialogStep {
  if (state.phase === 'new') {
    const started = start(state, env);
    // Channels without a conversationUpdate (e.g. a first Teams message): greet, and when there is
    // no survey answer the question right away.
    if (started.state.phase !== 'helping') return started;
    const answered = onMessage(started.state, text, u, env);
    return { state: answered.state, actions: [...started.actions, ...answered.actions] };
  }
  if (isTranscriptRequest(text) && state.phase !== 'prechat' && state.phase !== 'csat-comment') {
    return { state, actions: [{ type: 'sendTranscript' }] };
  }
  switch (state.phase) {
    case 'prechat':
      return onSurveyText(state, text, env);
    case 'helping':
      return selfService(state, text, u);
    case 'feedback':
      if (isYes(text) || u.intent?.name === 'affirm' || u.intent?.name === 'thanks') {
        return {
          state: { ...state, phase: 'confirmed', unhelpful: 0 },
          actions: [
            { type: 'say', text: 'Glad I could help! Is there anything else? If not, just say goodbye.' },
          ],
        };
      }
      if (isNo(text))
        return unhelpful(
          state,
          "Sorry that didn't help. Could you describe the problem in other words? You can also type 'agent' to talk to a person.",
        );
      return selfService(state, text, u);
    case 'confirmed':
      if (isGoodbye(text) || ['goodbye', 'deny', 'thanks'].includes(u.intent?.name ?? '')) {
        return {
          state: { ...state, phase: 'csat-rating' },
          actions: [
            { type: 'say', text: 'Thanks for chatting with us. Goodbye!' },
            { type: 'resolve' },
            ...endAndAskForFeedback(env),
          ],
        };
      }
      return selfService(state, text, u);
    case 'csat-rating': {
      // The survey is optional: "skip" (or saying goodbye) ends it without a rating.
      if (text.trim().toLowerCase() === 'skip' || isGoodbye(text)) {
        return {
          state: { ...state, phase: 'done' },
          actions: [{ type: 'say', text: 'No problem. Goodbye!' }],
        };
      }
      const rating = parseRating(text);
      if (rating === null)
        return {
          state,
          actions: [
            {
              type: 'say',
              text: "Please rate us from 1 (poor) to 5 (excellent), or type 'skip'.",
              suggestions: [...RATINGS, 'skip'],
            },
          ],
        };
      return {
        state: { ...state, phase: 'csat-comment', csatRating: rating },
        actions: [
          {
            type: 'say',
            text: "Thanks! Anything you'd like to add? Type 'skip' to finish.",
            suggestions: ['skip'],
          },
        ],
      };
    }
    case 'csat-comment': {
      const comment = text.trim().toLowerCase() === 'skip' ? undefined : text.trim();
      return {
        state: { ...state, phase: 'done' },
        actions: [{ type: 'saveCsat', rating: state.csatRating ?? 3, comment }, thanksForFeedback()],
      };
    }
    // Waiting for or talking to an agent: the message is stored for the agent; the bot stays quiet.
    case 'queued':
    case 'with-agent':
    case 'done':
      return same(state);
    default: {
      const unreachable: never = state.phase;
      throw new Error(`Unknown phase ${String(unreachable)}`);
    }
  }
}

function selfService(state: DialogState, text: string, u: Understanding): DialogStep {
  if (asksForAgent(text, u.intent)) {
    return escalate(state, 'requested', "Sure, I'm connecting you with an agent. Please stay in this chat.");
  }
  if (u.sentiment === 'very negative' || u.rollingSentiment === 'very negative') {
    return escalate(
      state,
      'sentiment',
      "I'm sorry this has been frustrating. Let me get you to a person who can help.",
    );
  }
  const smallTalk = SMALL_TALK[u.intent?.unsure ? '' : (u.intent?.name ?? '')];
  if (smallTalk && !u.answer) return { state, actions: [{ type: 'say', text: smallTalk }] };
  if (u.answer && !u.intent?.unsure) {
    return {
      state: { ...state, phase: 'feedback', lastArticleId: u.answer.articleId },
      actions: [
        { type: 'typing' },
        { type: 'say', text: `**${u.answer.title}**\n\n${u.answer.extract}` },
        { type: 'say', text: DID_THAT_HELP, suggestions: YES_NO },
      ],
    };
  }
  return unhelpful(
    state,
    "I'm not sure I understood. Could you say it another way? You can also type 'agent' to talk to a person.",
  );
}

function unhelpful(state: DialogState, reply: string): DialogStep {
  const count = state.unhelpful + 1;
  if (count >= UNHELPFUL_LIMIT) {
    return escalate(
      { ...state, unhelpful: count },
      'unhelpful',
      "I'm sorry I couldn't solve this. I'm connecting you with an agent who can.",
    );
  }
  return {
    state: { ...state, phase: 'helping', unhelpful: count },
    actions: [{ type: 'typing' }, { type: 'say', text: reply }],
  };
}

function escalate(state: DialogState, reason: EscalationReason, text: string): DialogStep {
  return {
    state: { ...state, phase: 'queued', lastQueueStatus: undefined },
    actions: [
      { type: 'say', text },
      { type: 'escalate', reason },
    ],
  };
}

function queueUpdate(
  status: { position: number; estimatedWaitSeconds: number },
  env: DialogEnv,
): DialogAction {
  if (env.style === 'events') return { type: 'event', name: 'queuePosition', value: status };
  const ahead =
    status.position <= 1 ? "You're next in line" : `You're number ${status.position} in the queue`;
  return { type: 'say', text: `${ahead}. Estimated wait: ${minutesText(status.estimatedWaitSeconds)}.` };
}

function endAndAskForFeedback(env: DialogEnv): DialogAction[] {
  if (env.style === 'events') {
    return [
      { type: 'event', name: 'conversationEnded' },
      { type: 'event', name: 'postChatSurvey', value: { ratingScale: 5, comment: true } },
    ];
  }
  return [
    {
      type: 'say',
      text: 'This conversation has ended. How would you rate your experience, from 1 (poor) to 5 (excellent)?',
      suggestions: RATINGS,
    },
  ];
}

function thanksForFeedback(): DialogAction {
  return { type: 'say', text: 'Thank you for your feedback!' };
}
