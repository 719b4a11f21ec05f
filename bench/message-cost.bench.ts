import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../services/app.js';
import { loadConfig } from '../services/config.js';
import { silentLogger } from '../services/log.js';
import type { BenchRow } from './bench-row.js';
import { countingStore, newTally } from './store-tally.js';
import { BENCH_DIRECT_LINE_LIMITS, BENCH_DIRECT_LINE_SECRET } from './bench-channel.js';

// What one customer message and the bot's reply cost the store, at message 10 and at message 500 of
// the same conversation: writes, reads and bytes appended to the embedded store's files. The real
// app over the real Direct Line channel (HTTP), so every write production makes is counted.
//
// The Direct Line channel's own activity log (collections `directline_*`) is counted apart: it is the
// local stand-in for Azure's channel service, whose storage is not ours when the bot runs in Azure.
//
// Run alone: `npm run bench -- message-cost` (or `MESSAGES=200 npm run bench -- message-cost`).

const LATE = Number(process.env.MESSAGES ?? 500);
const EARLY = 10;
/** The greeting small talk: the bot answers it with one message and stays where it is. */
const CUSTOMER_TEXT = 'hello';

async function fileSizes(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const f of await readdir(dir)) {
    if (f.endsWith('.db')) out.set(f.replace(/\.db$/, ''), (await stat(path.join(dir, f))).size);
  }
  return out;
}

interface Cost {
  writes: number;
  reads: number;
  bytes: number;
  channelWrites: number;
  channelBytes: number;
  ms: number;
  byCollection: string;
  readsByCollection: string;
}

const isChannel = (collection: string) => collection.startsWith('directline_');

/** `messages 2, events 2` — the app's collections, the channel's log apart. */
const perCollection = (counts: Map<string, number>) =>
  [...counts]
    .filter(([k]) => !isChannel(k))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

function sum(m: Map<string, number>, pick: (k: string) => boolean): number {
  let n = 0;
  for (const [k, v] of m) if (pick(k)) n += v;
  return n;
}

export async function run(): Promise<BenchRow[]> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-msg-'));
  const tally = newTally();
  const app = await createApp(
    loadConfig({ PORT: '0', DATA_DIR: dataDir, DIRECT_LINE_SECRET: BENCH_DIRECT_LINE_SECRET }),
    {
      log: silentLogger,
      routingSweepMs: 0,
      wrapStore: (s) => countingStore(s, tally),
      directLineLimits: BENCH_DIRECT_LINE_LIMITS,
    },
  );
  const base = (await app.listen(0, '127.0.0.1')).replace('localhost', '127.0.0.1');
  try {
    const call = async (method: string, p: string, token?: string, body?: unknown) => {
      const res = await fetch(`${base}/v3/directline${p}`, {
        method,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const { token } = (await call('POST', '/tokens/generate', BENCH_DIRECT_LINE_SECRET)) as { token: string };
    const started = (await call('POST', '/conversations', token, { user: { id: 'dl_benchcustomer1' } })) as {
      conversationId: string;
    };
    const id = started.conversationId;
    let watermark = '0';
    type Activity = { type: string; name?: string; text?: string; from: { id: string; role?: string } };
    /** Waits until the bot has sent `count` messages (or an event named `event`) after the watermark. */
    const untilBot = async (want: (fromBot: Activity[]) => boolean): Promise<Activity[]> => {
      const seen: Activity[] = [];
      for (let polls = 0; ; polls++) {
        const page = (await call('GET', `/conversations/${id}/activities?watermark=${watermark}`, token)) as {
          activities: Activity[];
          watermark: string;
        };
        watermark = page.watermark ?? watermark;
        seen.push(...page.activities.filter((a) => a.from.role !== 'user'));
        if (want(seen)) return seen;
        if (polls > 2000) throw new Error('the bot did not answer');
        await new Promise((r) => setImmediate(r));
      }
    };
    await untilBot((a) => a.some((x) => x.type === 'event' && x.name === 'preChatSurvey'));
    await call('POST', `/conversations/${id}/activities`, token, {
      type: 'message',
      from: { id: 'dl_benchcustomer1' },
      value: { preChat: { name: 'Bench Customer', email: 'bench@example.com', topic: 'Billing' } },
    });
    await untilBot((a) => a.some((x) => x.type === 'message'));
    await app.services.bot.idle();

    const exchange = async (): Promise<Cost> => {
      await app.services.bot.idle();
      const sizes0 = await fileSizes(dataDir);
      const w0 = new Map(tally.writes);
      const r0 = new Map(tally.reads);
      const t0 = performance.now();
      await call('POST', `/conversations/${id}/activities`, token, {
        type: 'message',
        from: { id: 'dl_benchcustomer1' },
        text: CUSTOMER_TEXT,
      });
      const replies = await untilBot((a) => a.some((x) => x.type === 'message'));
      await app.services.bot.idle();
      const ms = performance.now() - t0;
      const messages = replies.filter((x) => x.type === 'message');
      if (messages.length !== 1) throw new Error(`expected one reply, got ${messages.length}`);
      const sizes1 = await fileSizes(dataDir);
      const writes = new Map<string, number>();
      for (const [k, v] of tally.writes) if (v - (w0.get(k) ?? 0) > 0) writes.set(k, v - (w0.get(k) ?? 0));
      const reads = new Map<string, number>();
      for (const [k, v] of tally.reads) if (v - (r0.get(k) ?? 0) > 0) reads.set(k, v - (r0.get(k) ?? 0));
      const grown = new Map<string, number>();
      for (const [k, v] of sizes1) grown.set(k, v - (sizes0.get(k) ?? 0));
      return {
        writes: sum(writes, (k) => !isChannel(k)),
        reads: sum(reads, (k) => !isChannel(k)),
        bytes: sum(grown, (k) => !isChannel(k)),
        channelWrites: sum(writes, isChannel),
        channelBytes: sum(grown, isChannel),
        ms,
        byCollection: perCollection(writes),
        readsByCollection: perCollection(reads),
      };
    };

    // The pre-chat answer was message 1; the customer's messages follow.
    let early: Cost | null = null;
    let late: Cost | null = null;
    for (let n = 2; n <= LATE; n++) {
      const cost = await exchange();
      if (n === EARLY) early = cost;
      if (n === LATE) late = cost;
      if (n % 100 === 0) process.stderr.write(`  message ${n} …\n`);
    }
    if (!early || !late) throw new Error(`MESSAGES must be at least ${EARLY}`);
    const row = (label: string, c: Cost): BenchRow => ({
      name: `message ${label} (customer + bot reply)`,
      opsPerSec: 1000 / c.ms,
      baseline: { name: `message ${EARLY} of the same conversation`, opsPerSec: 1000 / early!.ms },
      ratio: c.bytes / early!.bytes,
      notes:
        `${c.writes} writes, ${c.reads} reads, ${c.bytes} bytes (ratio = bytes vs message ${EARLY}); ` +
        `writes: ${c.byCollection}; reads: ${c.readsByCollection}; Direct Line channel log apart: ${c.channelWrites} writes, ${c.channelBytes} bytes`,
    });
    return [row(String(EARLY), early), row(String(LATE), late)];
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatTable } = await import('./bench-row.js');
  process.stdout.write(formatTable(await run()) + '\n');
}
