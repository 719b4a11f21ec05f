import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { liveConversation } from './support/live-conversation.js';

// The contract review found a page that reports its visitor without `authenticated` (Web Chat
// integrators leave it out) broke the conversation on MongoDB: the field was stored as null, the
// pre-chat answers were refused by the schema and the agent's every read of the chat was a 500.

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 60_000);
afterAll(() => s?.close());

describe('what the page says of its visitor', () => {
  it('may leave out whether they signed in: the survey, the escalation and the agent see the rest', async () => {
    const { agent, conversationId } = await liveConversation(s.url, 'agent_alex', {
      userId: 'dl_visitor_partial',
      name: 'Mona Lisa',
      visitor: { browser: 'Firefox', os: 'Linux' },
    });
    const read = await agent.call('GET', `/conversations/${conversationId}`);
    expect(read.status).toBe(200);
    const context = read.body.context as {
      visitor: Record<string, unknown>;
      preChat: Record<string, unknown>;
    };
    expect(context.visitor).toMatchObject({ browser: 'Firefox', os: 'Linux', authenticated: false });
    expect(context.visitor.reportedAuthenticated).toBeUndefined();
    expect(context.preChat).toMatchObject({ name: 'Mona Lisa' });
  }, 90_000);
});
