import type { Repositories } from '../store/index.js';
import type { RoutingIndex } from './routing-index.js';

export type IndexSync = ReturnType<typeof createIndexSync>;

/**
 * Fills the router's in-memory index from the store: configuration, agents and waiting items, at start,
 * on demand and by the periodic sweep (which also brings in what other instances changed).
 */
export function createIndexSync(d: {
  repos: Pick<Repositories, 'queues' | 'workstreams' | 'agents' | 'conversations'>;
  index: RoutingIndex;
  /** Conversations with a decision in flight: a resync must not hand them out again. */
  inFlight: ReadonlySet<string>;
}) {
  let loaded: Promise<void> | null = null;

  async function loadConfiguration(): Promise<void> {
    const [queues, workstreams] = await Promise.all([
      d.repos.queues.list({ limit: 1000 }),
      d.repos.workstreams.list({ limit: 1000 }),
    ]);
    d.index.setConfiguration(queues, workstreams);
  }

  async function loadAgents(): Promise<void> {
    d.index.setAgents(await d.repos.agents.listWithHolds());
  }

  async function loadWaiting(): Promise<void> {
    const waiting = await d.repos.conversations.listAllWaiting();
    d.index.setWaiting(waiting.filter((c) => !d.inFlight.has(c.id)));
  }

  async function readAll(): Promise<void> {
    await loadConfiguration();
    await Promise.all([loadAgents(), loadWaiting()]);
  }

  return {
    loadConfiguration,
    loadAgents,
    /** Re-reads everything; callers that need the index wait for it through `ensureLoaded`. */
    reload(): Promise<void> {
      loaded = readAll();
      return loaded;
    },
    ensureLoaded(): Promise<void> {
      loaded ??= readAll();
      return loaded;
    },
  };
}
