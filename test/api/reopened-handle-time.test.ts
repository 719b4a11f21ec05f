import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemDeps } from '../../services/domain/index.js';
import { SATURDAY_MORNING, startTestServer, type TestServer } from '../support/server.js';
import { signIn } from './support/clients.js';
import { liveConversation, type LiveConversation } from './support/live-conversation.js';

// An agent reopens a chat hours after closing it. The supervisor's board counts its handle time
// from the reopen: the hours it lay closed were nobody's handling.

type Json = Record<string, unknown>;

let server: TestServer;
let live: LiveConversation | undefined;
let shiftMs = SATURDAY_MORNING.getTime() - Date.now();
beforeAll(async () => {
  server = await startTestServer({
    env: { AUTH_MODE: 'dev' },
    app: { deps: { ...systemDeps, now: () => new Date(Date.now() + shiftMs) } },
  });
}, 60_000);
afterAll(async () => {
  live?.customer.end();
  await server?.close();
});

describe('a reopened conversation on the supervisor board', () => {
  it('shows the handle time since the reopen', async () => {
    live = await liveConversation(server.url, 'agent_alex', {
      userId: 'dl_reopen_handle',
      name: 'Noor Aziz',
    });
    const id = live.conversationId;
    const alex = live.agent;
    expect((await alex.call('POST', `/conversations/${id}/end`)).status).toBe(200);
    expect(
      (await alex.call('POST', `/conversations/${id}/wrap-up`, { disposition: 'resolved' })).status,
    ).toBe(200);
    shiftMs += 3 * 3600_000;
    expect((await alex.call('POST', `/conversations/${id}/reopen`)).status).toBe(200);

    const sam = await signIn(server.url, 'supervisor_sam');
    const board = await sam.call('GET', '/supervisor/conversations');
    const row = (board.body.items as Json[]).find((c) => c.id === id);
    expect(row).toMatchObject({ status: 'active', agentId: 'agent_alex' });
    expect(row?.handleSeconds).toBeLessThan(600);
  }, 60_000);
});
