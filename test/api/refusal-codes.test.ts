import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn } from './support/clients.js';
import { liveConversation } from './support/live-conversation.js';

// A refusal's code says what stood in the way: an agent in Do not disturb is refused for their
// presence (agent.presence_not_allowed), not for a room they have; and a reopen that lost to the
// same agent's other reopen, sent at once, finds the conversation no longer closed.

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
}, 120_000);
afterAll(() => server?.close());

describe('refusals name their reason', () => {
  it('refuses a transfer to an agent in Do not disturb for their presence', async () => {
    const live = await liveConversation(server.url, 'agent_alex', {
      userId: 'dl_refusal_dnd',
      name: 'Kofi Mensah',
    });
    try {
      const chen = await signIn(server.url, 'agent_chen');
      expect((await chen.call('PUT', '/me/presence', { presence: 'do-not-disturb' })).status).toBe(200);
      const moved = await live.agent.call('POST', `/conversations/${live.conversationId}/transfer`, {
        toAgentId: 'agent_chen',
      });
      expect(moved.status).toBe(409);
      expect(moved.body.error.code).toBe('agent.presence_not_allowed');
      expect(moved.body.error.message).toMatch(/^Chen Wei is Do not disturb/);
    } finally {
      live.customer.end();
    }
  });

  it('answers reopens sent at once with one reopen and conversation.not_closed for the rest', async () => {
    const live = await liveConversation(server.url, 'agent_alex', {
      userId: 'dl_refusal_reopen',
      name: 'Lena Vogel',
    });
    try {
      const { agent, conversationId: id } = live;
      expect((await agent.call('POST', `/conversations/${id}/end`)).status).toBe(200);
      expect(
        (await agent.call('POST', `/conversations/${id}/wrap-up`, { disposition: 'resolved' })).status,
      ).toBe(200);
      const answers = await Promise.all(
        [1, 2, 3].map(() => agent.call('POST', `/conversations/${id}/reopen`)),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      for (const refused of answers.filter((a) => a.status !== 200)) {
        expect(refused.status).toBe(409);
        expect(refused.body.error.code).toBe('conversation.not_closed');
        // Refused by the state (reopened already) or by the hold of the reopen still under way.
        expect(refused.body.error.message).toMatch(
          /^(Only a closed conversation can be reopened; this one is active|This conversation is being reopened already)$/,
        );
        expect(refused.body.error.details).toMatchObject({ conversationId: id });
      }
    } finally {
      live.customer.end();
    }
  });

  it('say what stands in the way in words, the ids only in their details', async () => {
    const live = await liveConversation(server.url, 'agent_alex', {
      userId: 'dl_refusal_words',
      name: 'Maya Torres',
    });
    try {
      const { agent, conversationId: id } = live;
      const nosy = await signIn(server.url, 'agent_devi');
      const read = await nosy.call('GET', `/conversations/${id}`);
      expect(read.status).toBe(403);
      expect(read.body.error).toMatchObject({
        code: 'access.denied',
        message: 'You may not see this conversation',
        details: { conversationId: id },
      });
      expect((await agent.call('POST', `/conversations/${id}/end`)).status).toBe(200);
      const moved = await agent.call('POST', `/conversations/${id}/transfer`, { toAgentId: 'agent_chen' });
      expect(moved.status).toBe(409);
      expect(moved.body.error).toMatchObject({
        code: 'conversation.not_active',
        message: 'Only an active conversation can be transferred; this one is in wrap-up',
        details: { conversationId: id },
      });
      const written = await agent.call('POST', `/conversations/${id}/messages`, {
        text: 'One more thing',
        visibility: 'public',
      });
      expect(written.status).toBe(409);
      expect(written.body.error).toMatchObject({
        message: 'This conversation is in wrap-up; the customer can only be written to while it is active',
        details: { conversationId: id, status: 'wrap-up' },
      });
      const picked = await agent.call('POST', `/conversations/${id}/pick`);
      expect(picked.status).toBe(409);
      expect(picked.body.error.message).toBe('This conversation is in wrap-up, not waiting to be picked');
      const missing = await agent.call('GET', '/conversations/conv_no_such_one');
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatchObject({
        message: 'No such conversation',
        details: { conversationId: 'conv_no_such_one' },
      });
      const offers = await agent.call('POST', '/offers/no-such-offer/accept');
      for (const refused of [read, moved, written, picked, offers]) {
        expect(refused.body.error.message).not.toMatch(id);
      }
      expect(missing.body.error.message).not.toMatch('conv_no_such_one');
    } finally {
      live.customer.end();
    }
  });
});
