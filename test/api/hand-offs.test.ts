import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, signIn, until, type ApiClient, type Json, type LiveStream } from './support/clients.js';
import { liveConversation } from './support/live-conversation.js';

// Agents handing a chat to one another, with a consultant in it: who is in the conversation after
// each step (what they may read and write, their sessions), and what the transcript records.

const ALEX = 'agent_alex';
const CHEN = 'agent_chen';
const EMMA = 'agent_emma';

let server: TestServer;
let sam: ApiClient;
const streams: LiveStream[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  sam = await signIn(server.url, 'supervisor_sam');
}, 120_000);

afterAll(async () => {
  await Promise.all(streams.map((s) => s.close()));
  await server?.close();
});

/** Signed in, at their desk (Available), with their live stream open. */
async function atDesk(agentId: string): Promise<{ agent: ApiClient; stream: LiveStream }> {
  const agent = await signIn(server.url, agentId);
  expect((await agent.call('PUT', '/me/presence', { presence: 'available' })).status).toBe(200);
  const stream = await openStream(server.url, agent.token);
  streams.push(stream);
  return { agent, stream };
}

async function streamOf(agent: ApiClient): Promise<LiveStream> {
  const stream = await openStream(server.url, agent.token);
  streams.push(stream);
  return stream;
}

const offerOf = (id: string) => (f: Json) => f.type === 'offer.created' && f.conversationId === id;

async function transcript(id: string): Promise<string[]> {
  const items = (await sam.call('GET', `/conversations/${id}/messages`)).body.items as Json[];
  return items.map((m) => m.text as string);
}

/** Frees the agents for the next scenario: whatever state the chat is in, it closes. */
async function closeChat(id: string): Promise<void> {
  expect((await sam.call('POST', `/conversations/${id}/force-close`, { reason: 'test over' })).status).toBe(
    200,
  );
}

describe('a transfer declined', () => {
  it('says so in the transcript: the chat went back to the queue before someone else took it', async () => {
    const live = await liveConversation(server.url, ALEX, { userId: 'dl_handoffs04', name: 'Pia Lund' });
    const id = live.conversationId;
    const { agent: emma, stream: emmaStream } = await atDesk(EMMA);
    const { agent: chen, stream: chenStream } = await atDesk(CHEN);
    expect((await live.agent.call('POST', `/conversations/${id}/transfer`, { toAgentId: EMMA })).status).toBe(
      200,
    );
    const offer = await emmaStream.waitFor('the transfer to Emma', offerOf(id));
    expect((await emma.call('POST', `/offers/${offer.offerId}/reject`)).status).toBe(200);
    const routed = await chenStream.waitFor('the chat routed to Chen', offerOf(id));
    const declined =
      'Emma Larsen declined the transfer: the conversation went back to the Technical support queue.';
    await until('the note that Emma declined', async () => (await transcript(id)).includes(declined));
    expect((await chen.call('POST', `/offers/${routed.offerId}/accept`)).status).toBe(200);
    expect(
      (
        await chen.call('POST', `/conversations/${id}/messages`, {
          text: 'Hi, Chen here',
          visibility: 'public',
        })
      ).status,
    ).toBe(201);

    const lines = await transcript(id);
    const order = ['Alex Rivera transferred the conversation to Emma Larsen.', declined, 'Hi, Chen here'].map(
      (text) => lines.indexOf(text),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const messages = (await sam.call('GET', `/conversations/${id}/messages`)).body.items as Json[];
    expect(messages.find((m) => m.text === declined)).toMatchObject({
      from: 'system',
      visibility: 'internal',
    });
    expect(
      live.customer.seen.some((a) => a.type === 'message' && /declined the transfer/.test(a.text ?? '')),
    ).toBe(false);
    await closeChat(id);
    live.customer.end();
  }, 90_000);

  it('offers it back at once to the agent who handed it on when nobody else can take it', async () => {
    const live = await liveConversation(server.url, ALEX, { userId: 'dl_handoffs05', name: 'Rui Costa' });
    const id = live.conversationId;
    const alexStream = await streamOf(live.agent);
    // Only Alex and Chen are at their desks.
    const { agent: chen, stream: chenStream } = await atDesk(CHEN);
    expect((await live.agent.call('POST', `/conversations/${id}/transfer`, { toAgentId: CHEN })).status).toBe(
      200,
    );
    const offer = await chenStream.waitFor('the transfer to Chen', offerOf(id));
    expect((await chen.call('POST', `/offers/${offer.offerId}/reject`)).status).toBe(200);
    // Well within the offer timeout (60 s) that a declined item otherwise waits out.
    const back = await alexStream.waitFor('the chat back with Alex', offerOf(id), 15_000);
    expect(back.reason.summary).toMatch(
      /^Back to you: you handed this chat on, and nobody else in Technical support/,
    );
    await closeChat(id);
    live.customer.end();
  }, 90_000);
});
