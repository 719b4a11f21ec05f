// Consults colleagues asked this person for that they have answered (opened the session, or put
// the ask off with Later), kept in the browser: a tab opened after the ask came (it was closed, or
// reloaded) shows the consults among the person's sessions that are not answered yet, as the live
// frame would have. The server does not record whether a consult was opened, so another browser
// shows a consult opened elsewhere once more.

import { readSetting, saveSetting } from './stored-setting.js';

const key = (agentId: string) => `switchboard.consults-answered.${agentId}`;

function read(agentId: string): string[] {
  try {
    const v: unknown = JSON.parse(readSetting(key(agentId)) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function consultsAnswered(agentId: string) {
  return {
    has: (conversationId: string) => read(agentId).includes(conversationId),
    add(conversationId: string) {
      const ids = read(agentId);
      if (!ids.includes(conversationId)) saveSetting(key(agentId), JSON.stringify([...ids, conversationId]));
    },
    /** Forgets those no longer among the person's consults: the list stays as short as they are. */
    keepOnly(conversationIds: readonly string[]) {
      const ids = read(agentId);
      const kept = ids.filter((id) => conversationIds.includes(id));
      if (kept.length !== ids.length) saveSetting(key(agentId), JSON.stringify(kept));
    },
  };
}
