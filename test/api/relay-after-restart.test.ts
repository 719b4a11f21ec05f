import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RELAY_MARKS_COLLECTION } from '../../bot/customer-bot/relay-marks.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { SERVER_STORES } from '../support/stores.js';
import { liveConversation } from './support/live-conversation.js';

// An agent's message is stored and announced, and its 201 tells the agent it went; the customer
// relay sends it on a moment later. A server that dies in that moment must still get it to the
// customer when it starts again — once, however often it starts.

/** How many times the customer's Direct Line conversation holds an activity with this text. */
async function timesSent(s: TestServer, channelConversationId: string, text: string): Promise<number> {
  const docs = await s.services.store
    .collection<{ conversationId: string; json: string }>('directline_activities')
    .find({ conversationId: channelConversationId });
  return docs.filter((d) => (JSON.parse(d.json) as { text?: string }).text === text).length;
}

describe.each(SERVER_STORES)('the customer relay across a restart ($name)', (store) => {
  let dataDir = '';
  let server: TestServer | undefined;
  let stopStore: (() => Promise<void>) | undefined;

  afterAll(async () => {
    await server?.close();
    await stopStore?.();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('sends after a restart what the agent sent just before the stop, once', async () => {
    const started = await store.start('relay_restart');
    stopStore = started.stop;
    const ENV = { AUTH_MODE: 'dev', ...started.env };
    dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-relay-restart-'));
    server = await startTestServer({ dataDir, env: ENV });
    const port = Number(new URL(server.url).port);
    const live = await liveConversation(server.url, 'agent_alex', {
      userId: 'dl_relayrestart01',
      name: 'Noor Haddad',
    });
    const conversation = await server.services.conversations.get(live.conversationId);
    const channelConversationId = (conversation.channelRef as { conversation: { id: string } }).conversation
      .id;

    const before = 'Checking your account now.';
    expect(
      (
        await live.agent.call('POST', `/conversations/${live.conversationId}/messages`, {
          text: before,
          visibility: 'public',
        })
      ).status,
    ).toBe(201);
    await live.customer.waitFor('the first message', (a) => a.type === 'message' && a.text === before);

    // The relay stops hearing announcements, as when the process dies between storing a message and
    // sending it on: the agent is told it went, the customer gets nothing.
    server.services.bot.relay.stop();
    const owed = ['Your engineer visit is booked for Tuesday.', 'You will get a text the day before.'];
    for (const text of owed) {
      const sent = await live.agent.call('POST', `/conversations/${live.conversationId}/messages`, {
        text,
        visibility: 'public',
      });
      expect(sent.status).toBe(201);
    }
    await server.services.bot.idle();
    for (const text of owed) expect(await timesSent(server, channelConversationId, text)).toBe(0);
    live.customer.end();
    await server.close();

    // On the same port, as a restarted server is: the channel's stored reference to the bot names it.
    server = await startTestServer({ dataDir, env: ENV, port });
    const restarted = server;
    await expect
      .poll(async () => Promise.all(owed.map((t) => timesSent(restarted, channelConversationId, t))), {
        timeout: 20_000,
      })
      .toEqual([1, 1]);
    // In the order the agent sent them, and what had gone out before is not sent again.
    const texts = (
      await server.services.store
        .collection<{ conversationId: string; seq: number; json: string }>('directline_activities')
        .find({ conversationId: channelConversationId }, { sort: { seq: 1 } })
    ).map((d) => (JSON.parse(d.json) as { text?: string }).text);
    expect(texts.filter((t) => t !== undefined && [before, ...owed].includes(t))).toEqual([before, ...owed]);
    await server.services.bot.idle();
    expect(await server.services.bot.relay.sendOwed()).toBe(0);

    // Sent but not marked (the process died between the two): sent again, and the channel keeps one.
    await server.services.store
      .collection(RELAY_MARKS_COLLECTION)
      .deleteMany({ conversationId: live.conversationId });
    expect(await server.services.bot.relay.sendOwed()).toBe(3);
    await server.services.bot.idle();
    for (const text of [before, ...owed])
      expect(await timesSent(server, channelConversationId, text)).toBe(1);

    // A further start sends nothing more.
    await server.close();
    server = await startTestServer({ dataDir, env: ENV, port });
    await server.services.bot.idle();
    expect(await server.services.bot.relay.sendOwed()).toBe(0);
    for (const text of [before, ...owed])
      expect(await timesSent(server, channelConversationId, text)).toBe(1);
  }, 120_000);
});
