import type { KnowledgeArticle } from '../domain/index.js';

type Visibility = Pick<KnowledgeArticle, 'published' | 'audience'>;

/** A draft is nobody's to read; an article written before these fields existed is published. */
export function isPublished(article: Visibility): boolean {
  return article.published !== false;
}

/** Only for agents: never shown by the bot or on the public page, nor sent to a customer. */
export function isAgentsOnly(article: Visibility): boolean {
  return article.audience === 'agents';
}

/** What the bot may answer with and the public `/kb/<id>` page may show. */
export function isForCustomers(article: Visibility): boolean {
  return isPublished(article) && !isAgentsOnly(article);
}

/** What agents find and open: every published article, whoever it is written for. */
export function isForAgents(article: Visibility): boolean {
  return isPublished(article);
}
