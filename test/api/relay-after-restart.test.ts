import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RELAY_MARKS_COLLECTION } from '../../bot/customer-bot/relay-marks.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { SERVER_STORES } from '../support/stores.js';
import { BOT_SESSIONS_COLLECTION, type BotSession } from '../../bot/customer-bot/session-store.js';
import { liveConversation, offeredConversation } from './support/live-conversation.js';

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

/** What the bot sent on this Direct Line conversation after `afterSeq`: event names and message texts. */
async function botActivitiesAfter(s: TestServer, channelConversationId: string, afterSeq: number) {
  const docs = await s.services.store
    .collection<{ conversationId: string; seq: number; json: string }>('directline_activities')
    .find({ conversationId: channelConversationId, seq: { $gt: afterSeq } }, { sort: { seq: 1 } });
  return docs.flatMap((d) => {
    const a = JSON.parse(d.json) as { type: string; name?: string; text?: string; from?: { role?: string } };
    if (a.from?.role !== 'bot') return [];
    return a.type === 'event' ? [`event ${a.name}`] : a.type === 'message' ? [`message ${a.text}`] : [];
  });
}

async function lastSeq(s: TestServer, channelConversationId: string): Promise<number> {
  const last = await s.services.store
    .collection<{ conversationId: string; seq: number }>('directline_activities')
    .findOne({ conversationId: channelConversationId }, { sort: { seq: -1 } });
  return last?.seq ?? 0;
}

describe.each(SERVER_STORES)('the customer relay across a restart ($name)', (store) => {
  let dataDir = '';
  let server: TestServer | undefined;
  let stopStore: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await stopStore?.();
    stopStore = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    dataDir = '';
  });

  /** A server on its own store and data directory; `restart` starts it again on the same port. */
  async function firstStart(name: string) {
    const started = await store.start(name);
    stopStore = started.stop;
    const env = { AUTH_MODE: 'dev', ...started.env };
    dataDir = await mkdtemp(path.join(tmpdir(), `switchboard-${name}-`));
    server = await startTestServer({ dataDir, env });
    const port = Number(new URL(server.url).port);
    return {
      server,
      // On the same port, as a restarted server is: the channel's stored reference to the bot names it.
      async restart(): Promise<TestServer> {
        await server?.close();
        server = await startTestServer({ dataDir, env, port });
        return server;
      },
    };
  }

  async function channelConversationOf(s: TestServer, conversationId: string): Promise<string> {
    const conversation = await s.services.conversations.get(conversationId);
    return (conversation.channelRef as { conversation: { id: string } }).conversation.id;
  }

  it('sends after a restart what the agent sent just before the stop, once', async () => {
    const first = await firstStart('relay_restart');
    let server = first.server;
    const live = await liveConversation(server.url, 'agent_alex', {
      userId: 'dl_relayrestart01',
      name: 'Noor Haddad',
    });
    const channelConversationId = await channelConversationOf(server, live.conversationId);

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
    server = await first.restart();
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
    expect((await server.services.bot.relay.catchUp()).messages).toBe(0);

    // Sent but not marked (the process died between the two): sent again, and the channel keeps one.
    await server.services.store
      .collection(RELAY_MARKS_COLLECTION)
      .deleteMany({ conversationId: live.conversationId });
    expect((await server.services.bot.relay.catchUp()).messages).toBe(3);
    await server.services.bot.idle();
    for (const text of [before, ...owed])
      expect(await timesSent(server, channelConversationId, text)).toBe(1);

    // A further start sends nothing more.
    server = await first.restart();
    await server.services.bot.idle();
    expect((await server.services.bot.relay.catchUp()).messages).toBe(0);
    for (const text of [before, ...owed])
      expect(await timesSent(server, channelConversationId, text)).toBe(1);
  }, 120_000);

  it("sends again after a restart a step's sends that went just before the stop, and the channel keeps one", async () => {
    const first = await firstStart('relay_outbox');
    let server = first.server;
    const live = await liveConversation(server.url, 'agent_alex', {
      userId: 'dl_relayoutbox01',
      name: 'Lena Fischer',
    });
    const channelConversationId = await channelConversationOf(server, live.conversationId);
    const sessions = () => server.services.store.collection<BotSession>(BOT_SESSIONS_COLLECTION);
    await server.services.bot.idle();
    const joinedEvents = async (s: TestServer) =>
      (
        await s.services.store
          .collection<{ conversationId: string; json: string }>('directline_activities')
          .find({ conversationId: channelConversationId })
      )
        .map((d) => JSON.parse(d.json) as { name?: string; channelData?: { clientActivityId?: string } })
        .filter((a) => a.name === 'agentJoined');
    const [joined] = await joinedEvents(server);
    // The relay sent "joined" as the first send of its step's outbox, and cleared the outbox after.
    const clientId = joined?.channelData?.clientActivityId ?? '';
    expect(clientId).toMatch(/^relay outbox_\w+ 0$/);
    expect((await sessions().findOne({ conversationId: live.conversationId }))?.outbox).toBeUndefined();

    // The process died after sending and before clearing: the outbox is still stored at the start.
    const outbox = {
      id: clientId.split(' ')[1]!,
      actions: [{ type: 'event' as const, name: 'agentJoined' as const, value: { name: 'Alex Rivera' } }],
      end: false,
    };
    await sessions().updateOne({ conversationId: live.conversationId }, { $set: { outbox } });
    live.customer.end();
    server = await first.restart();
    await expect
      .poll(async () => (await sessions().findOne({ conversationId: live.conversationId }))?.outbox, {
        timeout: 20_000,
      })
      .toBeUndefined();
    await server.services.bot.idle();
    expect(await joinedEvents(server)).toHaveLength(1);
    expect(await server.services.bot.relay.catchUp()).toEqual({ messages: 0, updates: 0 });
  }, 120_000);

  it('tells the customer after a restart who joined and that it ended, around the words they missed', async () => {
    const first = await firstStart('relay_missed');
    let server = first.server;
    const offered = await offeredConversation(server.url, 'agent_alex', {
      userId: 'dl_relaymissed01',
      name: 'Priya Nair',
    });
    const id = offered.conversationId;
    const channelConversationId = await channelConversationOf(server, id);
    const sessions = server.services.store.collection<BotSession>(BOT_SESSIONS_COLLECTION);

    // The process "dies" for the relay before the accept: the agent takes the conversation, speaks and
    // ends it; the customer hears none of it and their dialog still says they are waiting.
    server.services.bot.relay.stop();
    await server.services.bot.idle();
    const heardBefore = await lastSeq(server, channelConversationId);
    expect((await offered.agent.call('POST', `/offers/${offered.offerId}/accept`)).status).toBe(200);
    const words = 'I can see the outage on your street; it is fixed within the hour.';
    expect(
      (
        await offered.agent.call('POST', `/conversations/${id}/messages`, {
          text: words,
          visibility: 'public',
        })
      ).status,
    ).toBe(201);
    expect((await offered.agent.call('POST', `/conversations/${id}/end`)).status).toBe(200);
    await server.services.bot.idle();
    expect(await botActivitiesAfter(server, channelConversationId, heardBefore)).toEqual([]);
    expect((await sessions.findOne({ conversationId: id }))?.state.phase).toBe('queued');
    offered.customer.end();
    server = await first.restart();
    const restarted = server;
    // Who joined, what they said, that it ended and the survey: in the order it happened.
    const told = ['event agentJoined', `message ${words}`, 'event conversationEnded', 'event postChatSurvey'];
    await expect
      .poll(() => botActivitiesAfter(restarted, channelConversationId, heardBefore), { timeout: 20_000 })
      .toEqual(told);
    await server.services.bot.idle();
    const session = await server.services.store
      .collection<BotSession>(BOT_SESSIONS_COLLECTION)
      .findOne({ conversationId: id });
    expect(session?.state).toMatchObject({
      phase: 'csat-rating',
      agentName: 'Alex Rivera',
      agentServed: true,
    });

    // Told once: neither a second catch-up nor a further start tells it again.
    expect(await server.services.bot.relay.catchUp()).toEqual({ messages: 0, updates: 0 });
    server = await first.restart();
    await server.services.bot.idle();
    expect(await server.services.bot.relay.catchUp()).toEqual({ messages: 0, updates: 0 });
    expect(await botActivitiesAfter(server, channelConversationId, heardBefore)).toEqual(told);
  }, 120_000);
});
