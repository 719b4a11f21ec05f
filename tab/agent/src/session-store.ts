// What survives a reload of the tab, kept per browser tab in sessionStorage: what the agent typed but
// has not sent (keyed by signed-in agent and conversation), the view they were on, the dev token.

const drafts = (agentId: string) => stored(`switchboard.drafts.${agentId}`);

export interface Draft {
  text: string;
  visibility: 'public' | 'internal';
}

export function loadDrafts(agentId: string): Record<string, Draft> {
  try {
    return JSON.parse(drafts(agentId).get() ?? '{}') as Record<string, Draft>;
  } catch {
    // Unreadable drafts: start with none rather than fail the tab.
    return {};
  }
}

/** Blocked storage keeps nothing: the draft still lives in the open session's state. */
export function saveDraft(agentId: string, conversationId: string, draft: Draft | null): void {
  const all = loadDrafts(agentId);
  if (draft && (draft.text || draft.visibility === 'internal')) all[conversationId] = draft;
  else delete all[conversationId];
  drafts(agentId).set(JSON.stringify(all));
}

/**
 * One sessionStorage entry. Blocked or unreadable storage reads as empty and keeps no writes: the tab
 * still works, it only forgets across a reload (the agent signs in again, starts on the dashboard).
 */
function stored(key: string) {
  return {
    get: (): string | null => {
      try {
        return sessionStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set: (value: string | null): void => {
      try {
        if (value) sessionStorage.setItem(key, value);
        else sessionStorage.removeItem(key);
      } catch {
        // Blocked storage: see above.
      }
    },
  };
}

export const devToken = stored('switchboard.devToken');

/** The view the agent was on (the dashboard or a session), so a reload of the tab lands there again. */
export const lastView = (agentId: string) => stored(`switchboard.view.${agentId}`);

/** The conversation a Teams deep link (its subEntityId) opened already: a reload does not open it again. */
export const linkDone = stored('switchboard.linkDone');
