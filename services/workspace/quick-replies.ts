import type { QuickReply } from '../domain/index.js';
import type { Actor, WorkspacePorts } from './ports.js';
import { loadSlotValues } from './slot-context.js';
import { fillSlots } from './slots.js';
import type { WorkspaceAccess } from './workspace-access.js';

export interface FilledQuickReply {
  id: string;
  title: string;
  /** As written, slots included. */
  text: string;
  tags: string[];
  /** Ready to send: slots filled from the conversation, unknown ones left visible. */
  filled: string;
  unfilled: string[];
}

/** Every word of the query appears in the title, the text or a tag (case-insensitive). */
export function matchesQuery(reply: QuickReply, query: string | undefined): boolean {
  const words = (query ?? '').toLowerCase().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [reply.title, reply.text, ...reply.tags].join(' ').toLowerCase();
  return words.every((w) => haystack.includes(w));
}

export function createQuickReplies({ repos }: WorkspacePorts, access: WorkspaceAccess) {
  return {
    /** The quick replies matching `q`, each filled for this conversation and this agent. */
    async forConversation(actor: Actor, conversationId: string, q?: string): Promise<FilledQuickReply[]> {
      const { conversation, agent } = await access.conversation(
        actor,
        conversationId,
        'read',
        'use quick replies in',
      );
      const [all, values] = await Promise.all([
        repos.quickReplies.list({ limit: 1000 }),
        loadSlotValues(repos, conversation, agent),
      ]);
      return all
        .filter((r) => matchesQuery(r, q))
        .map((r) => {
          const { text: filled, unfilled } = fillSlots(r.text, values);
          return { id: r.id, title: r.title, text: r.text, tags: r.tags, filled, unfilled };
        });
    },
  };
}
