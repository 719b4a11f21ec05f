import type { Activity } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, signIn, until, type ApiClient, type Json, type LiveStream } from './support/clients.js';
import { liveConversation, offeredConversation } from './support/live-conversation.js';

// Agents handing a chat to one another, with a consultant in it: who is in the conversation after
// each step (what they may read and write, their sessions), and what the transcript records.

const ALEX = 'agent_alex';
const BIANCA = 'agent_bianca';
const CHEN = 'agent_chen';
const EMMA = 'agent_emma';

let server: TestServer;
let sam: ApiClient;
const streams: LiveStream[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  sam = await signIn(server.url, 'supervisor_sam');
}, 120_000);

afterAll(async () => {
  await Promise.all(streams.map((s) => s.close()));
  await server?.close();
});

/** Signed in, at their desk (Available), with their live stream open. */
async function atDesk(agentId: string): Promise<{ agent: ApiClient; stream: LiveStream }> {
  const agent = await signIn(server.url, agentId);
  expect((await agent.call('PUT', '/me/presence', { presence: 'available' })).status).toBe(200);
  const stream = await openStream(server.url, agent.token);
  streams.push(stream);
  return { agent, stream };
}

async function streamOf(agent: ApiClient): Promise<LiveStream> {
  const stream = await openStream(server.url, agent.token);
  streams.push(stream);
  return stream;
}

const offerOf = (id: string) => (f: Json) => f.type === 'offer.created' && f.conversationId === id;

/** The modes in which the agent is in the conversation now (parts not left). */
async function openParts(id: string, agentId: string): Promise<string[]> {
  const details = (await sam.call('GET', `/conversations/${id}`)).body;
  return (details.participants as Json[])
    .filter((p) => p.agentId === agentId && !p.leftAt)
    .map((p) => p.mode);
}

const note = (agent: ApiClient, id: string, text: string) =>
  agent.call('POST', `/conversations/${id}/messages`, { text, visibility: 'internal' });

async function sessionModes(agent: ApiClient, id: string): Promise<string[]> {
  const items = (await agent.call('GET', '/me/sessions')).body.items as Json[];
  return items.filter((x) => x.id === id).map((x) => x.mode);
}

async function transcript(id: string): Promise<string[]> {
  const items = (await sam.call('GET', `/conversations/${id}/messages`)).body.items as Json[];
  return items.map((m) => m.text as string);
}

/** Frees the agents for the next scenario: whatever state the chat is in, it closes. */
async function closeChat(id: string): Promise<void> {
  expect((await sam.call('POST', `/conversations/${id}/force-close`, { reason: 'test over' })).status).toBe(
    200,
  );
}

describe('a consultant who takes the chat over', () => {
  it('is its agent in that part only, and out of it once they hand it back', async () => {
    const live = await liveConversation(server.url, ALEX, { userId: 'dl_handoffs01', name: 'Mira Holt' });
    const id = live.conversationId;
    const alex = live.agent;
    const alexStream = await streamOf(alex);
    // Bianca works in Billing: once the chat is not hers, her queues give her no sight of it.
    const { agent: bianca, stream: biancaStream } = await atDesk(BIANCA);

    expect((await alex.call('POST', `/conversations/${id}/consult`, { agentId: BIANCA })).status).toBe(200);
    expect((await alex.call('POST', `/conversations/${id}/transfer`, { toAgentId: BIANCA })).status).toBe(
      200,
    );
    const offer = await biancaStream.waitFor('the transfer to her', offerOf(id));
    expect((await bianca.call('POST', `/offers/${offer.offerId}/accept`)).status).toBe(200);
    expect(await openParts(id, BIANCA)).toEqual(['primary']);
    expect(await sessionModes(bianca, id)).toEqual(['primary']);

    expect((await bianca.call('POST', `/conversations/${id}/transfer`, { toAgentId: ALEX })).status).toBe(
      200,
    );
    const back = await alexStream.waitFor('the transfer back to him', offerOf(id));
    expect((await alex.call('POST', `/offers/${back.offerId}/accept`)).status).toBe(200);

    expect(await openParts(id, BIANCA)).toEqual([]);
    expect(await sessionModes(bianca, id)).toEqual([]);
    expect((await bianca.call('GET', `/conversations/${id}/messages`)).status).toBe(403);
    expect((await note(bianca, id, 'Still following this one')).status).toBe(403);
    // What is said from now on reaches Alex's stream, not hers.
    expect((await note(alex, id, 'Engineer booked for Tuesday')).status).toBe(201);
    await live.customer.post({ type: 'message', text: 'Is the engineer coming today?' });
    await alexStream.waitFor(
      'the customer after the hand-back',
      (f) => f.type === 'conversation.message' && f.message.text === 'Is the engineer coming today?',
    );
    const heard = biancaStream.frames.filter(
      (f) =>
        f.type === 'conversation.message' &&
        f.conversationId === id &&
        /Engineer booked|engineer coming/.test(f.message.text),
    );
    expect(heard).toEqual([]);
    await closeChat(id);
    live.customer.end();
  }, 90_000);
});

describe('the customer leaving while a transfer is under way', () => {
  it('ends the consultant part too, and tells the consultant the chat ended', async () => {
    const live = await liveConversation(server.url, ALEX, { userId: 'dl_handoffs02', name: 'Noor Saleh' });
    const id = live.conversationId;
    const { agent: bianca, stream: biancaStream } = await atDesk(BIANCA);
    const { stream: emmaStream } = await atDesk(EMMA);
    expect((await live.agent.call('POST', `/conversations/${id}/consult`, { agentId: BIANCA })).status).toBe(
      200,
    );
    expect((await live.agent.call('POST', `/conversations/${id}/transfer`, { toAgentId: EMMA })).status).toBe(
      200,
    );
    await emmaStream.waitFor('the transfer to Emma', offerOf(id));

    await live.customer.post({ type: 'endOfConversation' } as unknown as Activity);
    await until('the chat abandoned', async () => {
      const details = (await sam.call('GET', `/conversations/${id}`)).body;
      return details.status === 'abandoned' || undefined;
    });
    expect(await openParts(id, BIANCA)).toEqual([]);
    expect((await note(bianca, id, 'Can I still write here?')).status).toBe(403);
    expect(await sessionModes(bianca, id)).toEqual([]);
    await biancaStream.waitFor(
      'the chat ended',
      (f) => f.type === 'conversation.ended' && f.conversationId === id && f.status === 'abandoned',
    );
  }, 90_000);
});

describe('a consultant offered the chat by transfer', () => {
  it('keeps consulting until they accept: notes, their session, leaving, and after a refusal', async () => {
    const live = await liveConversation(server.url, ALEX, { userId: 'dl_handoffs03', name: 'Ola Berg' });
    const id = live.conversationId;
    const alex = live.agent;
    const alexStream = await streamOf(alex);
    const { agent: chen, stream: chenStream } = await atDesk(CHEN);
    expect((await alex.call('POST', `/conversations/${id}/consult`, { agentId: CHEN })).status).toBe(200);

    expect((await alex.call('POST', `/conversations/${id}/transfer`, { toAgentId: CHEN })).status).toBe(200);
    const offer = await chenStream.waitFor('the transfer to Chen', offerOf(id));
    expect((await note(chen, id, 'Looking at the line test first')).status).toBe(201);
    expect(await sessionModes(chen, id)).toEqual(['consult']);
    expect((await chen.call('GET', `/conversations/${id}`)).body.can.writeInternal).toBe(true);

    // He says no to taking it over: still the consultant.
    expect((await chen.call('POST', `/offers/${offer.offerId}/reject`)).status).toBe(200);
    expect((await note(chen, id, 'Happy to keep helping from here')).status).toBe(201);
    expect(await sessionModes(chen, id)).toEqual(['consult']);

    // Offered it again, he leaves the consultation instead: the offer stays his to answer.
    const back = await alexStream.waitFor('the chat back with Alex', offerOf(id));
    expect((await alex.call('POST', `/offers/${back.offerId}/accept`)).status).toBe(200);
    expect((await alex.call('POST', `/conversations/${id}/transfer`, { toAgentId: CHEN })).status).toBe(200);
    await chenStream.waitFor(
      'the second transfer to Chen',
      (f) => offerOf(id)(f) && f.offerId !== offer.offerId,
    );
    expect((await chen.call('POST', `/conversations/${id}/leave`)).body).toEqual({ ok: true });
    expect(await openParts(id, CHEN)).toEqual([]);
    expect((await note(chen, id, 'One more thing')).status).toBe(403);
    expect(((await chen.call('GET', '/offers')).body.items as Json[]).map((o) => o.conversationId)).toEqual([
      id,
    ]);
    await closeChat(id);
    live.customer.end();
  }, 90_000);
});

describe('a transfer declined', () => {
  it('says so in the transcript: the chat went back to the queue before someone else took it', async () => {
    const live = await liveConversation(server.url, ALEX, { userId: 'dl_handoffs04', name: 'Pia Lund' });
    const id = live.conversationId;
    const { agent: emma, stream: emmaStream } = await atDesk(EMMA);
    const { agent: chen, stream: chenStream } = await atDesk(CHEN);
    expect((await live.agent.call('POST', `/conversations/${id}/transfer`, { toAgentId: EMMA })).status).toBe(
      200,
    );
    const offer = await emmaStream.waitFor('the transfer to Emma', offerOf(id));
    expect((await emma.call('POST', `/offers/${offer.offerId}/reject`)).status).toBe(200);
    const routed = await chenStream.waitFor('the chat routed to Chen', offerOf(id));
    const declined =
      'Emma Larsen declined the transfer: the conversation went back to the Technical support queue.';
    await until('the note that Emma declined', async () => (await transcript(id)).includes(declined));
    expect((await chen.call('POST', `/offers/${routed.offerId}/accept`)).status).toBe(200);
    expect(
      (
        await chen.call('POST', `/conversations/${id}/messages`, {
          text: 'Hi, Chen here',
          visibility: 'public',
        })
      ).status,
    ).toBe(201);

    const lines = await transcript(id);
    const order = ['Alex Rivera transferred the conversation to Emma Larsen.', declined, 'Hi, Chen here'].map(
      (text) => lines.indexOf(text),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const messages = (await sam.call('GET', `/conversations/${id}/messages`)).body.items as Json[];
    expect(messages.find((m) => m.text === declined)).toMatchObject({
      from: 'system',
      visibility: 'internal',
    });
    expect(
      live.customer.seen.some((a) => a.type === 'message' && /declined the transfer/.test(a.text ?? '')),
    ).toBe(false);
    await closeChat(id);
    live.customer.end();
  }, 90_000);

  it('offers it back at once to the agent who handed it on when nobody else can take it', async () => {
    const live = await liveConversation(server.url, ALEX, { userId: 'dl_handoffs05', name: 'Rui Costa' });
    const id = live.conversationId;
    const alexStream = await streamOf(live.agent);
    // Only Alex and Chen are at their desks.
    const { agent: chen, stream: chenStream } = await atDesk(CHEN);
    expect((await live.agent.call('POST', `/conversations/${id}/transfer`, { toAgentId: CHEN })).status).toBe(
      200,
    );
    const offer = await chenStream.waitFor('the transfer to Chen', offerOf(id));
    expect((await chen.call('POST', `/offers/${offer.offerId}/reject`)).status).toBe(200);
    // Well within the offer timeout (60 s) that a declined item otherwise waits out.
    const back = await alexStream.waitFor('the chat back with Alex', offerOf(id), 15_000);
    expect(back.reason.summary).toMatch(
      /^Back to you: you handed this chat on, and nobody else in Technical support/,
    );
    await closeChat(id);
    live.customer.end();
  }, 90_000);
});

describe('a supervisor force-closing a chat nobody has taken yet', () => {
  it.each(['offered', 'waiting'] as const)(
    'records the %s chat as closed by the supervisor, with the reason, not as the customer leaving',
    async (state) => {
      const userId = `dl_handoffs_fc_${state}`;
      const offered = await offeredConversation(server.url, ALEX, { userId, name: `Sky ${state}` });
      const id = offered.conversationId;
      const alex = offered.agent;
      const alexStream = await streamOf(alex);
      if (state === 'waiting') {
        // Alex passes; nobody else is at their desk, so the chat waits in the queue.
        expect((await alex.call('POST', `/offers/${offered.offerId}/reject`)).status).toBe(200);
        await until('the chat waiting', async () => {
          const details = (await sam.call('GET', `/conversations/${id}`)).body;
          return details.status === 'waiting' || undefined;
        });
      }
      const closed = await sam.call('POST', `/conversations/${id}/force-close`, { reason: 'spam' });
      expect(closed).toMatchObject({
        status: 200,
        body: { status: 'closed', disposition: 'force-closed: spam' },
      });
      const details = (await sam.call('GET', `/conversations/${id}`)).body;
      expect(details).toMatchObject({
        status: 'closed',
        endedBy: 'supervisor',
        disposition: 'force-closed: spam',
      });
      const messages = (await sam.call('GET', `/conversations/${id}/messages`)).body.items as Json[];
      expect(messages.find((m) => m.text === 'Sam Morgan closed the conversation: spam.')).toMatchObject({
        visibility: 'internal',
      });
      await offered.customer.waitFor(
        'the end of the chat',
        (a) => a.type === 'event' && a.name === 'conversationEnded',
      );
      expect(
        offered.customer.seen.some(
          (a) => a.type === 'message' && /closed the conversation/.test(a.text ?? ''),
        ),
      ).toBe(false);
      if (state === 'offered') {
        // The offer is taken back, not missed: Alex is not set Away, and his units come back.
        await alexStream.waitFor(
          'the offer withdrawn',
          (f) => f.type === 'offer.closed' && f.conversationId === id && f.outcome === 'withdrawn',
        );
        const me = (await alex.call('GET', '/me')).body;
        expect(me).toMatchObject({ chosenPresence: 'available', capacity: { used: 0 } });
        expect((await alex.call('GET', '/offers')).body.items).toEqual([]);
      }
      // Nobody's to reopen, and in nobody's closed list.
      const closedList = (await alex.call('GET', '/work-items?view=closed')).body.items as Json[];
      expect(closedList.map((c) => c.id)).not.toContain(id);
      offered.customer.end();
    },
    90_000,
  );
});

describe('a chat a supervisor force-closed', () => {
  it('is not its agent to reopen: the supervisor decided', async () => {
    // Emma, not Alex: the earlier scenarios hold Alex's live streams open up to his limit.
    const live = await liveConversation(server.url, EMMA, {
      userId: 'dl_handoffs_fc_reopen',
      name: 'Dev Singh',
    });
    const id = live.conversationId;
    // A reason that shows nothing is no reason: not a disposition of control characters.
    const closed = await sam.call('POST', `/conversations/${id}/force-close`, {
      reason: ' \u0000\u001b[2J ',
    });
    expect(closed).toMatchObject({ status: 200, body: { status: 'closed', disposition: 'force-closed' } });
    const reopened = await live.agent.call('POST', `/conversations/${id}/reopen`);
    expect(reopened.status).toBe(409);
    expect(reopened.body.error.message).toBe(
      'Cannot reopen a conversation that is closed: a supervisor closed it',
    );
    expect((await sam.call('GET', `/conversations/${id}`)).body).toMatchObject({ status: 'closed' });
    expect(live.customer.seen.some((a) => a.type === 'message' && /reopened/.test(a.text ?? ''))).toBe(false);
    live.customer.end();
  });
});
