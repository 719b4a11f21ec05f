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

/** The article a `topic:<id>` guess names; nothing for any other guess. */
function topicOf(guess: string | undefined): string | undefined {
  return guess?.startsWith(TOPIC_GUESS) ? guess.slice(TOPIC_GUESS.length) : undefined;
}

/**
 * The intent and the best article for a message. An intent that is sure of itself and names an
 * article wins; otherwise the top search hit answers — unless the classifier was unsure, in which
 * case the dialog counts the message as not understood rather than guessing.
 */
export async function understand(
  port: SelfServicePort,
  text: string,
): Promise<Pick<Understanding, 'intent' | 'answer' | 'topic'>> {
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
  if (intent?.unsure) return { intent, topic };
  // Small talk ("hello", "thanks", "I want an agent") is answered by the dialog, not by an article.
  if (intent && !TOPIC_INTENTS.has(intent.name) && !classified?.articleId) return { intent, topic };

  let article: { id: string; title: string; body: string } | null = null;
  if (classified?.articleId && port.article) article = await port.article(classified.articleId);
  if (!article) {
    const [top] = await port.searchKnowledge(text, 3);
    article = top ?? null;
  }
  if (!article) return { intent, topic };
  return {
    intent,
    topic,
    answer: {
      articleId: article.id,
      title: article.title,
      extract: makeExtract(article.body, { query: text }),
      ...(port.linkOf ? { url: port.linkOf(article.id) } : {}),
    },
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
