import type { Agent, BasePresence } from '../domain/index.js';
import type { Collection } from '../store/port.js';

/** One item's claim on an agent's capacity, kept on the agent document itself. */
export interface CapacityHold {
  /** Always true: lets "no hold yet" be the filter `held ≠ true`, which stores decide without a query engine. */
  held: true;
  units: number;
  /** When it was taken: a hold older than the lease whose item is not with the agent is a leak. */
  at: Date;
}

/** The agent as stored, with the holds that explain its `usedUnits`. */
export type AgentWithHolds = Agent & { capacityHolds?: Record<string, CapacityHold> };

export const HOLDS = 'capacityHolds';

/**
 * Capacity reservation as ONE conditional write per step (CONVENTIONS §13), keyed by conversation:
 *
 * - `reserve` succeeds only while `usedUnits ≤ capacity − cost`, the chosen presence is allowed and
 *   this conversation holds nothing yet on the agent: two instances can never overbook, and a retried
 *   reservation can never count twice.
 * - `release` succeeds only while the hold exists, and removes it in the same write: an item's
 *   capacity comes back exactly once, whoever (close, abandon, transfer, sweep) gets there first.
 *
 * The hold map is the ledger a sweep uses to find capacity leaked by an instance that crashed between
 * reserving and claiming the conversation (see docs/decisions/0002-routing.md).
 */
export class CapacityLedger {
  constructor(private readonly agents: Collection<AgentWithHolds>) {}

  async reserve(input: {
    agentId: string;
    conversationId: string;
    units: number;
    /** The capacity the decision was computed from; a concurrent change makes the write miss. */
    capacity: number;
    presences: readonly BasePresence[];
    at: Date;
  }): Promise<AgentWithHolds | null> {
    const { agentId, conversationId, units, capacity, presences, at } = input;
    return this.agents.findOneAndUpdate(
      {
        id: agentId,
        capacity,
        usedUnits: { $lte: capacity - units },
        chosenPresence: { $in: [...presences] },
        [`${HOLDS}.${conversationId}.held`]: { $ne: true },
      },
      {
        $inc: { usedUnits: units, activeItems: 1, version: 1 },
        $set: {
          [`${HOLDS}.${conversationId}`]: { held: true, units, at },
          lastAssignedAt: at,
          updatedAt: at,
        },
      },
    );
  }

  /**
   * Gives the conversation's units back. `endedAt` marks the end of a handled item (least-active
   * routing reads it); declined offers and leaks leave `lastItemEndedAt` alone.
   */
  async release(input: {
    agentId: string;
    conversationId: string;
    units: number;
    at: Date;
    endedAt?: Date;
  }): Promise<AgentWithHolds | null> {
    const { agentId, conversationId, units, at, endedAt } = input;
    return this.agents.findOneAndUpdate(
      { id: agentId, [`${HOLDS}.${conversationId}.units`]: units },
      {
        $inc: { usedUnits: -units, activeItems: -1, version: 1 },
        $unset: { [`${HOLDS}.${conversationId}`]: '' },
        $set: { updatedAt: at, ...(endedAt ? { lastItemEndedAt: endedAt } : {}) },
      },
    );
  }

  /** Releases whatever the conversation holds on the agent (units read from the hold itself). */
  async releaseAny(
    agentId: string,
    conversationId: string,
    at: Date,
    endedAt?: Date,
  ): Promise<AgentWithHolds | null> {
    const agent = await this.agents.findOne({ id: agentId });
    const hold = agent?.capacityHolds?.[conversationId];
    if (!hold) return null;
    // Conditional on the hold's units: if it vanished in between, the write misses and nothing is lost.
    return this.release({ agentId, conversationId, units: hold.units, at, ...(endedAt ? { endedAt } : {}) });
  }

  /** Agents holding capacity taken before `before` (leak candidates for the sweep). */
  async agentsWithHolds(): Promise<AgentWithHolds[]> {
    return this.agents.find({ usedUnits: { $gt: 0 } });
  }
}
