import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assignedCustomer,
  Customer,
  missedAgentJoined,
  now,
  percentile,
  staffAgents,
  startRig,
  type Staff,
} from './agent-rig.js';
import type { WatchRow } from './server-watch.js';

// `npm run soak`: steady mixed traffic against one real server for SOAK_MINUTES (default 10) —
// customers chatting with the bot, customers escalating, agents accepting, replying and closing —
// and, per minute, the server's heap after the runtime's own full collections, its longest GC pause,
// the longest its event loop stood still (and at which second), CPU and the p99 of each path. The
// server runs in a process of its own (bench/rig-server.ts), so the people's fetch and ws work
// neither takes its turns nor counts in its figures. Flat is
// the goal: the slope of heap and RSS over the minutes is printed under the table
// (bench/results/soak.md keeps the last run).
//
// Smoke run: `SOAK_MINUTES=0.5 npm run soak` (rows are then SOAK_MINUTES / 3 long, the result goes
// to bench/results/soak-smoke.md). `SOAK_STORE=mongo` runs it on the Mongo adapter (soak-mongo.md).

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
/**
 * `embedded` (default) or `mongo`: the Mongo adapter against CongoDB in a process of its own, so the
 * memory measured is the server's alone, not the data's.
 */
const STORE = process.env.SOAK_STORE === 'mongo' ? 'mongo' : 'embedded';
const BOT_CHATTERS = Number(process.env.SOAK_BOT_CUSTOMERS ?? 10);
const ESCALATIONS = Number(process.env.SOAK_ESCALATING_CUSTOMERS ?? 10);
const AGENTS = Number(process.env.SOAK_AGENTS ?? 5);
/** Think time between one person's messages (ms): traffic is paced, not a flood. */
const THINK_MS = Number(process.env.SOAK_THINK_MS ?? 300);
const BOT_MESSAGES = 5;
const AGENT_ROUNDS = 5;

const durationMs = MINUTES * 60_000;
const bucketMs = Math.min(60_000, durationMs / 3);

type Kind = 'botReply' | 'toAgent' | 'toCustomer' | 'escalation';
interface Bucket {
  latencies: Record<Kind, number[]>;
  started: number;
  closed: number;
  messages: number;
  errors: number;
}
const fresh = (): Bucket => ({
  latencies: { botReply: [], toAgent: [], toCustomer: [], escalation: [] },
  started: 0,
  closed: 0,
  messages: 0,
  errors: 0,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const rig = await startRig({ mongo: STORE === 'mongo' });
  const staff: Staff = await staffAgents(rig, AGENTS, Math.ceil(ESCALATIONS / AGENTS) + 2);
  let bucket = fresh();
  const rows: Array<{
    minute: number;
    b: Bucket;
    heapMb: number;
    rssMb: number;
    /** Longest garbage-collection pause in the row. */
    gcPauseMs: number;
    /** Longest the event loop stood still in the row, and when (seconds into the soak). */
    stall: { ms: number; atSecond: number };
    streams: number;
    /** Share of one core used in the row: the server's process, the simulated people's, the store's. */
    cpu: number;
    peopleCpu: number;
    storeCpu?: number;
  }> = [];
  const watch = await rig.watch();
  const end = now() + durationMs;
  let serial = 0;
  const running = () => now() < end;

  async function botChatter(): Promise<void> {
    while (running()) {
      const n = serial++;
      const customer = await Customer.start(rig.base, `dl_soak_bot_${n}`, `Soak Visitor ${n}`);
      bucket.started++;
      try {
        await customer.inbox.waitFor('the survey', (a) => a.type === 'event' && a.name === 'preChatSurvey');
        await customer.post({
          type: 'message',
          text: '',
          value: { preChat: { name: customer.name, email: `v${n}@example.com`, topic: 'Billing' } },
        });
        await customer.inbox.waitFor('thanks', (a) => a.type === 'message' && /Thanks/.test(a.text ?? ''));
        for (let i = 0; i < BOT_MESSAGES && running(); i++) {
          await sleep(THINK_MS);
          const seen = customer.inbox.items.length;
          const reply = customer.inbox.waitFor(
            'the bot answers hello',
            (a) => a.type === 'message' && customer.inbox.items.length > seen,
            false,
          );
          const t = now();
          await customer.say('hello');
          bucket.latencies.botReply.push((await reply).at - t);
          bucket.messages += 2;
        }
        bucket.closed++;
      } catch {
        bucket.errors++;
      } finally {
        customer.close();
      }
    }
  }

  async function escalating(): Promise<void> {
    while (running()) {
      const n = serial++;
      bucket.started++;
      try {
        const t = now();
        const { customer, agent, conversationId } = await assignedCustomer(rig, staff, `soak_${n}`);
        bucket.latencies.escalation.push(now() - t);
        try {
          for (let r = 0; r < AGENT_ROUNDS && running(); r++) {
            await sleep(THINK_MS);
            const ask = `question ${r} in ${n}`;
            const arrived = agent.inbox.waitFor(
              ask,
              (f) => f.type === 'conversation.message' && (f.message as { text?: string }).text === ask,
              false,
            );
            const t1 = now();
            await customer.say(ask);
            bucket.latencies.toAgent.push((await arrived).at - t1);
            await sleep(THINK_MS);
            const answer = `answer ${r} in ${n}`;
            const delivered = customer.inbox.waitFor(answer, (a) => a.text === answer, false);
            const t2 = now();
            await agent.reply(conversationId, answer);
            bucket.latencies.toCustomer.push((await delivered).at - t2);
            bucket.messages += 2;
          }
          bucket.closed++;
        } finally {
          customer.close();
          // Closed even after a failed round, so the agent's capacity comes back.
          await agent
            .call('POST', `/conversations/${conversationId}/end`)
            .then(() =>
              agent.call('POST', `/conversations/${conversationId}/wrap-up`, { disposition: 'resolved' }),
            )
            .catch(() => bucket.errors++);
        }
      } catch (err) {
        bucket.errors++;
        if (bucket.errors <= 3) process.stderr.write(`  soak: ${String(err)}\n`);
      }
    }
  }

  let minute = 0;
  let since = {
    at: now(),
    server: (await watch.row()).cpuSeconds,
    people: process.cpuUsage(),
    store: rig.storeCpuSeconds?.(),
  };
  const start = end - durationMs;
  const rowCount = Math.round(durationMs / bucketMs);
  const sampler = (async () => {
    // A fixed number of rows, each ending at its own time: a loop on `running()` could add an empty
    // row when it wakes a moment before the end.
    for (let row = 1; row <= rowCount; row++) {
      await sleep(Math.max(0, start + row * bucketMs - now()));
      const b = bucket;
      bucket = fresh();
      const server: WatchRow = await watch.row();
      const at = now();
      const people = process.cpuUsage(since.people);
      const store = rig.storeCpuSeconds?.();
      const wallMs = at - since.at;
      rows.push({
        cpu: (1000 * (server.cpuSeconds - since.server)) / wallMs,
        peopleCpu: (people.user + people.system) / 1000 / wallMs,
        ...(store !== undefined && { storeCpu: (1000 * (store - since.store!)) / wallMs }),
        minute: ++minute,
        b,
        heapMb: server.heapUsed / 1024 ** 2,
        rssMb: server.rss / 1024 ** 2,
        gcPauseMs: server.gcPauseMs,
        stall: server.stall,
        streams: server.streams,
      });
      since = { at, server: server.cpuSeconds, people: process.cpuUsage(), store };
      process.stderr.write(`  soak: row ${minute}, heap ${Math.round(server.heapUsed / 1024 ** 2)} MB\n`);
    }
    await watch.stop();
  })();

  process.stderr.write(
    `soak: ${MINUTES} min, ${BOT_CHATTERS} customers with the bot, ${ESCALATIONS} escalating, ${AGENTS} agents …\n`,
  );
  await Promise.all([
    ...Array.from({ length: BOT_CHATTERS }, botChatter),
    ...Array.from({ length: ESCALATIONS }, escalating),
    sampler,
  ]);
  for (const a of staff.agents) a.close();
  await rig.close();

  const f = (x: number) => (x ? x.toFixed(1) : '–');
  const pct = (x: number) => `${Math.round(100 * x)} %`;
  const rowSeconds = bucketMs / 1000;
  const storeColumn = STORE === 'mongo';
  const table = [
    `| ${rowSeconds === 60 ? 'minute' : `${rowSeconds.toFixed(0)} s row`} | started | closed | messages | errors | heap MB | RSS MB | longest GC pause ms | longest event-loop stall ms (at s) | CPU server | CPU people |${storeColumn ? ' CPU CongoDB |' : ''} p99 bot reply ms | p99 customer → agent ms | p99 agent → customer ms | p99 escalate → accepted ms |`,
    `| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${storeColumn ? ' ---: |' : ''} ---: | ---: | ---: | ---: |`,
    ...rows.map(
      (r) =>
        `| ${r.minute} | ${r.b.started} | ${r.b.closed} | ${r.b.messages} | ${r.b.errors} | ${r.heapMb.toFixed(0)} | ${r.rssMb.toFixed(0)} | ${r.gcPauseMs.toFixed(0)} | ` +
        `${r.stall.ms.toFixed(0)} (${r.stall.atSecond.toFixed(0)}) | ` +
        `${pct(r.cpu)} | ${pct(r.peopleCpu)} |${storeColumn ? ` ${pct(r.storeCpu ?? 0)} |` : ''} ` +
        `${f(percentile(r.b.latencies.botReply, 99))} | ${f(percentile(r.b.latencies.toAgent, 99))} | ` +
        `${f(percentile(r.b.latencies.toCustomer, 99))} | ${f(percentile(r.b.latencies.escalation, 99))} |`,
    ),
  ].join('\n');
  // Least-squares slope per row, from the second row on (the first holds start-up and warm-up).
  const slope = (ys: number[]) => {
    const pts = ys.slice(1);
    if (pts.length < 2) return 0;
    const xm = (pts.length - 1) / 2;
    const ym = pts.reduce((a, b) => a + b, 0) / pts.length;
    let num = 0;
    let den = 0;
    pts.forEach((y, x) => {
      num += (x - xm) * (y - ym);
      den += (x - xm) ** 2;
    });
    return num / den;
  };
  const totalMessages = rows.reduce((a, r) => a + r.b.messages, 0);
  const heapSlope = slope(rows.map((r) => r.heapMb));
  const summary =
    `Slope from row 2 on: heap ${heapSlope.toFixed(2)} MB/row, RSS ${slope(rows.map((r) => r.rssMb)).toFixed(2)} MB/row, ` +
    `p99 customer → agent ${slope(rows.map((r) => percentile(r.b.latencies.toAgent, 99))).toFixed(2)} ms/row, ` +
    `p99 agent → customer ${slope(rows.map((r) => percentile(r.b.latencies.toCustomer, 99))).toFixed(2)} ms/row; ` +
    `${totalMessages} messages in ${rows.length} rows ` +
    `(${((heapSlope * 1024 ** 2 * rows.length) / Math.max(1, totalMessages)).toFixed(0)} bytes of heap per message, ` +
    `${STORE === 'embedded' ? 'the embedded store keeps every document in memory' : "the data lives in CongoDB's own process"}); ` +
    `${missedAgentJoined.count} accepted customers ` +
    `never told "agent joined".`;
  const out = `${table}\n\n${summary}\n`;
  process.stdout.write(out);
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(
    // A shorter smoke run does not replace the full run's result that docs/performance.md quotes.
    path.join(dir, `${MINUTES >= 10 ? 'soak' : 'soak-smoke'}${STORE === 'mongo' ? '-mongo' : ''}.md`),
    `Soak of ${MINUTES} min on the ${STORE === 'mongo' ? 'Mongo adapter (CongoDB in its own process)' : 'embedded store'} measured ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}.\n\n${out}`,
  );
}

await main();
