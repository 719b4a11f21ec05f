// What the tab was opened to show. The manifest's static tabs say which view (`?view=agent`,
// `?view=supervisor`, or Teams' page id: `workspace`, `supervisor`); the Teams cards' "Open in
// workspace" names a conversation (`?conversation=<id>` without a Teams app, else a deep link whose
// `subEntityId` Teams hands the tab as the page's `subPageId`).
import type { ConversationDetails } from './types.js';

export interface StartLink {
  view?: 'agent' | 'supervisor';
  conversationId?: string;
  /** Where the conversation came from: a URL parameter can be cleared, the host's context cannot. */
  from?: 'url' | 'host';
}

/** The page Teams says the tab shows (teams-js `app.getContext().page`). */
export interface HostPage {
  id?: string;
  subPageId?: string;
}

export function startLink(search: string, page?: HostPage): StartLink {
  const params = new URLSearchParams(search);
  const asked = params.get('view') ?? (page?.id === 'workspace' ? 'agent' : page?.id);
  const view = asked === 'agent' || asked === 'supervisor' ? asked : undefined;
  const inUrl = params.get('conversation')?.trim();
  const inHost = page?.subPageId?.trim();
  return {
    ...(view ? { view } : {}),
    ...(inUrl
      ? { conversationId: inUrl, from: 'url' as const }
      : inHost
        ? { conversationId: inHost, from: 'host' as const }
        : {}),
  };
}

/** The address without its `conversation` parameter: a reload then opens the tab plainly. */
export function withoutConversation(href: string): string {
  const url = new URL(href);
  url.searchParams.delete('conversation');
  return `${url.pathname}${url.search}${url.hash}`;
}

/** What the tab does with a linked conversation the server let this person read. */
export type LinkedConversation =
  | { kind: 'open'; mode: 'primary' | 'consult' | 'monitor' }
  | { kind: 'offered' }
  | { kind: 'supervise'; joinable: boolean }
  | { kind: 'not-yours' };

export function linkedConversation(d: ConversationDetails, meId: string): LinkedConversation {
  const part = d.participants?.find((p) => p.agentId === meId && !p.leftAt);
  if (part && part.mode !== 'primary') return { kind: 'open', mode: part.mode };
  if (d.agentId === meId) {
    if (d.status === 'offered') return { kind: 'offered' };
    if (d.status !== 'waiting') return { kind: 'open', mode: 'primary' };
  }
  // Theirs once (a chat they closed, or handed on and ended since): read-only, as the dashboard's
  // closed list opens it.
  const wasTheirs = d.participants?.some((p) => p.agentId === meId && p.mode === 'primary');
  if (wasTheirs && (d.status === 'closed' || d.status === 'abandoned'))
    return { kind: 'open', mode: 'primary' };
  if (d.can?.supervise)
    return { kind: 'supervise', joinable: d.status === 'active' || d.status === 'wrap-up' };
  return { kind: 'not-yours' };
}
