import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AgentWithHolds, Repositories } from '../store/index.js';
import type { RoutingIndex } from './routing-index.js';

/** Agents read per query by a resync. */
const AGENTS_PER_READ = 100;

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

  /**
   * Every agent into the index; the agents as read (with their holds), for the sweep to check. Read
   * a slice at a time, letting the event loop run in between: the embedded store copies documents
   * within the turn, and 1,000 agents holding 10 chats each were one 12–22 ms stall every sweep.
   */
  async function loadAgents(): Promise<AgentWithHolds[]> {
    const ids = await d.repos.agents.ids();
    const agents: AgentWithHolds[] = [];
    for (let i = 0; i < ids.length; i += AGENTS_PER_READ) {
      if (i > 0) await nextTurn();
      agents.push(...(await d.repos.agents.getManyWithHolds(ids.slice(i, i + AGENTS_PER_READ))));
    }
    d.index.setAgents(agents);
    return agents;
  }

  async function loadWaiting(): Promise<void> {
    const waiting = await d.repos.conversations.listAllWaiting();
    d.index.setWaiting(waiting.filter((c) => !d.inFlight.has(c.id)));
  }

  async function readAll(): Promise<AgentWithHolds[]> {
    await loadConfiguration();
    const [agents] = await Promise.all([loadAgents(), loadWaiting()]);
    return agents;
  }

  return {
    loadConfiguration,
    loadAgents,
    /** Re-reads everything; callers that need the index wait for it through `ensureLoaded`. */
    reload(): Promise<AgentWithHolds[]> {
      const read = readAll();
      loaded = read.then(() => undefined);
      // A failed read rejects for whoever waits on it; `loaded` itself may have no one yet.
      loaded.catch(() => undefined);
      return read;
    },
    ensureLoaded(): Promise<void> {
      loaded ??= readAll().then(() => undefined);
      return loaded;
    },
  };
}
