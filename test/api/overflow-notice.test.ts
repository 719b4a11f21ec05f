import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemDeps, type Deps } from '../../services/domain/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { liveConversation } from './support/live-conversation.js';

// An agent transfers a customer to a queue that is closed (Billing on a Saturday), whose overflow
// rule ends the chat with a message: the customer, on the official Direct Line client, reads the
// message before the chat ends, not after its end and the survey.

const SATURDAY_MORNING = new Date('2026-12-05T15:00:00Z'); // 10:00 in New York; Billing opens Mon–Fri
let server: TestServer;
beforeAll(async () => {
  const offset = SATURDAY_MORNING.getTime() - Date.now();
  const deps: Deps = { ...systemDeps, now: () => new Date(Date.now() + offset) };
  server = await startTestServer({ env: { AUTH_MODE: 'dev' }, app: { deps } });
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
