import {
  canRead,
  formatTimeCursor,
  isPastTimeCursor,
  parseTimeCursor,
  type Conversation,
  type Note,
  type Viewer,
} from '../domain/index.js';
import type { Actor, WorkspacePorts } from './ports.js';
import type { WorkspaceAccess } from './workspace-access.js';

export interface TimelineEntry {
  kind: 'conversation' | 'case' | 'note';
  id: string;
  title: string;
  at: Date;
  /** Status of a conversation or case; absent for notes. */
  status?: string;
  /** Who wrote a note. */
  authorName?: string;
  /** The agent a conversation was with (its owner, or the last who had it). */
  agentName?: string;
  /** How the agent wrapped a conversation up. */
  disposition?: string;
  /** The customer's rating of a conversation, 1–5. */
  rating?: number;
  /** A case's number (also at the start of its title). */
  caseNumber?: string;
  /** The conversation or case a note was written on. */
  conversationId?: string;
  caseId?: string;
}

export interface TimelinePage {
  items: TimelineEntry[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

/** How far back one timeline read looks, per kind. */
const PER_KIND = 500;
const CHANNEL_LABELS: Record<string, string> = {
  webchat: 'Web chat',
  directline: 'Web chat',
  msteams: 'Teams chat',
};

const MAX_NOTE_TITLE = 200;

/**
 * A note written in a conversation is part of it: shown only to those who may read that
 * conversation (a customer's other queues see the customer, not what was said in this one).
 */
async function readableNotes(repos: WorkspacePorts['repos'], viewer: Viewer, notes: Note[]): Promise<Note[]> {
  const ids = [...new Set(notes.flatMap((n) => (n.conversationId ? [n.conversationId] : [])))];
  const readable = new Set(
    (await Promise.all(ids.map((id) => repos.conversations.get(id))))
      .filter((c): c is Conversation => c !== null && canRead(viewer, c))
      .map((c) => c.id),
  );
  return notes.filter((n) => !n.conversationId || readable.has(n.conversationId));
}

/** Whom a conversation was with: its agent, or the last who had it as primary (one it left). */
function servedBy(c: Conversation): string | undefined {
  return c.agentId ?? c.participants.findLast((p) => p.mode === 'primary')?.agentId;
}

/** A customer's activities (conversations, cases, quick notes), newest first. */
export function createTimeline({ repos }: WorkspacePorts, access: WorkspaceAccess) {
  return {
    async forCustomer(
      actor: Actor,
      customerId: string,
      page: { limit?: number; before?: string } = {},
    ): Promise<TimelinePage> {
      const { viewer } = await access.customer(actor, customerId, 'read', 'read the timeline of');
      const [conversations, cases, allNotes] = await Promise.all([
        repos.conversations.findByCustomer(customerId, { limit: PER_KIND }),
        repos.cases.listByCustomer(customerId, { limit: PER_KIND }),
        repos.notes.listFor({ customerId }),
      ]);
      const notes = await readableNotes(repos, viewer, allNotes);
      const queueIds = [...new Set(conversations.flatMap((c) => (c.queueId ? [c.queueId] : [])))];
      const queues = new Map((await repos.queues.getMany(queueIds)).map((q) => [q.id, q.name]));
      const agentIds = [...notes.map((n) => n.authorId), ...conversations.flatMap((c) => servedBy(c) ?? [])];
      const names = new Map((await repos.agents.getMany([...new Set(agentIds)])).map((a) => [a.id, a.name]));
      const nameOf = (id: string | undefined) => (id ? (names.get(id) ?? id) : undefined);
      const entries: TimelineEntry[] = [
        ...conversations.map((c) => {
          const agentName = nameOf(servedBy(c));
          return {
            kind: 'conversation' as const,
            id: c.id,
            title: [CHANNEL_LABELS[c.channel] ?? c.channel, c.queueId ? queues.get(c.queueId) : undefined]
              .filter(Boolean)
              .join(' · '),
            at: c.timestamps.createdAt,
            status: c.status,
            ...(agentName ? { agentName } : {}),
            ...(c.disposition ? { disposition: c.disposition } : {}),
            ...(c.csat ? { rating: c.csat.rating } : {}),
          };
        }),
        ...cases.map((k) => ({
          kind: 'case' as const,
          id: k.id,
          title: `${k.number} ${k.title}`,
          at: k.createdAt,
          status: k.status,
          caseNumber: k.number,
        })),
        ...notes.map((n) => ({
          kind: 'note' as const,
          id: n.id,
          title: n.text.length > MAX_NOTE_TITLE ? `${n.text.slice(0, MAX_NOTE_TITLE - 1)}…` : n.text,
          at: n.createdAt,
          authorName: names.get(n.authorId) ?? n.authorId,
          ...(n.conversationId ? { conversationId: n.conversationId } : {}),
          ...(n.caseId ? { caseId: n.caseId } : {}),
        })),
      ];
      const limit = Math.min(Math.max(1, page.limit ?? 50), 200);
      const cursor =
        page.before !== undefined ? parseTimeCursor(page.before, 'timeline.bad_cursor') : undefined;
      const sorted = entries
        .sort((a, b) => b.at.getTime() - a.at.getTime() || a.id.localeCompare(b.id))
        .filter((e) => !cursor || isPastTimeCursor(e, cursor));
      const items = sorted.slice(0, limit);
      const last = items[items.length - 1];
      return sorted.length > limit && last ? { items, nextCursor: formatTimeCursor(last) } : { items };
    },
  };
}
