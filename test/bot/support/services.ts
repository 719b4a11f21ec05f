import { selfServiceFrom, type SelfServicePort } from '../../../bot/customer-bot/index.js';
import { trainIntentClassifier } from '../../../services/assist/intents/intent-classifier.js';
import { scoreSentiment } from '../../../services/assist/sentiment/scorer.js';
import {
  conversationPortsFromRepositories,
  createConversationService,
  type ConversationService,
} from '../../../services/conversations/index.js';
import { knowledgeArticles, seedDemoData } from '../../../services/demo/index.js';
import type { Deps, KnowledgeArticle, StoredEvent, SurveyQuestion } from '../../../services/domain/index.js';
import { EventBus } from '../../../services/events/index.js';
import { createKnowledgeIndex, knowledgePageUrl } from '../../../services/knowledge/index.js';
import { createRouter, type Router } from '../../../services/routing/index.js';
import { createRepositories, type DocumentStore, type Repositories } from '../../../services/store/index.js';
import { seedBotFixtures } from './fixtures.js';

export interface BotServices {
  repos: Repositories;
  bus: EventBus;
  router: Router;
  conversations: ConversationService;
  selfService: SelfServicePort;
  /** Every event published, in order. */
  events: StoredEvent[];
}

/** The real services the bot runs against: repositories, event bus, router, NLP and knowledge search. */
export async function buildBotServices(
  store: DocumentStore,
  deps: Deps,
  opts: {
    seed?: boolean;
    survey?: SurveyQuestion[];
    demo?: boolean;
    /** Articles beside the stored (or demo) ones, as the bot knows them from the start. */
    articles?: Array<Omit<KnowledgeArticle, 'createdAt' | 'updatedAt'>>;
  } = {},
): Promise<BotServices> {
  const repos = await createRepositories(store, deps);
  const bus = new EventBus(repos.events, deps.now);
  const events: StoredEvent[] = [];
  bus.subscribe((e) => events.push(e));
  // Seeded before the router starts: it loads queues and work streams once at start.
  if (opts.demo) await seedDemoData(repos, deps);
  else if (opts.seed !== false) await seedBotFixtures(repos, opts.survey);
  const router = createRouter({ repos, bus, deps, sweepIntervalMs: 0 });
  await router.start();
  const conversations = createConversationService(
    conversationPortsFromRepositories(repos, { router, sentiment: scoreSentiment, bus }),
    deps,
  );
  const stored = await repos.knowledgeArticles.all();
  const kb = [...(stored.length > 0 ? stored : knowledgeArticles), ...(opts.articles ?? [])];
  const byId = new Map(kb.map((a) => [a.id, a]));
  const selfService = selfServiceFrom({
    classifier: trainIntentClassifier(kb),
    index: createKnowledgeIndex(kb),
    articles: { get: async (id) => byId.get(id) ?? null },
    linkOf: (id) => knowledgePageUrl('https://support.northwind.example', id),
  });
  return { repos, bus, router, conversations, selfService, events };
}
