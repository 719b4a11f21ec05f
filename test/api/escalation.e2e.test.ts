import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { runEscalationFlow } from './flow.js';

// The acceptance flow against the real server: a customer over Direct Line reaches a human.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
});
afterAll(() => server.close());

describe('an escalated customer reaches a human over the agent API', () => {
  it('offer with reason, accept, public and internal replies, consult, transfer, second agent, wrap-up', async () => {
    const { conversationId, customerTexts } = await runEscalationFlow(
      server.url,
      server.url,
      'dl_flowcustomer01',
    );
    expect(customerTexts.some((t) => t.includes('INTERNAL'))).toBe(false);
    const stored = await server.services.repos.events.byConversation(conversationId);
    const offered = stored.filter((e) => e.type === 'conversation.offered');
    expect(offered.length).toBe(2);
    for (const e of offered)
      expect(e).toMatchObject({ offerId: expect.any(String), reason: { summary: expect.any(String) } });
  }, 90_000);
});
