import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openEmbeddedStore, type Collection } from '../services/store/index.js';
import type { EmbeddedCollection } from '../services/store/embedded/embedded-collection.js';
import type { BenchRow } from './bench-row.js';
import { createActivityLog } from '../bot/directline/activity-log.js';
import { DEFAULT_LIMITS } from '../bot/directline/limits.js';
import { percentile } from './agent-rig.js';

// The embedded store's housekeeping, which runs beside the traffic and grows with what the store
// holds — in the soak each was a spike in the minute it ran:
// - rewriting a collection's datafile once superseded lines dominate it (every 50,000 writes at
//   least): how long a write waits while DOCS conversation-sized documents are rewritten, beside
//   the same writers with no rewrite running;
// - the Direct Line channel's retention sweep (every 10 minutes): its time over SWEPT activities,
//   none yet old enough to go, beside one pass over the same activities in a plain loop.
//
// Run alone: `npm run bench -- store-maintenance` (`REWRITE_DOCS=50000 SWEPT=1000000` for more).

const DOCS = Number(process.env.REWRITE_DOCS ?? 20_000);
const SWEPT = Number(process.env.SWEPT ?? 100_000);
/** Writers at once, each awaiting its write before the next, as requests do. */
const LANES = 4;

interface Doc {
  id: string;
  status: string;
  n: number;
  participants: Array<{ agentId: string; mode: string; joinedAt: Date; leftAt?: Date }>;
  context: Record<string, string>;
  timestamps: Record<string, Date>;
  lastActivityAt: Date;
}

/** About the size and shape of a stored conversation (nested parts, a dozen dates). */
function conversation(i: number): Doc {
  const at = new Date(Date.UTC(2026, 11, 1, 9, 0, i % 60));
  return {
    id: `conv_${i}`,
    status: i % 3 === 0 ? 'closed' : 'active',
    n: 0,
    participants: [
      { agentId: `agent_${i % 1000}`, mode: 'primary', joinedAt: at, leftAt: at },
      { agentId: `agent_${(i + 1) % 1000}`, mode: 'consult', joinedAt: at },
    ],
    context: {
      name: `Customer ${i}`,
      email: `customer${i}@example.com`,
      topic: 'Internet outage',
      description: 'The router blinks red since this morning and nothing loads. '.repeat(3),
      locale: 'en-GB',
      page: `https://example.com/support/articles/${i}`,
    },
    timestamps: { createdAt: at, queuedAt: at, offeredAt: at, acceptedAt: at, wrapUpAt: at, closedAt: at },
    lastActivityAt: at,
  };
}

interface Window {
  latencies: number[];
  ms: number;
}

/** Runs LANES writers until `until` resolves; every write's latency. */
async function writeWhile(things: Collection<Doc>, until: Promise<unknown>): Promise<Window> {
  let done = false;
  void until.then(() => (done = true));
  const latencies: number[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (!done) {
        const id = `conv_${(next++ * 7919) % DOCS}`;
        const t = performance.now();
        await things.updateOne({ id }, { $inc: { n: 1 }, $set: { lastActivityAt: new Date() } });
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, ms: performance.now() - started };
}

const figures = (w: Window) =>
  `p50 ${percentile(w.latencies, 50).toFixed(2)} ms, p99 ${percentile(w.latencies, 99).toFixed(2)} ms, ` +
  `max ${Math.max(...w.latencies).toFixed(1)} ms over ${w.latencies.length} writes`;

export async function run(): Promise<BenchRow[]> {
  return [await rewriteRow(), await sweepRow(), await dueSweepRow()];
}

/** Longest gap between the turns of the event loop while `work` runs (a 1 ms timer's lateness). */
async function longestGap(work: Promise<unknown>): Promise<{ gap: number; ms: number }> {
  let last = performance.now();
  let gap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  await work;
  clearInterval(timer);
  return { gap: Math.max(gap, performance.now() - last), ms: performance.now() - started };
}

interface StoredActivity {
  conversationId: string;
  seq: number;
  json: string;
  createdAt: Date;
}

/**
 * A Direct Line activity log on a fresh embedded store holding `count` activities, ten to a
 * conversation, the k-th stored at `createdAt(k)`, and their conversations begun at `begun`.
 */
async function storedChannel(dir: string, count: number, createdAt: (k: number) => Date, begun: Date) {
  const store = await openEmbeddedStore(dir);
  const log = await createActivityLog(store);
  const conversationsCount = count / 10;
  const activities = store.collection<StoredActivity>('directline_activities');
  for (let i = 0; i < count; i += 1000)
    await activities.insertMany(
      Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
        conversationId: `dl_${(i + j) % conversationsCount}`,
        seq: Math.floor((i + j) / conversationsCount) + 1,
        json: '{"type":"message","text":"My router keeps dropping the connection"}',
        createdAt: createdAt(i + j),
      })),
    );
  await store
    .collection<{ conversationId: string; createdAt: Date; lastSeq: number }>('directline_conversations')
    .insertMany(
      Array.from({ length: conversationsCount }, (_, i) => ({
        conversationId: `dl_${i}`,
        createdAt: begun,
        lastSeq: 0,
      })),
    );
  return { store, log, activities, conversationsCount };
}

/** A day's steady state: each sweep finds the ten minutes of activities a day old (half of these). */
async function dueSweepRow(): Promise<BenchRow> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-due-sweep-'));
  try {
    const now = Date.now();
    const total = 2 * SWEPT;
    const retention = DEFAULT_LIMITS.retentionMs;
    // Twenty minutes of traffic centred on the retention limit: the older half is due.
    const { store, log } = await storedChannel(
      dir,
      total,
      (k) => new Date(now - retention - 600_000 + Math.floor((k * 1_200_000) / total)),
      new Date(now - retention - 600_000),
    );
    // As the channel does at start: the first sweep orders the activities' times.
    await log.sweep(new Date(0), new Date(0));
    const quiet = await longestGap(new Promise((resolve) => setTimeout(resolve, 1000)));
    let dropped = 0;
    const swept = await longestGap(
      log
        .sweep(new Date(now - retention), new Date(now - DEFAULT_LIMITS.maxConversationAgeMs))
        .then((n) => (dropped = n)),
    );
    await store.close();
    return {
      name: `Direct Line retention sweep, ${dropped.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} activities due (embedded store): longest event-loop gap`,
      opsPerSec: 1000 / swept.gap,
      baseline: { name: 'longest gap over a second without a sweep', opsPerSec: 1000 / quiet.gap },
      ratio: quiet.gap / swept.gap,
      notes:
        `longest gap ${swept.gap.toFixed(1)} ms during a sweep of ${swept.ms.toFixed(0)} ms (in batches of the oldest ` +
        `1,000, each conversation's last number kept first); without one ${quiet.gap.toFixed(1)} ms; ops/s = 1000 / gap`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function rewriteRow(): Promise<BenchRow> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-rewrite-'));
  try {
    const store = await openEmbeddedStore(dir);
    const things = store.collection<Doc>('conversations');
    await things.ensureIndex({ keys: { id: 1 }, unique: true });
    for (let i = 0; i < DOCS; i += 1000)
      await things.insertMany(
        Array.from({ length: Math.min(1000, DOCS - i) }, (_, j) => conversation(i + j)),
      );
    await things.updateMany({}, { $set: { status: 'closed' } });

    // The rewrite first (its length sets the baseline window's), then the same writers without one.
    const rewriteStarted = performance.now();
    // The rewrite the collection starts by itself once superseded lines pile up, started now.
    const rewrite = (things as EmbeddedCollection<Doc>).compact();
    const during = await writeWhile(things, rewrite);
    const rewriteMs = performance.now() - rewriteStarted;
    const quiet = await writeWhile(
      things,
      new Promise((resolve) => setTimeout(resolve, Math.max(rewriteMs, 200))),
    );
    await store.close();

    const worst = (w: Window) => Math.max(...w.latencies);
    return {
      name: `embedded store: longest write while a datafile of ${DOCS.toLocaleString('en-US')} conversations is rewritten`,
      opsPerSec: 1000 / worst(during),
      baseline: { name: 'longest write, same writers, no rewrite', opsPerSec: 1000 / worst(quiet) },
      ratio: worst(quiet) / worst(during),
      notes:
        `${LANES} writers awaiting each write; rewrite ${rewriteMs.toFixed(0)} ms; during it ${figures(during)}; ` +
        `without ${figures(quiet)}; ops/s = 1000 / longest write`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function sweepRow(): Promise<BenchRow> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-sweep-'));
  try {
    const now = Date.now();
    // Stored as the channel stores them, an hour old: within the day's retention, nothing goes.
    const createdAt = new Date(now - 3_600_000);
    const { store, log, activities, conversationsCount } = await storedChannel(
      dir,
      SWEPT,
      () => createdAt,
      createdAt,
    );
    const before = new Date(now - DEFAULT_LIMITS.retentionMs);
    const startedBefore = new Date(now - DEFAULT_LIMITS.maxConversationAgeMs);
    const sweeps: number[] = [];
    for (let round = 0; round < 5; round++) {
      const t = performance.now();
      if ((await log.sweep(before, startedBefore)) !== 0)
        throw new Error('the sweep dropped activities in retention');
      sweeps.push(performance.now() - t);
    }
    // The baseline: every activity looked at once, as a sweep without an index must.
    const docs = await activities.find({});
    const scans: number[] = [];
    for (let round = 0; round < 5; round++) {
      const t = performance.now();
      let old = 0;
      for (const d of docs) if (d.createdAt < before) old++;
      if (old !== 0) throw new Error('unexpected');
      scans.push(performance.now() - t);
    }
    await store.close();
    const median = (xs: number[]) => percentile(xs, 50);
    return {
      name: `Direct Line retention sweep, ${SWEPT.toLocaleString('en-US')} activities in ${conversationsCount.toLocaleString('en-US')} conversations, none due (embedded store)`,
      opsPerSec: 1000 / median(sweeps),
      baseline: {
        name: 'one plain loop over the same activities, comparing dates',
        opsPerSec: 1000 / median(scans),
      },
      ratio: median(scans) / median(sweeps),
      notes:
        `sweep median ${median(sweeps).toFixed(2)} ms (first ${sweeps[0]!.toFixed(2)} ms) of 5; loop median ` +
        `${median(scans).toFixed(2)} ms; the sweep runs every 10 minutes beside the traffic; ops/s = 1000 / median`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
