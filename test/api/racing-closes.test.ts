import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiClient, type Json } from './support/clients.js';
import { activeConversationWithAlex } from './support/fixtures.js';

// Two people acting on one chat at the same moment (a supervisor's force close as the agent wraps
// up; the agent ending a consult as the consultant leaves): one wins, the other is refused in words,
// and the transcript says only what happened. On MongoDB a lost conditional write is retried, which
// is where a change that did not happen once still counted as made.

let server: TestServer;
let alex: ApiClient;
let chen: ApiClient;
let sam: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  alex = await signIn(server.url, 'agent_alex');
  chen = await signIn(server.url, 'agent_chen');
  sam = await signIn(server.url, 'supervisor_sam');
}, 120_000);
afterAll(() => server?.close());

async function lines(id: string, words: RegExp): Promise<string[]> {
  const items = (await sam.call('GET', `/conversations/${id}/messages`)).body.items as Json[];
  return items.map((m) => m.text as string).filter((t) => words.test(t));
}

describe('two people closing one chat at once', () => {
  it('lets one close win: the other is refused, and only the winner is named in the transcript', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await activeConversationWithAlex(server.services, `dl_racing_close_${round}`);
      expect((await alex.call('POST', `/conversations/${id}/end`)).status).toBe(200);
      const [forced, wrapped] = await Promise.all([
        sam.call('POST', `/conversations/${id}/force-close`, { reason: 'spam' }),
        alex.call('POST', `/conversations/${id}/wrap-up`, { disposition: 'Resolved' }),
      ]);
      expect([forced.status, wrapped.status].sort()).toEqual([200, 409]);
      const details = (await sam.call('GET', `/conversations/${id}`)).body;
      const notes = await lines(id, /closed the conversation/);
      if (forced.status === 200) {
        expect(details).toMatchObject({ status: 'closed', disposition: 'force-closed: spam' });
        expect(notes).toEqual(['Sam Morgan closed the conversation: spam.']);
      } else {
        expect(details).toMatchObject({ status: 'closed', disposition: 'Resolved' });
        expect(forced.body.error).toMatchObject({
          code: 'conversation.closed_meanwhile',
          message: 'Cannot force close this conversation: it was closed meanwhile (Resolved)',
        });
        expect(notes).toEqual([]);
      }
    }
  }, 120_000);

  it('refuses a force close that comes after the wrap-up, and repeats one that came first', async () => {
    // The order the race above takes when the wrap-up lands before the force close is read.
    const wrapped = await activeConversationWithAlex(server.services, 'dl_racing_close_after');
    expect((await alex.call('POST', `/conversations/${wrapped}/end`)).status).toBe(200);
    expect(
      (await alex.call('POST', `/conversations/${wrapped}/wrap-up`, { disposition: 'Resolved' })).status,
    ).toBe(200);
    const late = await sam.call('POST', `/conversations/${wrapped}/force-close`, { reason: 'spam' });
    expect(late).toMatchObject({ status: 409, body: { error: { code: 'conversation.closed_meanwhile' } } });
    expect((await sam.call('GET', `/conversations/${wrapped}`)).body).toMatchObject({
      disposition: 'Resolved',
    });
    expect(await lines(wrapped, /closed the conversation/)).toEqual([]);

    const forced = await activeConversationWithAlex(server.services, 'dl_racing_close_twice');
    for (const press of [1, 2]) {
      const again = await sam.call('POST', `/conversations/${forced}/force-close`, { reason: 'spam' });
      expect(again, `press ${press}`).toMatchObject({
        status: 200,
        body: { status: 'closed', disposition: 'force-closed: spam' },
      });
    }
    expect(await lines(forced, /closed the conversation/)).toEqual([
      'Sam Morgan closed the conversation: spam.',
    ]);
  });

  it('ends a consult once when its agent ends it as the consultant leaves', async () => {
    const id = await activeConversationWithAlex(server.services, 'dl_racing_consult');
    for (let round = 0; round < 4; round++) {
      expect(
        (await alex.call('POST', `/conversations/${id}/consult`, { agentId: 'agent_chen' })).status,
      ).toBe(200);
      const [ended, left] = await Promise.all([
        alex.call('POST', `/conversations/${id}/consults/agent_chen/end`),
        chen.call('POST', `/conversations/${id}/leave`),
      ]);
      expect([ended.status, left.status].sort()).toEqual([200, 409]);
      expect((ended.status === 409 ? ended : left).body.error.code).toBe('participant.not_joined');
    }
    // One line for each consult's start and one for its end, whoever ended it.
    expect(await lines(id, /invited Chen Wei to consult/)).toHaveLength(4);
    expect(await lines(id, /ended Chen Wei's consult|Chen Wei left the consultation/)).toHaveLength(4);
  }, 120_000);
});
