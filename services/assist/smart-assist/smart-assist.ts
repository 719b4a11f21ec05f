import type { Author, Visibility } from '../../domain/index.js';
import { matchedPhrases, type KnowledgeIndex } from '../../knowledge/index.js';
import { assistQuery, LATEST_MESSAGE_BOOST, type AssistQuery } from './assist-query.js';
import { createCaseIndex, type CaseIndex, type IndexableCase } from './case-index.js';

export interface AssistMessage {
  author: Author;
  text: string;
  visibility?: Visibility;
}

export interface ArticleSuggestion {
  id: string;
  title: string;
  product: string;
  score: number;
  snippet: string;
  /** e.g. "matched: router, blinking red". */
  reason: string;
}

export interface CaseSuggestion {
  id: string;
  number: string;
  title: string;
  status: IndexableCase['status'];
  score: number;
  reason: string;
}

export interface AssistSuggestions {
  /** The query the suggestions were computed for (empty before the customer said anything useful). */
  query: string;
  articles: ArticleSuggestion[];
  cases: CaseSuggestion[];
}

export interface AssistSession {
  /**
   * Feeds one message of the conversation. Returns fresh suggestions when it changed what the
   * customer has said, `undefined` when the current ones still hold (agent and internal messages,
   * or a customer message with no new content word), so the caller pushes updates only then.
   */
  add(message: AssistMessage): AssistSuggestions | undefined;
  readonly current: AssistSuggestions;
}

export interface SmartAssist {
  /** Suggestions for a whole conversation at once (stateless). */
  suggest(messages: readonly AssistMessage[]): AssistSuggestions;
  /**
   * As `suggest`, with only the cases `mayOpen` says the agent may open (of the ids it is given):
   * a suggestion names a case's number, title and status, which are no less the customer's record
   * than the case itself. The best `caseLimit` of those are kept.
   */
  suggestOpenable(
    messages: readonly AssistMessage[],
    mayOpen: (caseIds: readonly string[]) => Promise<ReadonlySet<string>>,
  ): Promise<AssistSuggestions>;
  /** Incremental suggestions for one running conversation. */
  startSession(history?: readonly AssistMessage[]): AssistSession;
  upsertCase(c: IndexableCase): void;
  removeCase(id: string): boolean;
}

export interface SmartAssistOptions {
  knowledge: KnowledgeIndex;
  cases?: Iterable<IndexableCase>;
  /** Default 3 each. */
  articleLimit?: number;
  caseLimit?: number;
}

const EMPTY: AssistSuggestions = { query: '', articles: [], cases: [] };

function isCustomerSaying(m: AssistMessage): boolean {
  return m.author === 'customer' && m.visibility !== 'internal' && m.text.trim() !== '';
}

/**
 * An article scoring under this share of the best one is left out. Beside a strong match the
 * weak ones matched a word in passing ("days", "pay", "down" of "downgrade"): on the knowledge
 * evaluation's 85 questions, a quarter of the top score keeps the right article every time and
 * shows 1.4 articles on average instead of 4.6.
 */
export const RELATIVE_SCORE_FLOOR = 0.25;

function strongest<T extends { score: number }>(hits: T[]): T[] {
  const top = hits[0]?.score ?? 0;
  return hits.filter((h) => h.score >= top * RELATIVE_SCORE_FLOOR);
}

/**
 * Cases sought per one suggested when some may not be the agent's to open: enough that another
 * queue's cases do not crowd out every one of theirs, few enough to check each.
 */
const OPENABLE_CANDIDATES = 4;

function reasonFor(source: readonly string[], matchedTerms: readonly string[]): string {
  return `matched: ${matchedPhrases(source, matchedTerms).join(', ')}`;
}

export function createSmartAssist(options: SmartAssistOptions): SmartAssist {
  const { knowledge } = options;
  const cases: CaseIndex = createCaseIndex(options.cases ?? []);
  const articleLimit = options.articleLimit ?? 3;
  const caseLimit = options.caseLimit ?? 3;

  const compute = (q: AssistQuery, casesSought = caseLimit): AssistSuggestions => {
    if (q.text === '') return EMPTY;
    const boostTerm = (term: string): number => (q.latestTerms.has(term) ? LATEST_MESSAGE_BOOST : 1);
    return {
      query: q.text,
      articles: strongest(knowledge.search(q.text, { limit: articleLimit, boostTerm })).map((h) => ({
        id: h.id,
        title: h.title,
        product: h.product,
        score: h.score,
        snippet: h.snippet,
        reason: reasonFor(q.source, h.matchedTerms),
      })),
      // Not for cases: their scores jump with a matched phrase ("blinking red"), so a case that
      // shares the topic but not the phrase ("No internet after storm") would fall under the floor.
      cases: cases.search(q.text, { limit: casesSought, boostTerm }).map((h) => ({
        id: h.id,
        number: h.number,
        title: h.title,
        status: h.status,
        score: h.score,
        reason: reasonFor(q.source, h.matchedTerms),
      })),
    };
  };

  const customerTexts = (messages: readonly AssistMessage[]): string[] =>
    messages.filter(isCustomerSaying).map((m) => m.text);

  return {
    suggest: (messages) => compute(assistQuery(customerTexts(messages))),
    async suggestOpenable(messages, mayOpen) {
      const found = compute(assistQuery(customerTexts(messages)), caseLimit * OPENABLE_CANDIDATES);
      if (found.cases.length === 0) return found;
      const openable = await mayOpen(found.cases.map((c) => c.id));
      return { ...found, cases: found.cases.filter((c) => openable.has(c.id)).slice(0, caseLimit) };
    },
    startSession(history = []) {
      const texts = customerTexts(history);
      let current = compute(assistQuery(texts));
      return {
        get current() {
          return current;
        },
        add(message) {
          if (!isCustomerSaying(message)) return undefined;
          texts.push(message.text);
          const q = assistQuery(texts);
          // Same words, same order: the search would return the same answer.
          if (q.text === current.query) return undefined;
          current = compute(q);
          return current;
        },
      };
    },
    upsertCase: (c) => cases.upsert(c),
    removeCase: (id) => cases.remove(id),
  };
}
