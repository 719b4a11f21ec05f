import type { Activity } from 'botframework-directlinejs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../bot/directline/limits.js';
import { startCongo, type RunningCongo } from '../store/congo.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  customerOnDirectLine,
  signIn,
  until,
  type ApiClient,
  type Customer,
  type Json,
} from './support/clients.js';

// Agents who accept an offer the moment it exists, many customers at once (on the Mongo adapter over
// CongoDB, where each store read costs a round trip): every customer hears "<agent> joined" exactly
// once and promptly, before the agent's first words, and the chat then works both ways. The relay used
// to queue a queue-position refresh per waiting customer for every queue move of anyone, so the join
// waited behind a pile of them (7-11 s at 50 customers; the agent-path bench gave up after 10 s).

const CUSTOMERS = 50;
const AGENTS = 5;
/**
 * A hang guard, not a speed target: with refreshes coalesced the join comes well under a second after
 * the accept even on a loaded machine; behind the pile it came after 7 s and more.
 */
const JOINED_WITHIN_MS = 5_000;
const TECHNICAL = 'queue_technical';

/** One address drives every customer here: the per-address limits are lifted, per-token ones kept. */
const LIMITS = {
  ...DEFAULT_LIMITS,
  requestsPerIp: { points: 1_000_000, seconds: 60 },
  secretTokensPerIp: { points: 1_000_000, seconds: 60 },
  streamOpensPerIp: { points: 1_000_000, seconds: 60 },
};

interface FastAgent {
  client: ApiClient;
  frames: Json[];
  /** Accept calls that did not answer 200 (there should be none). */
  failedAccepts: string[];
  close(): void;
}

/** An agent whose live stream accepts every offer as soon as its frame arrives (no polling delay). */
async function fastAgent(base: string, agentId: string): Promise<FastAgent> {
  const client = await signIn(base, agentId);
  const frames: Json[] = [];
  const failedAccepts: string[] = [];
  const ws = new WebSocket(
    `${base.replace(/^http/, 'ws')}/api/v1/stream?access_token=${encodeURIComponent(client.token)}`,
  );
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Json;
    frames.push(frame);
    if (frame.type === 'offer.created' && frame.agentId === agentId) {
      void client.call('POST', `/offers/${frame.offerId as string}/accept`).then(
        (res) => {
          if (res.status !== 200) failedAccepts.push(`${res.status} ${JSON.stringify(res.body)}`);
        },
        (err: unknown) => failedAccepts.push(String(err)),
      );
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { client, frames, failedAccepts, close: () => ws.terminate() };
}

interface Outcome {
  name: string;
  conversationId?: string;
  joined: number;
  joinedBeforeAgentWords: boolean;
  agentWordsArrived: boolean;
  customerWordsArrived: boolean;
  problem?: string;
}

let congo: RunningCongo;
let server: TestServer;
let agents: FastAgent[];

beforeAll(async () => {
  congo = await startCongo();
  server = await startTestServer({
    env: { AUTH_MODE: 'dev', MONGODB_URI: congo.uri('relay_fast_accept') },
    app: { directLineLimits: LIMITS },
  });
  const { repos, router } = server.services;
  // Only the fast agents take offers: every demo agent steps away.
  for (const a of await repos.agents.list({ limit: 100 })) {
    await router.presence.set(a.id, a.roles.includes('supervisor') ? 'busy-dnd' : 'away');
  }
  agents = [];
  for (let i = 0; i < AGENTS; i++) {
    const id = `agent_fast_${i}`;
    await repos.agents.create({
      id,
      name: `Fast Agent ${i}`,
      email: `fast${i}@example.com`,
      roles: ['agent'],
      queueIds: [TECHNICAL],
      capacity: 30 * CUSTOMERS,
    });
    const agent = await fastAgent(server.url, id);
    expect((await agent.client.call('PUT', '/me/presence', { presence: 'available' })).status).toBe(200);
    agents.push(agent);
  }
}, 180_000);

afterAll(async () => {
  for (const a of agents ?? []) a.close();
  await server?.close();
  await congo?.stop();
});

/** A customer answers the survey, asks for a person, and talks with whoever accepted at once. */
async function escalateAndTalk(i: number): Promise<Outcome> {
  const userId = `dl_fastaccept${String(i).padStart(3, '0')}`;
  const name = `Fast Customer ${i}`;
  const outcome: Outcome = {
    name,
    joined: 0,
    joinedBeforeAgentWords: false,
    agentWordsArrived: false,
    customerWordsArrived: false,
  };
  let customer: Customer | undefined;
  try {
    customer = await customerOnDirectLine(server.url, userId, name);
    const fromBot = (a: Activity) => a.from.id !== userId;
    await customer.waitFor(
      'the pre-chat survey',
      (a) => a.type === 'event' && a.name === 'preChatSurvey',
      60_000,
    );
    await customer.post({
      type: 'message',
      text: '',
      value: { preChat: { name, email: `${userId}@example.com`, topic: 'Wi-Fi & equipment' } },
    } as Partial<Activity>);
    await customer.waitFor(
      'the survey thanks',
      (a) => a.type === 'message' && fromBot(a) && /Thanks/.test(a.text ?? ''),
      60_000,
    );
    await customer.post({ type: 'message', text: 'I want to talk to an agent' });

    // Whoever got the offer accepted it on arrival; find them by the customer's name on the offer.
    const { agent, offer } = await until(
      `the offer for ${name} accepted`,
      () => {
        for (const a of agents) {
          const offer = a.frames.find((f) => f.type === 'offer.created' && f.customerName === name);
          const closed =
            offer &&
            a.frames.find(
              (f) =>
                f.type === 'offer.closed' &&
                f.conversationId === offer.conversationId &&
                f.outcome === 'accepted',
            );
          if (closed) return { agent: a, offer };
        }
        return undefined;
      },
      60_000,
    );
    const conversationId = offer.conversationId as string;
    outcome.conversationId = conversationId;
    await customer.waitFor(
      `the agent joined, within ${JOINED_WITHIN_MS} ms of the accept`,
      (a) => a.type === 'event' && a.name === 'agentJoined',
      JOINED_WITHIN_MS,
    );

    // The agent speaks at once, without waiting for anything the customer sees.
    const agentWords = `Hello ${name}, this is ${agent.client.agentId}.`;
    const sent = await agent.client.call('POST', `/conversations/${conversationId}/messages`, {
      text: agentWords,
      visibility: 'public',
    });
    if (sent.status !== 201) throw new Error(`agent message answered ${sent.status}`);
    const reply = await customer.waitFor(
      "the agent's first words",
      (a) => a.type === 'message' && a.text === agentWords,
      60_000,
    );
    outcome.agentWordsArrived = true;
    const joinedIndex = customer.seen.findIndex((a) => a.type === 'event' && a.name === 'agentJoined');
    outcome.joinedBeforeAgentWords = joinedIndex >= 0 && joinedIndex < customer.seen.indexOf(reply);

    const customerWords = `Thanks, ${agent.client.agentId}: my router blinks red.`;
    await customer.post({ type: 'message', text: customerWords });
    await until(
      "the customer's next words on the agent's stream",
      () =>
        agent.frames.find(
          (f) =>
            f.type === 'conversation.message' &&
            f.conversationId === conversationId &&
            f.message?.from === 'customer' &&
            f.message?.text === customerWords,
        ),
      60_000,
    );
    outcome.customerWordsArrived = true;
  } catch (err) {
    outcome.problem = err instanceof Error ? err.message : String(err);
  }
  if (customer) {
    // Everything started for this conversation has been delivered before the joins are counted.
    await server.services.bot.idle();
    outcome.joined = customer.seen.filter((a) => a.type === 'event' && a.name === 'agentJoined').length;
    customer.end();
  }
  return outcome;
}

describe('agents who accept an offer the moment it exists', () => {
  it(`every one of ${CUSTOMERS} customers escalating at once hears the agent joined once, before the agent's words`, async () => {
    const outcomes = await Promise.all(Array.from({ length: CUSTOMERS }, (_, i) => escalateAndTalk(i)));
    const bad = outcomes.filter(
      (o) =>
        o.problem ||
        o.joined !== 1 ||
        !o.joinedBeforeAgentWords ||
        !o.agentWordsArrived ||
        !o.customerWordsArrived,
    );
    expect(agents.flatMap((a) => a.failedAccepts)).toEqual([]);
    expect(bad, `${bad.length} of ${CUSTOMERS} customers went wrong`).toEqual([]);
  }, 240_000);
});
