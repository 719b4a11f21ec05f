import type { SurveyQuestion } from '../../services/domain/index.js';
import { editDistance, matchChoice } from './choices.js';
import { emailIn } from './extract.js';

// Recognising what a customer typed. Deliberately small word lists: the NLP module handles the open
// questions; these are the few control words the flow depends on, matched as whole messages or
// phrases so "no internet" is never read as "No".

const normalize = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s'@.+-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const YES = new Set([
  'yes',
  'y',
  'yeah',
  'yep',
  'yes thanks',
  'yes thank you',
  'it did',
  'that helped',
  'thanks',
  'thank you',
  'great',
  'perfect',
  'ok',
  'okay',
  'right',
  'correct',
  'thats right',
  "that's right",
  'yes please',
  'si',
  'sip',
  'claro',
  'correcto',
  'exacto',
  'asi es',
  'si gracias',
  'gracias',
]);
const NO = new Set([
  'no',
  'n',
  'nope',
  'not really',
  'it did not',
  "it didn't",
  'that did not help',
  "that didn't help",
  'no it did not',
  'no it didn’t',
  'wrong',
  'incorrect',
  'no thats wrong',
  "no that's wrong",
  'no gracias',
  'incorrecto',
]);
const GOODBYE = new Set([
  'bye',
  'goodbye',
  'good bye',
  'bye bye',
  'no thanks',
  'no thank you',
  'nothing else',
  "that's all",
  'thats all',
  'that is all',
  'no',
  'nope',
  'all good',
  'done',
]);

const AGENT_PATTERN =
  /\b(agent|agents|human|humans|person|real person|representative|rep|operator|someone|somebody|live chat|customer service|talk to (a |an |)(person|human|agent|someone))\b/;
/** The same request in Spanish: "quiero hablar con una persona", "un agente por favor", "asesor". */
const AGENT_PATTERN_ES =
  /\b(agente|humano|persona|asesor|asesora|representante|operador|operadora|alguien|ejecutivo|atencion al cliente)\b/;
/** Typos of the words above that customers type in a hurry ("agnet", "humna", "represenative"). */
const AGENT_WORDS = ['agent', 'human', 'person', 'representative', 'operator', 'agente', 'humano', 'persona'];

export function isYes(text: string): boolean {
  return YES.has(normalize(text));
}

export function isNo(text: string): boolean {
  return NO.has(normalize(text));
}

export function isGoodbye(text: string): boolean {
  return GOODBYE.has(normalize(text));
}

export function isTranscriptRequest(text: string): boolean {
  const t = normalize(text);
  return (
    t === 'transcript' ||
    t === 'send transcript' ||
    t === 'send me the transcript' ||
    t === 'email transcript'
  );
}

/** Intent names the NLP module may use for "I want a person". */
const AGENT_INTENTS = new Set([
  'talk_to_agent',
  'agent',
  'human',
  'escalate',
  'speak_to_agent',
  'human_agent',
]);

export function asksForAgent(text: string, intent?: { name: string; unsure: boolean }): boolean {
  if (intent && !intent.unsure && AGENT_INTENTS.has(intent.name)) return true;
  const t = normalize(text);
  if (AGENT_PATTERN.test(t) || AGENT_PATTERN_ES.test(t)) return true;
  // Same length (a swapped or wrong letter), or a dropped letter in a long word; not "personal".
  return t
    .split(' ')
    .some(
      (w) =>
        w.length >= 5 &&
        AGENT_WORDS.some(
          (a) => a !== w && (a.length === w.length || a.length >= 8) && editDistance(w, a, 1) <= 1,
        ),
    );
}

/** The customer wants to leave out an optional question ("skip", "no", "nothing", "omitir"). */
export function isSkip(text: string): boolean {
  return SKIP.has(normalize(text));
}
const SKIP = new Set([
  'skip',
  'skip it',
  'skip this',
  'no',
  'nope',
  'none',
  'nothing',
  'no thanks',
  'n/a',
  'na',
  'pass',
  'omitir',
  'saltar',
  'nada',
  'ninguno',
]);

export type ClosedOption = 'message' | 'email' | 'assistant';

/** Which of the offered alternatives to an agent the customer chose, if any. */
export function closedOption(text: string): ClosedOption | null {
  const t = normalize(text);
  if (/\b(e[ -]?mail|correo)\b/.test(t)) return 'email';
  if (/\b(message|msg|note|mensaje|recado|leave)\b/.test(t)) return 'message';
  if (/\b(assistant|bot|myself|self|asistente|ask|question|pregunta)\b/.test(t)) return 'assistant';
  return null;
}

/**
 * When a team is back, in its own time zone: "today at 8:00 AM EST", "Monday at 8:00 AM EST".
 * "Today" and "tomorrow" are calendar days there, not 24-hour spans: a night a clock goes forward
 * or back is 23 or 25 hours long.
 */
export function whenText(opensAt: Date, now: Date, timeZone = 'UTC'): string {
  const time = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(opensAt);
  const days = calendarDaysBetween(now, opensAt, timeZone);
  if (days === 0) return `today at ${time}`;
  if (days === 1) return `tomorrow at ${time}`;
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long' }).format(opensAt);
  const date = new Intl.DateTimeFormat('en-US', { timeZone, month: 'long', day: 'numeric' }).format(opensAt);
  // A week or more ahead, the weekday alone would name the nearer one.
  return `${weekday}${days > 6 ? `, ${date},` : ''} at ${time}`;
}

/** How many midnights lie between two instants on the wall calendar of `timeZone`. */
function calendarDaysBetween(from: Date, to: Date, timeZone: string): number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  });
  const dayNumber = (d: Date) => {
    const parts = format.formatToParts(d);
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return Date.UTC(part('year'), part('month') - 1, part('day')) / 86_400_000;
  };
  return dayNumber(to) - dayNumber(from);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type AnswerCheck = { ok: true; value: string } | { ok: false; problem: string };

/** Validates one typed answer to a pre-chat question. */
export function checkAnswer(question: SurveyQuestion, raw: string): AnswerCheck {
  const text = raw.trim();
  const skipped = text === '' || normalize(text) === 'skip' || (!question.required && isSkip(text));
  if (skipped) {
    return question.required ? { ok: false, problem: 'This one is required.' } : { ok: true, value: '' };
  }
  if (text.length > 500) return { ok: false, problem: 'Please keep the answer under 500 characters.' };
  switch (question.kind) {
    case 'email': {
      const inText = EMAIL.test(text) ? text : emailIn(text);
      return inText
        ? { ok: true, value: inText }
        : { ok: false, problem: "That doesn't look like an e-mail address." };
    }
    case 'choice': {
      const choices = question.choices ?? [];
      const match = matchChoice(text, choices);
      return match?.sure
        ? { ok: true, value: match.choice }
        : { ok: false, problem: `Please pick one of: ${choices.join(', ')}.` };
    }
    default:
      return { ok: true, value: text };
  }
}

/** The 1–5 rating typed or clicked at the end ("5", "5 stars", "★★★★"). */
export function parseRating(text: string): number | null {
  const t = text.trim();
  const stars = [...t].filter((ch) => ch === '★' || ch === '⭐').length;
  if (stars >= 1 && stars <= 5) return stars;
  const m = /^([1-5])(\s*(stars?|\/\s*5))?$/i.exec(t);
  return m ? Number(m[1]) : null;
}

export function minutesText(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  return minutes === 1 ? 'about a minute' : `about ${minutes} minutes`;
}
