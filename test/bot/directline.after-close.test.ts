/**
 * When the agent closes a widget chat, the customer may still rate it, read it and keep its files
 * on screen; once the rating is over — given, or left unanswered for its time — the Direct Line
 * conversation ends, and the token left in the browser reads, refreshes and posts no more. Over the
 * real server, with a clock the test moves on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SURVEY_MINUTES } from '../../bot/customer-bot/index.js';
import { DEFAULT_LIMITS } from '../../bot/directline/index.js';
import { systemDeps } from '../../services/domain/index.js';
import { png } from '../support/sample-files.js';
import { startTestServer, TEST_DIRECT_LINE_SECRET, type TestServer } from '../support/server.js';
import type { ApiClient, LiveStream } from '../api/support/clients.js';
import { alexAlone, customerAskingForAPerson, dl } from './support/stream-customer.js';

let server: TestServer;
let agent: ApiClient;
let agentStream: LiveStream;
let clockOffset = 0;
const deps = { ...systemDeps, now: () => new Date(Date.now() + clockOffset) };
const minutes = (n: number) => n * 60_000;
/** A customer whose streams stay closed this long has left. */
const AWAY_MS = 1500;

beforeAll(async () => {
  server = await startTestServer({
    app: {
      deps,
      routingSweepMs: 0,
      directLineLimits: { ...DEFAULT_LIMITS, customerDisconnectedMs: 500, customerAwayMs: AWAY_MS },
    },
  });
  ({ agent, agentStream } = await alexAlone(server.url));
}, 60_000);

afterAll(async () => {
  await agentStream?.close();
  await server?.close();
});

/** A customer Alex served, who sent a file, and whose chat Alex ended and closed. */
async function closedByAlex(userId: string, name: string) {
  await agent.call('PUT', '/me/presence', { presence: 'available' });
  const c = await customerAskingForAPerson(server.url, userId, name);
  const offer = await agentStream.waitFor(
    'the offer',
    (f) => f.type === 'offer.created' && f.customerName === name,
    30_000,
  );
  expect((await agent.call('POST', `/offers/${offer.offerId}/accept`)).status).toBe(200);
  const conversationId = offer.conversationId as string;
  await c.waitFor('the agent joined', (a) => a.name === 'agentJoined');
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png())], { type: 'image/png' }), 'router.png');
  const uploaded = await fetch(
    `${server.url}/v3/directline/conversations/${c.conversationId}/upload?userId=${userId}`,
    { method: 'POST', headers: { Authorization: `Bearer ${c.token}` }, body: form },
  );
  expect(uploaded.status).toBe(200);
  await agent.call('POST', `/conversations/${conversationId}/messages`, {
    text: 'AGENT-LINE',
    visibility: 'public',
  });
  expect((await agent.call('POST', `/conversations/${conversationId}/end`)).status).toBe(200);
  expect(
    (await agent.call('POST', `/conversations/${conversationId}/wrap-up`, { disposition: 'resolved' }))
      .status,
  ).toBe(200);
  await c.waitFor('the rating asked', (a) => a.type === 'event' && a.name === 'postChatSurvey');
  return { ...c, conversationId: c.conversationId, switchboardId: conversationId };
}

/** What the customer's old token can still do with their conversation. */
async function withOldToken(c: { conversationId: string; token: string; userId: string }) {
  const history = await dl(server.url, 'GET', `/conversations/${c.conversationId}/activities`, c.token);
  const fileUrl = (
    history.body.activities as Array<{ attachments?: Array<{ contentUrl: string }> }> | undefined
  )
    ?.flatMap((a) => a.attachments ?? [])
    .at(0)?.contentUrl;
  return {
    history: history.status,
    reads: JSON.stringify(history.body).includes('AGENT-LINE'),
    file: fileUrl ? (await fetch(fileUrl, { headers: { Authorization: `Bearer ${c.token}` } })).status : null,
    refresh: (await dl(server.url, 'POST', '/tokens/refresh', c.token)).status,
  };
}

describe('a widget chat the agent closed', () => {
  it('stays the customer’s to rate and read for the rating’s time, then its Direct Line conversation ends', async () => {
    const c = await closedByAlex('dl-after-close-1', 'Ada Byron');
    // Right after the close, and until the rating's time is nearly out: all there.
    expect(await withOldToken(c)).toEqual({ history: 200, reads: true, file: 200, refresh: 200 });
    clockOffset += minutes(SURVEY_MINUTES - 1);
    await server.services.bot.sweepIdle();
    expect((await withOldToken(c)).history).toBe(200);

    clockOffset += minutes(2);
    await server.services.bot.sweepIdle();
    await expect.poll(() => c.stream.state.code, { timeout: 15_000 }).toBe(1000);
    expect(c.stream.seen.at(-1)?.type).toBe('endOfConversation');
    expect(await withOldToken(c)).toMatchObject({ history: 404, reads: false, refresh: 404 });
    expect((await c.postRaw({ type: 'message', text: 'hello again after close' })).status).toBe(404);
    // The agent's record keeps everything.
    const messages = (await agent.call('GET', `/conversations/${c.switchboardId}/messages`)).body
      .items as Array<{
      text: string;
    }>;
    expect(messages.some((m) => m.text === 'AGENT-LINE')).toBe(true);
  }, 120_000);

  it('ends once a customer who closed the page while asked to rate is taken for gone', async () => {
    const c = await closedByAlex('dl-after-close-3', 'Hedy Kiesler');
    c.stream.socket.close();
    // Read from the channel's own record: a request with the token would count as the customer back.
    const ended = () =>
      server.services.store
        .collection<{ conversationId: string; endedAt?: Date }>('directline_conversations')
        .findOne({ conversationId: c.conversationId });
    await expect.poll(async () => (await ended())?.endedAt, { timeout: 15_000 }).toBeInstanceOf(Date);
    expect(await withOldToken(c)).toMatchObject({ history: 404, reads: false, refresh: 404 });
  }, 120_000);

  it('ends as soon as the customer rates, and a new chat starts as usual', async () => {
    const c = await closedByAlex('dl-after-close-2', 'Grace Brewster');
    clockOffset += minutes(SURVEY_MINUTES - 1);
    await server.services.bot.sweepIdle();
    await c.post({ type: 'message', text: '', value: { csat: { rating: 5, comment: 'quick and kind' } } });
    await expect.poll(() => c.stream.state.code, { timeout: 15_000 }).toBe(1000);
    expect(await withOldToken(c)).toMatchObject({ history: 404, refresh: 404 });
    expect((await server.services.conversations.get(c.switchboardId)).csat).toMatchObject({ rating: 5 });

    const next = await dl(server.url, 'POST', '/tokens/generate', TEST_DIRECT_LINE_SECRET, {
      user: { id: c.userId },
    });
    expect((await dl(server.url, 'POST', '/conversations', next.body.token as string)).status).toBe(201);
  }, 120_000);
});
