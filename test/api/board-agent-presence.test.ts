import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiClient, type Json } from './support/clients.js';
import { activeConversationWithAlex } from './support/fixtures.js';

// A supervisor's board says when the agent holding a chat has stepped away or signed out with it
// still open: the customer is waiting on someone who is not there.

let server: TestServer;
let sam: ApiClient;
let alex: ApiClient;
let id: string;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  id = await activeConversationWithAlex(server.services, 'dl_board_presence_01');
  sam = await signIn(server.url, 'supervisor_sam');
  alex = await signIn(server.url, 'agent_alex');
}, 120_000);

afterAll(() => server?.close());

async function boardRow(): Promise<Json> {
  const res = await sam.call('GET', '/supervisor/conversations');
  expect(res.status).toBe(200);
  return (res.body.items as Json[]).find((r) => r.id === id);
}

describe("the board's rows: the presence of the agent holding the chat", () => {
  it('is there while the agent works it', async () => {
    expect(await boardRow()).toMatchObject({
      status: 'active',
      agentName: 'Alex Rivera',
      agentPresence: expect.stringMatching(/^(available|busy)$/),
    });
  });

  it('says Offline when the agent signed out with the chat open, and Away when they stepped away', async () => {
    expect((await alex.call('PUT', '/me/presence', { presence: 'offline' })).status).toBe(200);
    expect(await boardRow()).toMatchObject({
      status: 'active',
      agentName: 'Alex Rivera',
      agentPresence: 'offline',
      agentPresenceLabel: 'Offline',
    });
    expect((await alex.call('PUT', '/me/presence', { presence: 'away' })).status).toBe(200);
    expect(await boardRow()).toMatchObject({ agentPresence: 'away', agentPresenceLabel: 'Away' });
  });
});
