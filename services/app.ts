import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type restify from 'restify';
import {
  mountBot,
  selfServiceFrom,
  type BotAuthOverrides,
  type DirectLineLimits,
  type MountedBot,
} from '../bot/index.js';
import { scoreSentiment, trainIntentClassifier } from './assist/index.js';
import type { Config } from './config.js';
import {
  conversationPortsFromRepositories,
  createConversationService,
  type ConversationService,
} from './conversations/index.js';
import { seedDemoData } from './demo/index.js';
import { canSeeTyping, systemDeps, type Deps } from './domain/index.js';
import { EventBus, type EventSource } from './events/index.js';
import { createAgentDesk, apiPresence, toApiMessage, type AgentDesk } from './agent-desk/index.js';
import type { CustomPresence, StoredEvent } from './domain/index.js';
import { createAdministration } from './administration/index.js';
import { adminRoutes } from './http/api/admin-routes.js';
import { agentRoutes } from './http/api/agent-routes.js';
import { conversationRoutes } from './http/api/conversation-routes.js';
import { mountAgentApi, type ApiRoute } from './http/api/index.js';
import { workspaceRoutes } from './http/api/workspace-routes.js';
import { mountKnowledgePages } from './http/knowledge-pages.js';
import { mountLiveStream } from './http/api/live-stream.js';
import { supervisorRoutes } from './http/api/supervisor-routes.js';
import { createSupervisorView } from './insights/index.js';
import {
  createEventTail,
  createSentimentAlerts,
  sentimentAlertPorts,
  createStreamHub,
  type EventTail,
  type StreamHub,
} from './realtime/index.js';
import { openIdentity, type Identity, type IdentityOverrides } from './identity/index.js';
import { ANY_HOST, namedHosts } from './http/hosts.js';
import { DEFAULT_API_LIMITS, type ApiLimits } from './http/api/limits.js';
import { createOriginPolicy } from './http/origins.js';
import { clientIpBehind, RateLimit } from './http/rate-limit.js';
import { registerUpgrade } from './http/upgrade.js';
import { createHttpServer, type HttpTimeouts } from './http/server.js';
import { createKnowledgeIndex, followArticles, isForCustomers, knowledgePageUrl } from './knowledge/index.js';
import { createLogger, type Logger } from './log.js';
import { createRouter, type Router } from './routing/index.js';
import { createRepositories, openStore, type DocumentStore, type Repositories } from './store/index.js';
import { createWorkspace } from './workspace/index.js';

/** Other instances' events after which customers waiting here may have moved up in their queue. */
const REMOTE_QUEUE_MOVES = new Set<StoredEvent['type']>([
  'conversation.offered',
  'conversation.offer_rejected',
  'conversation.offer_timed_out',
  'conversation.offer_withdrawn',
  'conversation.overflowed',
]);

/** Where the installation's private secrets live (the dev session key); never served. */
const IDENTITY_SECRETS = 'install_secrets';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const VERSION: string = (
  JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }
).version;

export interface AppOptions {
  deps?: Deps;
  log?: Logger;
  /** Built web assets; defaults to tab/dist of this checkout. */
  webRoot?: string;
  /** Load the demo company into an empty store (default true). */
  seedDemo?: boolean;
  /** Tests only: local stand-ins for the Bot Framework token endpoints. */
  botAuthOverrides?: BotAuthOverrides;
  /** Routing sweep period (expired offers, leaked capacity holds); tests may set 0 and sweep by hand. */
  routingSweepMs?: number;
  /** Tests only: a local key set and issuer in place of Entra's for Teams SSO tokens. */
  identityOverrides?: IdentityOverrides;
  /** Custom presences agents may choose (each routes like its base); defaults to a small common set. */
  customPresences?: CustomPresence[];
  /** How often the event-log tail looks for other instances' events (ms, default 200). */
  eventTailPollMs?: number;
  /** Tests only: shorter header and body timeouts than the defaults. */
  httpTimeouts?: HttpTimeouts;
  /** Tests only: other Direct Line limits than the defaults. */
  directLineLimits?: DirectLineLimits;
  /** Tests only: other agent API and live stream limits than the defaults. */
  apiLimits?: Partial<ApiLimits>;
  /** Benchmarks only: wraps the opened store, e.g. to count the writes one message costs. */
  wrapStore?: (store: DocumentStore) => DocumentStore;
}

/** Custom presences out of the box, as contact centres commonly configure them. */
export const DEFAULT_CUSTOM_PRESENCES: CustomPresence[] = [
  { name: 'In training', base: 'away' },
  { name: 'In a meeting', base: 'busy' },
  { name: 'On a break', base: 'away' },
];

/** The services behind the HTTP surface, for tests and tools that drive the product directly. */
export interface AppServices {
  store: DocumentStore;
  repos: Repositories;
  bus: EventBus;
  router: Router;
  conversations: ConversationService;
  bot: MountedBot;
  identity: Identity;
  desk: AgentDesk;
  /** The event-log tail: every instance's events, in global order. */
  tail: EventTail;
  streams: StreamHub;
  /** Every route the agent API mounted (the OpenAPI document lists exactly these). */
  apiRoutes: ApiRoute[];
}

export interface App {
  server: restify.Server;
  services: AppServices;
  /**
   * Listens on the port and resolves with the URL actually bound (port 0 picks a free one); the host
   * defaults to the configured one (loopback in local mode).
   */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** The composition root: config → store → services → HTTP server → bot mounted (docs/architecture.md). */
export async function createApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const log = opts.log ?? createLogger({ service: 'switchboard' });
  const deps = opts.deps ?? systemDeps;

  const opened = await openStore({
    mongodbUri: config.mongodbUri,
    dataDir: config.dataDir,
    onFailure: (err) =>
      log.error('the store could not write its files: it refuses every operation until the server restarts', {
        err,
      }),
  });
  const store = opts.wrapStore ? opts.wrapStore(opened) : opened;
  const repos = await createRepositories(store, deps);
  if (opts.seedDemo !== false && config.demoData) {
    const { created } = await seedDemoData(repos, deps);
    if (created && config.authMode === 'teams') {
      // A real deployment's customers would be answered with the demo company's articles.
      log.warn('demo data loaded into the empty store: set DEMO_DATA=off for a real deployment', {
        company: 'Northwind Fiber',
      });
    } else if (created) log.info('demo data loaded into the empty store', { company: 'Northwind Fiber' });
  }

  const customPresences = opts.customPresences ?? DEFAULT_CUSTOM_PRESENCES;
  const bus = new EventBus(repos.events, deps.now, (err, event) =>
    log.error('event listener failed', { err, eventType: event.type, seq: event.seq }),
  );

  // A graph, not a knot: conversations call the router; the router only publishes events, and the
  // conversation service follows the ones meant for customers (docs/architecture.md).
  const router = createRouter({
    repos,
    bus,
    deps,
    log: ({ level, msg, ...fields }) => log[level](msg, { part: 'routing', ...fields }),
    sweepIntervalMs: opts.routingSweepMs,
    customPresences,
  });
  const conversations = createConversationService(
    conversationPortsFromRepositories(repos, {
      router,
      sentiment: scoreSentiment,
      bus,
      onError: (err, what) => log.error(what, { err, part: 'conversations' }),
    }),
    deps,
  );
  const stopNotices = conversations.followRoutingNotices(bus);
  await router.start();

  // The intent classifier and search index follow the knowledge base: rebuilt aside when an article
  // is written here (at once) or elsewhere (seen within 30 s, on a customer's turn), and swapped in
  // when ready, so no turn waits. Customers get only published articles written for them.
  const customerKnowledge = followArticles(
    repos.knowledgeArticles,
    (all) => {
      const articles = all.filter(isForCustomers);
      return { classifier: trainIntentClassifier(articles), index: createKnowledgeIndex(articles) };
    },
    {
      now: () => deps.now().getTime(),
      onError: (err) => log.error('the knowledge base could not be read again', { err, part: 'knowledge' }),
    },
  );
  await customerKnowledge.current();
  const selfService = selfServiceFrom({
    classifier: { classify: (text) => customerKnowledge.latest().classifier.classify(text) },
    index: { search: (query, options) => customerKnowledge.latest().index.search(query, options) },
    articles: {
      get: async (id) => {
        const article = await repos.knowledgeArticles.get(id);
        return article && isForCustomers(article) ? article : null;
      },
    },
    linkOf: (id) => knowledgePageUrl(config.publicUrl, id),
  });

  // Local mode answers only under its own names (DNS rebinding would make any page "same origin").
  const hosts =
    config.authMode === 'dev' ? namedHosts([config.publicUrl, ...config.allowedOrigins]) : ANY_HOST;
  const origins = createOriginPolicy(config.allowedOrigins, hosts);
  const apiLimits: ApiLimits = { ...DEFAULT_API_LIMITS, ...opts.apiLimits };
  const server = createHttpServer({
    log,
    version: VERSION,
    storeKind: store.kind,
    storeFailure: () => opened.failure?.() ?? null,
    webRoot: opts.webRoot ?? path.join(projectRoot, 'tab', 'dist'),
    origins,
    timeouts: opts.httpTimeouts,
  });
  mountKnowledgePages(server, { articles: repos.knowledgeArticles, log });
  // Every stream hears every instance's events by tailing the event log (see services/realtime).
  const tail = createEventTail(repos.events, {
    pollMs: opts.eventTailPollMs,
    onError: (err) => log.error('event tail failed', { err, part: 'realtime' }),
  });
  bus.subscribe((e) => tail.wake(e.seq, e));
  tail.subscribe((e, origin) => {
    if (origin === 'remote') router.followRemote(e);
  });
  await tail.start();
  // The customer relay acts on this instance's events (the instance that made a change tells the
  // customer, exactly once); other instances' queue moves only refresh the positions it tells the
  // customers waiting here.
  const relayBus: EventSource = {
    subscribe(listener: (e: StoredEvent) => void): () => void {
      const offLocal = bus.subscribe(listener);
      const offRemote = tail.subscribe((e, origin) => {
        if (origin === 'remote' && REMOTE_QUEUE_MOVES.has(e.type)) listener(e);
      });
      return () => {
        offLocal();
        offRemote();
      };
    },
    on(types, listener) {
      const wanted: ReadonlySet<string> = new Set(typeof types === 'string' ? [types] : types);
      return relayBus.subscribe((e) => {
        if (wanted.has(e.type)) listener(e as Parameters<typeof listener>[0]);
      });
    },
  };
  const desk = createAgentDesk({
    repos,
    router,
    conversations,
    bus,
    deps,
    customPresences,
    authMode: config.authMode,
  });
  const callerIp = clientIpBehind(config.trustedProxies);
  const bot = await mountBot(server, {
    config,
    store,
    conversations,
    agents: repos.agents,
    files: repos.files,
    selfService,
    bus: relayBus,
    deps,
    log,
    edge: { origins, limit: (name, rate) => new RateLimit(name, rate), clientIp: callerIp, registerUpgrade },
    directLineLimits: opts.directLineLimits,
    botAuthOverrides: opts.botAuthOverrides,
    teams: { repos, desk },
  });

  const identity = await openIdentity(
    {
      mode: config.authMode,
      clientId: config.tabSsoClientId,
      tenantId: config.bot?.tenantId,
      publicUrl: config.publicUrl,
    },
    { agents: repos.agents, secrets: store.collection(IDENTITY_SECRETS), now: deps.now },
    opts.identityOverrides,
  );
  const alerts = createSentimentAlerts(
    sentimentAlertPorts(repos, (e) => bus.publish(e)),
    (err) => log.error('sentiment alert failed', { err, part: 'realtime' }),
  );
  bus.subscribe(alerts.onEvent);

  const viewerOf = async (agentId: string) => {
    const a = await desk.context.agent(agentId);
    return { agentId: a.id, roles: a.roles, queueIds: a.queueIds };
  };
  const streams = createStreamHub(
    tail,
    repos.events,
    {
      conversation: (id) => repos.conversations.get(id),
      agent: (id) => repos.agents.get(id),
      offer: (c, offerId) => desk.context.offer(c, offerId) as unknown as Promise<Record<string, unknown>>,
      names: (c) => desk.context.names(c),
      message: async (cid, mid, known) => {
        const m = known ?? (await repos.messages.get(cid, mid));
        return m ? (toApiMessage(m) as unknown as Record<string, unknown>) : null;
      },
      presence: (a) => apiPresence(a.presence),
    },
    (err) => log.error('live stream failed', { err, part: 'realtime' }),
    { replayEvents: apiLimits.replayEvents },
  );
  // Typing is not an event (never stored): the customer's typing goes to the agents in the
  // conversation (access rule), read once for every stream.
  const stopTyping = conversations.onTyping((signal) => {
    if (signal.author !== 'customer' || streams.size === 0) return;
    const conversation = repos.conversations.get(signal.conversationId);
    conversation.catch(() => undefined); // each stream's check reports a failed read
    streams.broadcast(
      async (user) => {
        const c = await conversation;
        return !!c && canSeeTyping(user, c);
      },
      { type: 'typing', conversationId: signal.conversationId, author: 'customer' },
    );
  });
  const liveStream = mountLiveStream(server, {
    clientIp: callerIp,
    identity,
    hub: streams,
    viewerOf,
    viewersOf: async (ids) =>
      (await repos.agents.getMany(ids)).map((a) => ({ agentId: a.id, roles: a.roles, queueIds: a.queueIds })),
    log,
    now: deps.now,
    hosts,
    limits: apiLimits,
  });

  // Each capability's routes are one list; the registrar validates, authorizes and documents them.
  const workspace = createWorkspace({ repos, conversations, deps, publicUrl: config.publicUrl });
  const apiRoutes: ReadonlyArray<readonly ApiRoute[]> = [
    agentRoutes(desk),
    conversationRoutes(desk),
    supervisorRoutes(createSupervisorView(repos, deps)),
    workspaceRoutes(workspace),
    adminRoutes(createAdministration({ repos, router, log: log.child({ part: 'administration' }) })),
  ];
  const mountedRoutes = mountAgentApi(server, apiRoutes, {
    identity,
    directory: {
      listAgents: () => repos.agents.list({ limit: 1000 }),
      listQueues: () => repos.queues.list(),
    },
    log: log.child({ part: 'api' }),
    version: VERSION,
    hosts,
    origins,
    limits: apiLimits,
    liveStream: true,
    tabClientId: config.tabSsoClientId,
  });

  let closed = false;
  return {
    server,
    services: {
      store,
      repos,
      bus,
      router,
      conversations,
      bot,
      identity,
      desk,
      tail,
      streams,
      apiRoutes: mountedRoutes,
    },
    listen: (port, host = config.host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const { port: bound, address } = server.address() as AddressInfo;
          log.info('listening', { address, port: bound });
          resolve(`http://localhost:${bound}`);
        });
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      liveStream.close();
      stopTyping();
      await bot.idle();
      await alerts.idle();
      await bot.close();
      await tail.stop();
      await router.stop();
      stopNotices();
      await conversations.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
