/**
 * A phone that loses its signal leaves its stream half-open: no close ever reaches the server. The
 * channel pings every stream and drops one whose pong does not come by the next ping, so the
 * customer's absence counts and the agent sees them disconnected; each stream also gets an empty
 * text frame at every ping, as Azure Direct Line's do. Over the real server, with the heartbeat cut
 * to a fraction of a second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../bot/directline/index.js';
import { startTestServer, TEST_DIRECT_LINE_SECRET, type TestServer } from '../support/server.js';
import type { ApiClient, LiveStream } from '../api/support/clients.js';
import { alexAlone, customerAskingForAPerson, dl, openDlStream } from './support/stream-customer.js';

const HEARTBEAT_MS = 400;

let server: TestServer;
let agent: ApiClient;
let agentStream: LiveStream;

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
  ({ agent, agentStream } = await alexAlone(server.url));
}, 60_000);

afterAll(async () => {
  await agentStream?.close();
  await server?.close();
});

describe('the Direct Line heartbeat', () => {
  it('drops a stream whose client stopped answering pings, and the agent sees the customer disconnected', async () => {
    const c = await customerAskingForAPerson(server.url, 'dl-halfopen-1', 'Hedy Lamarr');
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
    const again = await dl(server.url, 'GET', `/conversations/${c.conversationId}?watermark=0`, c.token);
    const silent = await openDlStream(again.body.streamUrl as string, { answersPings: false });
    c.stream.socket.close();

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
    const generated = await dl(server.url, 'POST', '/tokens/generate', TEST_DIRECT_LINE_SECRET, {
      user: { id: 'dl-alive-1' },
    });
    const started = await dl(server.url, 'POST', '/conversations', generated.body.token as string);
    const alive = await openDlStream(started.body.streamUrl as string);
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
