import type { SurveyQuestion } from '../../services/domain/index.js';
import { fold, matchChoice } from './choices.js';
import { emailIn, firstName, nameIn, statedName } from './extract.js';
import {
  asksForAgent,
  checkAnswer,
  closedOption,
  isGoodbye,
  isNo,
  isSkip,
  isTranscriptRequest,
  isYes,
  minutesText,
  parseRating,
  whenText,
} from './phrases.js';
import { saysThanks } from '../../services/assist/index.js';
import type {
  DialogAction,
  DialogEnv,
  DialogInput,
  DialogState,
  DialogStep,
  EscalationReason,
  KnowledgeAnswer,
  RouteOutlook,
  Understanding,
} from './types.js';

/** Two answers that did not help (a "No" or a question the bot could not place) hand over to a person. */
export const UNHELPFUL_LIMIT = 2;
/** No prompt goes out more often than this in one conversation. */
export const PROMPT_LIMIT = 2;

export const GREETING = "Hi! I'm the Northwind Fiber virtual assistant.";
export const HELP_PROMPT = 'How can I help you today?';
export const DID_THAT_HELP = 'Did that help?';
export const YES_NO = ['Yes', 'No'];
export const RATINGS = ['1', '2', '3', '4', '5'];
export const TALK_TO_A_PERSON = 'Talk to a person';
export const CLOSED_OPTIONS = ['Leave a message', 'E-mail me', 'Ask the assistant'];
const HELPED_PROMPTS = [DID_THAT_HELP, 'Did that answer your question?', 'Was that what you needed?'];

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
      return state.phase === 'new' ? start(state, env, true) : same(state);

    case 'message':
      return onMessage(state, input.text, input.understanding, env);

    case 'files':
      return onFiles(state, input.names, env);

    case 'filesRefused':
      return onFilesRefused(state, input.reasons);

    case 'preChatAnswers':
      return state.phase === 'prechat' ? onSurveyForm(state, input.answers, env) : same(state);

    case 'route':
      return state.phase === 'routing' ? onRoute(state, input.route, new Date(input.at), env) : same(state);

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
      const sameNews =
        last?.position === status.position &&
        (last.estimatedWaitSeconds === null) === (status.estimatedWaitSeconds === null);
      if (sameNews) return same(state);
      return { state: { ...state, lastQueueStatus: status }, actions: [queueUpdate(status, env)] };
    }

    case 'agentJoined':
      if (state.phase === 'csat-rating' || state.phase === 'csat-comment' || state.phase === 'done')
        return same(state);
      return {
        state: withAgent(state, input.name),
        actions: [
          env.style === 'events'
            ? { type: 'event', name: 'agentJoined', value: { name: input.name } }
            : { type: 'say', text: `${input.name} has joined the conversation.` },
        ],
      };

    case 'agentLeft': {
      if (state.phase !== 'with-agent') return same(state);
      const name = input.name ?? state.agentName ?? 'The agent';
      // A customer told only "Alex left" takes the chat for over and leaves: say it goes on.
      const text = `${name} is transferring you to another agent. Please stay in this chat: they will be with you shortly.`;
      return {
        state: { ...state, phase: 'queued', agentName: undefined, lastQueueStatus: undefined },
        actions: [
          env.style === 'events'
            ? { type: 'event', name: 'agentLeft', value: { name, transfer: true }, text }
            : { type: 'say', text },
        ],
      };
    }

    case 'reopened': {
      if (state.phase !== 'csat-rating' && state.phase !== 'csat-comment' && state.phase !== 'done')
        return same(state);
      // A widget's chat that is over for the customer (rated, closed, gone) cannot be written to
      // again; a text channel's chat (Teams) goes on and the customer reads the agent there.
      if (state.phase === 'done' && env.style === 'events') return same(state);
      const text = `${input.name} reopened the chat. You can reply here.`;
      return {
        state: { ...withAgent(state, input.name), csatRating: undefined },
        actions: [
          env.style === 'events'
            ? { type: 'event', name: 'conversationReopened', value: { name: input.name }, text }
            : { type: 'say', text },
        ],
      };
    }

    case 'conversationEnded':
      if (state.phase === 'csat-rating' || state.phase === 'csat-comment' || state.phase === 'done')
        return same(state);
      // Nobody served the customer (routing ended the wait): there is nothing to rate.
      if (!state.agentServed) return { state: { ...state, phase: 'done' }, actions: endWithoutRating(env) };
      return { state: { ...state, phase: 'csat-rating' }, actions: endAndAskForFeedback(env, 'agent') };

    case 'inactivity':
      // Only a customer who confirmed an answer counts as resolved when they go quiet.
      if (state.phase !== 'confirmed') return same(state);
      return {
        state: { ...state, phase: 'csat-rating', botResolved: true },
        actions: [{ type: 'resolve' }, ...endAndAskForFeedback(env, 'assistant')],
      };

    case 'surveyLapsed':
      // Nothing is said: the customer is not there to read it. A rating given before a comment counts.
      if (state.phase === 'csat-comment')
        return {
          state: { ...state, phase: 'done' },
          actions: [{ type: 'saveCsat', rating: state.csatRating ?? 3 }],
        };
      return state.phase === 'csat-rating'
        ? { state: { ...state, phase: 'done' }, actions: [] }
        : same(state);

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

/** Appends the actions of `then` to `first`'s, continuing from `then`'s state. */
function chain(actions: DialogAction[], then: DialogStep): DialogStep {
  return { state: then.state, actions: [...actions, ...then.actions] };
}

// --- prompts: counted, never more than twice ------------------------------------------------------

function timesSent(state: DialogState, key: string): number {
  return state.prompts?.[key] ?? 0;
}

function sent(state: DialogState, key: string): DialogState {
  return { ...state, prompts: { ...state.prompts, [key]: timesSent(state, key) + 1 } };
}

/** A prompt that may go out at most twice; null when it already did. */
function prompt(
  state: DialogState,
  key: string,
  text: string,
  suggestions?: string[],
): { state: DialogState; action: DialogAction } | null {
  if (timesSent(state, key) >= PROMPT_LIMIT) return null;
  return {
    state: sent(state, key),
    action: suggestions?.length ? { type: 'say', text, suggestions } : { type: 'say', text },
  };
}

// --- the pre-chat survey --------------------------------------------------------------------------

function start(state: DialogState, env: DialogEnv, withQuestion: boolean): DialogStep {
  if (env.survey.length === 0) {
    return {
      state: { ...state, phase: 'helping' },
      actions: [{ type: 'say', text: withQuestion ? `${GREETING} ${HELP_PROMPT}` : GREETING }],
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
  const greeted: DialogStep = {
    state: { ...state, phase: 'prechat', question: 0 },
    actions: [{ type: 'say', text: `${GREETING} Before we start, a few quick questions.` }],
  };
  return withQuestion ? chain(greeted.actions, askNext(greeted.state, env)) : greeted;
}

/** The customer wants a person (or is upset): optional questions are left out. */
function wantsPerson(state: DialogState): boolean {
  return (state.agentRequests ?? 0) > 0 || state.upset === true;
}

function stillMissing(state: DialogState, env: DialogEnv): SurveyQuestion[] {
  const skipped = new Set(state.skipped ?? []);
  return env.survey.filter(
    (q) => !(q.id in state.answers) && !skipped.has(q.id) && (q.required || !wantsPerson(state)),
  );
}

function isNameQuestion(q: SurveyQuestion): boolean {
  return q.kind === 'text' && (q.id === 'name' || /\bname\b|nombre/i.test(q.prompt));
}

/**
 * A question as a chat asks it. A form's label ("Your name") sent as a message reads like a field,
 * not a question: the question's own chat wording wins, and a bare label is at least asked.
 */
function chatWording(q: SurveyQuestion): string {
  if (q.chatPrompt) return q.chatPrompt;
  const label = q.prompt.trim();
  if (/[?.!:]$/.test(label)) return label;
  return /^your\b/i.test(label) ? `What's y${label.slice(1)}?` : `${label}?`;
}

function questionText(q: SurveyQuestion): string {
  const wording = chatWording(q);
  const optional = q.required
    ? ''
    : /optional/i.test(wording)
      ? " — type 'skip' to leave it out"
      : " (optional — type 'skip' to leave it out)";
  return `${wording}${optional}`;
}

/**
 * Asks a question, at most twice as written; a third time the choices come as buttons with a way to
 * a person; after that a required question hands over to a person and an optional one is left out.
 */
function ask(state: DialogState, q: SurveyQuestion, env: DialogEnv, problem?: string): DialogStep {
  const asking = { ...state, asking: q.id, pendingChoice: undefined };
  const choices = q.kind === 'choice' ? (q.choices ?? []) : [];
  const first = prompt(asking, `ask:${q.id}`, `${problem ? `${problem} ` : ''}${questionText(q)}`, choices);
  if (first) return { state: first.state, actions: [first.action] };
  const fallbackText =
    choices.length > 0
      ? `${chatWording(q)} Please tap one of these, or talk to a person.`
      : `${chatWording(q)} You can type it, or talk to a person instead.`;
  const fallback = prompt(asking, `fallback:${q.id}`, fallbackText, [...choices, TALK_TO_A_PERSON]);
  if (fallback) return { state: fallback.state, actions: [fallback.action] };
  if (!q.required) return askNext({ ...asking, skipped: [...(asking.skipped ?? []), q.id] }, env);
  return finishSurvey({ ...asking, agentRequests: (asking.agentRequests ?? 0) + 1 }, env, 'unhelpful');
}

function askNext(state: DialogState, env: DialogEnv): DialogStep {
  const next = stillMissing(state, env)[0];
  if (next) return ask(state, next, env);
  return finishSurvey(state, env);
}

function onSurveyForm(state: DialogState, submitted: Record<string, string>, env: DialogEnv): DialogStep {
  const answers: Record<string, string> = { ...state.answers };
  const problems: string[] = [];
  for (const q of env.survey) {
    const raw = submitted[q.id] ?? state.answers[q.id] ?? '';
    const check = checkAnswer(q, raw);
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
  return finishSurvey({ ...state, answers }, env);
}

/** Meaningful words of a message once requests for a person and filler are taken out. */
function saysSomething(text: string): boolean {
  const words = fold(text)
    .replace(/\b(agent|human|person|representative|someone|somebody|operator|agente|humano|persona)\b/g, ' ')
    .split(' ')
    .filter(
      (w) =>
        w.length > 2 &&
        !/^(want|need|talk|speak|please|with|the|and|you|can|could|would|like|get|let|now|real|live|hablar|quiero|necesito|por|favor|con|una|uno|the|just|let|give|connect|transfer|put|through|ahora|tell|more|little|this|that|about|something|here|there|hello|hola|thanks|okay|yes)$/.test(
          w,
        ),
    );
  return words.length >= 2;
}

/** Survey answers a free-text message gives away (e-mail anywhere, a stated name, a clear topic). */
function answersIn(
  text: string,
  u: Understanding,
  state: DialogState,
  env: DialogEnv,
): { answers: Record<string, string>; pending?: DialogState['pendingChoice'] } {
  const found: Record<string, string> = {};
  let pending: DialogState['pendingChoice'];
  let more: SurveyQuestion | undefined;
  const current = env.survey.find((q) => q.id === state.asking);
  // A name given for the name question is only a name: "Bill Gates" says nothing about a bill.
  const named =
    current && isNameQuestion(current) && !(current.id in state.answers) ? nameIn(text) : undefined;
  if (current && named) return { answers: { [current.id]: named } };
  for (const q of env.survey) {
    if (q.id in state.answers) continue;
    const isCurrent = q.id === current?.id;
    if (q.kind === 'email') {
      const email = emailIn(text);
      if (email) found[q.id] = email;
    } else if (q.kind === 'choice') {
      const match = matchChoice(text, q.choices ?? [], isCurrent ? u.topic : undefined);
      if (match?.sure) found[q.id] = match.choice;
      else if (match && isCurrent) pending = { questionId: q.id, value: match.choice };
    } else if (isNameQuestion(q)) {
      const name = statedName(text);
      if (name) found[q.id] = name;
    } else if (isCurrent) {
      if (isSkip(text) && !q.required) continue;
      found[q.id] = text.trim().slice(0, 500);
    } else if (!q.required && q.kind === 'text') {
      more ??= q;
    }
  }
  // "Tell us a little more" is answered by what they already told us, unless that was an answer.
  const answeredCurrent =
    current !== undefined && (current.id in found || pending?.questionId === current.id);
  if (more && !answeredCurrent && saysSomething(text)) found[more.id] = text.trim().slice(0, 500);
  return { answers: found, pending };
}

function onSurveyMessage(state: DialogState, text: string, u: Understanding, env: DialogEnv): DialogStep {
  const actions: DialogAction[] = [];
  // The widget's form is up but the customer types: read it against the first open question.
  let s: DialogState = state.asking ? state : { ...state, asking: stillMissing(state, env)[0]?.id };

  // "Billing — is that right?"
  if (s.pendingChoice) {
    const { questionId, value } = s.pendingChoice;
    const q = env.survey.find((x) => x.id === questionId);
    if (q && (isYes(text) || fold(text) === fold(value))) {
      return askNext({ ...s, pendingChoice: undefined, answers: { ...s.answers, [questionId]: value } }, env);
    }
    s = { ...s, pendingChoice: undefined };
    if (q && isNo(text)) return ask(s, q, env, 'No problem.');
  }

  const current = env.survey.find((q) => q.id === s.asking);
  if (current && isSkip(text) && !current.required && !asksForAgent(text, u.intent)) {
    return askNext({ ...s, skipped: [...(s.skipped ?? []), current.id] }, env);
  }
  if (text.trim() === TALK_TO_A_PERSON || fold(text) === fold(TALK_TO_A_PERSON)) {
    return finishSurvey({ ...s, agentRequests: (s.agentRequests ?? 0) + 2 }, env, 'requested');
  }

  const wantsAgent = asksForAgent(text, u.intent);
  const upset = u.sentiment === 'very negative' || (!s.upset && u.rollingSentiment === 'very negative');
  const wanted = wantsPerson(s);
  const { answers: found, pending } = answersIn(text, u, s, env);
  // A guess at the current question is an answer attempt too, not what they came about.
  const answeredCurrent = current ? current.id in found || pending?.questionId === current.id : false;
  s = { ...s, answers: { ...s.answers, ...found } };

  // Whatever the customer says that is not just an answer is what they came about.
  if (!s.subject && saysSomething(text) && !(answeredCurrent && current && isShortAnswer(current))) {
    s = { ...s, subject: text.trim(), subjectAnswer: u.answer };
    actions.push({ type: 'saveSubject', subject: text.trim() });
  }

  if (wantsAgent || upset) {
    s = { ...s, agentRequests: (s.agentRequests ?? 0) + (wantsAgent ? 1 : 0), upset: s.upset || upset };
    // Asked again, or asked in anger: no more questions, a person now.
    if (wantsAgent && (wanted || upset))
      return chain(actions, finishSurvey(s, env, upset ? 'sentiment' : 'requested'));
    if (!wanted) {
      const missing = stillMissing(s, env);
      const ack = upset
        ? "I'm sorry this has been frustrating. I'll get you to a person who can help."
        : "Sure, I'll get you to a person.";
      const more =
        missing.length === 0
          ? ''
          : missing.length === 1
            ? ' I just need one detail first.'
            : ' I just need a few details first.';
      const said = prompt(s, 'ack:person', `${ack}${more}`);
      if (said) {
        s = said.state;
        actions.push(said.action);
      }
    }
    return chain(actions, current && !(current.id in s.answers) ? ask(s, current, env) : askNext(s, env));
  }

  if (current && !(current.id in s.answers)) {
    if (pending?.questionId === current.id) {
      const confirm = prompt(
        s,
        `confirm:${current.id}:${pending.value}`,
        `${pending.value} — is that right?`,
        YES_NO,
      );
      if (confirm)
        return { state: { ...confirm.state, pendingChoice: pending }, actions: [...actions, confirm.action] };
    }
    // Not an answer: say why, unless it was the customer telling us what they came about, or the
    // question was never asked here (the widget's form, which a Web Chat host does not show).
    const askedHere = timesSent(s, `ask:${current.id}`) > 0;
    const problem =
      actions.length > 0 ? 'Thanks — noted.' : askedHere ? problemWith(current, text) : undefined;
    return chain(actions, ask(s, current, env, problem));
  }
  return chain(actions, askNext(s, env));
}

function isShortAnswer(q: SurveyQuestion): boolean {
  return q.kind !== 'text' || isNameQuestion(q);
}

function problemWith(q: SurveyQuestion, text: string): string {
  if (isNameQuestion(q)) return "Sorry, I didn't catch your name.";
  const check = checkAnswer(q, text);
  if (!check.ok) return q.kind === 'choice' ? "Sorry, I didn't catch which one." : check.problem;
  return '';
}

/** An agent has the chat (joined, or reopened it): the bot steps back and the queue is behind. */
function withAgent(state: DialogState, agentName: string): DialogState {
  return { ...state, phase: 'with-agent', agentName, agentServed: true, lastQueueStatus: undefined };
}

/**
 * The survey is done (or given up for a person): store the answers, then help or hand over. A widget
 * is told (`preChatComplete`), so a form still on screen closes whether the answers came by the form
 * or were typed in the chat.
 */
function finishSurvey(state: DialogState, env: DialogEnv, reason?: EscalationReason): DialogStep {
  const answers = state.answers;
  const saved: DialogAction[] = Object.keys(answers).length > 0 ? [{ type: 'savePreChat', answers }] : [];
  if (env.style === 'events') saved.push({ type: 'event', name: 'preChatComplete' });
  const s: DialogState = { ...state, asking: undefined, pendingChoice: undefined };
  if (reason || wantsPerson(s)) {
    return chain(saved, handover(s, reason ?? (s.upset ? 'sentiment' : 'requested')));
  }
  const name = firstName(answers.name);
  const thanks = `Thanks${name ? `, ${name}` : ''}!`;
  if (s.subject && s.subjectAnswer) {
    return chain(
      [...saved, { type: 'say', text: `${thanks} Here is what I found about that.` }],
      offerArticle({ ...s, phase: 'helping' }, s.subjectAnswer),
    );
  }
  if (s.subject) {
    return {
      state: { ...s, phase: 'helping', unhelpful: 1 },
      actions: [
        ...saved,
        {
          type: 'say',
          text: `${thanks} I couldn't find an answer to that right away. Could you describe it in other words? You can also type 'agent' to talk to a person.`,
        },
      ],
    };
  }
  return {
    state: { ...s, phase: 'helping' },
    actions: [...saved, { type: 'say', text: `${thanks} ${HELP_PROMPT}` }],
  };
}

// --- files ----------------------------------------------------------------------------------------

/**
 * A file without words. The bot cannot read a photo or a bill, but a customer who sends one and
 * hears nothing thinks it was lost: it says it has it, that agents will see it, and what it can do.
 * With an agent, in the queue or mid-survey it stays quiet: the file is on the transcript.
 */
function onFiles(state: DialogState, names: string[], env: DialogEnv): DialogStep {
  if (state.phase === 'new') {
    const started = start(state, env, false);
    return chain(started.actions, onFiles(started.state, names, env));
  }
  const got = `Thanks, I've got ${listOf(names)}.`;
  switch (state.phase) {
    case 'helping':
    case 'feedback':
    case 'confirmed':
      return {
        state,
        actions: [
          {
            type: 'say',
            text: `${got} I can't look inside files myself, but an agent will see it. What is it about? You can also type 'agent' to talk to a person.`,
          },
        ],
      };
    case 'message-left': {
      const noted = prompt(state, 'message-added', "I've added that to your message for the team.");
      return noted ? { state: noted.state, actions: [noted.action] } : same(state);
    }
    default:
      return same(state);
  }
}

/**
 * The widget refuses a file before it is sent; a file from Teams is refused only here, so the
 * customer hears why from the bot, whoever they are talking to: otherwise they would take it the
 * agent has it.
 */
function onFilesRefused(state: DialogState, reasons: string[]): DialogStep {
  if (state.phase === 'done' || reasons.length === 0) return same(state);
  const text = `Sorry, I couldn't pass on what you attached: ${reasons.join('; ')}.`;
  return { state, actions: [{ type: 'say', text }] };
}

function listOf(names: string[]): string {
  return names.length <= 1
    ? (names[0] ?? 'your file')
    : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

// --- messages -------------------------------------------------------------------------------------

function onMessage(state: DialogState, text: string, u: Understanding, env: DialogEnv): DialogStep {
  if (state.phase === 'new') {
    // Channels without a conversationUpdate (e.g. a first Teams message): greet, then listen to it.
    const started = start(state, env, false);
    return chain(started.actions, onMessage(started.state, text, u, env));
  }
  if (isTranscriptRequest(text) && state.phase !== 'prechat' && state.phase !== 'csat-comment') {
    return { state, actions: [{ type: 'sendTranscript' }] };
  }
  switch (state.phase) {
    case 'prechat':
      return onSurveyMessage(state, text, u, env);
    case 'helping':
      return selfService(state, text, u);
    case 'routing':
      // Routing's answer never came (a crash mid-turn): ask again.
      return handover(state, state.handover ?? 'requested');
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
          {
            ...state,
            declinedArticleIds: state.lastArticleId
              ? [...(state.declinedArticleIds ?? []), state.lastArticleId]
              : state.declinedArticleIds,
          },
          "Sorry that didn't help. Could you describe the problem in other words? You can also type 'agent' to talk to a person.",
        );
      return selfService(state, text, u);
    case 'confirmed':
      if (isGoodbye(text) || ['goodbye', 'deny', 'thanks'].includes(u.intent?.name ?? '')) {
        return {
          state: { ...state, phase: 'csat-rating', botResolved: true },
          actions: [
            { type: 'say', text: 'Thanks for chatting with us. Goodbye!' },
            { type: 'resolve' },
            ...endAndAskForFeedback(env, 'assistant'),
          ],
        };
      }
      return selfService(state, text, u);
    case 'closed-options':
      return onClosedOptions(state, text, u, env);
    case 'message':
      return leaveMessage(state, 'chat', env);
    case 'email-ask': {
      const email = emailIn(text);
      if (email) return leaveMessage({ ...state, answers: { ...state.answers, email } }, 'email', env, true);
      const again = prompt(
        state,
        'ask:follow-up-email',
        "That doesn't look like an e-mail address. Which address should the team write to?",
      );
      // Twice wrong: the message is left in the chat instead, so the customer is not stuck here.
      return again ? { state: again.state, actions: [again.action] } : leaveMessage(state, 'chat', env);
    }
    case 'message-left': {
      const noted = prompt(state, 'message-added', "I've added that to your message for the team.");
      return noted ? { state: noted.state, actions: [noted.action] } : same(state);
    }
    case 'csat-rating': {
      // The survey is optional: "skip" (or saying goodbye) ends it without a rating.
      if (text.trim().toLowerCase() === 'skip' || isGoodbye(text)) {
        return {
          state: { ...state, phase: 'done' },
          actions: [{ type: 'say', text: 'No problem. Goodbye!' }],
        };
      }
      const rating = parseRating(text);
      if (rating === null) {
        // Often typed as the agent ended the chat, for the agent: it is kept on the conversation
        // (the agent reads it in wrap-up and may reopen), and the customer is told nobody answers.
        // The widget's own survey form is open: the line was not an answer to it, and never ends it.
        if (env.style === 'events') {
          if (timesSent(state, 'kept-after-end') > 0) return same(state);
          return {
            state: sent(state, 'kept-after-end'),
            actions: [{ type: 'say', text: keptAfterEnd(state) }],
          };
        }
        const ask = "Please rate us from 1 (poor) to 5 (excellent), or type 'skip'.";
        const again = prompt(
          state,
          'rate-again',
          timesSent(state, 'rate-again') === 0 ? `${keptAfterEnd(state)} ${ask}` : ask,
          [...RATINGS, 'skip'],
        );
        return again
          ? { state: again.state, actions: [again.action] }
          : { state: { ...state, phase: 'done' }, actions: [{ type: 'say', text: 'No problem. Goodbye!' }] };
      }
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
  if (fold(text) === fold(TALK_TO_A_PERSON) || asksForAgent(text, u.intent)) {
    return handover({ ...state, agentRequests: (state.agentRequests ?? 0) + 1 }, 'requested');
  }
  if (u.sentiment === 'very negative' || u.rollingSentiment === 'very negative') {
    return handover({ ...state, upset: true }, 'sentiment');
  }
  const said = u.intent?.unsure ? '' : (u.intent?.name ?? '');
  // Any classifier may take a "you" for thanks: only words of thanks are answered "You're welcome!".
  const smallTalk = said === 'thanks' && !saysThanks(text) ? undefined : SMALL_TALK[said];
  if (smallTalk && !u.answer) return { state, actions: [{ type: 'say', text: smallTalk }] };
  const answer = freshAnswer(state, u);
  if (answer) return offerArticle(state, answer);
  return unhelpful(
    state,
    "I'm not sure I understood. Could you say it another way? You can also type 'agent' to talk to a person.",
  );
}

/**
 * The best article the customer has not turned down: not one they answered "No" to, nor the one
 * they were just offered and answered with another question. None left: the question is unhelped.
 */
function freshAnswer(state: DialogState, u: Understanding): KnowledgeAnswer | undefined {
  const declined = new Set(state.declinedArticleIds);
  if (state.phase === 'feedback' && state.lastArticleId) declined.add(state.lastArticleId);
  return [u.answer, ...(u.alternatives ?? [])].find((a) => a && !declined.has(a.articleId));
}

function offerArticle(state: DialogState, answer: KnowledgeAnswer): DialogStep {
  const asked = HELPED_PROMPTS.findIndex((p) => timesSent(state, `helped:${p}`) < PROMPT_LIMIT);
  const question = HELPED_PROMPTS[Math.max(0, asked)] ?? DID_THAT_HELP;
  return {
    state: { ...sent(state, `helped:${question}`), phase: 'feedback', lastArticleId: answer.articleId },
    actions: [
      { type: 'typing' },
      {
        type: 'say',
        text: `**${answer.title}**\n\n${answer.extract}${answer.url ? `\n\n[Read the whole article](${answer.url})` : ''}`,
      },
      { type: 'say', text: question, suggestions: YES_NO },
    ],
  };
}

function unhelpful(state: DialogState, reply: string): DialogStep {
  const count = state.unhelpful + 1;
  if (count >= UNHELPFUL_LIMIT) return handover({ ...state, unhelpful: count }, 'unhelpful');
  return {
    state: { ...state, phase: 'helping', unhelpful: count },
    actions: [{ type: 'typing' }, { type: 'say', text: reply }],
  };
}

// --- hand-over: ask routing first, promise only what it can keep ----------------------------------

function handover(state: DialogState, reason: EscalationReason): DialogStep {
  return {
    state: { ...state, phase: 'routing', handover: reason, asking: undefined },
    actions: [{ type: 'checkRoute' }],
  };
}

function onRoute(state: DialogState, route: RouteOutlook, now: Date, env: DialogEnv): DialogStep {
  const reason = state.handover ?? 'requested';
  if (route.open && !route.ending) {
    const text =
      reason === 'unhelpful'
        ? "I'm sorry I couldn't solve this. I'm connecting you with an agent who can."
        : reason === 'sentiment' && timesSent(state, 'ack:person') === 0
          ? "I'm sorry this has been frustrating. Let me get you to a person who can help."
          : timesSent(state, 'ack:person') > 0
            ? "Thanks! I'm connecting you with an agent now. Please stay in this chat."
            : "Sure, I'm connecting you with an agent. Please stay in this chat.";
    return {
      state: { ...state, phase: 'queued', lastQueueStatus: undefined },
      actions: [
        { type: 'say', text },
        { type: 'escalate', reason },
      ],
    };
  }
  const full = route.open && route.ending !== undefined && route.ending.rule !== 'closed';
  const when = !full && route.opensAt ? whenText(new Date(route.opensAt), now, route.timeZone) : undefined;
  const closed = { queueName: route.queueName, when, full };
  const s: DialogState = { ...state, phase: 'closed-options', closed };
  const team = `our ${route.queueName} team`;
  // "Full" is an overflow rule firing: too many waiting, or too long a wait — which is also what
  // routing reckons when nobody in the team is signed in. So no claim that anyone is busy.
  const situation = full
    ? `I'm sorry — I can't connect you to a person in ${team} right now.`
    : `I'm sorry — ${team} is not available right now${when ? `; they're back ${when}` : ''}.`;
  const notice = route.ending?.message ? ` ${route.ending.message}` : '';
  const offer = `Here's what I can do now: take a message that the team picks up ${full ? 'as soon as someone is free' : 'when they are back'}, have them e-mail you, or try to answer your question here.`;
  const first = prompt(s, 'closed', `${situation}${notice}`);
  if (first)
    return {
      state: first.state,
      actions: [first.action, { type: 'say', text: offer, suggestions: CLOSED_OPTIONS }],
    };
  // Asked for a person again while the team is still away: a short reminder, then the message is taken.
  const again = prompt(
    s,
    'closed-again',
    `${full ? `${capitalise(team)} still can't take your chat` : `${capitalise(team)} is still away${when ? ` until ${when}` : ''}`}. I can take a message for them or have them e-mail you.`,
    CLOSED_OPTIONS.slice(0, 2),
  );
  if (again) return { state: again.state, actions: [again.action] };
  return leaveMessage(s, s.answers.email ? 'email' : 'chat', env);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function onClosedOptions(state: DialogState, text: string, u: Understanding, env: DialogEnv): DialogStep {
  const option = closedOption(text);
  if (option === 'message') {
    if (state.subject) return leaveMessage(state, 'chat', env);
    return {
      state: { ...state, phase: 'message' },
      actions: [{ type: 'say', text: 'What would you like the team to know? Write it in one message.' }],
    };
  }
  if (option === 'email') {
    const email = emailIn(text) ?? state.answers.email;
    if (email)
      return leaveMessage(
        { ...state, answers: { ...state.answers, email } },
        'email',
        env,
        !state.answers.email,
      );
    return {
      state: sent({ ...state, phase: 'email-ask' }, 'ask:follow-up-email'),
      actions: [{ type: 'say', text: 'Which e-mail address should the team write to?' }],
    };
  }
  if (option === 'assistant') {
    return {
      state: { ...state, phase: 'helping', unhelpful: 0 },
      actions: [{ type: 'say', text: "Sure — what's your question?" }],
    };
  }
  if (isGoodbye(text) || isNo(text)) {
    return { state, actions: [{ type: 'say', text: 'All right. Write again any time — goodbye!' }] };
  }
  // Anything else is a question for the assistant (or another request for a person).
  return selfService({ ...state, unhelpful: 0 }, text, u);
}

/**
 * The message waits in the team's queue; whoever picks it up answers in the chat, or writes to the
 * address the customer gave (Switchboard sends no e-mail itself: the agent does, from what the
 * transcript and the customer's details say). A Teams chat stays, so an answer there is read
 * whenever the customer comes back; a widget's chat shows it only while its window stays open (its
 * Direct Line token lives an hour), so the customer is told that, not "we'll reply here".
 */
function leaveMessage(
  state: DialogState,
  by: 'chat' | 'email',
  env: DialogEnv,
  saveEmail = false,
): DialogStep {
  const email = state.answers.email;
  const team = state.closed ? `our ${state.closed.queueName} team` : 'our team';
  const back = state.closed?.full
    ? 'someone will pick it up as soon as they are free'
    : state.closed?.when
      ? `they're back ${state.closed.when}`
      : 'they will pick it up as soon as they can';
  const lasting = env.style === 'text';
  const reply =
    by === 'email' && email
      ? ` and will e-mail you at ${email}. You can close this chat now.`
      : lasting
        ? ` and will reply here${email ? ` or by e-mail to ${email}` : ''}. You can close this chat now.`
        : email
          ? `. They'll answer in this chat if it's still open, or by e-mail to ${email}. You can close this chat now.`
          : ". Their answer comes to this chat, so you'll see it only while this window stays open.";
  const actions: DialogAction[] = [];
  if (saveEmail && email) actions.push({ type: 'savePreChat', answers: { email } });
  actions.push(
    { type: 'leaveMessage', by: by === 'email' && email ? 'email' : 'chat', email },
    {
      type: 'say',
      text: `Thanks — your message and everything you've told me are with ${team}: ${back}${reply}`,
    },
  );
  return { state: { ...state, phase: 'message-left' }, actions };
}

// --- queue, end, feedback -------------------------------------------------------------------------

function queueUpdate(
  status: { position: number; estimatedWaitSeconds: number | null },
  env: DialogEnv,
): DialogAction {
  if (env.style === 'events') return { type: 'event', name: 'queuePosition', value: status };
  const ahead =
    status.position <= 1 ? "You're next in line" : `You're number ${status.position} in the queue`;
  if (status.estimatedWaitSeconds === null) return { type: 'say', text: `${ahead}. ${NO_ONE_FREE}` };
  return { type: 'say', text: `${ahead}. Estimated wait: ${minutesText(status.estimatedWaitSeconds)}.` };
}

/** The queue's news while nobody who could take the chat is available (no estimate would be true). */
const NO_ONE_FREE =
  'No one on the team is free to take a chat right now: you keep your place, and the first person free will answer.';

/** The rating asked at the end is about whoever served the customer: the agent, or the assistant. */
function keptAfterEnd(state: DialogState): string {
  const who = state.agentServed && !state.botResolved ? (state.agentName ?? 'the agent') : 'the team';
  return `This chat has ended, so nobody is reading it now; your message was kept with it for ${who}.`;
}

function endAndAskForFeedback(env: DialogEnv, about: 'agent' | 'assistant'): DialogAction[] {
  if (env.style === 'events') {
    return [
      { type: 'event', name: 'conversationEnded' },
      { type: 'event', name: 'postChatSurvey', value: { ratingScale: 5, comment: true, about } },
    ];
  }
  const experience = about === 'agent' ? 'your experience' : 'your experience with our virtual assistant';
  return [
    {
      type: 'say',
      text: `This conversation has ended. How would you rate ${experience}, from 1 (poor) to 5 (excellent)?`,
      suggestions: RATINGS,
    },
  ];
}

function endWithoutRating(env: DialogEnv): DialogAction[] {
  if (env.style === 'events') return [{ type: 'event', name: 'conversationEnded' }];
  return [{ type: 'say', text: 'This conversation has ended. Write again any time.' }];
}

function thanksForFeedback(): DialogAction {
  return { type: 'say', text: 'Thank you for your feedback!' };
}
