export { createPresence, type Presence, type PresenceOptions, type PresenceView } from './presence.js';
export { resolvePresence, BASE_PRESENCES, type ResolvedPresence } from './presence-rules.js';
