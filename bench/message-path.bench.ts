import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import restify from 'restify';
import { createApp, type App } from '../services/app.js';
import { loadConfig } from '../services/config.js';
import { silentLogger } from '../services/log.js';
import { BENCH_DIRECT_LINE_LIMITS, BENCH_DIRECT_LINE_SECRET } from './bench-channel.js';
import { startCongoProcess } from './congo-process.js';
import type { BenchRow } from './bench-row.js';
import { spawnMessagePathLoad, type LoadKind, type MessagePathLoad } from './message-path-load.js';
import { countOldGeneration } from './old-generation.js';

// The customer message path (targets: docs/performance.md): N conversations over the real local Direct Line channel,
// with real tokens and the conversation's WebSocket stream, against the real app.
//
// - round trip, closed loop: each conversation POSTs a message, waits for the bot's reply on its
//   stream, then sends the next one. Round trips/s and per-trip p50/p99.
// - acknowledgement, open loop towards the bot: N senders, each POSTs into its own conversation
//   and sends again as soon as the channel answers, whatever the bot is doing.
// - baseline: a bare restify route answering the same POST (same client, same concurrency), in the
//   same run, so the ratio survives a noisy machine.
//
// The customers run in a process of their own (message-path-load.ts), as a server's customers are
// elsewhere; CPU per operation and profiles are this process's, the server's, alone.
//
// N = 1, 10, 50, 200 on the embedded store shows whether conversations run in parallel; N = 50 is
// also run on the MongoDB adapter (real driver) against CongoDB, the test server, in a process of its
// own as a database server runs (its CPU per operation is reported apart).
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

// --- measurement ----------------------------------------------------------------------------------

interface Point {
  opsPerSec: number;
  p50: number;
  p99: number;
  count: number;
  /** CPU time the server's process spent per operation: steadier than rates on a busy machine. */
  cpuMsPerOp: number;
  /** CPU time the database's own process spent per operation, when it has one. */
  storeCpuMsPerOp?: number;
  /** Bytes the server's process added to its old generation per operation (old-generation.ts). */
  oldGenBytesPerOp: number;
  /**
   * The server's event-loop delay (`monitorEventLoopDelay`, ms, p50 and p99 over the window): how
   * late a 1 ms timer ran, one sample per turn of the loop. When every turn of the loop is one long
   * pass (50 busy conversations) it is the pass's length, and a round trip takes about one pass;
   * short turns in between (200 conversations) pull the p50 down.
   */
  loopDelay: { p50: number; p99: number };
}

/**
 * One run of the customers' process (warm-up, then SECONDS measured, longer when operations are
 * slow), with this process's CPU time (and profile) taken over the measured window.
 */
async function measure(
  load: MessagePathLoad,
  label: string,
  kind: LoadKind,
  workers: number,
  opts: { bareUrl?: string; storeCpuSeconds?: () => number } = {},
): Promise<Point> {
  const { bareUrl, storeCpuSeconds } = opts;
  const profiler = PROFILE_DIR ? new Session() : null;
  let cpu0 = process.cpuUsage();
  let cpu = process.cpuUsage(cpu0);
  let store0 = 0;
  let storeSeconds = 0;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  let oldGen: { stop(): number } | null = null;
  let oldGenBytes = 0;
  const result = await load.run(
    { kind, workers, bareUrl, warmupMs: WARMUP_SECONDS * 1000, seconds: SECONDS },
    {
      onStart: async () => {
        if (profiler) {
          profiler.connect();
          await profiler.post('Profiler.enable');
          await profiler.post('Profiler.start');
        }
        cpu0 = process.cpuUsage();
        store0 = storeCpuSeconds?.() ?? 0;
        loop.enable();
        oldGen = countOldGeneration();
      },
      onStop: async () => {
        cpu = process.cpuUsage(cpu0);
        oldGenBytes = oldGen?.stop() ?? 0;
        loop.disable();
        storeSeconds = (storeCpuSeconds?.() ?? 0) - store0;
        if (profiler) {
          const { profile } = await profiler.post('Profiler.stop');
          profiler.disconnect();
          await mkdir(PROFILE_DIR!, { recursive: true });
          await writeFile(path.join(PROFILE_DIR!, `${label}.cpuprofile`), JSON.stringify(profile));
        }
      },
    },
  );
  return {
    opsPerSec: result.count / result.elapsedSeconds,
    p50: result.p50,
    p99: result.p99,
    count: result.count,
    cpuMsPerOp: (cpu.user + cpu.system) / 1000 / Math.max(1, result.count),
    ...(storeCpuSeconds && { storeCpuMsPerOp: (storeSeconds * 1000) / Math.max(1, result.count) }),
    oldGenBytesPerOp: oldGenBytes / Math.max(1, result.count),
    loopDelay: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6 },
  };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
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

async function measureBare(
  load: MessagePathLoad,
  label: string,
  bare: { url: string },
  workers: number,
): Promise<Point> {
  return measure(load, label, 'bare', workers, { bareUrl: bare.url });
}

// --- the product: conversations over the local Direct Line channel --------------------------------

interface ProductFigures {
  roundTrip: Point;
  ack: Point;
  /** How long after the acknowledgement window the bot was through what had been acknowledged. */
  catchUpMs: number;
}

async function measureProduct(
  load: MessagePathLoad,
  label: string,
  app: App,
  n: number,
  storeCpuSeconds?: () => number,
): Promise<ProductFigures> {
  const roundTrip = await measure(load, `${label}-roundtrip`, 'roundtrip', n, { storeCpuSeconds });
  await app.services.bot.idle();
  const ack = await measure(load, `${label}-ack`, 'ack', n, { storeCpuSeconds });
  // The bot is still working through what was acknowledged; the next point starts from quiet. How
  // long that takes says whether acknowledgements ran ahead of the bot's turns.
  const windowEnded = performance.now();
  await app.services.bot.idle();
  const catchUpMs = performance.now() - windowEnded;
  await load.forget();
  return { roundTrip, ack, catchUpMs };
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
    `${x.cpuMsPerOp.toFixed(2)} ms CPU each (${(x.cpuMsPerOp / bare.cpuMsPerOp).toFixed(0)}× bare)` +
    (x.storeCpuMsPerOp !== undefined ? ` + the database's ${ms(x.storeCpuMsPerOp)} ms` : '') +
    `, ${kb(x.oldGenBytesPerOp)} KB to the old generation each (bare ${kb(bare.oldGenBytesPerOp)})` +
    `; event-loop delay p50 ${ms(x.loopDelay.p50)} ms, p99 ${ms(x.loopDelay.p99)} ms`;
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
      notes:
        `p50 ${ms(p.ack.p50)} ms, p99 ${ms(p.ack.p99)} ms (${p.ack.count} messages), ${cpu(p.ack)}; ` +
        `the bot was through them ${ms(p.catchUpMs)} ms after the window; ${bareNote}`,
    },
  ];
}

export async function run(): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  const bare = await startBare();
  const load = spawnMessagePathLoad();
  try {
    const embedded = await withApp({}, async (app, base) => {
      const figures: Array<{ n: number; bare: Point; product: ProductFigures }> = [];
      for (const n of CONCURRENCY) {
        await load.open(base, n);
        process.stderr.write(`  embedded store, ${n} conversations …\n`);
        const bareFigure = await measureBare(load, `bare-${n}`, bare, n);
        const product = await measureProduct(load, `embedded-${n}`, app, n);
        figures.push({ n, bare: bareFigure, product });
        out.push(...rows('embedded', n, bareFigure, product));
      }
      await load.reset();
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
      const congo = await startCongoProcess();
      try {
        await withApp({ MONGODB_URI: congo.uri(`bench_message_path_${process.pid}`) }, async (app, base) => {
          await load.open(base, MONGO_N);
          process.stderr.write(`  MongoDB adapter (CongoDB), ${MONGO_N} conversations …\n`);
          const bareFigure = await measureBare(load, `bare-mongo-${MONGO_N}`, bare, MONGO_N);
          const product = await measureProduct(load, `mongodb-${MONGO_N}`, app, MONGO_N, () =>
            congo.cpuSeconds(),
          );
          out.push(...rows('MongoDB via CongoDB', MONGO_N, bareFigure, product));
          await load.reset();
        });
      } finally {
        await congo.stop();
      }
    }
  } finally {
    await load.close();
    await bare.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatTable } = await import('./bench-row.js');
  process.stdout.write(formatTable(await run()) + '\n');
}
