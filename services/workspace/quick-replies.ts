import type { QuickReply } from '../domain/index.js';
import { foldForMatching, indexTerm } from '../knowledge/index.js';
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

/** A field as the search compares it: folded as knowledge search folds ("Réinitialiser" is "reinitialiser"). */
interface Field {
  folded: string;
  /** Each word of it with its stem ("closing" and "close"). */
  words: Array<{ word: string; stem: string }>;
}

/** Letters, their marks and digits of any script: what a word is made of. */
const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/u;

/**
 * `compute` remembered for the last `kept` inputs: a search reads every reply at each key press,
 * and the replies and their words are the same from one key press to the next.
 */
function remembered<T>(compute: (input: string) => T, kept: number): (input: string) => T {
  const seen = new Map<string, T>();
  return (input) => {
    let value = seen.get(input);
    if (value === undefined) {
      if (seen.size >= kept) seen.clear();
      value = compute(input);
      seen.set(input, value);
    }
    return value;
  };
}

/** The word's stem as knowledge search takes it (Porter); a stop word or a fragment is its own stem. */
const stemOf = remembered((word) => indexTerm(word)?.[0] ?? word, 20_000);

const field = remembered((text): Field => {
  const folded = foldForMatching(text);
  const words = folded.split(NOT_WORD).filter(Boolean);
  return { folded, words: words.map((word) => ({ word, stem: stemOf(word) })) };
}, 5_000);

/**
 * `word` (folded) starts a word of the field, or is another form of one: "close" finds "Closing",
 * "reinitialiser" finds "Réinitialiser", "francais" the tag "français".
 */
function startsAWord(f: Field, word: string, stem: string): boolean {
  return f.words.some((w) => w.word.startsWith(word) || w.stem === stem);
}

/**
 * How well the reply fits the query, lower is better, or null when a word of the query appears
 * nowhere in its title, text or tags (case and accents aside). Each word counts by its best place:
 * the start (or another form) of a word of the title, a tag, of a word of the text, inside a word anywhere.
 */
export function queryFit(reply: QuickReply, query: string | undefined): number | null {
  const words = foldForMatching(query ?? '')
    .split(NOT_WORD)
    .filter(Boolean);
  const title = field(reply.title);
  const text = field(reply.text);
  const tags = reply.tags.map(field);
  let total = 0;
  for (const w of words) {
    const stem = stemOf(w);
    const fit = startsAWord(title, w, stem)
      ? FIT.titleWord
      : tags.some((t) => startsAWord(t, w, stem))
        ? FIT.tag
        : startsAWord(text, w, stem)
          ? FIT.textWord
          : [title, text, ...tags].some((f) => f.folded.includes(w))
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
