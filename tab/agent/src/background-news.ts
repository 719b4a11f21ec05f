/**
 * What happened in sessions the agent is not looking at, gathered over a moment and said in one
 * line: a screen reader hears "3 new messages from Ana Ruiz", not three announcements that cut
 * each other off, and nothing of the chat on screen (its transcript says that itself).
 */
export interface BackgroundNews {
  /** Per conversation, in the order it first had news: its customer's name, messages and whether they left. */
  readonly byConversation: ReadonlyMap<string, { name: string; messages: number; left: boolean }>;
}

export const NO_NEWS: BackgroundNews = { byConversation: new Map() };

/** Adds one event of a session behind another view: a message from its customer, or their leaving. */
export function addNews(
  news: BackgroundNews,
  conversationId: string,
  name: string,
  what: 'message' | 'left',
): BackgroundNews {
  const byConversation = new Map(news.byConversation);
  const cur = byConversation.get(conversationId) ?? { name, messages: 0, left: false };
  byConversation.set(conversationId, {
    name,
    messages: cur.messages + (what === 'message' ? 1 : 0),
    left: cur.left || what === 'left',
  });
  return { byConversation };
}

/** The words for what was gathered ("" for nothing). */
export function newsWords(news: BackgroundNews): string {
  const parts: string[] = [];
  for (const { name, messages, left } of news.byConversation.values()) {
    if (messages === 1) parts.push(`New message from ${name}`);
    else if (messages > 1) parts.push(`${messages} new messages from ${name}`);
    if (left) parts.push(`${name} left the chat`);
  }
  return parts.join('. ');
}
