import type { BasePresence, CustomPresence } from '../domain/index.js';
import { ValidationError } from '../domain/index.js';

export const BASE_PRESENCES: readonly BasePresence[] = ['available', 'busy', 'busy-dnd', 'away', 'offline'];

/** What an agent asked to show: a base status, or a custom one with its label. */
export interface ResolvedPresence {
  base: BasePresence;
  label?: string;
}

/**
 * Maps what the agent picked to a base status. Custom presences ("In training" → Away) route like
 * their base; matching on the name is case-insensitive because it comes from a menu or a chat command.
 */
export function resolvePresence(requested: string, custom: readonly CustomPresence[]): ResolvedPresence {
  if ((BASE_PRESENCES as readonly string[]).includes(requested)) return { base: requested as BasePresence };
  const wanted = requested.trim().toLowerCase();
  const found = custom.find((c) => c.name.trim().toLowerCase() === wanted);
  if (!found) {
    throw new ValidationError('presence.unknown', `Unknown presence "${requested}"`, {
      known: [...BASE_PRESENCES, ...custom.map((c) => c.name)],
    });
  }
  return { base: found.base, label: found.name };
}
