import type { Message } from './types.js';

/** The transcript's order: the server's `seq`, then the time (a message sent here before its seq came). */
const before = (a: Message, b: Message) => (a.seq ?? 0) - (b.seq ?? 0) || a.at.localeCompare(b.at);

/**
 * A transcript with `more` merged in, each message once, in order. The same array when nothing is
 * new (the stream's echo of a message this tab sent), so nothing showing it renders again. A live
 * message or the next page comes after all the others: it is appended, not sorted in, since a long
 * chat hears one message at a time and sorting thousands for each cost a second of typing.
 */
export function mergeMessages(cur: readonly Message[], more: readonly Message[]): readonly Message[] {
  if (more.length === 0) return cur;
  let last = cur.at(-1);
  let inOrder = true;
  for (const m of more) {
    if (last && before(m, last) <= 0) {
      inOrder = false;
      break;
    }
    last = m;
  }
  if (inOrder) return [...cur, ...more];
  const seen = new Set(cur.map((m) => m.id));
  const fresh = more.filter((m) => !seen.has(m.id) && (seen.add(m.id), true));
  if (fresh.length === 0) return cur;
  return [...cur, ...fresh].sort(before);
}
