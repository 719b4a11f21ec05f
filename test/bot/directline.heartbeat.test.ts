/**
 * A phone that loses its signal leaves its stream half-open: no close ever reaches the server. The
 * channel pings every stream and drops one whose pong does not come by the next ping, so the
 * customer's absence counts and the agent sees them disconnected; each stream also gets an empty
 * text frame at every ping, as Azure Direct Line's do. Over the real server, with the heartbeat cut
 * to a fraction of a second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEFAULT_LIMITS } from '../../bot/directline/index.js';
import { startTestServer, TEST_DIRECT_LINE_SECRET, type TestServer } from '../support/server.js';
import {
  openStream,
  signIn,
  until,
  type ApiClient,
  type Json,
  type LiveStream,
} from '../api/support/clients.js';

const HEARTBEAT_MS = 400;

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

/** A stream of a conversation: its activities, its empty frames, and whether the server closed it. */
async function stream(url: string, opts: { answersPings: boolean }) {
  const socket = new WebSocket(url, { autoPong: opts.answersPings });
  const seen: DlActivity[] = [];
  const state = { empty: 0, closed: false };
  socket.on('message', (data) => {
    const text = String(data);
    if (text === '') state.empty++;
    else seen.push(...(JSON.parse(text) as { activities: DlActivity[] }).activities);
  });
  socket.on('close', () => (state.closed = true));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return { socket, seen, state };
}

/** A customer as the widget is, asking for a person on a stream that answers pings. */
async function customer(userId: string, name: string) {
  const generated = await dl('POST', '/tokens/generate', TEST_DIRECT_LINE_SECRET, {
    user: { id: userId, name },
  });
  const started = await dl('POST', '/conversations', generated.body.token as string);
  const token = started.body.token as string;
  const conversationId = started.body.conversationId as string;
  const first = await stream(started.body.streamUrl as string, { answersPings: true });
  const post = async (activity: Record<string, unknown>) =>
    expect(
      (
        await dl('POST', `/conversations/${conversationId}/activities`, token, {
          from: { id: userId, name },
          ...activity,
        })
      ).status,
    ).toBe(200);
  const waitFor = (what: string, test: (a: DlActivity) => boolean) =>
    until(`the customer sees ${what}`, () => first.seen.find((a) => a.from.id !== userId && test(a)));
  await post({ type: 'event', name: 'visitorContext', value: { visitor: { authenticated: false } } });
  await waitFor('the pre-chat survey', (a) => a.type === 'event' && a.name === 'preChatSurvey');
  await post({
    type: 'message',
    text: '',
    value: { preChat: { name, email: `${userId}@example.com`, topic: 'Wi-Fi & equipment' } },
  });
  await waitFor('the survey thanks', (a) => a.type === 'message' && /Thanks/.test(a.text ?? ''));
  await post({ type: 'message', text: 'I want to talk to an agent' });
  return { token, conversationId, first, waitFor };
}

beforeAll(async () => {
  server = await startTestServer({
    app: {
      directLineLimits: {
        ...DEFAULT_LIMITS,
        streamHeartbeatMs: HEARTBEAT_MS,
        customerDisconnectedMs: 300,
        // Long enough that no loaded machine takes the customer for gone during the test.
        customerAwayMs: 120_000,
      },
    },
  });
  for (const other of ['agent_emma', 'agent_farah', 'agent_chen', 'supervisor_sam']) {
    await (await signIn(server.url, other)).call('PUT', '/me/presence', { presence: 'away' });
  }
  agent = await signIn(server.url, 'agent_alex');
  agentStream = await openStream(server.url, agent.token);
  await agent.call('PUT', '/me/presence', { presence: 'available' });
}, 60_000);

afterAll(async () => {
  await agentStream?.close();
  await server?.close();
});

describe('the Direct Line heartbeat', () => {
  it('drops a stream whose client stopped answering pings, and the agent sees the customer disconnected', async () => {
    const c = await customer('dl-halfopen-1', 'Hedy Lamarr');
    const offer = await agentStream.waitFor(
      'the offer',
      (f) => f.type === 'offer.created' && f.customerName === 'Hedy Lamarr',
      30_000,
    );
    expect((await agent.call('POST', `/offers/${offer.offerId}/accept`)).status).toBe(200);
    const conversationId = offer.conversationId as string;
    await c.waitFor('the agent joined', (a) => a.name === 'agentJoined');

    // The phone moves to another network (a new stream), then loses its signal there: that stream
    // stops answering pings, and the old one has closed as it should.
    const again = await dl('GET', `/conversations/${c.conversationId}?watermark=0`, c.token);
    const silent = await stream(again.body.streamUrl as string, { answersPings: false });
    c.first.socket.close();

    await expect.poll(() => silent.state.closed, { timeout: 15_000 }).toBe(true);
    await expect
      .poll(
        async () => (await agent.call('GET', `/conversations/${conversationId}`)).body.customerAwaySince,
        {
          timeout: 15_000,
        },
      )
      .toEqual(expect.any(String));
  }, 90_000);

  it('keeps a stream that answers, sending it an empty frame at every ping', async () => {
    const generated = await dl('POST', '/tokens/generate', TEST_DIRECT_LINE_SECRET, {
      user: { id: 'dl-alive-1' },
    });
    const started = await dl('POST', '/conversations', generated.body.token as string);
    const alive = await stream(started.body.streamUrl as string, { answersPings: true });
    try {
      await expect.poll(() => alive.state.empty, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
      expect(alive.state.closed).toBe(false);
      // Empty frames carry nothing: the activities came as sets all the same.
      expect(alive.seen.length).toBeGreaterThan(0);
    } finally {
      alive.socket.close();
    }
  }, 60_000);
});
