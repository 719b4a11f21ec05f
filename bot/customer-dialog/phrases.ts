import type { SurveyQuestion } from '../../services/domain/index.js';

// Recognising what a customer typed. Deliberately small word lists: the NLP module handles the open
// questions; these are the few control words the flow depends on, matched as whole messages or
// phrases so "no internet" is never read as "No".

const normalize = (text: string) =>
  text
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
  /\b(agent|human|person|real person|representative|rep|operator|someone|somebody|live chat|customer service|talk to (a |an |)(person|human|agent|someone))\b/;

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
  return AGENT_PATTERN.test(normalize(text));
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type AnswerCheck = { ok: true; value: string } | { ok: false; problem: string };

/** Validates one typed answer to a pre-chat question. */
export function checkAnswer(question: SurveyQuestion, raw: string): AnswerCheck {
  const text = raw.trim();
  const skipped = text === '' || normalize(text) === 'skip';
  if (skipped) {
    return question.required ? { ok: false, problem: 'This one is required.' } : { ok: true, value: '' };
  }
  if (text.length > 500) return { ok: false, problem: 'Please keep the answer under 500 characters.' };
  switch (question.kind) {
    case 'email':
      return EMAIL.test(text)
        ? { ok: true, value: text }
        : { ok: false, problem: "That doesn't look like an e-mail address." };
    case 'choice': {
      const choices = question.choices ?? [];
      const byNumber = /^\d+$/.test(text) ? choices[Number(text) - 1] : undefined;
      const byName = choices.find((c) => c.toLowerCase() === text.toLowerCase());
      const match = byName ?? byNumber;
      return match
        ? { ok: true, value: match }
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
