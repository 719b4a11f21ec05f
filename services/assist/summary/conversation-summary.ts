import type { Author } from '../../domain/index.js';
import { indexTerm, tokenizeForSearch } from '../../knowledge/index.js';
import { scoreSentiment } from '../sentiment/scorer.js';
import { hasCue, PROBLEM_CUES, RESOLVED_CUES, TRIED_CUES, UNRESOLVED_CUES } from './cues.js';
import { sentencesOf, type Sentence } from './sentences.js';

export interface SummaryMessage {
  author: Author;
  text: string;
  visibility?: 'public' | 'internal';
}

export interface ConversationSummary {
  /** The customer's sentences that state the problem. */
  issue: string[];
  /** What was tried or done: troubleshooting steps, adjustments. */
  tried: string[];
  /** How it ended, or where it stands. */
  outcome: string[];
  /** The three parts as one paragraph for the Copilot pane and case descriptions. */
  text: string;
}

const MAX_ISSUE = 2;
const MAX_TRIED = 2;
const MAX_OUTCOME = 2;

function contentStems(text: string): string[] {
  const stems: string[] = [];
  for (const t of tokenizeForSearch(text)) {
    const terms = indexTerm(t);
    if (terms !== null) stems.push(terms[0] as string);
  }
  return stems;
}

/**
 * Highest score first, ties to the earlier sentence; returned in conversation order. A runner-up
 * must score at least `RUNNER_UP` of the best, so a summary does not pad itself with weak sentences.
 */
function pick(scored: Array<{ s: Sentence; score: number }>, max: number): Sentence[] {
  const ranked = scored
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.s.position - b.s.position);
  const best = ranked[0]?.score ?? 0;
  return ranked
    .filter((x) => x.score >= best * RUNNER_UP)
    .slice(0, max)
    .map((x) => x.s)
    .sort((a, b) => a.position - b.position);
}

const RUNNER_UP = 0.6;

function join(parts: readonly string[]): string {
  return parts.map((p) => (/[.!?]$/u.test(p) ? p : `${p}.`)).join(' ');
}

/**
 * An extractive summary: picks, rather than writes, the sentences that carry the issue, what was
 * tried and the outcome, so nothing in it was not said. Word cues find the parts; the words the
 * customer repeats (the topic) and, for the issue, negative sentiment break ties.
 */
export function summarizeConversation(messages: readonly SummaryMessage[]): ConversationSummary {
  const sentences = sentencesOf(messages);
  const customerStemCounts = new Map<string, number>();
  for (const s of sentences) {
    if (s.author !== 'customer') continue;
    for (const stem of new Set(contentStems(s.text)))
      customerStemCounts.set(stem, (customerStemCounts.get(stem) ?? 0) + 1);
  }
  const topicality = (s: Sentence): number => {
    const stems = contentStems(s.text);
    let t = 0;
    for (const stem of stems) t += (customerStemCounts.get(stem) ?? 0) > 1 ? 0.5 : 0.1;
    return stems.length === 0 ? 0 : t;
  };
  const lastMessage = sentences.length ? (sentences[sentences.length - 1] as Sentence).message : 0;

  const issue = pick(
    sentences
      // A sentence about a step taken ("I restarted it but …") belongs to what was tried.
      .filter(
        (s) =>
          s.author === 'customer' &&
          contentStems(s.text).length >= 2 &&
          hasCue(s.text.toLowerCase(), TRIED_CUES) === 0,
      )
      .map((s) => {
        const lower = s.text.toLowerCase();
        const problem = hasCue(lower, PROBLEM_CUES);
        const negativity = Math.max(0, -scoreSentiment(s.text).score);
        const earliness = 1 / (1 + s.message);
        const score =
          problem > 0 || negativity > 0 ? 2 * problem + negativity + topicality(s) + earliness : 0;
        return { s, score };
      }),
    MAX_ISSUE,
  );
  const taken = new Set(issue);

  const tried = pick(
    sentences
      .filter((s) => !taken.has(s) && s.author !== 'bot')
      .map((s) => {
        const cues = hasCue(s.text.toLowerCase(), TRIED_CUES);
        return { s, score: cues > 0 ? cues + topicality(s) : 0 };
      }),
    MAX_TRIED,
  );
  for (const s of tried) taken.add(s);

  const outcome = pick(
    sentences
      // A bare "thanks!" is manners, not an outcome: it says nothing of how things stand. Nor is the
      // bot's greeting ("Thanks, Kay! How can I help?"): how things stand is the customer's and agent's.
      .filter(
        (s) =>
          !taken.has(s) &&
          s.author !== 'bot' &&
          s.message >= lastMessage - 3 &&
          contentStems(s.text).length > 0,
      )
      .map((s) => {
        const lower = s.text.toLowerCase();
        const cues = hasCue(lower, RESOLVED_CUES) + 1.5 * hasCue(lower, UNRESOLVED_CUES);
        return { s, score: cues > 0 ? cues + s.message / (lastMessage + 1) : 0 };
      }),
    MAX_OUTCOME,
  );

  const parts = {
    issue: issue.map((s) => s.text),
    tried: tried.map((s) => s.text),
    outcome: outcome.map((s) => s.text),
  };
  const text = [
    parts.issue.length ? `Issue: ${join(parts.issue)}` : '',
    parts.tried.length ? `Tried: ${join(parts.tried)}` : '',
    `Outcome: ${parts.outcome.length ? join(parts.outcome) : 'open.'}`,
  ]
    .filter((p) => p !== '')
    .join(' ');
  return { ...parts, text };
}
