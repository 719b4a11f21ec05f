import type { Agent, BasePresence, Conversation, Workstream } from './entities.js';

/** Every agent has 100 units unless configured otherwise. */
export const DEFAULT_CAPACITY = 100;

export function freeUnits(agent: Pick<Agent, 'capacity' | 'usedUnits'>): number {
  return Math.max(0, agent.capacity - agent.usedUnits);
}

/** An agent can take an item only with enough free units and a presence the work stream allows. */
export function canTake(
  agent: Pick<Agent, 'capacity' | 'usedUnits' | 'presence'>,
  stream: Pick<Workstream, 'capacityCost' | 'allowedPresences'>,
): boolean {
  return freeUnits(agent) >= stream.capacityCost && stream.allowedPresences.includes(agent.presence);
}

/**
 * The presence an agent shows after their used units change: Busy at full capacity, back to what they
 * chose when units free up. Only Available flips automatically; a chosen Away or Do not disturb stays.
 * `fullAt` is the smallest cost among the agent's work streams: below it nothing more fits.
 */
export function presenceForLoad(
  agent: Pick<Agent, 'capacity' | 'usedUnits' | 'chosenPresence'>,
  fullAt: number,
): BasePresence {
  if (agent.chosenPresence !== 'available') return agent.chosenPresence;
  return freeUnits(agent) < fullAt ? 'busy' : 'available';
}

/**
 * Whether a chat in wrap-up has held its agent's capacity as long as its work stream allows
 * (`Workstream.wrapUpHoldMinutes`), so the units go back though the agent has not closed it yet.
 */
export function wrapUpHoldOver(
  c: Pick<Conversation, 'status' | 'timestamps'>,
  stream: Pick<Workstream, 'wrapUpHoldMinutes'> | undefined,
  now: Date,
): boolean {
  const minutes = stream?.wrapUpHoldMinutes;
  const since = c.timestamps.wrapUpAt;
  if (c.status !== 'wrap-up' || minutes === undefined || !since) return false;
  return now.getTime() - new Date(since).getTime() >= minutes * 60_000;
}
