// The agent desk: what a signed-in agent or supervisor does (docs/agent-api.md), HTTP-free.
import { createConversationActions } from './conversation-actions.js';
import { createDeskContext } from './context.js';
import type { DeskPorts } from './ports.js';
import { createProfile } from './profile.js';
import { createWork } from './work.js';

export function createAgentDesk(ports: DeskPorts) {
  const ctx = createDeskContext(ports);
  return {
    context: ctx,
    profile: createProfile(ports, ctx),
    work: createWork(ports, ctx),
    conversation: createConversationActions(ports, ctx),
  };
}

export type AgentDesk = ReturnType<typeof createAgentDesk>;
export type { DeskPorts } from './ports.js';
export type { WorkView } from './work.js';
export type { ApiMessage, Offer, WorkItem } from './views.js';
export { toApiMessage, toWorkItem, waitingSeconds } from './views.js';
export { API_BASE_PRESENCES, apiPresence, customPresenceId, presenceList } from './presence-names.js';
export { presenceWords } from './handover-rules.js';
