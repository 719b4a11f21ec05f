/**
 * A customer whose connection drops and who does not come back (they closed the tab, their phone
 * lost signal) has left: with an agent the chat goes to wrap-up, freeing the agent's capacity, with a
 * note saying why; queued, the wait is abandoned and nobody is offered a chat with nobody. One who
 * comes back in time keeps their chat. Over the real server and the local Direct Line channel's
 * WebSocket stream, with the away time cut to two seconds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEFAULT_LIMITS } from '../../bot/directline/index.js';
import { startTestServer, TEST_DIRECT_LINE_SECRET, type TestServer } from '../support/server.js';
import { alexAlone, asksForAPerson } from '../bot/support/stream-customer.js';
import { openStream, signIn, until, type ApiClient, type Json, type LiveStream } from './support/clients.js';

const AWAY_MS = 2000;

let server: TestServer;
let agent: ApiClient;
let agentStream: LiveStream;

interface DlActivity {
  type: string;
  text?: string;
  name?: string;
  from: { id: string };
}

async function dl(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${server.url}/v3/directline${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** A customer on the channel as the widget is: a started conversation and its stream. */
async function customer(userId: string, name: string) {
  const generated = await dl('POST', '/tokens/generate', TEST_DIRECT_LINE_SECRET, {
    user: { id: userId, name },
  });
  const started = await dl('POST', '/conversations', generated.body.token as string);
  const token = started.body.token as string;
  const conversationId = started.body.conversationId as string;
  const seen: DlActivity[] = [];
  let ws: WebSocket | null = null;
  const open = async (streamUrl: string) => {
    const socket = new WebSocket(streamUrl);
    socket.on('message', (data) => {
      const text = String(data);
      if (text) seen.push(...(JSON.parse(text) as { activities: DlActivity[] }).activities);
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    ws = socket;
  };
  await open(started.body.streamUrl as string);
  const postRaw = (activity: Record<string, unknown>) =>
    dl('POST', `/conversations/${conversationId}/activities`, token, {
      from: { id: userId, name },
      ...activity,
    });
  const post = async (activity: Record<string, unknown>) => {
    expect((await postRaw(activity)).status).toBe(200);
  };
  const waitFor = (what: string, test: (a: DlActivity) => boolean) =>
    until(`the customer sees ${what}`, () => seen.find((a) => a.from.id !== userId && test(a)));
  return {
    post,
    postRaw,
    waitFor,
    /** Past the pre-chat survey, asking for a person. */
    asksForAPerson: () => asksForAPerson({ post, waitFor }, userId, name),
    /** The tab closes: the stream goes, nothing else is sent. */
    async disconnect() {
      const socket = ws!;
      ws = null;
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
      });
    },
    /** Back on the page: reconnects with the watermark it had, as Direct Line clients do. */
    async reconnect() {
      const again = await dl('GET', `/conversations/${conversationId}?watermark=0`, token);
      expect(again.status).toBe(200);
      seen.length = 0;
      await open(again.body.streamUrl as string);
    },
    close: () => ws?.close(),
  };
}

async function conversationOf(customerName: string, view: 'mine' | 'open'): Promise<Json> {
  return until(`${customerName}'s work item in ${view}`, async () => {
    const items = (await agent.call('GET', `/work-items?view=${view}`)).body.items as Json[];
    return items.find((i) => i.customerName === customerName);
  });
}

const statusOf = async (id: string) =>
  (await agent.call('GET', `/conversations/${id}`)).body.status as string;

/** The server with these away times, Alex the one agent available, and Alex's live stream. */
async function startWith(
  limits: Partial<typeof DEFAULT_LIMITS>,
  at: { dataDir?: string; port?: number } = {},
) {
  server = await startTestServer({ ...at, app: { directLineLimits: { ...DEFAULT_LIMITS, ...limits } } });
  ({ agent, agentStream } = await alexAlone(server.url));
}

async function stop() {
  await agentStream?.close();
  await server?.close();
}

/** The offer of `name`'s chat on Alex's live stream. */
const offerFor = (name: string) =>
  agentStream.waitFor(
    `the offer for ${name}`,
    (f) => f.type === 'offer.created' && f.customerName === name,
    30_000,
  );

/** A customer asking for a person, in a chat Alex accepted. */
async function withAlex(userId: string, name: string) {
  const c = await customer(userId, name);
  await c.asksForAPerson();
  const offer = await offerFor(name);
  expect((await agent.call('POST', `/offers/${offer.offerId}/accept`)).status).toBe(200);
  await c.waitFor('the agent joined', (a) => a.name === 'agentJoined');
  return { customer: c, conversationId: offer.conversationId as string };
}

describe('a customer whose connection dropped', () => {
  beforeAll(() => startWith({ customerAwayMs: AWAY_MS }), 60_000);
  afterAll(stop);

  it("and who did not come back leaves an agent's chat: wrap-up, a note why, and the notice waiting for them", async () => {
    const gone = await customer('dl-gone-1', 'Ada Lovelace');
    // Came back at once (a reload): the chat goes on, even after the away time.
    const back = await customer('dl-back-1', 'Grace Hopper');
    await gone.asksForAPerson();
    await back.asksForAPerson();
    for (const name of ['Ada Lovelace', 'Grace Hopper']) {
      const offer = await offerFor(name);
      expect((await agent.call('POST', `/offers/${offer.offerId}/accept`)).status).toBe(200);
    }
    const ada = await conversationOf('Ada Lovelace', 'mine');
    const grace = await conversationOf('Grace Hopper', 'mine');
    await gone.waitFor('the agent joined', (a) => a.name === 'agentJoined');
    await back.waitFor('the agent joined', (a) => a.name === 'agentJoined');

    await back.disconnect();
    await gone.disconnect();
    await back.reconnect();

    await until('the chat in wrap-up', async () => (await statusOf(ada.id)) === 'wrap-up', 15_000);
    // The note follows the move to wrap-up, a moment later.
    const note = await until('the note why', async () => {
      const messages = (await agent.call('GET', `/conversations/${ada.id}/messages`)).body.items as Json[];
      return messages.find((m) => m.from === 'system' && /left the chat/.test(m.text));
    });
    expect(note).toMatchObject({
      visibility: 'internal',
      text: 'Ada Lovelace left the chat: their connection dropped and they were not back within 2 seconds.',
    });
    // Grace reconnected before the away time: her chat goes on, though it was looked at with Ada's.
    expect(await statusOf(grace.id)).toBe('active');

    // Ada comes back to the page later: the chat tells her why it ended, and the widget closes it.
    await gone.reconnect();
    const notice = await gone.waitFor('why the chat ended', (a) =>
      /You were disconnected/.test(a.text ?? ''),
    );
    expect(notice.text).toBe(
      'You were disconnected for more than 2 seconds, so this chat ended. Write again any time.',
    );
    await gone.waitFor(
      'the chat shown as ended',
      (a) => a.type === 'event' && a.name === 'conversationEnded',
    );
    gone.close();
    back.close();
  }, 90_000);

  it('and who did not come back abandons the queue: the offer is withdrawn', async () => {
    await agent.call('PUT', '/me/presence', { presence: 'available' });
    const queued = await customer('dl-gone-2', 'Linus Torvalds');
    await queued.asksForAPerson();
    const offer = await offerFor('Linus Torvalds');
    await queued.disconnect();
    await agentStream.waitFor(
      'the offer withdrawn',
      (f) => f.type === 'offer.closed' && f.offerId === offer.offerId,
      15_000,
    );
    expect(await statusOf(offer.conversationId as string)).toBe('abandoned');
    expect((await agent.call('POST', `/offers/${offer.offerId}/accept`)).status).toBe(409);
  }, 90_000);
});

describe('a customer whose connection drops for a while', () => {
  // Long enough an away time that no loaded machine takes the customer for gone during the test.
  beforeAll(() => startWith({ customerDisconnectedMs: 300, customerAwayMs: 120_000 }), 60_000);
  afterAll(stop);

  const connectionFrame = (conversationId: string, away: boolean) =>
    agentStream.waitFor(
      away ? 'the customer shown as disconnected' : 'the customer shown as back',
      (f) =>
        f.type === 'conversation.updated' &&
        f.conversationId === conversationId &&
        'customerAwaySince' in f &&
        (f.customerAwaySince !== null) === away,
      15_000,
    );

  it('is shown to the agent as disconnected, since when, until they are back', async () => {
    const { customer: katherine, conversationId } = await withAlex('dl-flaky-1', 'Katherine Johnson');
    const details = async () => (await agent.call('GET', `/conversations/${conversationId}`)).body;
    expect(await details()).not.toHaveProperty('customerAwaySince');

    const closedAt = Date.now();
    await katherine.disconnect();
    const away = await connectionFrame(conversationId, true);
    const since = Date.parse(away.customerAwaySince as string);
    expect(since).toBeGreaterThanOrEqual(closedAt - 1000);
    expect(since).toBeLessThanOrEqual(Date.now());
    expect(await details()).toMatchObject({ status: 'active', customerAwaySince: away.customerAwaySince });
    const sessions = (await agent.call('GET', '/me/sessions')).body.items as Json[];
    expect(sessions.find((i) => i.id === conversationId)).toMatchObject({
      customerAwaySince: away.customerAwaySince,
    });
    // Their supervisor's board says so too.
    const sam = await signIn(server.url, 'supervisor_sam');
    const board = (await sam.call('GET', '/supervisor/conversations')).body.items as Json[];
    expect(board.find((i) => i.id === conversationId)).toMatchObject({
      customerAwaySince: away.customerAwaySince,
    });

    // Back on the page: the mark goes at once, the chat went on all along.
    await katherine.reconnect();
    await connectionFrame(conversationId, false);
    expect(await details()).toMatchObject({ status: 'active' });
    expect(await details()).not.toHaveProperty('customerAwaySince');
    const boardAfter = (await sam.call('GET', '/supervisor/conversations')).body.items as Json[];
    expect(boardAfter.find((i) => i.id === conversationId)).toMatchObject({ customerAwaySince: null });

    // Gone again, and the agent ends the chat meanwhile: no mark outlives the chat.
    await katherine.disconnect();
    await connectionFrame(conversationId, true);
    expect((await agent.call('POST', `/conversations/${conversationId}/end`)).status).toBe(200);
    await until('the chat in wrap-up', async () => (await details()).status === 'wrap-up');
    expect(await details()).not.toHaveProperty('customerAwaySince');
    katherine.close();
  }, 90_000);

  it('cannot be said by a customer of themselves', async () => {
    const { customer: mallory, conversationId } = await withAlex('dl-flaky-2', 'Mallory Ames');
    const refused = await mallory.postRaw({
      type: 'conversationUpdate',
      channelData: { connection: { state: 'disconnected', since: new Date().toISOString() } },
    });
    expect(refused.status).toBe(400);
    // What a client may post (an event) carries no such meaning either.
    await mallory.post({
      type: 'event',
      name: 'connection',
      channelData: { connection: { state: 'disconnected', since: new Date().toISOString() } },
    });
    await mallory.post({ type: 'message', text: 'still here' });
    await agentStream.waitFor(
      'the message after',
      (f) => f.type === 'conversation.message' && (f.message as Json).text === 'still here',
    );
    // Frames come in order: any mark the event made would have come before the message.
    expect(
      agentStream.frames.filter((f) => f.conversationId === conversationId && 'customerAwaySince' in f),
    ).toEqual([]);
    mallory.close();
  }, 90_000);

  it('says so on the offer of a waiting customer who is disconnected', async () => {
    const waiting = await customer('dl-flaky-3', 'Hedy Lamarr');
    await waiting.asksForAPerson();
    const offer = await offerFor('Hedy Lamarr');
    await waiting.disconnect();
    const away = await connectionFrame(offer.conversationId as string, true);
    const offers = (await agent.call('GET', '/offers')).body.items as Json[];
    expect(offers.find((o) => o.offerId === offer.offerId)).toMatchObject({
      customerAwaySince: away.customerAwaySince,
    });
  }, 90_000);
});

describe('customers whose streams a restart dropped', () => {
  // Long enough that the customer who comes back does so in time on a loaded machine.
  const limits = { customerDisconnectedMs: 300, customerAwayMs: 6000 };
  let dataDir = '';
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-gone-restart-'));
    await startWith(limits, { dataDir });
  }, 60_000);
  afterAll(async () => {
    await stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('are waited for again: one who never comes back leaves, one who does is no longer shown disconnected', async () => {
    const ada = await withAlex('dl-restart-1', 'Ada Lovelace');
    const grace = await withAlex('dl-restart-2', 'Grace Hopper');
    // Grace's connection had dropped before the stop: the agent was shown it.
    await grace.customer.disconnect();
    await agentStream.waitFor(
      'Grace shown as disconnected',
      (f) =>
        f.type === 'conversation.updated' &&
        f.conversationId === grace.conversationId &&
        !!f.customerAwaySince,
      15_000,
    );

    // On the same port: the bot's stored references to the channel name it.
    const port = Number(new URL(server.url).port);
    const seen = agentStream.lastSeq();
    await stop();
    await startWith(limits, { dataDir, port });
    // As the tab does: its stream resumes from the last event it had, so nothing the new process said
    // before the stream was open again is missed (Ada is shown disconnected 2 s after the start).
    const resumed = await openStream(server.url, agent.token, seen);
    const details = async (id: string) => (await agent.call('GET', `/conversations/${id}`)).body;

    // Grace's page reconnects after the restart: she is back, whatever the last process had said.
    await grace.customer.reconnect();
    await until('Grace no longer shown as disconnected', async () => {
      const body = await details(grace.conversationId);
      return !('customerAwaySince' in body) && body;
    });
    // Ada's never does: the agent sees her disconnected, then the chat goes to wrap-up.
    await resumed.waitFor(
      'Ada shown as disconnected',
      (f) =>
        f.type === 'conversation.updated' && f.conversationId === ada.conversationId && !!f.customerAwaySince,
      15_000,
    );
    await until('Ada left', async () => (await details(ada.conversationId)).status === 'wrap-up', 20_000);
    await until('the note why', async () => {
      const items = (await agent.call('GET', `/conversations/${ada.conversationId}/messages`)).body
        .items as Json[];
      return items.find((m) => m.from === 'system' && /Ada Lovelace left the chat/.test(m.text));
    });
    expect(await details(grace.conversationId)).toMatchObject({ status: 'active' });
    ada.customer.close();
    grace.customer.close();
    await resumed.close();
  }, 90_000);
});
