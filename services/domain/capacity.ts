import type { Agent, BasePresence, Conversation, Workstream } from './entities.js';

/**
 * Presences in which an agent may still take work deliberately, outside an offer: a pick, or what a
 * supervisor assigns or a colleague transfers straight to them. Offline is the only one left out.
 */
export const PICK_PRESENCES: readonly BasePresence[] = ['available', 'busy', 'busy-dnd', 'away'];

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

/** When a chat's wrap-up hold runs out (`Workstream.wrapUpHoldMinutes`); undefined: held until closed. */
export function wrapUpHoldEnds(
  c: Pick<Conversation, 'timestamps'>,
  stream: Pick<Workstream, 'wrapUpHoldMinutes'> | undefined,
): Date | undefined {
  const minutes = stream?.wrapUpHoldMinutes;
  const since = c.timestamps.wrapUpAt;
  if (minutes === undefined || !since) return undefined;
  return new Date(new Date(since).getTime() + minutes * 60_000);
}

/**
 * Whether a chat in wrap-up has held its agent's capacity as long as its work stream allows, so the
 * units go back though the agent has not closed it yet.
 */
export function wrapUpHoldOver(
  c: Pick<Conversation, 'status' | 'timestamps'>,
  stream: Pick<Workstream, 'wrapUpHoldMinutes'> | undefined,
  now: Date,
): boolean {
  const ends = wrapUpHoldEnds(c, stream);
  return c.status === 'wrap-up' && ends !== undefined && now.getTime() >= ends.getTime();
}

/**
 * When the agent now on the chat took it: its acceptance, or its reopen when that came later (a
 * reopened chat's handling starts again; the time it lay closed is nobody's handling).
 */
export function handlingSince(
  t: Pick<Conversation['timestamps'], 'acceptedAt' | 'reopenedAt'>,
): Date | undefined {
  const { acceptedAt, reopenedAt } = t;
  if (reopenedAt && (!acceptedAt || new Date(reopenedAt) > new Date(acceptedAt))) return new Date(reopenedAt);
  return acceptedAt ? new Date(acceptedAt) : undefined;
}

/**
 * When a closed chat's agent got their capacity back: at its close, or when its wrap-up hold ran out
 * if that came first. With `handlingSince`, what a slot-holding sample of the wait estimate measures.
 */
export function slotFreedAt(
  c: Pick<Conversation, 'timestamps'>,
  stream: Pick<Workstream, 'wrapUpHoldMinutes'> | undefined,
): Date | undefined {
  const closedAt = c.timestamps.closedAt ? new Date(c.timestamps.closedAt) : undefined;
  const holdEnds = wrapUpHoldEnds(c, stream);
  if (!closedAt || !holdEnds) return closedAt;
  return holdEnds < closedAt ? holdEnds : closedAt;
}
