import type { Activity } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, signIn, type ApiClient, type LiveStream } from './support/clients.js';
import { liveConversation, type LiveConversation } from './support/live-conversation.js';

// Typing both ways over the real server: the customer's Direct Line `typing` reaches the live
// streams of the agents in the conversation (and no one else's), the agent's POST …/typing reaches
// the customer as a Bot Framework `typing` activity, throttled. Neither is stored.

const CUSTOMER = { userId: 'dl_typingcustomer01', name: 'Dana Whitfield' };

let server: TestServer;
let live: LiveConversation;
let alexStream: LiveStream;
let samStream: LiveStream;
let chenStream: LiveStream;
let chen: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  live = await liveConversation(server.url, 'agent_alex', CUSTOMER);
  // Sam (supervisor of the queue) monitors; Chen is in the queue but not in the conversation.
  const sam = await signIn(server.url, 'supervisor_sam');
  expect((await sam.call('POST', `/conversations/${live.conversationId}/monitor`)).status).toBe(200);
  chen = await signIn(server.url, 'agent_chen');
  alexStream = await openStream(server.url, live.agent.token);
  samStream = await openStream(server.url, sam.token);
  chenStream = await openStream(server.url, chen.token);
}, 120_000);

afterAll(async () => {
  for (const s of [alexStream, samStream, chenStream]) await s?.close();
  live?.customer.end();
  await server?.close();
});

const isTyping = (conversationId: string) => (f: { type: string; conversationId?: string }) =>
  f.type === 'typing' && f.conversationId === conversationId;

describe('typing indicators', () => {
  it("shows the customer's typing to the agents in the conversation only, without storing it", async () => {
    const eventsBefore = (await server.services.repos.events.byConversation(live.conversationId)).length;
    await live.customer.post({ type: 'typing' } as Partial<Activity>);

    const frame = await alexStream.waitFor('customer typing for the owner', isTyping(live.conversationId));
    expect(frame).toMatchObject({ type: 'typing', author: 'customer', seq: expect.any(Number) });
    await samStream.waitFor('customer typing for the monitoring supervisor', isTyping(live.conversationId));

    // Chen's own presence change is sent after the typing signal was decided for every stream, so
    // once it is on his stream a typing frame for him would be there too.
    expect((await chen.call('PUT', '/me/presence', { presence: 'busy' })).status).toBe(200);
    await chenStream.waitFor('his presence change', (f) => f.type === 'presence.changed');
    expect(chenStream.frames.filter(isTyping(live.conversationId))).toEqual([]);

    // Ephemeral: not in the event log, not in the transcript, not replayed to a stream resuming.
    const events = await server.services.repos.events.byConversation(live.conversationId);
    expect(events.length).toBe(eventsBefore);
    expect(events.some((e) => (e.type as string).includes('typing'))).toBe(false);
    const transcript = await live.agent.call('GET', `/conversations/${live.conversationId}/messages`);
    expect(JSON.stringify(transcript.body)).not.toMatch(/typing/i);
    const resumed = await openStream(server.url, live.agent.token, 0);
    try {
      await resumed.waitFor('the replay to reach the accept', (f) => f.type === 'offer.closed');
      expect(resumed.frames.filter(isTyping(live.conversationId))).toEqual([]);
    } finally {
      await resumed.close();
    }
  });

  it("sends the agent's typing to the customer as a typing activity, at most once per 3 s", async () => {
    await server.services.bot.idle();
    const from = live.customer.seen.length;
    const typingPath = `/conversations/${live.conversationId}/typing`;

    // Only the owner may say they are typing.
    const refused = await chen.call('POST', typingPath);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('access.denied');

    expect(await live.agent.call('POST', typingPath)).toMatchObject({ status: 200, body: { ok: true } });
    // A second call at once answers ok but sends nothing more.
    expect(await live.agent.call('POST', typingPath)).toMatchObject({ status: 200, body: { ok: true } });
    const sent = await live.agent.call('POST', `/conversations/${live.conversationId}/messages`, {
      text: 'Let me check your line.',
      visibility: 'public',
    });
    expect(sent.status).toBe(201);

    // The relay keeps one conversation's deliveries in order: typing, then the message.
    const reply = await live.customer.waitFor(
      'the reply after the typing',
      (a) => a.type === 'message' && a.text === 'Let me check your line.',
    );
    const between = live.customer.seen.slice(from, live.customer.seen.indexOf(reply));
    const typing = between.filter((a) => a.type === 'typing');
    expect(typing).toHaveLength(1);
    expect(typing[0]!.from.id).not.toBe(CUSTOMER.userId);
    expect(
      (await server.services.repos.events.byConversation(live.conversationId)).some((e) =>
        (e.type as string).includes('typing'),
      ),
    ).toBe(false);
  });

  it('refuses typing into a conversation that does not exist', async () => {
    const res = await live.agent.call('POST', '/conversations/conv_nope/typing');
    expect(res.status).toBe(404);
  });
});
