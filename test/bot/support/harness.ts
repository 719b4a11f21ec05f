import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mountBot, type BotAuthOverrides, type MountedBot } from '../../../bot/index.js';
import { loadConfig } from '../../../services/config.js';
import type { ConversationService } from '../../../services/conversations/index.js';
import { systemDeps, type Deps, type StoredEvent } from '../../../services/domain/index.js';
import { createHttpServer } from '../../../services/http/server.js';
import { silentLogger, type Logger } from '../../../services/log.js';
import type { Router } from '../../../services/routing/index.js';
import { openEmbeddedStore, type DocumentStore, type Repositories } from '../../../services/store/index.js';
import { buildBotServices } from './services.js';

export { AGENT_ID, SURVEY } from './fixtures.js';

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
  const { repos, bus, router, conversations, selfService, events } = await buildBotServices(store, deps, {
    seed: opts.seed,
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
