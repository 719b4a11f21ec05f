import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

// A real deployment starts with DEMO_DATA=off: the store holds nothing of the demo company, no demo
// person can sign in, and the server still answers (the customer bot has no articles to answer from).

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev', DEMO_DATA: 'off' } });
}, 60_000);
afterAll(() => server?.close());

describe('DEMO_DATA=off', () => {
  it('starts on an empty store without the demo company', async () => {
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    const agents = await fetch(`${server.url}/api/v1/agents`);
    expect(agents.status).toBe(200);
    expect((await agents.json()).items).toEqual([]);
    const signIn = await fetch(`${server.url}/api/v1/dev/sign-in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ agentId: 'agent_alex' }),
    });
    expect(signIn.status).toBeGreaterThanOrEqual(400);
    expect(signIn.status).toBeLessThan(500);
    expect(await server.services.repos.knowledgeArticles.all()).toEqual([]);
  });
});
