import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentStore } from '../../services/store/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { watchedStore } from '../support/watched-store.js';
import { callDirectLine, openCustomerConversation } from './support/directline-http.js';

// The bot's answers to what a customer just sent do not read the channel's conversation again
// (bot/directline/recently-ongoing.ts): the customer's token check read it a moment before. An end
// still stops them at once. Over real HTTP against the real app, on either store.

const CONVERSATIONS = 'directline_conversations';

/** The store, with the reads of the channel's conversations counted. */
function countingConversationReads(inner: DocumentStore, reads: { n: number }): DocumentStore {
  return watchedStore(inner, (name, c) => {
    if (name !== CONVERSATIONS) return c;
    const counted = Object.create(c) as typeof c;
    for (const op of ['find', 'findOne', 'findFields'] as const) {
      (counted as unknown as Record<string, unknown>)[op] = (...args: unknown[]) => {
        reads.n += 1;
        return (c[op] as (...a: unknown[]) => unknown).apply(c, args);
      };
    }
    return counted;
  });
}

let s: TestServer;
const reads = { n: 0 };

beforeAll(async () => {
  s = await startTestServer({ app: { wrapStore: (store) => countingConversationReads(store, reads) } });
});

afterAll(async () => {
  await s?.close();
});

describe("the bot's answers to a customer's message", () => {
  it('read the conversation once: for the customer’s token, not again for each answer', async () => {
    const customer = await openCustomerConversation(s.url, 'dl_answers_once');
    await s.services.bot.idle();
    const before = (await customer.texts()).length;
    await s.services.bot.idle();

    reads.n = 0;
    expect((await customer.send('Hello, my internet is down')).status).toBe(200);
    await s.services.bot.idle();
    const readsForTheExchange = reads.n;

    const texts = await customer.texts();
    // The customer's message and at least one answer from the bot were stored.
    expect(texts.length).toBeGreaterThanOrEqual(before + 2);
    expect(readsForTheExchange).toBe(1);
  });

  it('are refused once the customer has ended the conversation, however soon after', async () => {
    const customer = await openCustomerConversation(s.url, 'dl_answers_after_end');
    expect((await customer.send('Hi')).status).toBe(200);
    const ended = await callDirectLine(
      s.url,
      'POST',
      `/conversations/${customer.conversationId}/activities`,
      customer.token,
      { type: 'endOfConversation', from: { id: 'dl_answers_after_end' } },
    );
    expect(ended.status).toBe(200);
    await expect(
      s.services.bot.directLine.postFromBot(customer.conversationId, { type: 'message', text: 'too late' }),
    ).rejects.toMatchObject({ status: 404, code: 'directline.conversation_ended' });
    await s.services.bot.idle();
  });
});
