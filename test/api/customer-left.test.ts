import type { Activity } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, type LiveStream } from './support/clients.js';
import { liveConversation, type LiveConversation } from './support/live-conversation.js';

// The customer closes the chat while an agent has it: the session goes to wrap-up, and the agent
// reads why where they are reading, as an internal line the customer never receives.

const CUSTOMER = { userId: 'dl_leavingcustomer01', name: 'Priya Raman' };

let server: TestServer;
let live: LiveConversation;
let stream: LiveStream;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  live = await liveConversation(server.url, 'agent_alex', CUSTOMER);
  stream = await openStream(server.url, live.agent.token);
}, 120_000);

afterAll(async () => {
  await stream?.close();
  live?.customer.end();
  await server?.close();
});

const isNote =
  (conversationId: string) => (f: { type: string; conversationId?: string; message?: { from?: string } }) =>
    f.type === 'conversation.message' && f.conversationId === conversationId && f.message?.from === 'system';

describe('the customer leaves a conversation an agent has', () => {
  it('puts it in wrap-up and tells the agent, in an internal line, once', async () => {
    const id = live.conversationId;
    await live.customer.post({ type: 'endOfConversation' } as unknown as Activity);
    const frame = await stream.waitFor('the note that the customer left', isNote(id));
    expect(frame.message).toMatchObject({
      from: 'system',
      visibility: 'internal',
      text: 'Priya Raman left the chat.',
    });
    expect((await live.agent.call('GET', `/conversations/${id}`)).body.status).toBe('wrap-up');

    // The channel refuses the ended conversation; a second word that the customer left (a member
    // removal arriving after the end) adds nothing.
    await expect(
      live.customer.post({ type: 'endOfConversation' } as unknown as Activity),
    ).rejects.toMatchObject({
      status: 404,
    });
    await server.services.conversations.customerLeft(id);
    const messages = (await live.agent.call('GET', `/conversations/${id}/messages`)).body.items as Array<{
      from: string;
      text: string;
    }>;
    expect(messages.filter((m) => m.from === 'system' && /left the chat/.test(m.text))).toHaveLength(1);

    // Not the customer's: not in the transcript they can download, not sent to them.
    const transcript = await server.services.conversations.transcript(id);
    expect(transcript.some((l) => /left the chat/.test(l.text))).toBe(false);
    expect(live.customer.seen.some((a) => 'text' in a && /left the chat/.test(a.text ?? ''))).toBe(false);
  }, 60_000);
});
