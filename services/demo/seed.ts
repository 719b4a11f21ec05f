import { ConflictError, type Deps } from '../domain/index.js';
import type { Repositories } from '../store/index.js';
import { DEMO_IDS, DEMO_SEED_MARKER } from './demo-ids.js';
import {
  demoAgents,
  demoCases,
  demoCustomers,
  demoMacros,
  demoQueues,
  demoQuickReplies,
  demoScripts,
  demoWorkstreams,
} from './demo-content.js';
import { knowledgeArticles } from './knowledge-articles.js';

const DEMO_QUEUE_IDS = new Set<string>(Object.values(DEMO_IDS.queues));

/**
 * Stores `item` unless an entity with its id is already there (so an interrupted seed can resume).
 * Another instance seeding the same empty database at the same moment may store it between the
 * read and the write: its copy is the same demo entity, so that conflict is "already there".
 */
async function ensure<T extends { id: string }>(
  repo: { get(id: string): Promise<unknown>; create(input: NoInfer<T>): Promise<unknown> },
  items: T[],
): Promise<void> {
  for (const item of items) {
    if (await repo.get(item.id)) continue;
    try {
      await repo.create(item);
    } catch (e) {
      if (!(e instanceof ConflictError && (await repo.get(item.id)))) throw e;
    }
  }
}

/**
 * Fills an EMPTY store with the Northwind Fiber demo contact center. Does nothing (`created: false`)
 * once the demo data is complete or when the store already holds other configuration (queues that
 * are not the demo's), so it is safe to call at every start-up. An interrupted run is completed by
 * the next one: entities already present are skipped, and the marker is set last.
 */
export async function seedDemoData(repos: Repositories, deps: Deps): Promise<{ created: boolean }> {
  if (await repos.markers.has(DEMO_SEED_MARKER)) {
    // A demo store made before the demo had an administrator gets one, so the admin API can be driven.
    if ((await repos.agents.find({ role: 'admin' }, { limit: 1 })).length === 0) {
      await ensure(
        repos.agents,
        demoAgents.filter((a) => a.roles?.includes('admin')),
      );
    }
    return { created: false };
  }
  const existingQueues = await repos.queues.list({ limit: 1000 });
  if (existingQueues.some((q) => !DEMO_QUEUE_IDS.has(q.id))) return { created: false };

  // Order follows references: queues before the work streams and agents that name them, quick
  // replies before the macros that send them, macros before scripts, customers before cases.
  await ensure(repos.queues, demoQueues);
  await ensure(repos.workstreams, demoWorkstreams);
  await ensure(repos.agents, demoAgents);
  await ensure(repos.knowledgeArticles, knowledgeArticles);
  await ensure(repos.quickReplies, demoQuickReplies);
  await ensure(repos.macros, demoMacros);
  await ensure(repos.agentScripts, demoScripts);
  await ensure(repos.customers, demoCustomers);
  await ensure(repos.cases, demoCases);

  return { created: await repos.markers.set(DEMO_SEED_MARKER, deps.now()) };
}
