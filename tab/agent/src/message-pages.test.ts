import { describe, expect, it } from 'vitest';
import { readMessagePages, type MessagePage } from './message-pages.js';
import type { Message } from './types.js';

const message = (seq: number): Message =>
  ({ id: `m${seq}`, seq, from: 'customer', text: `${seq}`, visibility: 'public', at: '' }) as Message;

/** A server holding `count` messages that answers `limit` at a time, as GET …/messages does. */
function fakeServer(count: number, limit: number) {
  const asked: Array<string | number | undefined> = [];
  const page = (after?: string | number): Promise<MessagePage> => {
    asked.push(after);
    const from = after === undefined ? 0 : Number(after);
    const items = Array.from({ length: Math.min(limit, count - from) }, (_, i) => message(from + i + 1));
    const last = items.at(-1)?.seq;
    return Promise.resolve({ items, ...(last !== undefined && last < count ? { nextCursor: last } : {}) });
  };
  return { page, asked };
}

describe('reading a conversation’s messages', () => {
  it('pages on with nextCursor until the newest message of a long chat is in', async () => {
    const server = fakeServer(2_500, 1_000);
    const shown: Message[] = [];
    await readMessagePages(server.page, (items) => shown.push(...items));
    expect(shown).toHaveLength(2_500);
    expect(shown.at(-1)?.seq).toBe(2_500);
    expect(server.asked).toEqual([undefined, 1_000, 2_000]);
  });

  it('asks once when the first page says there is no more', async () => {
    const server = fakeServer(12, 1_000);
    const shown: Message[] = [];
    await readMessagePages(server.page, (items) => shown.push(...items));
    expect(shown).toHaveLength(12);
    expect(server.asked).toEqual([undefined]);
  });

  it('stops on a cursor it has asked with already instead of looping', async () => {
    let calls = 0;
    await readMessagePages(
      () => {
        calls += 1;
        return Promise.resolve({ items: [message(calls)], nextCursor: 'same' });
      },
      () => undefined,
    );
    expect(calls).toBe(2);
  });
});
