import type { Understanding } from '../customer-dialog/index.js';
import { makeExtract } from '../customer-dialog/index.js';

/** What the bot needs from the NLP and knowledge modules; the composition root adapts them. */
export interface SelfServicePort {
  /** Intent of a customer's question; `unsure` when the classifier would rather not guess. */
  classifyIntent?(
    text: string,
  ):
    | Promise<{ intent: string; confidence: number; unsure: boolean; articleId?: string }>
    | { intent: string; confidence: number; unsure: boolean; articleId?: string };
  /** Knowledge articles for a question, best first. */
  searchKnowledge(
    text: string,
    limit: number,
  ):
    | Promise<Array<{ id: string; title: string; body: string; score: number }>>
    | Array<{ id: string; title: string; body: string; score: number }>;
  /** An article by id, for intents that name their article. */
  article?(id: string): Promise<{ id: string; title: string; body: string } | null>;
}

/**
 * The intent and the best article for a message. An intent that is sure of itself and names an
 * article wins; otherwise the top search hit answers — unless the classifier was unsure, in which
 * case the dialog counts the message as not understood rather than guessing.
 */
export async function understand(
  port: SelfServicePort,
  text: string,
): Promise<Pick<Understanding, 'intent' | 'answer'>> {
  const classified = port.classifyIntent ? await port.classifyIntent(text) : undefined;
  const intent = classified
    ? { name: classified.intent, confidence: classified.confidence, unsure: classified.unsure }
    : undefined;
  if (intent?.unsure) return { intent };

  let article: { id: string; title: string; body: string } | null = null;
  if (classified?.articleId && port.article) article = await port.article(classified.articleId);
  if (!article) {
    const [top] = await port.searchKnowledge(text, 3);
    article = top ?? null;
  }
  if (!article) return { intent };
  return {
    intent,
    answer: { articleId: article.id, title: article.title, extract: makeExtract(article.body) },
  };
}
