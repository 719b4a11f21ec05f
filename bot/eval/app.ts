import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../../services/app.js';
import { loadConfig } from '../../services/config.js';
import { systemDeps, type Deps } from '../../services/domain/index.js';
import { silentLogger } from '../../services/log.js';
import type { AppUnderTest, ConversationView } from './harness.js';

/**
 * The real app (demo company, embedded store, router, NLP, bot, local Direct Line channel) in this
 * process on a free port, with a clock the personas can set to a weekday or a Saturday.
 */
export async function startAppUnderTest(
  env: Record<string, string> = {},
): Promise<AppUnderTest & { close(): Promise<void> }> {
  let offset = 0;
  const deps: Deps = { ...systemDeps, now: () => new Date(Date.now() + offset) };
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-personas-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, ...env });
  const app = await createApp(config, { log: silentLogger, deps, routingSweepMs: 0 });
  const url = (await app.listen(0, '127.0.0.1')).replace('localhost', '127.0.0.1');
  const sessions = app.services.store.collection<{ key: string; conversationId: string }>(
    'customer_bot_sessions',
  );
  return {
    url,
    idle: () => app.services.bot.idle(),
    async conversationFor(directLineConversationId) {
      const session = await sessions.findOne({ key: `directline:${directLineConversationId}` });
      if (!session) return null;
      return (await app.services.conversations.get(session.conversationId)) as ConversationView;
    },
    queueHours: async (queueId) => (await app.services.repos.queues.get(queueId))?.operatingHours ?? null,
    setNow(at) {
      offset = at.getTime() - Date.now();
    },
    now: () => deps.now(),
    startHeaders: env.DIRECT_LINE_SECRET ? { Authorization: `Bearer ${env.DIRECT_LINE_SECRET}` } : undefined,
    async close() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
