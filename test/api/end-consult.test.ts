import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, signIn, type ApiClient, type Json } from './support/clients.js';
import { liveConversation, type LiveConversation } from './support/live-conversation.js';

// The agent who asked a colleague in (or a supervisor of the queue) can end the consult, or take the
// ask back before it was opened: the consultant is out of the chat and the agents read who ended it.

const CUSTOMER = { userId: 'dl_endconsultcustomer01', name: 'Ben Okafor' };

let server: TestServer;
let live: LiveConversation;
let chen: ApiClient;
let sam: ApiClient;
let emma: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  live = await liveConversation(server.url, 'agent_alex', CUSTOMER);
  chen = await signIn(server.url, 'agent_chen');
  sam = await signIn(server.url, 'supervisor_sam');
  emma = await signIn(server.url, 'agent_emma');
  // Chen comes back from Away to be consulted (an offline colleague cannot be).
  await chen.call('PUT', '/me/presence', { presence: 'busy' });
}, 120_000);

afterAll(async () => {
  live?.customer.end();
  await server?.close();
});

const end = (client: ApiClient, agentId: string) =>
  client.call('POST', `/conversations/${live.conversationId}/consults/${agentId}/end`);

const consultOf = (details: Json, agentId: string) =>
  (details.participants as Json[]).filter((p) => p.agentId === agentId && p.mode === 'consult');

describe('POST /conversations/:id/consults/:agentId/end', () => {
  it("lets the conversation's agent end a colleague's consult, with a line saying so", async () => {
    const id = live.conversationId;
    expect(
      (await live.agent.call('POST', `/conversations/${id}/consult`, { agentId: 'agent_chen' })).status,
    ).toBe(200);
    expect((await chen.call('GET', '/me/sessions')).body.items).toHaveLength(1);
    const chenStream = await openStream(server.url, chen.token);

    const ended = await end(live.agent, 'agent_chen');
    expect(ended.status).toBe(200);
    expect(consultOf(ended.body, 'agent_chen')).toEqual([
      expect.objectContaining({ leftAt: expect.any(String) }),
    ]);

    // Chen's open session hears it at once, though he is no longer in the chat.
    await chenStream.waitFor(
      'his consult ended',
      (f) =>
        f.type === 'conversation.updated' &&
        f.conversationId === id &&
        f.participant?.agentId === 'agent_chen' &&
        f.participant?.joined === false,
    );
    await chenStream.close();
    // Chen is out: no session to come back to, no notes in it.
    expect((await chen.call('GET', '/me/sessions')).body.items).toEqual([]);
    const note = await chen.call('POST', `/conversations/${id}/messages`, {
      text: 'One more idea',
      visibility: 'internal',
    });
    expect(note.status).toBe(403);
    const lines = (await live.agent.call('GET', `/conversations/${id}/messages`)).body.items as Json[];
    expect(lines.at(-1)).toMatchObject({
      from: 'system',
      visibility: 'internal',
      text: "Alex Rivera ended Chen Wei's consult.",
    });
    // Insights' consult figures end with it.
    const records = (await server.services.repos.sessions.listByConversation(id)).filter(
      (s) => s.agentId === 'agent_chen',
    );
    expect(records.map((s) => s.state)).toEqual(['ended']);
  }, 60_000);

  it('refuses anyone else, a consult that is not there and the caller themselves', async () => {
    const id = live.conversationId;
    // Already ended.
    const again = await end(live.agent, 'agent_chen');
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'participant.not_joined',
      message: 'Chen Wei is not consulting on this conversation',
    });

    expect(
      (await live.agent.call('POST', `/conversations/${id}/consult`, { agentId: 'agent_chen' })).status,
    ).toBe(200);
    // A member of the queue who is not in the chat, and the consultant themselves (they leave).
    expect((await end(emma, 'agent_chen')).status).toBe(403);
    expect((await end(chen, 'agent_chen')).status).toBe(403);
    const self = await end(live.agent, 'agent_alex');
    expect(self.status).toBe(400);
    expect(self.body.error.code).toBe('participant.self');
    expect((await end(live.agent, 'agent_nobody')).status).toBe(404);
    expect(
      consultOf((await chen.call('GET', `/conversations/${id}`)).body, 'agent_chen').at(-1),
    ).not.toHaveProperty('leftAt');
  }, 60_000);

  it('lets a supervisor of the queue end it too', async () => {
    const ended = await end(sam, 'agent_chen');
    expect(ended.status).toBe(200);
    expect(consultOf(ended.body, 'agent_chen').every((p) => p.leftAt)).toBe(true);
    const lines = (await sam.call('GET', `/conversations/${live.conversationId}/messages`)).body
      .items as Json[];
    expect(lines.at(-1)?.text).toBe("Sam Morgan ended Chen Wei's consult.");
  }, 60_000);
});
