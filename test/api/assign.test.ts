import type { Activity } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiClient, type Customer } from './support/clients.js';
import {
  customerLeavingAMessage,
  liveConversation,
  waitingOnBoard,
  type LiveConversation,
} from './support/live-conversation.js';

// A supervisor hands a conversation to an agent from the board: a waiting one (nobody was free) or
// one another agent has. Whoever takes it over reads who handed it to them; the customer does not.

type Json = Record<string, unknown>;

let server: TestServer;
let live: LiveConversation;
let sam: ApiClient;
let chen: ApiClient;
const customers: Customer[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  live = await liveConversation(server.url, 'agent_alex', {
    userId: 'dl_assigncustomer01',
    name: 'Ines Moreau',
  });
  customers.push(live.customer);
  sam = await signIn(server.url, 'supervisor_sam');
  chen = await signIn(server.url, 'agent_chen');
}, 120_000);

afterAll(async () => {
  for (const c of customers) c.end();
  await server?.close();
});

/** Whether the activity is a message whose text matches. */
const says = (pattern: RegExp) => (a: Activity) => a.type === 'message' && pattern.test(a.text ?? '');

async function systemNotes(id: string): Promise<string[][]> {
  const res = await sam.call('GET', `/conversations/${id}/messages`);
  expect(res.status).toBe(200);
  return (res.body.items as Json[])
    .filter((m) => m.from === 'system')
    .map((m) => [String(m.visibility), String(m.text)]);
}

describe('POST /conversations/:id/assign', () => {
  it("moves an agent's conversation to another agent, with a note only agents read", async () => {
    const id = live.conversationId;
    await chen.call('PUT', '/me/presence', { presence: 'available' });
    const moved = await sam.call('POST', `/conversations/${id}/assign`, { agentId: 'agent_chen' });
    expect(moved.status).toBe(200);
    // Chen has it now, as a waiting one is given: not an offer that may run out unseen.
    expect(moved.body).toMatchObject({ id, agentId: 'agent_chen', status: 'active' });
    expect(await systemNotes(id)).toEqual([
      ['internal', 'Sam Morgan assigned the conversation to Chen Wei.'],
    ]);
    expect((await chen.call('GET', '/offers')).body.items).toEqual([]);
    await live.customer.waitFor(
      'Chen joined',
      (a) => a.type === 'event' && a.name === 'agentJoined' && (a.value as Json)?.name === 'Chen Wei',
    );
    expect(live.customer.seen.some(says(/assigned the conversation/))).toBe(false);
  }, 60_000);

  it('gives a waiting conversation to an agent nobody offered it to', async () => {
    for (const who of ['agent_alex', 'agent_chen', 'agent_emma', 'agent_farah', 'supervisor_sam']) {
      await (await signIn(server.url, who)).call('PUT', '/me/presence', { presence: 'away' });
    }
    // Nobody is free: the customer leaves a message, which waits in the queue for the team.
    const chat = await customerLeavingAMessage(server.url, {
      userId: 'dl_assigncustomer02',
      name: 'Omar Haddad',
    });
    customers.push(chat);
    const waiting = await waitingOnBoard(sam, 'Omar Haddad');
    const id = String(waiting.id);
    // The board says which channel, and that nobody handles it yet.
    expect(waiting).toMatchObject({ channel: 'webchat', handleSeconds: null });

    // Chen is still away: the supervisor's choice stands over routing's (any agent of the queue).
    const given = await sam.call('POST', `/conversations/${id}/assign`, { agentId: 'agent_chen' });
    expect(given.status).toBe(200);
    expect(given.body).toMatchObject({ id, agentId: 'agent_chen' });
    expect(await systemNotes(id)).toEqual([
      ['internal', 'Sam Morgan assigned the conversation to Chen Wei.'],
    ]);
    // Handled now: the board counts its handle time from when Chen got it.
    const handled = ((await sam.call('GET', '/supervisor/conversations')).body.items as Json[]).find(
      (c) => c.id === id,
    );
    expect(handled).toMatchObject({ status: 'active', agentName: 'Chen Wei' });
    expect(handled?.handleSeconds).toBeGreaterThanOrEqual(0);
  }, 60_000);
});
