import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depsAt, SATURDAY_MORNING, startTestServer, type TestServer } from '../support/server.js';
import { liveConversation } from './support/live-conversation.js';

// An agent transfers a customer to a queue that is closed (Billing on a Saturday), whose overflow
// rule ends the chat with a message: the customer, on the official Direct Line client, reads the
// message before the chat ends, not after its end and the survey.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' }, app: { deps: depsAt(SATURDAY_MORNING) } });
});
afterAll(() => server?.close());

describe("a closed queue's overflow message", () => {
  it('reaches the customer before the end of the chat', async () => {
    const { agent, conversationId, customer } = await liveConversation(server.url, 'agent_alex', {
      userId: 'dl_overflow_customer',
      name: 'Robin Park',
    });
    const moved = await agent.call('POST', `/conversations/${conversationId}/transfer`, {
      toQueueId: 'queue_billing',
    });
    expect(moved.status).toBe(200);

    // Routing's sweep finds it waiting in a closed queue and applies the overflow rule.
    const ended = await customer.waitFor(
      'the end',
      (a) => a.type === 'event' && a.name === 'conversationEnded',
      30_000,
    );
    const notice = customer.seen.find(
      (a) => a.type === 'message' && /billing team is available/i.test(a.text ?? ''),
    );
    expect(notice).toBeDefined();
    expect(customer.seen.indexOf(notice!)).toBeLessThan(customer.seen.indexOf(ended));
    customer.end();
  }, 90_000);
});
