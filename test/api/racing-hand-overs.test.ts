import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiClient, type Json } from './support/clients.js';
import { activeConversationWithAlex } from './support/fixtures.js';

// A chat changing hands while someone else acts on it: a supervisor assigning it as its agent ends
// or transfers it, two assigns made at once (two supervisors, or one in two tabs). Whoever comes second about a chat that is
// no longer where they saw it is told where it went (409), never done to the next agent's chat,
// refused as a stranger, or in words about capacity; and nobody is left holding room for a chat
// that is not theirs.

let server: TestServer;
let alex: ApiClient;
let sam: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  alex = await signIn(server.url, 'agent_alex');
  sam = await signIn(server.url, 'supervisor_sam');
}, 120_000);
afterAll(() => server?.close());

const MOVED = 'conversation.moved_meanwhile';

/** A chat with Alex, Chen and Emma free to be handed it. */
async function chatWithAlex(userId: string): Promise<string> {
  const id = await activeConversationWithAlex(server.services, userId);
  for (const agentId of ['agent_chen', 'agent_emma'])
    await server.services.router.presence.set(agentId, 'available');
  return id;
}

/** Frees its agent's room for the next round (a chat in wrap-up holds it too). */
async function closed(id: string): Promise<void> {
  expect((await sam.call('POST', `/conversations/${id}/force-close`, { reason: 'round over' })).status).toBe(
    200,
  );
  expect(await holders(id)).toEqual([]);
}

/** Who holds room for the chat: only the agent it is with (or nobody, once it is over). */
async function holders(id: string): Promise<string[]> {
  const agents = await server.services.repos.agents.getManyWithHolds([
    'agent_alex',
    'agent_chen',
    'agent_emma',
  ]);
  return agents.filter((a) => a.capacityHolds?.[id]?.held).map((a) => a.id);
}

async function notes(id: string, words: RegExp): Promise<string[]> {
  const items = (await sam.call('GET', `/conversations/${id}/messages`)).body.items as Json[];
  return items.map((m) => m.text as string).filter((t) => words.test(t));
}

describe('a chat changing hands while someone acts on it', () => {
  it('tells its agent where it went when they press End or Transfer after it was assigned on', async () => {
    const id = await chatWithAlex('dl_racing_handover_after');
    expect((await sam.call('POST', `/conversations/${id}/assign`, { agentId: 'agent_chen' })).status).toBe(
      200,
    );
    for (const [path, body] of [
      ['end', undefined],
      ['transfer', { toAgentId: 'agent_emma' }],
    ] as const) {
      const late = await alex.call('POST', `/conversations/${id}/${path}`, body);
      expect(late, path).toMatchObject({
        status: 409,
        body: {
          error: {
            code: MOVED,
            message: 'This conversation was moved on meanwhile: it is with Chen Wei now',
          },
        },
      });
    }
    expect((await sam.call('GET', `/conversations/${id}`)).body).toMatchObject({
      status: 'active',
      agentId: 'agent_chen',
    });
    expect(await holders(id)).toEqual(['agent_chen']);
    await closed(id);
  });

  it('lets one of an End and an Assign pressed at once win, and never ends the next agent’s chat', async () => {
    for (let round = 0; round < 6; round++) {
      const id = await chatWithAlex(`dl_racing_end_assign_${round}`);
      const [ended, assigned] = await Promise.all([
        alex.call('POST', `/conversations/${id}/end`),
        sam.call('POST', `/conversations/${id}/assign`, { agentId: 'agent_chen' }),
      ]);
      expect([ended.status, assigned.status].sort(), `round ${round}`).toEqual([200, 409]);
      const now = (await sam.call('GET', `/conversations/${id}`)).body;
      if (assigned.status === 200) {
        expect(ended.body.error).toMatchObject({
          code: MOVED,
          message: 'This conversation was moved on meanwhile: it is with Chen Wei now',
        });
        expect(now).toMatchObject({ status: 'active', agentId: 'agent_chen' });
        expect(await holders(id)).toEqual(['agent_chen']);
      } else {
        expect(now).toMatchObject({ status: 'wrap-up', agentId: 'agent_alex' });
        expect(await notes(id, /assigned the conversation/)).toEqual([]);
        expect(await holders(id)).not.toContain('agent_chen');
      }
      await closed(id);
    }
  }, 120_000);

  it('gives the chat to one of two assigns made at once (two supervisors, or one in two tabs), the other told where it went', async () => {
    for (let round = 0; round < 6; round++) {
      const id = await chatWithAlex(`dl_racing_two_assigns_${round}`);
      const [first, second] = await Promise.all([
        sam.call('POST', `/conversations/${id}/assign`, { agentId: 'agent_chen' }),
        sam.call('POST', `/conversations/${id}/assign`, { agentId: 'agent_emma' }),
      ]);
      const now = (await sam.call('GET', `/conversations/${id}`)).body;
      const made = [first, second].filter((r) => r.status === 200);
      for (const refused of [first, second].filter((r) => r.status !== 200)) {
        expect(refused, `round ${round}`).toMatchObject({ status: 409, body: { error: { code: MOVED } } });
      }
      // Both made only one after the other: the second moved it on from where the first put it.
      expect(made.length, `round ${round}`).toBeGreaterThan(0);
      expect(await notes(id, /assigned the conversation/)).toHaveLength(made.length);
      expect(now.status).toBe('active');
      expect(await holders(id)).toEqual([now.agentId]);
      await closed(id);
    }
  }, 120_000);

  it('refuses a transfer racing an assign to the same agent as a chat already on its way', async () => {
    for (let round = 0; round < 6; round++) {
      const id = await chatWithAlex(`dl_racing_transfer_assign_${round}`);
      const [transferred, assigned] = await Promise.all([
        alex.call('POST', `/conversations/${id}/transfer`, { toAgentId: 'agent_chen' }),
        sam.call('POST', `/conversations/${id}/assign`, { agentId: 'agent_chen' }),
      ]);
      for (const refused of [transferred, assigned].filter((r) => r.status !== 200)) {
        expect(refused, `round ${round}`).toMatchObject({ status: 409, body: { error: { code: MOVED } } });
      }
      expect(
        [transferred, assigned].some((r) => r.status === 200),
        `round ${round}`,
      ).toBe(true);
      expect((await sam.call('GET', `/conversations/${id}`)).body).toMatchObject({ agentId: 'agent_chen' });
      expect(await holders(id)).toEqual(['agent_chen']);
      await closed(id);
    }
  }, 120_000);
});
