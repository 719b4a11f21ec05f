import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiClient, type Customer, type Json } from './support/clients.js';
import {
  customerLeavingAMessage,
  liveConversation,
  waitingOnBoard,
  type LiveConversation,
} from './support/live-conversation.js';

// Whom a conversation can go to (GET /conversations/:id/candidates): the pickers list what this
// answers, so it must agree with what consult, transfer and assign then accept or refuse.

let server: TestServer;
let live: LiveConversation;
let sam: ApiClient;
const customers: Customer[] = [];
const WORDS = ['Available', 'Busy', 'Do not disturb', 'Away', 'Offline'];

async function presence(who: string, value: string) {
  const res = await (await signIn(server.url, who)).call('PUT', '/me/presence', { presence: value });
  expect(res.status).toBe(200);
}

async function candidates(as: ApiClient, id: string, action: string): Promise<Json[]> {
  const res = await as.call('GET', `/conversations/${id}/candidates?for=${action}`);
  expect(res.status).toBe(200);
  return res.body.items as Json[];
}

const named = (list: Json[], name: string) => list.find((p) => p.name === name);

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  live = await liveConversation(server.url, 'agent_alex', { userId: 'dl_candidates01', name: 'Ines Moreau' });
  customers.push(live.customer);
  sam = await signIn(server.url, 'supervisor_sam');
}, 120_000);

afterAll(async () => {
  for (const c of customers) c.end();
  await server?.close();
});

describe('GET /conversations/:id/candidates', () => {
  it('lists an offline colleague as not consultable, and a supervisor in Do not disturb as consultable', async () => {
    await presence('agent_chen', 'offline');
    await presence('supervisor_sam', 'do-not-disturb');
    const list = await candidates(live.agent, live.conversationId, 'consult');
    // Presence in words, as Teams shows it; those who can be consulted first.
    for (const p of list) expect(WORDS).toContain(p.presenceLabel);
    const firstRefused = list.findIndex((p) => !p.eligible);
    expect(list.slice(firstRefused).every((p) => !p.eligible)).toBe(true);
    expect(named(list, 'Alex Rivera')).toBeUndefined();
    expect(named(list, 'Chen Wei')).toMatchObject({ eligible: false, presenceLabel: 'Offline' });
    expect(named(list, 'Chen Wei').reason).toMatch(/signed in/);
    expect(named(list, 'Sam Morgan')).toMatchObject({ eligible: true, presenceLabel: 'Do not disturb' });

    // What the list says is what the server does.
    const refused = await live.agent.call('POST', `/conversations/${live.conversationId}/consult`, {
      agentId: 'agent_chen',
    });
    expect(refused.status).toBe(409);
    const accepted = await live.agent.call('POST', `/conversations/${live.conversationId}/consult`, {
      agentId: 'supervisor_sam',
    });
    expect(accepted.status).toBe(200);
  }, 60_000);

  it('lists an Away colleague as not able to take a transfer, with why', async () => {
    await presence('agent_emma', 'away');
    await presence('agent_farah', 'available');
    const list = await candidates(live.agent, live.conversationId, 'transfer');
    expect(list[0]).toMatchObject({ name: 'Farah Haddad', eligible: true, presenceLabel: 'Available' });
    expect(named(list, 'Emma Larsen')).toMatchObject({ eligible: false, presenceLabel: 'Away' });
    expect(named(list, 'Emma Larsen').reason).toMatch(/Available or Busy/);
    const refused = await live.agent.call('POST', `/conversations/${live.conversationId}/transfer`, {
      toAgentId: 'agent_emma',
    });
    expect(refused.status).toBe(409);
  }, 60_000);

  it("leaves people outside a waiting conversation's queue out of the assign list", async () => {
    for (const who of ['agent_alex', 'agent_emma', 'agent_farah']) await presence(who, 'away');
    const chat = await customerLeavingAMessage(server.url, {
      userId: 'dl_candidates02',
      name: 'Omar Haddad',
    });
    customers.push(chat);
    const waiting = await waitingOnBoard(sam, 'Omar Haddad');
    const id = String(waiting.id);

    const list = await candidates(sam, id, 'assign');
    // Bianca and Devi are of Billing (and Sales) only: the assignment would be refused, so they are not offered.
    expect(named(list, 'Bianca Okafor')).toBeUndefined();
    expect(named(list, 'Devi Patel')).toBeUndefined();
    expect((await sam.call('POST', `/conversations/${id}/assign`, { agentId: 'agent_bianca' })).status).toBe(
      403,
    );
    expect(named(list, 'Chen Wei')).toMatchObject({ eligible: false, presenceLabel: 'Offline' });
    expect((await sam.call('POST', `/conversations/${id}/assign`, { agentId: 'agent_chen' })).status).toBe(
      409,
    );
    // Away may still be given a waiting chat (a supervisor's choice stands over routing's).
    expect(named(list, 'Emma Larsen')).toMatchObject({ eligible: true, presenceLabel: 'Away' });
    expect((await sam.call('POST', `/conversations/${id}/assign`, { agentId: 'agent_emma' })).status).toBe(
      200,
    );
  }, 90_000);

  it('refuses the assign list to an agent who is not a supervisor', async () => {
    const res = await live.agent.call('GET', `/conversations/${live.conversationId}/candidates?for=assign`);
    expect(res.status).toBe(403);
  }, 30_000);
});
