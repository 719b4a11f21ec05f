import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemDeps } from '../../services/domain/index.js';
import { SATURDAY_MORNING, startTestServer, type TestServer } from '../support/server.js';
import { customerPastSurvey, liveConversation, type LiveConversation } from './support/live-conversation.js';
import { signIn, type ApiClient, type Customer } from './support/clients.js';

// Long waits on the supervisor's board: a customer nobody has answered for minutes, one nobody can
// take from the queue, and how long each has been in the conversation, which an assignment does not
// start again (the wait and handle times do).

type Json = Record<string, unknown>;

let server: TestServer;
let live: LiveConversation | undefined;
let queued: Customer | undefined;
let sam: ApiClient;
let shiftMs = SATURDAY_MORNING.getTime() - Date.now();
const later = (minutes: number) => (shiftMs += minutes * 60_000);

beforeAll(async () => {
  server = await startTestServer({
    env: { AUTH_MODE: 'dev' },
    app: { deps: { ...systemDeps, now: () => new Date(Date.now() + shiftMs) } },
  });
  sam = await signIn(server.url, 'supervisor_sam');
}, 60_000);
afterAll(async () => {
  live?.customer.end();
  queued?.end();
  await server?.close();
});

const rowOf = async (id: string) =>
  ((await sam.call('GET', '/supervisor/conversations')).body.items as Json[]).find((c) => c.id === id);

describe('long waits on the supervisor board', () => {
  it("says since when a customer has waited for an agent's reply, and flags it past 3 minutes", async () => {
    live = await liveConversation(server.url, 'agent_alex', { userId: 'dl_board_wait', name: 'Mia Brooks' });
    const id = live.conversationId;
    await live.customer.post({ type: 'message', text: 'My router keeps dropping the connection' });
    await expect
      .poll(async () => (await rowOf(id))?.awaitingReplySince, { timeout: 15_000 })
      .toBeTypeOf('string');
    expect((await rowOf(id))?.longWait).toBeNull();

    later(4);
    const row = await rowOf(id);
    expect(row?.longWait).toBe('reply');
    expect(Date.now() + shiftMs - Date.parse(row?.awaitingReplySince as string)).toBeGreaterThan(230_000);

    await live.agent.call('POST', `/conversations/${id}/messages`, {
      text: 'Let me look',
      visibility: 'public',
    });
    await expect.poll(async () => (await rowOf(id))?.awaitingReplySince, { timeout: 15_000 }).toBeNull();
    expect((await rowOf(id))?.longWait).toBeNull();
  }, 90_000);

  it('keeps how long the customer has been in the conversation across an assignment', async () => {
    const id = live!.conversationId;
    const emma = await signIn(server.url, 'agent_emma');
    expect((await emma.call('PUT', '/me/presence', { presence: 'available' })).status).toBe(200);
    expect((await sam.call('POST', `/conversations/${id}/assign`, { agentId: 'agent_emma' })).status).toBe(
      200,
    );
    // An assignment is made, not offered: Emma has it at once.
    const row = await rowOf(id);
    expect(row).toMatchObject({ agentId: 'agent_emma', status: 'active' });
    expect(row?.handleSeconds).toBeLessThan(60);
    expect(row?.conversationSeconds).toBeGreaterThanOrEqual(240);
    expect(await emma.call('PUT', '/me/presence', { presence: 'away' })).toMatchObject({ status: 200 });
  }, 60_000);

  it('flags a customer who has waited 3 minutes in the queue, offered to an agent who does not answer', async () => {
    queued = await customerPastSurvey(server.url, { userId: 'dl_board_queue', name: 'Ola Nowak' });
    await queued.post({ type: 'message', text: 'I want to talk to an agent' });
    const waiting = async () =>
      ((await sam.call('GET', '/supervisor/conversations')).body.items as Json[]).find(
        (c) => c.customerName === 'Ola Nowak',
      );
    await expect
      .poll(async () => (await waiting())?.status, { timeout: 15_000 })
      .toMatch(/^(waiting|offered)$/);
    expect((await waiting())?.longWait).toBeNull();
    later(4);
    expect(await waiting()).toMatchObject({
      longWait: 'queue',
      awaitingReplySince: null,
      handleSeconds: null,
    });
  }, 60_000);
});
