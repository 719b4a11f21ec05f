/**
 * A customer who comes back the same day goes first to the agent who served them (the demo's web
 * chat sets `returnToLastAgentHours`), told as such in the offer, over the real server: the bot's
 * hand-over, routing and the agent API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, signIn, type Json } from './support/clients.js';
import { customerPastSurvey, liveConversation } from './support/live-conversation.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(() => server?.close());

describe('a returning customer', () => {
  it('is offered first to the agent who served them, whom routing alone would not have picked', async () => {
    const customer = { userId: 'dl_returning_1', name: 'Rita Return' };
    const first = await liveConversation(server.url, 'agent_alex', customer);
    const alex = first.agent;
    expect((await alex.call('POST', `/conversations/${first.conversationId}/end`)).status).toBe(200);
    const closed = await alex.call('POST', `/conversations/${first.conversationId}/wrap-up`, {
      disposition: 'Resolved',
    });
    expect(closed.status).toBe(200);
    first.customer.end();

    // Chen is free too, with the better outage skill: for an outage, routing alone would pick Chen.
    const chen = await signIn(server.url, 'agent_chen');
    await chen.call('PUT', '/me/presence', { presence: 'available' });
    const stream = await openStream(server.url, alex.token);
    try {
      const again = await customerPastSurvey(server.url, customer, 'Internet outage');
      await again.post({ type: 'message', text: 'Me again, I want to talk to an agent' });
      const offer = await stream.waitFor('the offer', (f) => f.type === 'offer.created', 30_000);
      expect((offer.reason as Json).returning).toBe(true);
      expect((offer.reason as Json).summary).toMatch(/^A returning customer: you served them last/);
      expect(offer.customerName).toBe('Rita Return');
      again.end();
    } finally {
      await stream.close();
    }

    // Someone new with an outage goes by skill: to Chen.
    const chenStream = await openStream(server.url, chen.token);
    try {
      const stranger = await customerPastSurvey(
        server.url,
        { userId: 'dl_returning_2', name: 'Nina New' },
        'Internet outage',
      );
      await stranger.post({ type: 'message', text: 'I want to talk to an agent' });
      const offer = await chenStream.waitFor('the offer', (f) => f.type === 'offer.created', 30_000);
      expect(offer.customerName).toBe('Nina New');
      expect((offer.reason as Json).returning).toBeUndefined();
      stranger.end();
    } finally {
      await chenStream.close();
    }
  }, 120_000);
});
