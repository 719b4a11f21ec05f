import type { Message } from './types.js';

/** One answer of GET /conversations/:id/messages: `nextCursor` is the `after` to ask with next. */
export interface MessagePage {
  items: Message[];
  nextCursor?: string | number;
}

/**
 * Reads a conversation's messages page by page until the server says there is no more, handing
 * each page over as it comes: the server answers at most 1,000 at a time, oldest first, so one read
 * of a long chat would show its start and miss the newest.
 */
export async function readMessagePages(
  page: (after?: string | number) => Promise<MessagePage>,
  onPage: (items: Message[]) => void,
): Promise<void> {
  const asked = new Set<string>();
  let after: string | number | undefined;
  for (;;) {
    const answer = await page(after);
    onPage(answer.items);
    const next = answer.nextCursor;
    // A cursor already asked with would only bring the same page again: stop rather than loop.
    if (next === undefined || next === null || asked.has(String(next))) return;
    asked.add(String(next));
    after = next;
  }
}
