import {
  createKnowledgeIndex,
  followArticles,
  isAgentsOnly,
  isForAgents,
  isForCustomers,
  knowledgePageUrl,
  type KnowledgeIndex,
} from '../knowledge/index.js';
import { NotFoundError, ValidationError, type KnowledgeArticle, type Message } from '../domain/index.js';
import type { Actor, WorkspacePorts } from './ports.js';
import type { WorkspaceAccess } from './workspace-access.js';

export interface KnowledgeResult {
  id: string;
  title: string;
  product: string;
  snippet: string;
  score: number;
  url: string;
  /** Written for agents: not for the customer's eyes, and not to be sent to them. */
  agentsOnly: boolean;
}

export const SEARCH_LIMIT = 10;

/** The agents' search: every published article, and which of them are for agents only. */
interface AgentKnowledge {
  index: KnowledgeIndex;
  agentsOnly: ReadonlySet<string>;
}

/**
 * Knowledge search for agents, and sending an article to the customer. The index follows the
 * knowledge base: rebuilt as soon as an article is written here, and when a check of the store
 * (at most every `maxAgeMs` while agents search) finds another instance changed one.
 */
export function createKnowledge(
  { repos, conversations, publicUrl, deps }: WorkspacePorts,
  access: WorkspaceAccess,
  options: { maxAgeMs?: number } = {},
) {
  const followed = followArticles<AgentKnowledge>(
    repos.knowledgeArticles,
    (all) => {
      const articles = all.filter(isForAgents);
      return {
        index: createKnowledgeIndex(articles),
        agentsOnly: new Set(articles.filter(isAgentsOnly).map((a) => a.id)),
      };
    },
    { checkEveryMs: options.maxAgeMs ?? 30_000, now: () => deps.now().getTime() },
  );

  // Smart assist keeps the index it was given: this one always searches the newest build.
  const liveIndex: KnowledgeIndex = {
    search: (query, opts) => followed.latest().index.search(query, opts),
    upsert: (article) => followed.latest().index.upsert(article),
    remove: (id) => followed.latest().index.remove(id),
    get: (id) => followed.latest().index.get(id),
    get size() {
      return followed.latest().index.size;
    },
  };

  async function index(): Promise<KnowledgeIndex> {
    await followed.current();
    return liveIndex;
  }

  /** Where a customer reads the article (the public knowledge page). */
  function urlOf(articleId: string): string {
    return knowledgePageUrl(publicUrl, articleId);
  }

  /** A published article, or words an agent can act on for one that went or is a draft. */
  async function readable(articleId: string): Promise<KnowledgeArticle> {
    const article = await repos.knowledgeArticles.get(articleId);
    if (!article || !isForAgents(article)) {
      throw new NotFoundError(
        'knowledge_article.not_found',
        'This article was deleted or unpublished. Search the knowledge base again for the current one.',
      );
    }
    return article;
  }

  return {
    index,
    urlOf,
    /** Whether the article is written for agents only (as of the newest build). */
    agentsOnly: (articleId: string) => followed.latest().agentsOnly.has(articleId),

    async search(query: string, limit = SEARCH_LIMIT): Promise<KnowledgeResult[]> {
      const { index: current, agentsOnly } = await followed.current();
      return current.search(query, { limit }).map((h) => ({
        id: h.id,
        title: h.title,
        product: h.product,
        snippet: h.snippet,
        score: h.score,
        url: urlOf(h.id),
        agentsOnly: agentsOnly.has(h.id),
      }));
    },

    async get(articleId: string): Promise<KnowledgeArticle & { url: string; agentsOnly: boolean }> {
      const article = await readable(articleId);
      return { ...article, url: urlOf(article.id), agentsOnly: !isForCustomers(article) };
    },

    /**
     * Sends the article's link to the customer as the agent's public message, through the
     * conversation service, so it reaches the customer's channel like any reply.
     */
    async send(actor: Actor, conversationId: string, articleId: string): Promise<Message> {
      await access.conversation(actor, conversationId, 'write-public', 'send articles to the customer of');
      const article = await readable(articleId);
      // Its link would open a page the customer is not shown.
      if (!isForCustomers(article)) {
        throw new ValidationError(
          'knowledge_article.agents_only',
          'This article is for agents only and cannot be sent to the customer.',
        );
      }
      const text = `Here is an article that should help: ${article.title}\n${urlOf(article.id)}`;
      return conversations.postAgentMessage(conversationId, actor.agentId, text, 'public');
    },
  };
}

export type KnowledgeService = ReturnType<typeof createKnowledge>;
