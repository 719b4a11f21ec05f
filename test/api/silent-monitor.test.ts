import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, signIn, type ApiClient, type Json, type LiveStream } from './support/clients.js';
import { liveConversation, type LiveConversation } from './support/live-conversation.js';

// A supervisor monitoring a chat is unseen by the agents in it, as by the customer: only supervisors
// (and the monitor) see that part. A consultant, who takes part, is seen by everyone in it.

let server: TestServer;
let live: LiveConversation;
let sam: ApiClient;
let alexStream: LiveStream;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  live = await liveConversation(server.url, 'agent_alex', {
    userId: 'dl_silentmonitor01',
    name: 'Lena Vogt',
  });
  sam = await signIn(server.url, 'supervisor_sam');
  alexStream = await openStream(server.url, live.agent.token);
}, 120_000);

afterAll(async () => {
  live?.customer.end();
  await alexStream?.close();
  await server?.close();
});

const participantsSeenBy = async (client: ApiClient) =>
  ((await client.call('GET', `/conversations/${live.conversationId}`)).body.participants as Json[])
    .filter((p) => !p.leftAt)
    .map((p) => `${String(p.agentId)}:${String(p.mode)}`);

describe('a supervisor monitoring a chat', () => {
  it('is not shown to the agent in it, in the details or on their live stream', async () => {
    expect((await sam.call('POST', `/conversations/${live.conversationId}/monitor`)).status).toBe(200);
    expect(await participantsSeenBy(sam)).toEqual(['agent_alex:primary', 'supervisor_sam:monitor']);
    expect(await participantsSeenBy(live.agent)).toEqual(['agent_alex:primary']);

    // A part the agent is shown comes after the monitor's on the same stream: nothing of Sam before it.
    const chen = await signIn(server.url, 'agent_chen');
    await chen.call('PUT', '/me/presence', { presence: 'busy' });
    expect(
      (
        await live.agent.call('POST', `/conversations/${live.conversationId}/consult`, {
          agentId: 'agent_chen',
        })
      ).status,
    ).toBe(200);
    const about = (agentId: string) => (f: Json) => (f.participant as Json | undefined)?.agentId === agentId;
    await alexStream.waitFor('Chen joining, shown', about('agent_chen'));
    expect(alexStream.frames.filter(about('supervisor_sam'))).toEqual([]);
    expect(await participantsSeenBy(live.agent)).toEqual(['agent_alex:primary', 'agent_chen:consult']);
  }, 60_000);
});
