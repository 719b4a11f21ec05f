// What survives a reload of the tab, kept per browser tab in sessionStorage: what the agent typed but
// has not sent (keyed by signed-in agent and conversation), the view they were on, the dev token.

const key = (agentId: string) => `switchboard.drafts.${agentId}`;

export interface Draft {
  text: string;
  visibility: 'public' | 'internal';
}

export function loadDrafts(agentId: string): Record<string, Draft> {
  try {
    return JSON.parse(sessionStorage.getItem(key(agentId)) ?? '{}') as Record<string, Draft>;
  } catch {
    // Unreadable or blocked storage: start with no drafts rather than fail the tab.
    return {};
  }
}

export function saveDraft(agentId: string, conversationId: string, draft: Draft | null): void {
  try {
    const all = loadDrafts(agentId);
    if (draft && (draft.text || draft.visibility === 'internal')) all[conversationId] = draft;
    else delete all[conversationId];
    sessionStorage.setItem(key(agentId), JSON.stringify(all));
  } catch {
    // Storage blocked: the draft still lives in the open session's state.
  }
}

const TOKEN = 'switchboard.devToken';
export const devToken = {
  get: (): string | null => {
    try {
      return sessionStorage.getItem(TOKEN);
    } catch {
      return null;
    }
  },
  set: (t: string | null) => {
    try {
      if (t) sessionStorage.setItem(TOKEN, t);
      else sessionStorage.removeItem(TOKEN);
    } catch {
      // Blocked storage: the agent signs in again after a reload.
    }
  },
};

/** The view the agent was on (the dashboard or a session), so a reload of the tab lands there again. */
export const lastView = {
  get: (agentId: string): string | null => {
    try {
      return sessionStorage.getItem(`switchboard.view.${agentId}`);
    } catch {
      return null;
    }
  },
  set: (agentId: string, view: string) => {
    try {
      sessionStorage.setItem(`switchboard.view.${agentId}`, view);
    } catch {
      // Blocked storage: a reload starts on the dashboard.
    }
  },
};
