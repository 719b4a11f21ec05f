import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openEmbeddedStore, type Collection } from '../services/store/index.js';
import type { EmbeddedCollection } from '../services/store/embedded/embedded-collection.js';
import type { BenchRow } from './bench-row.js';
import { percentile } from './agent-rig.js';

// The embedded store rewrites a collection's datafile once superseded lines dominate it (every
// 50,000 writes at least). In the soak that was a spike in every path writing the collection: the
// conversations' and the bot sessions' rewrites held writes for ≈ 100 ms each. Here: how long a
// write waits while a datafile of DOCS conversation-sized documents is rewritten, beside the same
// writers with no rewrite running.
//
// Run alone: `npm run bench -- store-rewrite` (`REWRITE_DOCS=50000` for a bigger store).

const DOCS = Number(process.env.REWRITE_DOCS ?? 20_000);
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
    return [
      {
        name: `embedded store: longest write while a datafile of ${DOCS.toLocaleString('en-US')} conversations is rewritten`,
        opsPerSec: 1000 / worst(during),
        baseline: { name: 'longest write, same writers, no rewrite', opsPerSec: 1000 / worst(quiet) },
        ratio: worst(quiet) / worst(during),
        notes:
          `${LANES} writers awaiting each write; rewrite ${rewriteMs.toFixed(0)} ms; during it ${figures(during)}; ` +
          `without ${figures(quiet)}; ops/s = 1000 / longest write`,
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
