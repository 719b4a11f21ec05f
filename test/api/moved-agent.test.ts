/**
 * An agent taken off a queue no longer reads, reopens or writes to the chats they served there once
 * those are over; a chat they still hold stays theirs to finish. Over real HTTP, with the agent's
 * queues changed in the store as an administrator's edit would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiClient, type Json } from './support/clients.js';
import { activeConversationWithAlex } from './support/fixtures.js';

let server: TestServer;
let alex: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  alex = await signIn(server.url, 'agent_alex');
}, 60_000);
afterAll(() => server.close());

const closedIds = async () =>
  ((await alex.call('GET', '/work-items?view=closed')).body.items as Json[]).map((w) => w.id as string);

describe('an agent taken off a queue', () => {
  it('keeps the chats they hold there and loses the closed ones, until they are back', async () => {
    const served = await activeConversationWithAlex(server.services, 'dl_moved_01');
    expect((await alex.call('POST', `/conversations/${served}/end`)).status).toBe(200);
    expect(
      (await alex.call('POST', `/conversations/${served}/wrap-up`, { disposition: 'Resolved' })).status,
    ).toBe(200);
    const held = await activeConversationWithAlex(server.services, 'dl_moved_02');
    expect(await closedIds()).toContain(served);
    const { queueIds } = (await server.services.repos.agents.get('agent_alex'))!;
    expect(queueIds).toContain('queue_technical');

    await server.services.repos.agents.update('agent_alex', {
      queueIds: queueIds.filter((q) => q !== 'queue_technical'),
    });
    for (const path of ['', '/messages', '/customer']) {
      expect((await alex.call('GET', `/conversations/${served}${path}`)).status).toBe(403);
    }
    expect((await alex.call('POST', `/conversations/${served}/notes`, { text: 'still mine?' })).status).toBe(
      403,
    );
    const reopen = await alex.call('POST', `/conversations/${served}/reopen`);
    expect(reopen.status).toBe(403);
    expect((await server.services.repos.conversations.get(served))?.status).toBe('closed');
    expect(await closedIds()).not.toContain(served);

    // The chat still open is his to finish.
    expect((await alex.call('GET', `/conversations/${held}/messages`)).status).toBe(200);
    expect(
      (
        await alex.call('POST', `/conversations/${held}/messages`, {
          text: 'Almost done',
          visibility: 'public',
        })
      ).status,
    ).toBe(201);
    expect((await alex.call('POST', `/conversations/${held}/end`)).status).toBe(200);
    expect(
      (await alex.call('POST', `/conversations/${held}/wrap-up`, { disposition: 'Resolved' })).status,
    ).toBe(200);

    // Back on the queue, the closed chats are his again.
    await server.services.repos.agents.update('agent_alex', { queueIds });
    expect(await closedIds()).toEqual(expect.arrayContaining([served, held]));
    expect((await alex.call('GET', `/conversations/${served}/messages`)).status).toBe(200);
    expect((await alex.call('POST', `/conversations/${served}/reopen`)).status).toBe(200);
  });
});
