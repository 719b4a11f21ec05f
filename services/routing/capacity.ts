import type { Agent, BasePresence, Workstream } from '../domain/index.js';
import { NotFoundError } from '../domain/index.js';
import type { Presence } from '../presence/index.js';
import type { AgentWithHolds, Repositories } from '../store/index.js';
import type { RoutingIndex } from './routing-index.js';

export type Capacity = ReturnType<typeof createCapacity>;

/**
 * Agents' capacity as routing uses it: reserve a conversation's units (one conditional write in the
 * agents repository), give them back, and keep the index and the automatic Busy in step with both.
 */
export function createCapacity(d: {
  agents: Repositories['agents'];
  index: RoutingIndex;
  presence: Presence;
  now: () => Date;
}) {
  async function refresh(agentId: string): Promise<void> {
    const a = await d.agents.getWithHolds(agentId);
    if (a) d.index.upsertAgent(a);
  }

  return {
    refresh,

    async reserve(
      agent: Agent,
      conversationId: string,
      stream: Workstream,
      presences: readonly BasePresence[],
    ): Promise<AgentWithHolds | null> {
      const a = await d.agents.reserveHold({
        agentId: agent.id,
        conversationId,
        units: stream.capacityCost,
        capacity: agent.capacity,
        presences,
        at: d.now(),
      });
      if (a) d.index.upsertAgent(a);
      else await refresh(agent.id);
      return a;
    },

    async release(agentId: string, conversationId: string, endedAt?: Date): Promise<AgentWithHolds | null> {
      const a = await d.agents.releaseHold(agentId, conversationId, d.now(), endedAt);
      if (a) {
        d.index.upsertAgent(a);
        await d.presence.applyLoad(a);
      }
      return a;
    },

    async requireAgent(agentId: string): Promise<AgentWithHolds> {
      const a = await d.agents.getWithHolds(agentId);
      if (!a) throw new NotFoundError('agent.not_found', `agent ${agentId} does not exist`);
      d.index.upsertAgent(a);
      return a;
    },
  };
}
