import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depsAt, SATURDAY_MORNING, startTestServer, type TestServer } from '../support/server.js';
import { signIn, type Json } from './support/clients.js';

// The supervisor's wallboard says which of their queues are closed, and counts nobody "with room
// for a chat" in one: outside its hours routing offers its chats to no one. Saturday morning in
// New York: Billing (Monday to Friday) is closed, Technical support is open.

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' }, app: { deps: depsAt(SATURDAY_MORNING) } });
});
afterAll(() => server?.close());

describe("the supervisor's real-time view of a closed queue", () => {
  it('says the queue is closed, as the queue list does, and counts no one with room in it', async () => {
    for (const id of ['agent_alex', 'agent_emma', 'agent_farah', 'agent_chen', 'agent_bianca']) {
      const agent = await signIn(server.url, id);
      expect((await agent.call('PUT', '/me/presence', { presence: 'available' })).status).toBe(200);
    }
    const sam = await signIn(server.url, 'supervisor_sam');
    const rows = (await sam.call('GET', '/supervisor/realtime')).body.items as Json[];
    const queues = (await sam.call('GET', '/queues')).body.items as Json[];
    const row = (name: string) => rows.find((r) => r.queueName === name);

    expect(row('Billing')).toMatchObject({ open: false, agentsAvailable: 0 });
    expect(row('Technical support')!.open).toBe(true);
    expect(row('Technical support')!.agentsAvailable).toBeGreaterThan(0);
    for (const r of rows) expect(r.open).toBe(queues.find((q) => q.id === r.queueId)!.open);
  });
});
