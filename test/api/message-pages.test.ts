import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { type Json } from './support/clients.js';
import { liveConversation, type LiveConversation } from './support/live-conversation.js';

// A long chat holds more messages than one page of `GET …/messages`: the answer says there are more
// (`nextCursor`, the `after` to ask next) rather than stopping quietly, and the transcript the
// customer asks for holds every line.

const CUSTOMER = { userId: 'dl_longchatcustomer', name: 'Imani Castillo' };
const STORED = 1419;

let server: TestServer;
let live: LiveConversation;

const page = async (after?: number) =>
  (
    await live.agent.call(
      'GET',
      `/conversations/${live.conversationId}/messages${after === undefined ? '' : `?after=${after}`}`,
    )
  ).body as { items: Array<{ seq: number; text: string }>; nextCursor?: number };

describe('a conversation longer than a page', () => {
  beforeAll(async () => {
    server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
    live = await liveConversation(server.url, 'agent_alex', CUSTOMER);
    // Stored straight into the store: 1,419 sends over HTTP would pass the agent's rate limit.
    for (let i = 1; i <= STORED; i++) {
      await server.services.repos.messages.append({
        conversationId: live.conversationId,
        author: 'agent',
        authorId: 'agent_alex',
        authorName: 'Alex Rivera',
        visibility: 'public',
        text: `line ${i}`,
      });
    }
  }, 180_000);

  afterAll(async () => {
    live?.customer.end();
    await server?.close();
  });

  it('says where the next page starts, and the pages hold every message once', async () => {
    const first = await page();
    expect(first.items).toHaveLength(1000);
    expect(first.nextCursor).toBe(first.items.at(-1)!.seq);
    const seen: Json[] = [...first.items];
    let cursor = first.nextCursor;
    while (cursor !== undefined) {
      const next = await page(cursor);
      expect(next.items[0]!.seq).toBeGreaterThan(cursor);
      seen.push(...next.items);
      cursor = next.nextCursor;
    }
    const texts = seen.map((m: { text: string }) => m.text);
    expect(texts).toContain('line 1');
    expect(texts).toContain(`line ${STORED}`);
    expect(new Set(seen.map((m: { seq: number }) => m.seq)).size).toBe(seen.length);
    expect(seen.length).toBe(
      (await server.services.repos.conversations.get(live.conversationId))!.lastMessageSeq,
    );
  });

  it('gives no nextCursor on the last page', async () => {
    const last = await server.services.repos.conversations.get(live.conversationId);
    const tail = await page(last!.lastMessageSeq - 5);
    expect(tail.items).toHaveLength(5);
    expect(tail).not.toHaveProperty('nextCursor');
  });

  it('gives the newest messages alone when asked for the latest, oldest first and without a cursor', async () => {
    const last = (await server.services.repos.conversations.get(live.conversationId))!.lastMessageSeq;
    const newest = await live.agent.call('GET', `/conversations/${live.conversationId}/messages?latest=5`);
    expect(newest.status).toBe(200);
    const items = newest.body.items as Array<{ seq: number }>;
    expect(items.map((m) => m.seq)).toEqual([last - 4, last - 3, last - 2, last - 1, last]);
    expect(newest.body).not.toHaveProperty('nextCursor');
  });

  it('refuses a latest of none, of more than a page, or together with after, naming the query', async () => {
    for (const query of ['latest=0', 'latest=1001', 'latest=5&after=3']) {
      const refused = await live.agent.call('GET', `/conversations/${live.conversationId}/messages?${query}`);
      expect(refused.status, query).toBe(400);
      expect(JSON.stringify(refused.body), query).toMatch(/latest/);
    }
  });

  it("sends the customer a transcript with the chat's last line", async () => {
    await live.customer.post({ type: 'message', text: 'transcript' });
    const sent = await live.customer.waitFor(
      'the transcript',
      (a) => a.type === 'message' && (a.text ?? '').startsWith('Here is the transcript'),
      30_000,
    );
    const text = sent.type === 'message' ? sent.text : undefined;
    expect(text).toContain('line 1\n');
    expect(text).toMatch(new RegExp(`: line ${STORED}(\n|$)`));
  });
  it("carries the latest 100 sentiment readings in the conversation's details, oldest first", async () => {
    // One reading a customer message: a long chat's history would otherwise grow the details
    // every open session re-reads on each update.
    const readings = 150;
    for (let i = 1; i <= readings; i++) {
      await server.services.repos.events.append({
        type: 'sentiment.changed',
        conversationId: live.conversationId,
        score: i / 1000,
        level: 'neutral',
      });
    }
    const details = await live.agent.call('GET', `/conversations/${live.conversationId}`);
    expect(details.status).toBe(200);
    const history = details.body.sentimentHistory as Array<{ score: number; at: string }>;
    expect(history).toHaveLength(100);
    expect(history.at(-1)!.score).toBe(readings / 1000);
    expect(history[0]!.score).toBe((readings - 99) / 1000);
  });
});
