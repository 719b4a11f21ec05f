import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, signIn, until, type ApiClient } from './support/clients.js';
import { customerPastSurvey, liveConversation, type LiveConversation } from './support/live-conversation.js';

// What a reload (or another device) reopens: every conversation the agent is in now, as what they
// are in it. Consultants and monitors get theirs back too, and nobody gets one they left or that
// ended; the session records behind Insights' consult and monitor figures end with the conversation.

const CUSTOMER = { userId: 'dl_sessionscustomer01', name: 'Noor Haddad' };

let server: TestServer;
let live: LiveConversation;
let chen: ApiClient;
let sam: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  live = await liveConversation(server.url, 'agent_alex', CUSTOMER);
  chen = await signIn(server.url, 'agent_chen');
  sam = await signIn(server.url, 'supervisor_sam');
  // Chen comes back from Away to be consulted (an offline colleague cannot be).
  await chen.call('PUT', '/me/presence', { presence: 'busy' });
}, 120_000);

afterAll(async () => {
  live?.customer.end();
  await server?.close();
});

async function sessionsOf(client: ApiClient): Promise<Array<{ id: string; mode: string }>> {
  const res = await client.call('GET', '/me/sessions');
  expect(res.status).toBe(200);
  return (res.body.items as Array<{ id: string; mode: string; customerName: string }>).map((i) => ({
    id: i.id,
    mode: i.mode,
  }));
}

describe('GET /me/sessions', () => {
  it('lists the owner, a consultant and a monitor, each as what they are in the conversation', async () => {
    const id = live.conversationId;
    expect(
      (await live.agent.call('POST', `/conversations/${id}/consult`, { agentId: 'agent_chen' })).status,
    ).toBe(200);
    expect((await sam.call('POST', `/conversations/${id}/monitor`)).status).toBe(200);

    expect(await sessionsOf(live.agent)).toEqual([{ id, mode: 'primary' }]);
    expect(await sessionsOf(chen)).toEqual([{ id, mode: 'consult' }]);
    expect(await sessionsOf(sam)).toEqual([{ id, mode: 'monitor' }]);
    const item = (await chen.call('GET', '/me/sessions')).body.items[0];
    expect(item).toMatchObject({ customerName: CUSTOMER.name, status: 'active', agentId: 'agent_alex' });

    // Someone who only could see it (a member of its queue) is not in it.
    const emma = await signIn(server.url, 'agent_emma');
    expect(await sessionsOf(emma)).toEqual([]);

    // The monitor leaves: gone from their list only.
    expect((await sam.call('POST', `/conversations/${id}/leave`)).status).toBe(200);
    expect(await sessionsOf(sam)).toEqual([]);
    expect(await sessionsOf(chen)).toEqual([{ id, mode: 'consult' }]);
  }, 60_000);

  it('turns a monitoring supervisor into a consultant when they join as one, and back', async () => {
    const id = live.conversationId;
    expect((await sam.call('POST', `/conversations/${id}/monitor`)).status).toBe(200);
    const joined = await sam.call('POST', `/conversations/${id}/consult`, { agentId: 'supervisor_sam' });
    expect(joined.status).toBe(200);
    const samParts = (joined.body.participants as Array<{ agentId: string; mode: string; leftAt?: string }>)
      .filter((p) => p.agentId === 'supervisor_sam')
      .map((p) => ({ mode: p.mode, open: !p.leftAt }));
    // The earlier watch (left in the test above), the one that just ended, and the consult.
    expect(samParts).toEqual([
      { mode: 'monitor', open: false },
      { mode: 'monitor', open: false },
      { mode: 'consult', open: true },
    ]);
    expect(await sessionsOf(sam)).toEqual([{ id, mode: 'consult' }]);
    const records = (await server.services.repos.sessions.listByConversation(id)).filter(
      (s) => s.agentId === 'supervisor_sam',
    );
    expect(records.map((s) => [s.mode, s.state])).toEqual([
      ['monitor', 'ended'],
      ['monitor', 'ended'],
      ['consult', 'accepted'],
    ]);

    // Joining again as what they already are changes nothing; stepping back to watching does.
    expect(
      (await sam.call('POST', `/conversations/${id}/consult`, { agentId: 'supervisor_sam' })).status,
    ).toBe(200);
    expect((await sam.call('POST', `/conversations/${id}/monitor`)).status).toBe(200);
    expect(await sessionsOf(sam)).toEqual([{ id, mode: 'monitor' }]);
    expect(
      (await server.services.repos.sessions.listByConversation(id)).filter(
        (s) => s.agentId === 'supervisor_sam' && s.state === 'accepted',
      ),
    ).toHaveLength(1);

    // The agent reads who came in to consult and who left; watching stays unseen.
    const notes = (await live.agent.call('GET', `/conversations/${id}/messages`)).body.items as Array<{
      from: string;
      visibility: string;
      text: string;
    }>;
    expect(notes.filter((m) => m.from === 'system').map((m) => [m.visibility, m.text])).toEqual([
      ['internal', 'Alex Rivera invited Chen Wei to consult.'],
      ['internal', 'Sam Morgan joined to consult.'],
      ['internal', 'Sam Morgan left the consultation.'],
    ]);
  }, 60_000);

  it('keeps a conversation through wrap-up and lets it go, with every session on it, once closed', async () => {
    const id = live.conversationId;
    expect((await live.agent.call('POST', `/conversations/${id}/end`)).status).toBe(200);
    expect(await sessionsOf(live.agent)).toEqual([{ id, mode: 'primary' }]);
    expect(await sessionsOf(chen)).toEqual([{ id, mode: 'consult' }]);

    // The consultant's stream hears the close, though the close ended their part in it.
    const chensStream = await openStream(server.url, chen.token);
    try {
      expect(
        (await live.agent.call('POST', `/conversations/${id}/wrap-up`, { disposition: 'resolved' })).status,
      ).toBe(200);
      await chensStream.waitFor(
        'the close, on the consultant stream',
        (f) => f.type === 'conversation.ended' && f.conversationId === id && f.status === 'closed',
      );
    } finally {
      await chensStream.close();
    }
    expect(await sessionsOf(live.agent)).toEqual([]);
    expect(await sessionsOf(chen)).toEqual([]);

    // The consultant's session record ends with the conversation, as the owner's does (the
    // outbox writes them after the answer: wait for it).
    const records = await until('every session on the conversation ended', async () => {
      const all = await server.services.repos.sessions.listByConversation(id);
      return all.every((s) => s.state === 'ended' || s.state === 'rejected' || s.state === 'timed-out')
        ? all
        : undefined;
    });
    const byMode = new Map(records.filter((s) => s.state === 'ended').map((s) => [s.mode, s]));
    expect([...byMode.keys()].sort()).toEqual(['consult', 'monitor', 'primary']);
    const closedAt = (await server.services.repos.conversations.get(id))!.timestamps.closedAt!;
    const ended = byMode.get('primary')!.endedAt!;
    expect(Math.abs(ended.getTime() - closedAt.getTime())).toBeLessThan(1000);
    const chensConsult = records.find((s) => s.agentId === 'agent_chen' && s.mode === 'consult');
    expect(chensConsult!.endedAt).toEqual(ended);
  }, 60_000);

  it('comes back in the order the agent took the conversations, not newest first', async () => {
    // Only Alex takes chats: both customers are offered to Alex, who accepts them as they came.
    for (const client of [chen, sam]) await client.call('PUT', '/me/presence', { presence: 'away' });
    await live.agent.call('PUT', '/me/presence', { presence: 'available' });
    const stream = await openStream(server.url, live.agent.token);
    const offers: Array<{ offerId: string; conversationId: string }> = [];
    try {
      for (const [userId, name] of [
        ['dl_sessionsorder01', 'Kofi Mensah'],
        ['dl_sessionsorder02', 'Lena Vogel'],
      ] as const) {
        const chat = await customerPastSurvey(server.url, { userId, name });
        await chat.post({ type: 'message', text: 'I want to talk to an agent' });
        offers.push(
          await stream.waitFor(
            `the offer for ${name}`,
            (f) => f.type === 'offer.created' && f.customerName === name,
            30_000,
          ),
        );
      }
    } finally {
      await stream.close();
    }
    const [first, second] = offers as [(typeof offers)[0], (typeof offers)[0]];
    for (const offer of [first, second])
      expect((await live.agent.call('POST', `/offers/${offer.offerId}/accept`)).status).toBe(200);
    expect((await sessionsOf(live.agent)).map((s) => s.id)).toEqual([
      first.conversationId,
      second.conversationId,
    ]);
  }, 60_000);
});
