import type { Activity } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, signIn, type ApiClient, type Json, type LiveStream } from './support/clients.js';
import { liveConversation, type LiveConversation } from './support/live-conversation.js';

// Where the customer goes while they chat (the widget's `Switchboard.track`, a `portalNavigation`
// event on the channel) reaches the agents in the conversation as it happens, so the customer
// summary is not stale; agents of the queue who are not in it hear nothing.

let server: TestServer;
let live: LiveConversation;
let alexStream: LiveStream;
let chenStream: LiveStream;
let chen: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  live = await liveConversation(server.url, 'agent_alex', {
    userId: 'dl_navigating_customer1',
    name: 'Dana',
  });
  alexStream = await openStream(server.url, live.agent.token);
  chen = await signIn(server.url, 'agent_chen');
  chenStream = await openStream(server.url, chen.token);
}, 120_000);

afterAll(async () => {
  for (const s of [alexStream, chenStream]) await s?.close();
  live?.customer.end();
  await server?.close();
});

const navigated = (conversationId: string) => (f: Json) =>
  f.type === 'conversation.updated' &&
  f.conversationId === conversationId &&
  Array.isArray(f.portalNavigation);

describe('the customer browsing during the chat', () => {
  it("reaches the agent's live stream and the conversation's details as it happens, once", async () => {
    const entry = { kind: 'search', title: 'router red light', at: new Date().toISOString() };
    const track = () =>
      live.customer.post({
        type: 'event',
        name: 'portalNavigation',
        value: { entries: [entry] },
      } as Partial<Activity>);
    await track();
    const frame = await alexStream.waitFor('the search on the agent stream', navigated(live.conversationId));
    const titles = (f: Json) => (f.portalNavigation as Json[]).map((e) => e.title);
    expect(titles(frame)).toContain('router red light');
    const details = await live.agent.call('GET', `/conversations/${live.conversationId}`);
    expect((details.body.context as Json).portalNavigation).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'search', title: 'router red light' })]),
    );

    // The same entry told again (a resent batch) is nothing new: no second frame.
    await track();
    const marker = {
      kind: 'page',
      title: 'Plans',
      url: 'https://example.com/plans',
      at: new Date().toISOString(),
    };
    await live.customer.post({
      type: 'event',
      name: 'portalNavigation',
      value: { entries: [marker] },
    } as Partial<Activity>);
    await alexStream.waitFor(
      'the next page',
      (f) => navigated(live.conversationId)(f) && titles(f).includes('Plans'),
    );
    expect(alexStream.frames.filter(navigated(live.conversationId))).toHaveLength(2);
    // Chen works the queue but not this chat. His own presence change comes after the frames of the
    // navigation were decided for every stream: once it is on his stream, theirs would be too.
    expect((await chen.call('PUT', '/me/presence', { presence: 'busy' })).status).toBe(200);
    await chenStream.waitFor('his presence change', (f) => f.type === 'presence.changed');
    expect(chenStream.frames.filter(navigated(live.conversationId))).toEqual([]);
  });
});
