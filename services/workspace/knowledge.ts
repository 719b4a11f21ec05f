import { createKnowledgeIndex, knowledgePageUrl, type KnowledgeIndex } from '../knowledge/index.js';
import type { KnowledgeArticle, Message } from '../domain/index.js';
import type { Actor, WorkspacePorts } from './ports.js';
import type { WorkspaceAccess } from './workspace-access.js';

export interface KnowledgeResult {
  id: string;
  title: string;
  product: string;
  snippet: string;
  score: number;
  url: string;
}

export const SEARCH_LIMIT = 10;

/**
 * Knowledge search for agents, and sending an article to the customer. The index is built from the
 * store on first use and rebuilt when it is older than `maxAgeMs`, so articles edited through
 * another instance show up without a restart (the knowledge base is small: hundreds of articles).
 */
export function createKnowledge(
  { repos, conversations, publicUrl }: WorkspacePorts,
  access: WorkspaceAccess,
  options: { maxAgeMs?: number; now?: () => number } = {},
) {
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  let built: { index: KnowledgeIndex; at: number } | undefined;
  let building: Promise<KnowledgeIndex> | undefined;

  async function index(): Promise<KnowledgeIndex> {
    if (built && now() - built.at < maxAgeMs) return built.index;
    building ??= repos.knowledgeArticles
      .all()
      .then((articles) => {
        built = { index: createKnowledgeIndex(articles), at: now() };
        return built.index;
      })
      .finally(() => {
        building = undefined;
      });
    return building;
  }

  /** Where a customer reads the article (the public knowledge page). */
  function urlOf(articleId: string): string {
    return knowledgePageUrl(publicUrl, articleId);
  }

  return {
    index,
    urlOf,

    async search(query: string, limit = SEARCH_LIMIT): Promise<KnowledgeResult[]> {
      const hits = (await index()).search(query, { limit });
      return hits.map((h) => ({
        id: h.id,
        title: h.title,
        product: h.product,
        snippet: h.snippet,
        score: h.score,
        url: urlOf(h.id),
      }));
    },

    async get(articleId: string): Promise<KnowledgeArticle & { url: string }> {
      const article = await repos.knowledgeArticles.require(articleId);
      return { ...article, url: urlOf(article.id) };
    },

    /**
     * Sends the article's link to the customer as the agent's public message, through the
     * conversation service, so it reaches the customer's channel like any reply.
     */
    async send(actor: Actor, conversationId: string, articleId: string): Promise<Message> {
      await access.conversation(actor, conversationId, 'write-public', 'send articles to the customer of');
      const article = await repos.knowledgeArticles.require(articleId);
      const text = `Here is an article that should help: ${article.title}\n${urlOf(article.id)}`;
      return conversations.postAgentMessage(conversationId, actor.agentId, text, 'public');
    },
  };
}

export type KnowledgeService = ReturnType<typeof createKnowledge>;
