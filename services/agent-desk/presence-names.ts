import { BASE_PRESENCE_LABELS as LABELS, type BasePresence, type CustomPresence } from '../domain/index.js';

// The API names presences as Teams shows them (`do-not-disturb`); the domain's base is `busy-dnd`.
// Custom presences (configured) are named by an id made from their name: "In training" → in-training.

export const API_BASE_PRESENCES = ['available', 'busy', 'do-not-disturb', 'away', 'offline'] as const;
export type ApiBasePresence = (typeof API_BASE_PRESENCES)[number];

export function apiPresence(base: BasePresence): ApiBasePresence {
  return base === 'busy-dnd' ? 'do-not-disturb' : base;
}

export function customPresenceId(p: CustomPresence): string {
  return p.name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** What the agent asked for, as the presence service understands it (a base or a custom name). */
export function domainPresenceRequest(requested: string, custom: readonly CustomPresence[]): string | null {
  if (requested === 'do-not-disturb') return 'busy-dnd';
  if ((API_BASE_PRESENCES as readonly string[]).includes(requested)) return requested;
  return custom.find((c) => customPresenceId(c) === requested)?.name ?? null;
}

export function presenceLabel(base: BasePresence, customLabel?: string): string {
  return customLabel ?? LABELS[base];
}

export function presenceList(custom: readonly CustomPresence[]) {
  return [
    ...(['available', 'busy', 'busy-dnd', 'away', 'offline'] as const).map((b) => ({
      id: apiPresence(b),
      label: LABELS[b],
      base: apiPresence(b),
    })),
    ...custom.map((c) => ({ id: customPresenceId(c), label: c.name, base: apiPresence(c.base) })),
  ];
}
