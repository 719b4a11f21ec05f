import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mountBot, type BotAuthOverrides, type MountedBot } from '../../../bot/index.js';
import { selfServiceFrom } from '../../../bot/customer-bot/understand.js';
import { trainIntentClassifier } from '../../../services/assist/intents/intent-classifier.js';
import { scoreSentiment } from '../../../services/assist/sentiment/scorer.js';
import { loadConfig } from '../../../services/config.js';
import {
  conversationPortsFromRepositories,
  createConversationService,
  type ConversationService,
} from '../../../services/conversations/index.js';
import { knowledgeArticles } from '../../../services/demo/knowledge-articles.js';
import {
  systemDeps,
  type Deps,
  type StoredEvent,
  type SurveyQuestion,
} from '../../../services/domain/index.js';
import { EventBus } from '../../../services/events/index.js';
import { createHttpServer } from '../../../services/http/server.js';
import { silentLogger, type Logger } from '../../../services/log.js';
import { createKnowledgeIndex } from '../../../services/knowledge/index.js';
import { createRouter, type Router } from '../../../services/routing/index.js';
import {
  createRepositories,
  openEmbeddedStore,
  type DocumentStore,
  type Repositories,
} from '../../../services/store/index.js';

export const SURVEY: SurveyQuestion[] = [
  { id: 'name', prompt: 'What is your name?', kind: 'text', required: true },
  { id: 'email', prompt: 'What is your e-mail address?', kind: 'email', required: true },
  {
    id: 'topic',
    prompt: 'What is it about?',
    kind: 'choice',
    choices: ['Technical', 'Billing'],
    required: true,
  },
  { id: 'details', prompt: 'Anything else we should know?', kind: 'text', required: false },
];

export const AGENT_ID = 'agent_alex';

export interface BotHarness {
  url: string;
  store: DocumentStore;
  repos: Repositories;
  router: Router;
  conversations: ConversationService;
  bot: MountedBot;
  events: StoredEvent[];
  dataDir: string;
  close(opts?: { keepData?: boolean }): Promise<void>;
}

/**
 * The bot's part of the app over real HTTP until the coordinator's composition root wires it: real
 * embedded store, real router, real NLP and knowledge index, the restify server with `mountBot`.
 * One web-chat work stream with a pre-chat survey, one queue, one agent (away until a test says so).
 */
export async function startBotHarness(
  opts: {
    dataDir?: string;
    env?: Record<string, string>;
    botAuthOverrides?: BotAuthOverrides;
    deps?: Deps;
    log?: Logger;
    port?: number;
    seed?: boolean;
  } = {},
): Promise<BotHarness> {
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'switchboard-bot-')));
  const deps = opts.deps ?? systemDeps;
  const log = opts.log ?? silentLogger;
  const port = opts.port ?? 0;
  const config = loadConfig({ PORT: String(port), DATA_DIR: dataDir, ...opts.env });
  const store = await openEmbeddedStore(dataDir);
  const repos = await createRepositories(store, deps);
  const bus = new EventBus(repos.events, deps.now);
  const events: StoredEvent[] = [];
  bus.subscribe((e) => events.push(e));

  if (opts.seed !== false && !(await repos.queues.get('queue_technical'))) {
    await repos.queues.create({
      id: 'queue_technical',
      name: 'Technical support',
      workstreamIds: ['ws_webchat'],
    });
    await repos.workstreams.create({
      id: 'ws_webchat',
      name: 'Web chat',
      channel: 'webchat',
      fallbackQueueId: 'queue_technical',
      capacityCost: 50,
      preChatSurvey: SURVEY,
      allowedPresences: ['available'],
    });
    await repos.agents.create({
      id: AGENT_ID,
      name: 'Alex Rivera',
      email: 'alex@example.com',
      queueIds: ['queue_technical'],
      presence: 'away',
      chosenPresence: 'away',
    });
  }

  const router = createRouter({ repos, bus, deps, sweepIntervalMs: 0 });
  await router.start();
  const conversations = createConversationService(
    conversationPortsFromRepositories(repos, { router, sentiment: scoreSentiment, bus }),
    deps,
  );

  const articles = await repos.knowledgeArticles.all();
  const kb = articles.length > 0 ? articles : knowledgeArticles;
  const byId = new Map(kb.map((a) => [a.id, a]));
  const selfService = selfServiceFrom({
    classifier: trainIntentClassifier(kb),
    index: createKnowledgeIndex(kb),
    articles: { get: async (id) => byId.get(id) ?? null },
  });

  const server = createHttpServer({
    log,
    version: 'test',
    storeKind: 'embedded',
    webRoot: path.join(dataDir, 'web'),
  });
  const bot = await mountBot(server, {
    config,
    store,
    conversations,
    agents: repos.agents,
    selfService,
    bus,
    deps,
    log,
    botAuthOverrides: opts.botAuthOverrides,
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    store,
    repos,
    router,
    conversations,
    bot,
    events,
    dataDir,
    async close(closeOpts = {}) {
      await bot.idle();
      await bot.close();
      await router.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      if (!closeOpts.keepData && !opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
