import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, signIn, until, type ApiClient, type Json } from './support/clients.js';
import { liveConversation, type LiveConversation } from './support/live-conversation.js';

// A transfer may carry a handover note: stored as an internal message once the transfer happened,
// and quoted on the next agent's offer in place of the customer's first message, which may be many
// minutes old by then.

let server: TestServer;
let live: LiveConversation;
let chen: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  live = await liveConversation(server.url, 'agent_alex', { userId: 'dl_handover01', name: 'Ines Moreau' });
  chen = await signIn(server.url, 'agent_chen');
}, 120_000);

afterAll(async () => {
  live?.customer.end();
  await server?.close();
});

describe('POST /conversations/:id/transfer with a note', () => {
  it("shows the note and the customer's latest words on the next agent's offer, never to the customer", async () => {
    const id = live.conversationId;
    await live.customer.post({ type: 'message', text: 'Now the TV box is off as well' });
    await until('the customer message stored', async () => {
      const items = (await live.agent.call('GET', `/conversations/${id}/messages`)).body.items as Json[];
      return items.some((m) => m.text === 'Now the TV box is off as well');
    });
    // Chen is offline at first: the transfer is refused, and its note with it.
    await chen.call('PUT', '/me/presence', { presence: 'offline' });
    const refused = await live.agent.call('POST', `/conversations/${id}/transfer`, {
      toAgentId: 'agent_chen',
      note: 'Written for a transfer that never happened',
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const afterRefusal = (await live.agent.call('GET', `/conversations/${id}/messages`)).body.items as Json[];
    expect(afterRefusal.filter((m) => String(m.text).startsWith('Handover note:'))).toEqual([]);

    await chen.call('PUT', '/me/presence', { presence: 'available' });
    const stream = await openStream(server.url, chen.token);
    try {
      const moved = await live.agent.call('POST', `/conversations/${id}/transfer`, {
        toAgentId: 'agent_chen',
        note: '  Router replaced already; the TV box is the open question.  ',
      });
      expect(moved.status).toBe(200);
      const offer = await stream.waitFor('the offer', (f) => f.type === 'offer.created', 30_000);
      expect(offer.handoverNote).toEqual({
        text: 'Router replaced already; the TV box is the open question.',
        by: 'Alex Rivera',
      });
      expect(offer.lastCustomerMessage).toBe('Now the TV box is off as well');
      const listed = (await chen.call('GET', '/offers')).body.items as Json[];
      expect(listed[0].handoverNote.by).toBe('Alex Rivera');
    } finally {
      await stream.close();
    }
    const items = (await chen.call('GET', `/conversations/${id}/messages`)).body.items as Json[];
    const note = items.find((m) => String(m.text).startsWith('Handover note:'));
    expect(note).toMatchObject({
      visibility: 'internal',
      authorName: 'Alex Rivera',
      text: 'Handover note: Router replaced already; the TV box is the open question.',
    });
    expect(live.customer.seen.some((a) => a.type === 'message' && /Router replaced/.test(a.text ?? ''))).toBe(
      false,
    );
  }, 60_000);
});
