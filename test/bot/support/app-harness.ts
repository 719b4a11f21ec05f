import type { BotAuthOverrides, MountedBot } from '../../../bot/index.js';
import type { DirectLineLimits } from '../../../bot/directline/index.js';
import type { ConversationService } from '../../../services/conversations/index.js';
import type { Deps, StoredEvent } from '../../../services/domain/index.js';
import type { Router } from '../../../services/routing/index.js';
import type { DocumentStore, Repositories } from '../../../services/store/index.js';
import { startTestServer } from '../../support/server.js';

export interface BotHarness {
  url: string;
  store: DocumentStore;
  repos: Repositories;
  router: Router;
  conversations: ConversationService;
  bot: MountedBot;
  /** Every event published since start, in order. */
  events: StoredEvent[];
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The real app (the coordinator's composition root, demo data loaded) behind the same handle the
 * bot tests use: URL, services, and every event published since start.
 */
export async function startAppHarness(
  opts: {
    dataDir?: string;
    env?: Record<string, string>;
    botAuthOverrides?: BotAuthOverrides;
    deps?: Deps;
    directLineLimits?: DirectLineLimits;
  } = {},
): Promise<BotHarness> {
  const server = await startTestServer({
    dataDir: opts.dataDir,
    env: opts.env,
    app: {
      botAuthOverrides: opts.botAuthOverrides,
      deps: opts.deps,
      routingSweepMs: 0,
      directLineLimits: opts.directLineLimits,
    },
  });
  const { store, repos, router, conversations, bot, bus } = server.services;
  const events: StoredEvent[] = [];
  bus.subscribe((e) => events.push(e));
  return {
    url: server.url,
    store,
    repos,
    router,
    conversations,
    bot,
    events,
    dataDir: server.dataDir,
    close: async () => {
      await server.close();
    },
  };
}
