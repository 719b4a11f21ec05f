import {
  conversationSentiment,
  createSmartAssist,
  summarizeConversation,
  sentimentTrend,
  type SmartAssist,
} from '../assist/index.js';
import type { Customer, Message, SentimentLevel } from '../domain/index.js';
import type { KnowledgeService } from './knowledge.js';
import type { Actor, WorkspacePorts } from './ports.js';
import type { WorkspaceAccess } from './workspace-access.js';

export interface AssistItem {
  kind: 'article' | 'case';
  id: string;
  title: string;
  score: number;
  /** Why it is suggested: the customer's words it matched. */
  reason: string;
  /** Articles: a passage to read; cases: the case number and status. */
  snippet?: string;
  url?: string;
  number?: string;
  status?: string;
  /** Articles: written for agents only, not to be sent to the customer. */
  agentsOnly?: boolean;
}

export interface ConversationSummaryView {
  customer: Pick<Customer, 'id' | 'name'> & Partial<Pick<Customer, 'email' | 'accountName'>>;
  conversation: {
    text: string;
    highlights: Array<{ kind: 'issue' | 'tried' | 'outcome'; text: string }>;
  };
  sentiment: { level: SentimentLevel; score: number; trend: 'improving' | 'worsening' | 'steady' } | null;
}

/** How many of a conversation's newest messages feed suggestions and summaries. */
const RECENT_MESSAGES = 200;
const CASE_INDEX_SIZE = 1000;

/**
 * Smart assist (articles and similar cases, with why) and the conversation summary for agents.
 * The case index is rebuilt from the store when older than `maxAgeMs`, so cases opened on another
 * instance are suggested too.
 */
export function createAssist(
  { repos }: WorkspacePorts,
  access: WorkspaceAccess,
  knowledge: KnowledgeService,
  options: { maxAgeMs?: number; now?: () => number } = {},
) {
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  let built: { assist: SmartAssist; at: number } | undefined;

  async function assist(): Promise<SmartAssist> {
    if (built && now() - built.at < maxAgeMs) return built.assist;
    const [index, cases] = await Promise.all([
      knowledge.index(),
      repos.cases.list({ limit: CASE_INDEX_SIZE }),
    ]);
    built = {
      assist: createSmartAssist({ knowledge: index, cases, articleLimit: 5, caseLimit: 5 }),
      at: now(),
    };
    return built.assist;
  }

  async function recent(conversationId: string): Promise<Message[]> {
    return repos.messages.latest(conversationId, RECENT_MESSAGES);
  }

  return {
    /** Forget the case index (a case was just opened or changed here). */
    invalidate(): void {
      built = undefined;
    },

    async suggestions(actor: Actor, conversationId: string): Promise<{ query: string; items: AssistItem[] }> {
      const { conversation, viewer } = await access.conversation(
        actor,
        conversationId,
        'read',
        'get suggestions for',
      );
      // A suggested case shows its number, title and status: only cases the agent may open.
      const s = await (
        await assist()
      ).suggestOpenable(await recent(conversationId), (ids) => access.openableCases(viewer, ids));
      const items: AssistItem[] = [
        ...s.articles.map((a) => ({
          kind: 'article' as const,
          id: a.id,
          title: a.title,
          score: a.score,
          reason: a.reason,
          snippet: a.snippet,
          url: knowledge.urlOf(a.id),
          agentsOnly: knowledge.agentsOnly(a.id),
        })),
        // The conversation's own case is not "similar": it is the one being worked.
        ...s.cases
          .filter((k) => k.id !== conversation.caseId)
          .map((k) => ({
            kind: 'case' as const,
            id: k.id,
            title: k.title,
            score: k.score,
            reason: k.reason,
            number: k.number,
            status: k.status,
          })),
      ];
      return { query: s.query, items };
    },

    async summary(actor: Actor, conversationId: string): Promise<ConversationSummaryView> {
      const { conversation } = await access.conversation(actor, conversationId, 'read', 'summarize');
      const [messages, customer] = await Promise.all([
        recent(conversationId),
        repos.customers.get(conversation.customerId),
      ]);
      const s = summarizeConversation(messages);
      const readings = messages.flatMap((m) => (m.author === 'customer' && m.sentiment ? [m.sentiment] : []));
      const current = conversation.sentiment;
      return {
        customer: {
          id: conversation.customerId,
          name: customer?.name ?? conversation.customerId,
          ...(customer?.email ? { email: customer.email } : {}),
          ...(customer?.accountName ? { accountName: customer.accountName } : {}),
        },
        conversation: {
          text: s.text,
          highlights: [
            ...s.issue.map((text) => ({ kind: 'issue' as const, text })),
            ...s.tried.map((text) => ({ kind: 'tried' as const, text })),
            ...s.outcome.map((text) => ({ kind: 'outcome' as const, text })),
          ],
        },
        sentiment: current
          ? {
              level: current.level,
              score: current.score,
              // The rolling reading before the newest customer message against the one now.
              trend: sentimentTrend(conversationSentiment(readings.slice(0, -1)), current),
            }
          : null,
      };
    },
  };
}

export type AssistService = ReturnType<typeof createAssist>;
