/**
 * Smart assist names past cases like the customer's problem: only cases the agent may open, as
 * `GET /cases/:id` decides. Over real HTTP on the demo data: Dana's storm outage case is of a
 * conversation Alex never had, which no agent of the demo
 * may open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiClient, type Json } from './support/clients.js';
import { activeConversationWithAlex } from './support/fixtures.js';

let server: TestServer;
let conversationId: string;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  conversationId = await activeConversationWithAlex(server.services, 'dl_assist_cases');
  await server.services.conversations.addCustomerMessage(conversationId, {
    text: 'No internet after the storm last night, the service is down',
  });
}, 60_000);
afterAll(() => server.close());

async function suggestedCases(who: ApiClient): Promise<string[]> {
  const r = await who.call('GET', `/conversations/${conversationId}/assist`);
  expect(r.status).toBe(200);
  return (r.body.items as Json[]).filter((i) => i.kind === 'case').map((i) => i.id as string);
}

describe('smart assist’s past cases', () => {
  it('are only those the agent may open', async () => {
    const alex = await signIn(server.url, 'agent_alex');
    expect((await alex.call('GET', '/cases/case_demo_01')).status).toBe(403);
    const forAlex = await suggestedCases(alex);
    expect(forAlex).not.toContain('case_demo_01');
    for (const id of forAlex) expect((await alex.call('GET', `/cases/${id}`)).status, id).toBe(200);

    // Made an administrator, Alex may open it, and is told of it.
    const { roles } = (await server.services.repos.agents.get('agent_alex'))!;
    await server.services.repos.agents.update('agent_alex', { roles: [...roles, 'admin'] });
    expect((await alex.call('GET', '/cases/case_demo_01')).status).toBe(200);
    expect(await suggestedCases(alex)).toContain('case_demo_01');
  });
});
