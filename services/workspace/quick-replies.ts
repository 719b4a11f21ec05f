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

/** Where one word of a query is found, best first: an agent looks for a reply by its title's words. */
const FIT = { titleWord: 0, tag: 1, textWord: 2, insideWord: 3 } as const;

/** `word` begins a word of `field` (both lower case): at its start or after a character no letter or digit. */
function startsAWord(field: string, word: string): boolean {
  for (let at = field.indexOf(word); at !== -1; at = field.indexOf(word, at + 1))
    if (at === 0 || !/[\p{L}\p{N}]/u.test(field[at - 1]!)) return true;
  return false;
}

/**
 * How well the reply fits the query, lower is better, or null when a word of the query appears
 * nowhere in its title, text or tags (case-insensitive). Each word counts by its best place: the start
 * of a word of the title, a tag, the start of a word of the text, inside a word anywhere.
 */
export function queryFit(reply: QuickReply, query: string | undefined): number | null {
  const words = (query ?? '').toLowerCase().split(/\s+/u).filter(Boolean);
  const title = reply.title.toLowerCase();
  const text = reply.text.toLowerCase();
  const tags = reply.tags.map((t) => t.toLowerCase());
  let total = 0;
  for (const w of words) {
    const fit = startsAWord(title, w)
      ? FIT.titleWord
      : tags.some((t) => startsAWord(t, w))
        ? FIT.tag
        : startsAWord(text, w)
          ? FIT.textWord
          : [title, text, ...tags].some((f) => f.includes(w))
            ? FIT.insideWord
            : null;
    if (fit === null) return null;
    total += fit;
  }
  return total;
}

export function createQuickReplies({ repos }: WorkspacePorts, access: WorkspaceAccess) {
  return {
    /**
     * The quick replies matching `q`, those that fit it best first (`queryFit`), each filled for this
     * conversation and this agent.
     */
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
        .flatMap((r) => {
          const fit = queryFit(r, q);
          return fit === null ? [] : [{ r, fit }];
        })
        .sort((a, b) => a.fit - b.fit)
        .map(({ r }) => {
          const { text: filled, unfilled } = fillSlots(r.text, values);
          return { id: r.id, title: r.title, text: r.text, tags: r.tags, filled, unfilled };
        });
    },
  };
}
