import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import { assignedCustomer, now, percentile, staffAgents, startRig, type Rig } from './agent-rig.js';
import { formatTable, type BenchRow } from './bench-row.js';

// The agent path, both ways, at 50 conversations at once: a customer message (posted on the local
// Direct Line channel) until it is on its agent's live stream, and the agent's public reply (POST
// through the agent API) until it is on the customer's Direct Line WebSocket. Each conversation was
// escalated by its customer through the bot and accepted by its agent over the API beforehand.
// The server runs in a process of its own, as it does in production, so the clients' fetch and ws
// work neither takes its turns nor counts in its CPU. Measured on the embedded store and on the
// Mongo adapter (real mongodb driver against CongoDB, in a process of its own as a database server
// is). Baseline: a bare ws echo server, the same number of clients
// each doing the same number of round trips, in the same run.
//
// Run alone: `npm run bench -- agent-path` (AGENT_PATH_CONVERSATIONS / AGENT_PATH_ROUNDS to resize,
// AGENT_PATH_STORES=embedded to skip Mongo, AGENT_PATH_PACES=back-to-back or =paced for one way of
// sending, AGENT_PATH_CUSTOMER_MS / AGENT_PATH_AGENT_MS for the paced pauses; BENCH_PROFILE_DIR=<dir> profiles the measured rounds).

const CONVERSATIONS = Number(process.env.AGENT_PATH_CONVERSATIONS ?? 50);
const ROUNDS = Number(process.env.AGENT_PATH_ROUNDS ?? 10);
const STORES = (process.env.AGENT_PATH_STORES ?? 'embedded,mongo').split(',');
const TARGET_MS = 50;

/**
 * Back to back, every conversation sends again the moment its last message arrived: the machine is
 * saturated and the times are mostly queueing. Paced, each side pauses as people do before the next
 * message (the customer 2 s, the agent 1 s, each ±50 %, conversations starting at random offsets):
 * the latency a contact center at this size sees.
 */
const PACES = {
  'back to back': null,
  paced: {
    customerMs: Number(process.env.AGENT_PATH_CUSTOMER_MS ?? 2000),
    agentMs: Number(process.env.AGENT_PATH_AGENT_MS ?? 1000),
  },
} as const;
type Pace = (typeof PACES)[keyof typeof PACES];
const PACES_RUN = (process.env.AGENT_PATH_PACES ?? 'back-to-back,paced').split(',');

type Pairs = Array<Awaited<ReturnType<typeof assignedCustomer>>>;

interface PathTimes {
  toAgent: number[];
  toCustomer: number[];
  /** Messages per second both ways while measuring. */
  rate: number;
  /** The server's CPU per message (ms), and the database's when it runs apart. */
  cpuMs: number;
  storeCpuMs?: number;
  /** Store reads and writes per message, both ways (on MongoDB, one command each). */
  reads: number;
  writes: number;
}

async function setUp(rig: Rig): Promise<{ pairs: Pairs; close(): void; setupSeconds: number }> {
  const t0 = now();
  const staff = await staffAgents(rig, Math.ceil(CONVERSATIONS / 10), 10);
  const pairs: Pairs = [];
  for (let i = 0; i < CONVERSATIONS; i += 10) {
    pairs.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(10, CONVERSATIONS - i) }, (_, k) =>
          assignedCustomer(rig, staff, i + k),
        ),
      )),
    );
  }
  return {
    pairs,
    setupSeconds: (now() - t0) / 1000,
    close() {
      for (const { customer } of pairs) customer.close();
      for (const a of staff.agents) a.close();
    },
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms * (0.5 + Math.random())));

async function measurePath(rig: Rig, pairs: Pairs, pace: Pace, label: string): Promise<PathTimes> {
  const toAgent: number[] = [];
  const toCustomer: number[] = [];
  const started = now();
  const ops0 = await rig.storeOps();
  const cpu0 = rig.serverCpuSeconds();
  const store0 = rig.storeCpuSeconds?.();
  await rig.profiled(`agent-path-${rig.store.split(' ')[0]}-${label.replace(/ /g, '-')}`, () =>
    Promise.all(
      pairs.map(async ({ customer, agent, conversationId }, i) => {
        if (pace) await pause(pace.customerMs);
        for (let r = 0; r < ROUNDS; r++) {
          const ask = `${label} question ${r} from customer ${i}`;
          const arrived = agent.inbox.waitFor(
            ask,
            (f) =>
              f.type === 'conversation.message' &&
              f.conversationId === conversationId &&
              (f.message as { text?: string }).text === ask,
            false,
          );
          const sent = now();
          await customer.say(ask);
          toAgent.push((await arrived).at - sent);
          if (pace) await pause(pace.agentMs);

          const answer = `${label} answer ${r} to customer ${i}`;
          const delivered = customer.inbox.waitFor(
            answer,
            (a) => a.type === 'message' && a.text === answer,
            false,
          );
          const replied = now();
          await agent.reply(conversationId, answer);
          toCustomer.push((await delivered).at - replied);
          if (pace && r < ROUNDS - 1) await pause(pace.customerMs);
        }
      }),
    ),
  );
  const messages = toAgent.length + toCustomer.length;
  const store1 = rig.storeCpuSeconds?.();
  const ops1 = await rig.storeOps();
  return {
    reads: (ops1.reads - ops0.reads) / messages,
    writes: (ops1.writes - ops0.writes) / messages,
    toAgent,
    toCustomer,
    rate: messages / ((now() - started) / 1000),
    cpuMs: (1000 * (rig.serverCpuSeconds() - cpu0)) / messages,
    ...(store0 !== undefined && { storeCpuMs: (1000 * (store1! - store0)) / messages }),
  };
}

/** The same clients and round trips against a ws server that echoes, as the floor of this machine. */
async function bareEcho(): Promise<number[]> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  server.on('connection', (ws) => ws.on('message', (d) => ws.send(String(d))));
  await new Promise((r) => server.once('listening', r));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const times: number[] = [];
  try {
    await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, i) => {
        const ws = new WebSocket(url);
        await new Promise((r) => ws.once('open', r));
        for (let r = 0; r < ROUNDS * 2; r++) {
          const text = JSON.stringify({ type: 'message', text: `echo ${r} of ${i}` });
          const t = now();
          await new Promise<void>((resolve) => {
            ws.once('message', () => resolve());
            ws.send(text);
          });
          times.push(now() - t);
        }
        ws.terminate();
      }),
    );
  } finally {
    server.close();
  }
  return times;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const echo = await bareEcho();
  const echoP99 = percentile(echo, 99);
  const baseline = { name: `bare ws echo round trip, ${CONVERSATIONS} clients`, opsPerSec: 1000 / echoP99 };
  const f = (x: number) => `${x.toFixed(1)} ms`;
  for (const which of STORES) {
    process.stderr.write(`  agent path on ${which} …\n`);
    const rig = await startRig({ mongo: which === 'mongo' });
    try {
      const setup = await setUp(rig);
      try {
        for (const [label, pace] of Object.entries(PACES)) {
          if (!PACES_RUN.includes(label.replace(/ /g, '-'))) continue;
          const t = await measurePath(rig, setup.pairs, pace, label);
          for (const [way, xs] of [
            ['customer → agent live stream', t.toAgent],
            ['agent reply → customer Direct Line stream', t.toCustomer],
          ] as const) {
            const p99 = percentile(xs, 99);
            rows.push({
              name: `agent path (${rig.store}), ${label}: ${way}, ${CONVERSATIONS} conversations`,
              opsPerSec: 1000 / p99,
              baseline,
              ratio: echoP99 / p99,
              notes:
                `p50 ${f(percentile(xs, 50))}, p99 ${f(p99)} (target ≤ ${TARGET_MS} ms: ${p99 <= TARGET_MS ? 'met' : 'missed'}), ` +
                `max ${f(Math.max(...xs))}, n=${xs.length}, ${t.rate.toFixed(0)} messages/s both ways, ` +
                `server CPU ${t.cpuMs.toFixed(2)} ms a message` +
                (t.storeCpuMs === undefined ? '' : ` + the database's ${t.storeCpuMs.toFixed(2)} ms`) +
                `, ${(t.reads + t.writes).toFixed(1)} store operations a message (${t.reads.toFixed(1)} reads, ${t.writes.toFixed(1)} writes); ` +
                `echo p50 ${f(percentile(echo, 50))}, p99 ${f(echoP99)}; ` +
                `setup (escalate + accept ${CONVERSATIONS}) ${setup.setupSeconds.toFixed(1)} s; ops/s = 1000 / p99`,
            });
          }
        }
      } finally {
        setup.close();
      }
    } catch (err) {
      // One store failing keeps the other's rows.
      rows.push({
        name: `agent path (${rig.store}): failed`,
        opsPerSec: 0,
        baseline,
        ratio: 0,
        notes: String(err).slice(0, 300),
      });
    } finally {
      await rig.close();
    }
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(formatTable(await run()) + '\n');
}
