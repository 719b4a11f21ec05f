/**
 * A customer pastes their card number into the chat, and an agent quotes one back: neither is stored.
 * Over the real server, the local Direct Line channel (the official client on its WebSocket stream)
 * and the agent API, each place the number could end up is read: the channel's own log, the
 * customer's stream, the agent's messages and live stream, the conversation's subject.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, until, type Json } from './support/clients.js';
import { liveConversation, type LiveConversation } from './support/live-conversation.js';

const CARD = '4111 1111 1111 1111';
const MASKED = '•••• •••• •••• 1111';

let server: TestServer;
let live: LiveConversation;

describe('card numbers in a chat', () => {
  beforeAll(async () => {
    server = await startTestServer();
    live = await liveConversation(server.url, 'agent_alex', { userId: 'dl-card-1', name: 'Ada Lovelace' });
  }, 90_000);

  afterAll(async () => {
    live?.customer.end();
    await server?.close();
  });

  it("are masked but for the last four digits wherever the customer's message goes", async () => {
    const agentStream = await openStream(server.url, live.agent.token);
    await live.customer.post({ type: 'message', text: `You charged my card ${CARD} twice` });
    const framed = await agentStream.waitFor(
      'the message on the live stream',
      (f) => f.type === 'conversation.message' && /charged my card/.test((f.message as Json).text),
    );
    expect((framed.message as Json).text).toBe(`You charged my card ${MASKED} twice`);
    await agentStream.close();

    const messages = (await live.agent.call('GET', `/conversations/${live.conversationId}/messages`)).body
      .items as Json[];
    const texts = messages.map((m) => m.text as string);
    expect(texts).toContain(`You charged my card ${MASKED} twice`);
    expect(texts.join('\n')).not.toContain('4111 1111 1111 1111');

    // The customer's own stream carries it as stored, so the widget shows (and keeps) that.
    const textOf = (a: unknown) => (a as { text?: string }).text ?? '';
    const echoed = await live.customer.waitFor('their message as stored', (a) =>
      /charged my card/.test(textOf(a)),
    );
    expect(textOf(echoed)).toBe(`You charged my card ${MASKED} twice`);

    // The channel's own log: the number nowhere.
    const store = server.services.store;
    const raw = JSON.stringify(await store.collection('directline_activities').find({}, { limit: 10_000 }));
    expect(raw).toContain(MASKED);
    expect(raw).not.toMatch(/4111[ -]?1111[ -]?1111[ -]?1111/);
  });

  it("are masked in a link's name and address and in the sender's name, in the transcript and the channel's log", async () => {
    const plain = CARD.replace(/ /g, '');
    // Posted as JSON: the official client would try to fetch a link's address and upload it.
    const { conversationId, token } = live.customer.session();
    const posted = await fetch(`${server.url}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        text: 'Here is the receipt',
        from: { id: 'ignored', name: `Ada ${CARD}` },
        attachments: [
          { contentType: 'image/png', contentUrl: `https://example.com/receipts/${plain}.png`, name: CARD },
        ],
      }),
    });
    expect(posted.status).toBe(200);
    const receipt = async () =>
      (
        (await live.agent.call('GET', `/conversations/${live.conversationId}/messages`)).body.items as Json[]
      ).find((m) => m.text === 'Here is the receipt');
    const message = await until('the message in the transcript', receipt);
    expect(message.attachments).toEqual([
      expect.objectContaining({ name: MASKED, url: 'https://example.com/receipts/••••••••••••1111.png' }),
    ]);
    const raw = JSON.stringify(
      await server.services.store.collection('directline_activities').find({}, { limit: 10_000 }),
    );
    expect(raw).toContain('Ada •••• •••• •••• 1111');
    expect(raw).not.toMatch(/4111[ -]?1111[ -]?1111[ -]?1111/);
  });

  it('are masked in what an agent writes too, and a repeated send is still the same message', async () => {
    const send = async (text: string) => {
      const res = await fetch(`${server.url}/api/v1/conversations/${live.conversationId}/messages`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${live.agent.token}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': 'note-card-1',
        },
        body: JSON.stringify({ text, visibility: 'internal' }),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const first = await send('Card on file: 5555-5555-5555-4444');
    expect(first.status).toBe(201);
    expect(first.body.text).toBe('Card on file: ••••-••••-••••-4444');
    const again = await send('Card on file: 5555-5555-5555-4444');
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });

  it('are masked in notes and cases an agent writes', async () => {
    const { customerId } = (await live.agent.call('GET', `/conversations/${live.conversationId}`)).body;
    const note = await live.agent.call('POST', `/customers/${customerId}/notes`, {
      text: 'Refund goes to 4111 1111 1111 1111',
    });
    expect(note.status).toBeLessThan(300);
    expect(note.body.text).toBe(`Refund goes to ${MASKED}`);
    const opened = await live.agent.call('POST', `/conversations/${live.conversationId}/case`, {
      title: 'Double charge on 4111111111111111',
      description: 'Charged twice on card 4111-1111-1111-1111',
    });
    expect(opened.status).toBeLessThan(300);
    const stored = (await live.agent.call('GET', `/cases/${opened.body.id}`)).body;
    expect(stored).toMatchObject({
      title: 'Double charge on ••••••••••••1111',
      description: 'Charged twice on card ••••-••••-••••-1111',
    });
  });

  it('are masked in what the page says about its visitor, sent as a JSON number too', async () => {
    const { conversationId, token } = live.customer.session();
    const posted = await fetch(`${server.url}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      // As a page's script would send it: JSON numbers, one past 2^53 whose digits JSON cannot keep.
      body: `{"type":"event","name":"visitorContext","from":{"id":"ignored"},"value":{"custom":{
        "savedCard":4111111111111111,"amexCard":378282246310005,"longCard":6011000990139424123,
        "orderNumber":1234567890123,"loyaltyPoints":4200,"cardAsText":"5500 0000 0000 0004"}}}`,
    });
    expect(posted.status).toBe(200);
    const custom = async () => {
      const { additionalContext } = (
        await live.agent.call('GET', `/conversations/${live.conversationId}/customer`)
      ).body as { additionalContext: Array<{ key: string; value: unknown }> };
      const values = Object.fromEntries(additionalContext.map((e) => [e.key, e.value]));
      return 'savedCard' in values ? values : undefined;
    };
    expect(await until('the custom context', custom)).toMatchObject({
      savedCard: '••••••••••••1111',
      amexCard: '•••••••••••0005',
      longCard: expect.stringMatching(/^•{15}\d{4}$/),
      orderNumber: 1234567890123,
      loyaltyPoints: 4200,
      cardAsText: '•••• •••• •••• 0004',
    });
    const details = (await live.agent.call('GET', `/conversations/${live.conversationId}`)).body;
    expect(details.context.custom.savedCard).toBe('••••••••••••1111');

    const raw = JSON.stringify([
      await server.services.store.collection('directline_activities').find({}, { limit: 10_000 }),
      await server.services.repos.conversations.get(live.conversationId),
    ]);
    expect(raw).not.toMatch(/4111111111111111|378282246310005|601100099013942/);
  });

  it('leaves numbers that are no card as they were', async () => {
    await live.customer.post({
      type: 'message',
      text: 'My account is 100234567 and my phone +44 20 7946 0958',
    });
    await until('the message stored', async () => {
      const items = (await live.agent.call('GET', `/conversations/${live.conversationId}/messages`)).body
        .items as Json[];
      return items.some((m) => m.text === 'My account is 100234567 and my phone +44 20 7946 0958');
    });
  });
});
