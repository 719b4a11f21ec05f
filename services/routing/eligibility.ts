import type { Agent, BasePresence, Workstream } from '../domain/index.js';
import { freeUnits } from '../domain/index.js';

/**
 * Whether an agent may be offered an item of this work stream in this queue.
 *
 * Presence is judged on what the agent *chose*: the automatic Busy shown at full capacity is a
 * consequence of load, and the capacity test already covers load. Judging on the shown presence
 * would strand an agent whose automatic flip back to Available is still in flight.
 */
export function isEligible(
  agent: Pick<Agent, 'id' | 'queueIds' | 'capacity' | 'usedUnits' | 'chosenPresence'>,
  item: { queueId: string; declinedBy: readonly string[] },
  stream: Pick<Workstream, 'capacityCost' | 'allowedPresences'>,
  /** Free units as the caller sees them (e.g. counting reservations still in flight). */
  free: number = freeUnits(agent),
): boolean {
  return (
    free >= stream.capacityCost &&
    agent.queueIds.includes(item.queueId) &&
    presenceAllows(agent.chosenPresence, stream.allowedPresences) &&
    !item.declinedBy.includes(agent.id)
  );
}

export function presenceAllows(presence: BasePresence, allowed: readonly BasePresence[]): boolean {
  return allowed.includes(presence);
}
