import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocketServer } from 'ws';
import { createApp } from '../services/app.js';
import { loadConfig } from '../services/config.js';
import type { Conversation } from '../services/domain/index.js';
import { silentLogger } from '../services/log.js';
import { Agent } from './agent-rig.js';
import { BENCH_API_LIMITS } from './bench-channel.js';
import { formatTable, type BenchRow } from './bench-row.js';
import { profiled } from './profile.js';
import { percentile } from './routing-sim.js';
import { spawnStreamClients, wallNow } from './stream-clients.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are read loosely here
type Json = any;

// Scale: 10,000 open conversations and 1,000 signed-in agents' live streams in one server process.
// Conversations (each with its customer and a first message) are seeded through the repositories;
// the streams are real WebSockets opened with real dev sign-in tokens, their client ends in a child
// process so the heap measured here is the server's alone. Memory is read after forced GC.
//
// Fan-out: a conversation entering the queue every agent belongs to must reach all 1,000 streams;
// a customer message in one agent's conversation must reach that one stream while the other 999 let
// it pass. Baseline: a bare `ws` server sending one JSON frame to the same 1,000 client sockets.
//
// Run alone: `npm run bench -- scale` (SCALE_CONVERSATIONS / SCALE_STREAMS / SCALE_ROUNDS to resize;
// BENCH_PROFILE_DIR=<dir> writes a CPU profile of the fan-out rounds).

const CONVERSATIONS = Number(process.env.SCALE_CONVERSATIONS ?? 10_000);
const STREAMS = Number(process.env.SCALE_STREAMS ?? 1_000);
const ROUNDS = Number(process.env.SCALE_ROUNDS ?? 30);
const QUEUE = 'queue_billing';
const BUDGET_BYTES = 1024 ** 3;

const gc: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    v8.setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  })();

type Kept = Pick<Conversation, 'id' | 'customerId'>;

async function memory(): Promise<{ heap: number; rss: number }> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external + m.arrayBuffers, rss: m.rss };
}

async function inBatches<T>(n: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += size) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, k) => make(i + k)))));
  }
  return out;
}

/** A dev sign-in token for the agent (the agent-path rig's sign-in). */
const signIn = async (base: string, agentId: string): Promise<string> =>
  (await Agent.signIn(base, agentId)).token;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
const ms = (x: number) => `${x.toFixed(1)} ms`;

export async function run(): Promise<BenchRow[]> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-scale-'));
  const app = await createApp(loadConfig({ PORT: '0', DATA_DIR: dataDir, AUTH_MODE: 'dev' }), {
    log: silentLogger,
    routingSweepMs: 0,
    apiLimits: BENCH_API_LIMITS,
  });
  const base = (await app.listen(0, '127.0.0.1')).replace('localhost', '127.0.0.1');
  const clients = spawnStreamClients();
  const bare = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  try {
    const { repos, bus } = app.services;
    process.stderr.write(`  ${STREAMS} agents …\n`);
    const agents = await inBatches(STREAMS, 50, (i) =>
      repos.agents.create({
        id: `agent_scale_${i}`,
        name: `Scale Agent ${i}`,
        email: `scale${i}@example.com`,
        roles: ['agent'],
        queueIds: [QUEUE],
        presence: 'away',
        chosenPresence: 'away',
      }),
    );
    const m0 = await memory();

    process.stderr.write(`  ${CONVERSATIONS} conversations …\n`);
    const at = new Date();
    // Only what the rounds below need is kept: a whole copy of each conversation here would be
    // counted as the server's memory per conversation (it was a fifth of it).
    const conversations = await inBatches(CONVERSATIONS, 50, async (i): Promise<Kept> => {
      const agent = agents[i % agents.length]!;
      const customer = await repos.customers.create({ name: `Customer ${i}`, email: `c${i}@example.com` });
      const c = await repos.conversations.create({
        channel: 'webchat',
        customerId: customer.id,
        workstreamId: 'ws_webchat',
        status: 'active',
        queueId: QUEUE,
        agentId: agent.id,
        participants: [{ agentId: agent.id, mode: 'primary', joinedAt: at }],
        timestamps: { createdAt: at, queuedAt: at, offeredAt: at, acceptedAt: at },
      });
      await repos.messages.append({
        conversationId: c.id,
        author: 'customer',
        authorId: customer.id,
        text: `Hello, this is customer ${i}: my internet keeps dropping.`,
      });
      return { id: c.id, customerId: c.customerId };
    });
    const m1 = await memory();

    process.stderr.write(`  ${STREAMS} sign-ins and live streams …\n`);
    const tokens = await inBatches(STREAMS, 20, (i) => signIn(base, agents[i]!.id));
    const wsBase = base.replace(/^http/, 'ws');
    const opened = await clients.open(
      tokens.map((t) => `${wsBase}/api/v1/stream?access_token=${encodeURIComponent(t)}`),
    );
    if (opened !== STREAMS) throw new Error(`only ${opened} of ${STREAMS} streams opened`);
    const m2 = await memory();
    if (app.services.streams.size !== STREAMS) throw new Error(`the hub holds ${app.services.streams.size}`);

    // One conversation waiting in the shared queue: each status change of it goes to every stream.
    const waiting = await repos.conversations.create({
      channel: 'webchat',
      customerId: conversations[0]!.customerId,
      workstreamId: 'ws_webchat',
      status: 'waiting',
      queueId: QUEUE,
      timestamps: { createdAt: at, queuedAt: at },
    });

    const fanAll: number[] = [];
    const fanLast: number[] = [];
    const one: number[] = [];
    process.stderr.write(`  ${ROUNDS} rounds of fan-out …\n`);
    await profiled('scale-fan-out', async () => {
      for (let r = 0; r < ROUNDS; r++) {
        const t0 = wallNow();
        const e = await bus.publish({
          type: 'conversation.status_changed',
          conversationId: waiting.id,
          from: r % 2 ? 'waiting' : 'bot',
          to: r % 2 ? 'bot' : 'waiting',
          reason: 'scale bench',
          queueId: QUEUE,
        });
        const times = await clients.await({ seq: e.seq }, STREAMS);
        const lat = times.map((t) => t - t0);
        fanAll.push(...lat);
        fanLast.push(Math.max(...lat));

        // One customer message in one agent's conversation: one stream of the 1,000 gets it.
        const c = conversations[(r * 7919) % conversations.length]!;
        const t1 = wallNow();
        const { message } = await repos.messages.append({
          conversationId: c.id,
          author: 'customer',
          authorId: c.customerId,
          text: `message ${r}`,
        });
        const m = await bus.publish({
          type: 'message.added',
          conversationId: c.id,
          messageId: message.id,
          messageSeq: message.seq,
          author: 'customer',
          visibility: 'public',
        });
        const [arrived] = await clients.await({ seq: m.seq, type: 'conversation.message' }, 1);
        one.push(arrived! - t1);
      }
    });

    // Baseline: the same client sockets, a bare ws server, one JSON frame sent to each.
    if (!bare.address()) await new Promise((r) => bare.once('listening', r));
    const bareUrl = `ws://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
    const bareOpen = new Promise<void>((resolve) => {
      let n = 0;
      bare.on('connection', () => {
        if (++n === STREAMS) resolve();
      });
    });
    await clients.open(Array.from({ length: STREAMS }, () => bareUrl));
    await bareOpen;
    const bareAll: number[] = [];
    const bareLast: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = wallNow();
      const frame = {
        seq: -1 - r,
        type: 'conversation.updated',
        conversationId: waiting.id,
        status: 'waiting',
        from: 'bot',
        queueId: QUEUE,
        agentId: null,
      };
      for (const ws of bare.clients) ws.send(JSON.stringify(frame));
      const times = await clients.await({ seq: frame.seq }, STREAMS);
      const lat = times.map((t) => t - t0);
      bareAll.push(...lat);
      bareLast.push(Math.max(...lat));
    }
    const m3 = process.memoryUsage();

    // A supervisor of the queue reads the board and the wallboard over HTTP, as the tab does on every
    // refresh; beside the cheapest signed-in read (`GET /me`) on the same server and token.
    await repos.agents.create({
      id: 'supervisor_scale',
      name: 'Scale Supervisor',
      email: 'scale.supervisor@example.com',
      roles: ['agent', 'supervisor'],
      queueIds: [QUEUE],
      presence: 'away',
      chosenPresence: 'away',
    });
    const lead = await signIn(base, 'supervisor_scale');
    const timedGets = async (route: string, check: (body: Json) => void): Promise<number[]> => {
      const times: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const t = performance.now();
        const res = await fetch(`${base}/api/v1${route}`, { headers: { Authorization: `Bearer ${lead}` } });
        const body = (await res.json()) as Json;
        times.push(performance.now() - t);
        if (!res.ok) throw new Error(`${route} answered ${res.status}`);
        check(body);
      }
      return times;
    };
    const meTimes = await timedGets('/me', () => undefined);
    const boardTimes = await timedGets('/supervisor/conversations', (b) => {
      if (b.total !== CONVERSATIONS + 1) throw new Error(`the board counts ${b.total}`);
    });
    const wallTimes = await timedGets('/supervisor/realtime', (b) => {
      if (b.items[0].agentsOnContact !== STREAMS)
        throw new Error(`on contact: ${b.items[0].agentsOnContact}`);
    });

    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const p = (xs: number[], q: number) => percentile(sorted(xs), q);
    const perConversation = (m1.heap - m0.heap) / CONVERSATIONS;
    const perConversationRss = (m1.rss - m0.rss) / CONVERSATIONS;
    const perStream = (m2.heap - m1.heap) / STREAMS;
    const perStreamRss = (m2.rss - m1.rss) / STREAMS;
    const fanP99 = p(fanAll, 99);
    const bareP99 = p(bareAll, 99);
    const oneP99 = p(one, 99);
    const perSec = (xs: number[]) => (xs.length / xs.reduce((a, b) => a + b, 0)) * 1000;
    const supervisorRow = (what: string, times: number[], notes: string): BenchRow => ({
      name: `scale: supervisor ${what}`,
      opsPerSec: perSec(times),
      baseline: { name: 'GET /me, same server and token', opsPerSec: perSec(meTimes) },
      ratio: perSec(times) / perSec(meTimes),
      notes: `${notes}; p50 ${ms(p(times, 50))}, p99 ${ms(p(times, 99))} (GET /me p50 ${ms(p(meTimes, 50))}); ${ROUNDS} requests one after another`,
    });
    return [
      {
        name: `scale: memory, ${CONVERSATIONS.toLocaleString('en-US')} conversations + ${STREAMS.toLocaleString('en-US')} live streams`,
        opsPerSec: 0,
        baseline: { name: `budget ${mb(BUDGET_BYTES)}`, opsPerSec: 0 },
        ratio: m2.rss / BUDGET_BYTES,
        notes:
          `ratio = RSS / budget. Per conversation (with customer + 1 message, embedded store): heap ${kb(perConversation)}, ` +
          `RSS ${kb(perConversationRss)}; per live stream: heap ${kb(perStream)}, RSS ${kb(perStreamRss)}; ` +
          `heap ${mb(m0.heap)} → ${mb(m1.heap)} → ${mb(m2.heap)}, RSS ${mb(m0.rss)} → ${mb(m1.rss)} → ${mb(m2.rss)} ` +
          `(agents only → + conversations → + streams); RSS at the end ${mb(m3.rss)}`,
      },
      {
        name: `scale: one event fanned out to ${STREAMS.toLocaleString('en-US')} live streams`,
        opsPerSec: 1000 / fanP99,
        baseline: { name: `bare ws send of one JSON frame to ${STREAMS} sockets`, opsPerSec: 1000 / bareP99 },
        ratio: bareP99 / fanP99,
        notes:
          `per-stream delivery p50 ${ms(p(fanAll, 50))}, p99 ${ms(fanP99)} (bare p50 ${ms(p(bareAll, 50))}, p99 ${ms(bareP99)}); ` +
          `last of ${STREAMS} p50 ${ms(p(fanLast, 50))}, p99 ${ms(p(fanLast, 99))} (bare ${ms(p(bareLast, 50))}, ${ms(p(bareLast, 99))}); ` +
          `${ROUNDS} rounds, publish → frame parsed in the client process; ops/s = 1000 / p99`,
      },
      {
        name: `scale: one customer message to its agent among ${STREAMS.toLocaleString('en-US')} streams`,
        opsPerSec: 1000 / oneP99,
        baseline: { name: `bare ws send of one JSON frame to ${STREAMS} sockets`, opsPerSec: 1000 / bareP99 },
        ratio: bareP99 / oneP99,
        notes: `append + publish → frame at the one agent: p50 ${ms(p(one, 50))}, p99 ${ms(oneP99)}; ${ROUNDS} rounds`,
      },
      supervisorRow(
        `board (GET /supervisor/conversations), ${(CONVERSATIONS + 1).toLocaleString('en-US')} ongoing in the queue`,
        boardTimes,
        'the longest waiting and the 500 handled to look at first, with alerts, names and the total',
      ),
      supervisorRow(
        `wallboard (GET /supervisor/realtime), ${STREAMS.toLocaleString('en-US')} members`,
        wallTimes,
        'members available, on contact, in after-contact work; contacts in queue; oldest wait — every one counted',
      ),
    ];
  } finally {
    await clients.close();
    bare.close();
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(formatTable(await run()) + '\n');
}
