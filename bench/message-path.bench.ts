import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import restify from 'restify';
import WebSocket from 'ws';
import { createApp, type App } from '../services/app.js';
import { loadConfig } from '../services/config.js';
import { silentLogger } from '../services/log.js';
import { BENCH_DIRECT_LINE_LIMITS, BENCH_DIRECT_LINE_SECRET } from './bench-channel.js';
import type { BenchRow } from './bench-row.js';

// The customer message path (issue 19): N conversations over the real local Direct Line channel,
// with real tokens and the conversation's WebSocket stream, against the real app.
//
// - round trip, closed loop: each conversation POSTs a message, waits for the bot's reply on its
//   stream, then sends the next one. Round trips/s and per-trip p50/p99.
// - acknowledgement, open loop towards the bot: N senders, each POSTs into its own conversation
//   and sends again as soon as the channel answers, whatever the bot is doing.
// - baseline: a bare restify route answering the same POST (same client, same concurrency), in the
//   same run, so the ratio survives a noisy machine.
//
// N = 1, 10, 50, 200 on the embedded store shows whether conversations run in parallel; N = 50 is
// also run on the MongoDB adapter (real driver) against CongoDB, the in-process test server.
//
// Run alone: `npm run bench -- message-path`. Longer points: `MESSAGE_PATH_SECONDS=10`; other
// concurrencies: `MESSAGE_PATH_N=1,50`; skip the MongoDB run: `MESSAGE_PATH_MONGO=0`; a CPU profile
// of each measured window (open in Chrome DevTools): `MESSAGE_PATH_PROFILE=/tmp/profiles`.

const SECONDS = Number(process.env.MESSAGE_PATH_SECONDS ?? 3);
const WARMUP_SECONDS = Math.min(1, SECONDS / 3);
const CONCURRENCY = (process.env.MESSAGE_PATH_N ?? '1,10,50,200')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const MONGO_N = 50;
const WITH_MONGO = process.env.MESSAGE_PATH_MONGO !== '0';
const PROFILE_DIR = process.env.MESSAGE_PATH_PROFILE;
/** Small talk the bot answers with one message, staying where it is (see message-cost.bench.ts). */
const CUSTOMER_TEXT = 'hello';

// --- the client: one keep-alive agent, the same for the product and the baseline ----------------

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

interface Reply {
  status: number;
  body: string;
}

/**
 * A server closes a kept-alive connection after a few idle seconds (between two points); a request
 * that went out on it at that moment is reset before the server read it, and is sent again.
 */
async function post(url: string, body: string, token?: string): Promise<Reply> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await postOnce(url, body, token);
    } catch (err) {
      const reset =
        (err as { reusedSocket?: boolean }).reusedSocket &&
        (err as NodeJS.ErrnoException).code === 'ECONNRESET';
      if (!reset || attempt >= 3) throw err;
    }
  }
}

function postOnce(url: string, body: string, token?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
    req.end(body);
  });
}

async function postJson<T>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await post(url, JSON.stringify(body), token);
  if (res.status >= 300) throw new Error(`POST ${url} answered ${res.status}: ${res.body}`);
  return JSON.parse(res.body) as T;
}

// --- measurement ----------------------------------------------------------------------------------

interface Point {
  opsPerSec: number;
  p50: number;
  p99: number;
  count: number;
  /** CPU time this process spent per operation (server and client alike): steadier than rates on a busy machine. */
  cpuMsPerOp: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Runs `workers` loops of `op` for the warm-up, then measures for SECONDS (longer when operations
 * are slow): completed operations per second and the latency of each. Every loop finishes its
 * operation in flight before it stops.
 */
async function measure(
  label: string,
  workers: number,
  op: (worker: number) => Promise<void>,
): Promise<Point> {
  let measuring = false;
  let stop = false;
  const latencies: number[] = [];
  const loops = Array.from({ length: workers }, async (_, w) => {
    while (!stop) {
      const t0 = performance.now();
      await op(w);
      if (measuring && !stop) latencies.push(performance.now() - t0);
    }
  });
  await sleep(WARMUP_SECONDS * 1000);
  const profiler = PROFILE_DIR ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  measuring = true;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await sleep(SECONDS * 1000);
  // When one operation takes longer than the window, wait until each worker finished a couple
  // (within limits), or the percentiles say nothing.
  const enough = performance.now() + 9 * SECONDS * 1000;
  while (latencies.length < 2 * workers && performance.now() < enough) await sleep(100);
  stop = true;
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const counted = latencies.length;
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    await mkdir(PROFILE_DIR!, { recursive: true });
    await writeFile(path.join(PROFILE_DIR!, `${label}.cpuprofile`), JSON.stringify(profile));
  }
  await Promise.all(loops);
  latencies.sort((a, b) => a - b);
  return {
    opsPerSec: counted / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    count: counted,
    cpuMsPerOp: (cpu.user + cpu.system) / 1000 / Math.max(1, counted),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (n: number) => (n >= 10 ? n.toFixed(0) : n >= 1 ? n.toFixed(1) : n.toFixed(2));

// --- the baseline: a bare restify route answering the same POST -----------------------------------

async function startBare(): Promise<{ url: string; close(): Promise<void> }> {
  const server = restify.createServer();
  server.use(restify.plugins.jsonBodyParser());
  let n = 0;
  server.post('/v3/directline/conversations/:conversationId/activities', (req, res, next) => {
    res.send(200, { id: `${String((req.params as { conversationId: string }).conversationId)}|${++n}` });
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v3/directline/conversations`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function measureBare(label: string, bare: { url: string }, workers: number): Promise<Point> {
  const body = JSON.stringify({ type: 'message', from: { id: 'dl_benchcustomer' }, text: CUSTOMER_TEXT });
  return measure(label, workers, async (w) => {
    const res = await post(`${bare.url}/bench${w}/activities`, body, 'token');
    if (res.status !== 200) throw new Error(`the bare route answered ${res.status}`);
  });
}

// --- the product: conversations over the local Direct Line channel --------------------------------

type Activity = {
  id?: string;
  type: string;
  name?: string;
  text?: string;
  replyToId?: string;
  from: { id: string; role?: string };
};

/** One customer: a token bound to its conversation, and the conversation's WebSocket stream. */
class Customer {
  /** Bot activities nobody waited for yet (a stream may deliver before the wait is registered). */
  private unclaimed: Activity[] = [];
  private waiters: Array<{ want: (a: Activity) => boolean; resolve: () => void }> = [];
  private constructor(
    readonly base: string,
    readonly conversationId: string,
    readonly userId: string,
    readonly token: string,
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (data) => {
      const set = JSON.parse(String(data)) as { activities: Activity[] };
      for (const a of set.activities) {
        if (a.from.role === 'user') continue;
        const i = this.waiters.findIndex((w) => w.want(a));
        if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve();
        else this.unclaimed.push(a);
      }
    });
  }

  static async open(base: string, n: number): Promise<Customer> {
    const userId = `dl_benchcustomer${String(n).padStart(4, '0')}`;
    const { token } = await postJson<{ token: string }>(
      `${base}/v3/directline/tokens/generate`,
      { user: { id: userId } },
      BENCH_DIRECT_LINE_SECRET,
    );
    const started = await postJson<{ conversationId: string; token: string; streamUrl: string }>(
      `${base}/v3/directline/conversations`,
      {},
      token,
    );
    const ws = new WebSocket(started.streamUrl);
    const customer = new Customer(base, started.conversationId, userId, started.token, ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    // The widget's flow: the bot asks the pre-chat survey, the answers come back, the bot greets.
    await customer.until((a) => a.type === 'event' && a.name === 'preChatSurvey');
    const answered = await customer.send({
      type: 'message',
      from: { id: userId },
      value: { preChat: { name: `Bench Customer ${n}`, email: `bench${n}@example.com`, topic: 'Billing' } },
    });
    await customer.until((a) => a.type === 'message' && a.replyToId === answered);
    customer.unclaimed = [];
    return customer;
  }

  /** Resolves at the first bot activity `want` accepts, among those already here or still to come. */
  until(want: (a: Activity) => boolean, timeoutMs = 120_000): Promise<void> {
    const i = this.unclaimed.findIndex(want);
    if (i >= 0) {
      this.unclaimed.splice(i, 1);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the bot did not answer in time')), timeoutMs);
      this.waiters.push({
        want,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Posts an activity; resolves with the id the channel gave it. */
  async send(activity: Record<string, unknown>): Promise<string> {
    const res = await post(
      `${this.base}/v3/directline/conversations/${encodeURIComponent(this.conversationId)}/activities`,
      JSON.stringify(activity),
      this.token,
    );
    if (res.status !== 200) throw new Error(`the channel answered ${res.status}: ${res.body}`);
    return (JSON.parse(res.body) as { id: string }).id;
  }

  say(): Promise<string> {
    return this.send({ type: 'message', from: { id: this.userId }, text: CUSTOMER_TEXT });
  }

  /** The bot's reply to one of this customer's messages. */
  replyTo(id: string): Promise<void> {
    return this.until((a) => a.type === 'message' && a.replyToId === id);
  }

  /** Forgets replies nobody waits for (the acknowledgement run does not wait for them). */
  forget(): void {
    this.unclaimed = [];
  }

  close(): void {
    this.ws.close();
  }
}

async function openCustomers(base: string, count: number, from: number): Promise<Customer[]> {
  const out: Customer[] = [];
  // A few at a time: opening is not what is measured.
  for (let i = 0; i < count; i += 20) {
    const batch = Array.from({ length: Math.min(20, count - i) }, (_, k) =>
      Customer.open(base, from + i + k),
    );
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

interface ProductFigures {
  roundTrip: Point;
  ack: Point;
}

async function measureProduct(label: string, app: App, customers: Customer[]): Promise<ProductFigures> {
  const roundTrip = await measure(`${label}-roundtrip`, customers.length, async (w) => {
    const c = customers[w]!;
    await c.replyTo(await c.say());
  });
  await app.services.bot.idle();
  const ack = await measure(`${label}-ack`, customers.length, async (w) => {
    await customers[w]!.say();
  });
  // The bot is still working through what was acknowledged; the next point starts from quiet.
  await app.services.bot.idle();
  for (const c of customers) c.forget();
  return { roundTrip, ack };
}

async function withApp<T>(
  env: Record<string, string>,
  use: (app: App, base: string) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-path-'));
  const app = await createApp(
    loadConfig({ PORT: '0', DATA_DIR: dataDir, DIRECT_LINE_SECRET: BENCH_DIRECT_LINE_SECRET, ...env }),
    { log: silentLogger, routingSweepMs: 0, directLineLimits: BENCH_DIRECT_LINE_LIMITS },
  );
  const base = (await app.listen(0, '127.0.0.1')).replace('localhost', '127.0.0.1');
  try {
    return await use(app, base);
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function rows(store: string, n: number, bare: Point, p: ProductFigures): BenchRow[] {
  const baseline = { name: `bare restify POST, ${n} senders`, opsPerSec: bare.opsPerSec };
  const bareNote = `bare p50 ${ms(bare.p50)} ms, p99 ${ms(bare.p99)} ms, ${ms(bare.cpuMsPerOp)} ms CPU each`;
  const cpu = (x: Point) =>
    `${ms(x.cpuMsPerOp)} ms CPU each (${(x.cpuMsPerOp / bare.cpuMsPerOp).toFixed(0)}× bare)`;
  return [
    {
      name: `message round trip, ${store}, ${n} conversations`,
      opsPerSec: p.roundTrip.opsPerSec,
      baseline,
      ratio: p.roundTrip.opsPerSec / bare.opsPerSec,
      notes: `p50 ${ms(p.roundTrip.p50)} ms, p99 ${ms(p.roundTrip.p99)} ms (${p.roundTrip.count} trips), ${cpu(p.roundTrip)}; ${bareNote}`,
    },
    {
      name: `message POST acknowledged, ${store}, ${n} senders`,
      opsPerSec: p.ack.opsPerSec,
      baseline,
      ratio: p.ack.opsPerSec / bare.opsPerSec,
      notes: `p50 ${ms(p.ack.p50)} ms, p99 ${ms(p.ack.p99)} ms (${p.ack.count} messages), ${cpu(p.ack)}; ${bareNote}`,
    },
  ];
}

export async function run(): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  const bare = await startBare();
  try {
    const embedded = await withApp({}, async (app, base) => {
      const figures: Array<{ n: number; bare: Point; product: ProductFigures }> = [];
      const customers: Customer[] = [];
      for (const n of CONCURRENCY) {
        if (customers.length < n)
          customers.push(...(await openCustomers(base, n - customers.length, customers.length)));
        process.stderr.write(`  embedded store, ${n} conversations …\n`);
        const bareFigure = await measureBare(`bare-${n}`, bare, n);
        const product = await measureProduct(`embedded-${n}`, app, customers.slice(0, n));
        figures.push({ n, bare: bareFigure, product });
        out.push(...rows('embedded', n, bareFigure, product));
      }
      for (const c of customers) c.close();
      return figures;
    });
    const one = embedded.find((f) => f.n === 1);
    const fifty = embedded.find((f) => f.n === 50);
    if (one && fifty) {
      out.push({
        name: 'round trips, 50 conversations against 1',
        opsPerSec: fifty.product.roundTrip.opsPerSec,
        baseline: { name: 'round trips, 1 conversation', opsPerSec: one.product.roundTrip.opsPerSec },
        ratio: fifty.product.roundTrip.opsPerSec / one.product.roundTrip.opsPerSec,
        notes: 'target ≥ 10: conversations run in parallel',
      });
    }
    if (WITH_MONGO) {
      // Imported here: the CongoDB server is a test dependency, needed only for this part.
      const { startCongo } = await import('../test/store/congo.js');
      const congo = await startCongo();
      try {
        await withApp({ MONGODB_URI: congo.uri(`bench_message_path_${process.pid}`) }, async (app, base) => {
          const customers = await openCustomers(base, MONGO_N, 0);
          process.stderr.write(`  MongoDB adapter (CongoDB), ${MONGO_N} conversations …\n`);
          const bareFigure = await measureBare(`bare-mongo-${MONGO_N}`, bare, MONGO_N);
          const product = await measureProduct(`mongodb-${MONGO_N}`, app, customers);
          out.push(...rows('MongoDB via CongoDB', MONGO_N, bareFigure, product));
          for (const c of customers) c.close();
        });
      } finally {
        await congo.stop();
      }
    }
  } finally {
    await bare.close();
    agent.destroy();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatTable } = await import('./bench-row.js');
  process.stdout.write(formatTable(await run()) + '\n');
}
