import type { Understanding } from '../customer-dialog/index.js';
import { makeExtract } from '../customer-dialog/index.js';

export interface IntentGuess {
  intent: string;
  confidence: number;
  unsure: boolean;
  articleId?: string;
  /** The best class even when unsure, e.g. `topic:kb_slow_wifi`. */
  bestGuess?: string;
}

/** What the bot needs from the NLP and knowledge modules; the composition root adapts them. */
export interface SelfServicePort {
  /** Intent of a customer's question; `unsure` when the classifier would rather not guess. */
  classifyIntent?(text: string): Promise<IntentGuess> | IntentGuess;
  /** Knowledge articles for a question, best first. */
  searchKnowledge(
    text: string,
    limit: number,
  ):
    | Promise<Array<{ id: string; title: string; body: string; score: number }>>
    | Array<{ id: string; title: string; body: string; score: number }>;
  /** An article by id, for intents that name their article. */
  article?(id: string): Promise<{ id: string; title: string; body: string; product?: string } | null>;
  /** Where the customer reads the whole article (the public knowledge page). */
  linkOf?(articleId: string): string;
}

/** Intent names that mean "a question about a topic" (the classifier's KB classes). */
const TOPIC_INTENTS = new Set(['topic', 'question']);

const TOPIC_GUESS = 'topic:';

/**
 * A search hit this many times as strong as the classifier's article (or stronger, when search does
 * not find that article at all) is the better answer: the classifier learns from titles and keywords
 * only, so "set up my voicemail" leans to "Set up your … email" while search reads the bodies too.
 */
export const CLEARLY_STRONGER = 2;
/**
 * A question this short ("router", "wifi password") gives the classifier too little to be sure of,
 * but a search hit this strong answers it. On the demo base "router" and "modem" score about 15,
 * while a stray word that only brushes a body ("internet", "phone", "blue") scores under 10.
 */
export const SHORT_QUESTION_WORDS = 2;
export const GOOD_HIT_SCORE = 12;
/** Articles searched for: the best, then the next ones, offered when the customer says one did not help. */
const CANDIDATES = 3;

type Found = { id: string; title: string; body: string; score?: number };

/** The article a `topic:<id>` guess names; nothing for any other guess. */
function topicOf(guess: string | undefined): string | undefined {
  return guess?.startsWith(TOPIC_GUESS) ? guess.slice(TOPIC_GUESS.length) : undefined;
}

function wordCount(text: string): number {
  return text.split(/[^\p{L}\p{N}]+/u).filter(Boolean).length;
}

/**
 * The intent and the best articles for a message. A topic the classifier is sure of answers with its
 * article unless search ranks another clearly higher; a question it is unsure of is answered only
 * when it is short and search has a strong hit — otherwise the dialog counts it as not understood
 * rather than guessing. Small talk gets no article.
 */
export async function understand(
  port: SelfServicePort,
  text: string,
): Promise<Pick<Understanding, 'intent' | 'answer' | 'alternatives' | 'topic'>> {
  const classified = port.classifyIntent ? await port.classifyIntent(text) : undefined;
  const intent = classified
    ? { name: classified.intent, confidence: classified.confidence, unsure: classified.unsure }
    : undefined;
  // What the message is about, even below the answering threshold: a hint for survey choices. Only
  // a topic names an article; a small-talk guess ("greeting", "thanks") is no article id.
  const guessed = classified?.articleId ?? topicOf(classified?.bestGuess);
  const hinted = guessed && port.article ? await port.article(guessed) : null;
  const topic = hinted
    ? { words: `${hinted.product ?? ''} ${hinted.title}`.trim(), confidence: classified?.confidence ?? 0 }
    : undefined;
  if (intent?.unsure && wordCount(text) > SHORT_QUESTION_WORDS) return { intent, topic };
  // Small talk ("hello", "thanks", "I want an agent") is answered by the dialog, not by an article.
  if (intent && !intent.unsure && !TOPIC_INTENTS.has(intent.name) && !classified?.articleId)
    return { intent, topic };

  const hits = await port.searchKnowledge(text, CANDIDATES);
  let ranked: Found[];
  if (intent?.unsure) {
    ranked = (hits[0]?.score ?? 0) >= GOOD_HIT_SCORE ? hits : [];
  } else {
    const named = classified?.articleId && port.article ? await port.article(classified.articleId) : null;
    ranked = named ? preferClearlyStronger(named, hits) : hits;
  }
  const [best, ...rest] = ranked.map((a) => answerOf(port, a, text));
  if (!best) return { intent, topic };
  return { intent, topic, answer: best, ...(rest.length ? { alternatives: rest } : {}) };
}

/** The classifier's article first, unless search's top hit is clearly stronger; the other hits after. */
function preferClearlyStronger(named: Found, hits: Found[]): Found[] {
  const [top] = hits;
  const namedScore = hits.find((h) => h.id === named.id)?.score ?? 0;
  const first = top && top.id !== named.id && (top.score ?? 0) >= CLEARLY_STRONGER * namedScore ? top : named;
  const others = [named, ...hits].filter((a) => a.id !== first.id);
  return [first, ...others.filter((a, i) => others.findIndex((b) => b.id === a.id) === i)];
}

function answerOf(port: SelfServicePort, article: Found, text: string): NonNullable<Understanding['answer']> {
  return {
    articleId: article.id,
    title: article.title,
    extract: makeExtract(article.body, { query: text }),
    ...(port.linkOf ? { url: port.linkOf(article.id) } : {}),
  };
}

/**
 * Adapts the NLP module (an intent classifier trained on the knowledge base) and the knowledge index
 * to the port. Structural types keep the bot free of the modules' internals.
 */
export function selfServiceFrom(parts: {
  classifier?: {
    classify(text: string): { intent: string; confidence: number; articleId?: string; bestGuess?: string };
  };
  index: {
    search(query: string, options?: { limit?: number }): Array<{ id: string; title: string; score: number }>;
  };
  articles: {
    get(id: string): Promise<{ id: string; title: string; body: string; product?: string } | null>;
  };
  linkOf?: (articleId: string) => string;
}): SelfServicePort {
  const { classifier, index, articles, linkOf } = parts;
  return {
    classifyIntent: classifier
      ? (text) => {
          const r = classifier.classify(text);
          return {
            intent: r.intent,
            confidence: r.confidence,
            unsure: r.intent === 'unsure',
            articleId: r.articleId,
            bestGuess: r.bestGuess,
          };
        }
      : undefined,
    async searchKnowledge(text, limit) {
      const hits = index.search(text, { limit });
      const out: Array<{ id: string; title: string; body: string; score: number }> = [];
      for (const hit of hits) {
        const article = await articles.get(hit.id);
        if (article) out.push({ ...article, score: hit.score });
      }
      return out;
    },
    article: (id) => articles.get(id),
    ...(linkOf ? { linkOf } : {}),
  };
}
