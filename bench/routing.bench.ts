import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Agent, Conversation, Deps } from '../services/domain/index.js';
import { EventBus } from '../services/events/index.js';
import { createRouter, ManualScheduler } from '../services/routing/index.js';
import { RoutingIndex } from '../services/routing/routing-index.js';
import { INDEXES } from '../services/store/repositories/create-repositories.js';
import {
  COLLECTIONS,
  createRepositories,
  openEmbeddedStore,
  openMongoStore,
  type DocumentStore,
  type Repositories,
} from '../services/store/index.js';
import { startCongo } from '../test/store/congo.js';
import { formatTable, type BenchRow } from './bench-row.js';
import { percentile } from './routing-sim.js';
import { profiled } from './profile.js';
import { countingStore, newTally, tallyTotals } from './store-tally.js';

// Routing decisions at 1,000 agents. A decision = choose the agent among the candidates, reserve its
// capacity (conditional write), claim the conversation (conditional write), then its two events
// (status_changed + offered) and the agent's session record through the ordered outbox.
//
// Points, each with its baseline measured in the same run on the same store and data:
// 1. 20,000 waiting, 10,000 slots (≥ 10,000 still waiting throughout), embedded store.
// 2. 10,000 waiting, 10,000 slots (every item placed), embedded store: the issue-19 target point.
// 3. Point 2 on the Mongo adapter (real driver, wire protocol) against CongoDB, reported as it is.
// Baseline: the bare claim write alone — one conditional findOneAndUpdate moving a conversation out of
// `waiting` — one after another, on a copy of the same documents with the same indexes.

const AGENTS = 1000;
const COST = 10;

/**
 * The store with every collection call counted, so the writes a decision costs are reported exactly
 * (timings on a shared machine are not).
 */
function counting(store: DocumentStore): { store: DocumentStore; writes: () => number; reads: () => number } {
  const tally = newTally();
  return {
    store: countingStore(store, tally),
    writes: () => tallyTotals(tally).writes,
    reads: () => tallyTotals(tally).reads,
  };
}

interface Seeded {
  repos: Repositories;
  agents: Agent[];
  items: Conversation[];
  now: Date;
  ops: { writes: () => number; reads: () => number };
}

function clockDeps(start: number): { deps: Deps; tick: (ms?: number) => void } {
  let clock = start;
  let n = 0;
  return {
    deps: { now: () => new Date(clock), newId: (p) => `${p}_${++n}`, random: Math.random },
    tick: (ms = 1) => {
      clock += ms;
    },
  };
}

/** The routing sweep's capacity holds are checked once they are older than this (the router's default). */
const HOLD_LEASE_MS = 30_000;

interface Swept {
  /** Median of three sweeps, ms. */
  sweepMs: number;
  /**
   * The longest the event loop stood still (a 2 ms timer's lateness), ms: in the first sweep (cold
   * code), and in the later ones, the steady state every 5 s.
   */
  firstStallMs: number;
  stallMs: number;
  /** One read of every conversation of the store, for scale, ms. */
  readAllMs: number;
}

/**
 * Three sweeps once every hold is older than the lease — a busy center's steady state, where the
 * sweep checks each hold against its conversation — timed whole and by the event loop's stalls.
 */
async function timeSweeps(
  router: ReturnType<typeof createRouter>,
  store: DocumentStore,
  tick: (ms: number) => void,
): Promise<Swept> {
  tick(HOLD_LEASE_MS + 1);
  const times: number[] = [];
  const stalls: number[] = [];
  let last = performance.now();
  const watch = setInterval(() => {
    const at = performance.now();
    stalls[stalls.length - 1] = Math.max(stalls.at(-1)!, at - last - 2);
    last = at;
  }, 2);
  try {
    for (let k = 0; k < 3; k++) {
      stalls.push(0);
      const t = performance.now();
      await router.sweep();
      times.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    clearInterval(watch);
  }
  const t = performance.now();
  const all = await store.collection<Conversation>(COLLECTIONS.conversations).find({});
  const readAllMs = performance.now() - t;
  if (all.length === 0) throw new Error('no conversations to read');
  return {
    sweepMs: percentile(
      [...times].sort((a, b) => a - b),
      50,
    ),
    firstStallMs: stalls[0]!,
    stallMs: Math.max(...stalls.slice(1)),
    readAllMs,
  };
}

async function seed(raw: DocumentStore, deps: Deps, waiting: number, slotsPerAgent = 10): Promise<Seeded> {
  const ops = counting(raw);
  const store = ops.store;
  const repos = await createRepositories(store, deps);
  await repos.queues.create({
    id: 'q_bench',
    name: 'Bench',
    workstreamIds: ['ws_bench'],
    assignmentMethod: 'highest-capacity',
  });
  await repos.workstreams.create({
    id: 'ws_bench',
    name: 'Bench chat',
    channel: 'webchat',
    fallbackQueueId: 'q_bench',
    capacityCost: COST,
    allowedPresences: ['available'],
    offerTimeoutSeconds: 600,
  });
  await repos.customers.create({ id: 'cust_bench', name: 'Bench customer' });
  const now = deps.now();
  const agents: Agent[] = Array.from({ length: AGENTS }, (_, i) => ({
    id: `agent_${i}`,
    name: `Agent ${i}`,
    email: `a${i}@bench.test`,
    roles: ['agent'],
    queueIds: ['q_bench'],
    skills: [],
    capacity: slotsPerAgent * COST,
    usedUnits: 0,
    activeItems: 0,
    presence: 'available',
    chosenPresence: 'available',
    sentimentThreshold: 'off',
    version: 1,
    createdAt: now,
    updatedAt: now,
  }));
  await store.collection<Agent>(COLLECTIONS.agents).insertMany(agents);
  const items: Conversation[] = Array.from({ length: waiting }, (_, i) => ({
    id: `conv_${i}`,
    channel: 'webchat',
    customerId: 'cust_bench',
    workstreamId: 'ws_bench',
    queueId: 'q_bench',
    requiredSkills: [],
    context: { preChat: {}, portalNavigation: [], visitor: { authenticated: false }, custom: {} },
    status: 'waiting',
    participants: [],
    declinedBy: [],
    transferCount: 0,
    lastMessageSeq: 0,
    lastActivityAt: now,
    timestamps: { createdAt: now, queuedAt: new Date(now.getTime() - (waiting - i) * 1000) },
    version: 1,
  }));
  // In slices: one insert of 20,000 documents is a single very large wire message on MongoDB.
  const conversations = store.collection<Conversation>(COLLECTIONS.conversations);
  for (let i = 0; i < items.length; i += 1000) await conversations.insertMany(items.slice(i, i + 1000));
  return { repos, agents, items, now, ops };
}

/**
 * The bare claim no decision can do without, sequential, on a copy of the same documents with the
 * same indexes: ops/s.
 */
async function bareClaimLoop(
  store: DocumentStore,
  items: Conversation[],
  now: Date,
  ops: number,
): Promise<number> {
  const copy = store.collection<Conversation>('bench_conversations');
  for (const spec of INDEXES.conversations) await copy.ensureIndex(spec);
  for (let i = 0; i < items.length; i += 1000) await copy.insertMany(items.slice(i, i + 1000));
  const t = performance.now();
  for (let i = 0; i < ops; i++) {
    await copy.findOneAndUpdate(
      { id: `conv_${i}`, version: 1 },
      {
        $set: { status: 'offered', agentId: 'agent_0', offerExpiresAt: now, 'timestamps.offeredAt': now },
        $inc: { version: 1 },
      },
    );
  }
  return (ops / (performance.now() - t)) * 1000;
}

interface Routed {
  decisions: number;
  /** Store writes and reads per decision, events and session records included. */
  writes: number;
  reads: number;
  /** Decisions per second until the last claim was written. */
  committedPerSec: number;
  /** Decisions per second until their events and session records were stored too. */
  withEventsPerSec: number;
  p50: number;
  p99: number;
  loadMs: number;
  /** Invariants checked after the run, in words ("ok" or what broke). */
  check: string;
  /** The sweep once every hold is past its lease, when asked for. */
  swept?: Swept;
}

/** Loads the router's index from the store and places items until every slot is taken. */
async function routeAll(
  seeded: Seeded,
  deps: Deps,
  tick: (ms?: number) => void,
  maxInFlight: number | undefined,
  /** The store to time the sweep on after the routing (the store behind `seeded`). */
  sweepOn?: DocumentStore,
): Promise<Routed> {
  const { repos } = seeded;
  const bus = new EventBus(repos.events, deps.now);
  const decisionMs: number[] = [];
  let lastDecisionAt = 0;
  const router = createRouter({
    repos,
    bus,
    deps,
    scheduler: new ManualScheduler(() => deps.now().getTime()),
    sweepIntervalMs: 0,
    ...(maxInFlight ? { maxInFlight } : {}),
    onDecision: (ms) => {
      decisionMs.push(ms);
      lastDecisionAt = performance.now();
    },
  });
  let t = performance.now();
  await router.reload();
  const loadMs = performance.now() - t;
  const seqBefore = await repos.events.lastSeq();
  const writes0 = seeded.ops.writes();
  const reads0 = seeded.ops.reads();
  t = performance.now();
  // BENCH_PROFILE_DIR=<dir> writes a CPU profile of the routing alone (not the seeding).
  await profiled(`routing-${seeded.items.length}-waiting`, () => router.dispatch());
  const elapsed = performance.now() - t;
  const decidingMs = lastDecisionAt - t;
  tick();
  const swept = sweepOn ? await timeSweeps(router, sweepOn, tick) : undefined;
  await router.stop();
  const decisions = decisionMs.length;
  const writes = (seeded.ops.writes() - writes0) / decisions;
  const reads = (seeded.ops.reads() - reads0) / decisions;
  const sorted = [...decisionMs].sort((a, b) => a - b);
  return {
    decisions,
    writes,
    reads,
    committedPerSec: (decisions / decidingMs) * 1000,
    withEventsPerSec: (decisions / elapsed) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    loadMs,
    check: await checkInvariants(repos, decisions, seqBefore),
    ...(swept && { swept }),
  };
}

/** Every decision is stored once, no agent is over capacity, and no event is missing or repeated. */
async function checkInvariants(repos: Repositories, decisions: number, seqBefore: number): Promise<string> {
  const problems: string[] = [];
  const offered = await repos.conversations.count({ status: 'offered' });
  if (offered !== decisions) problems.push(`${offered} offered ≠ ${decisions} decisions`);
  const agents = (await repos.agents.listWithHolds()).filter((a) => a.usedUnits > 0);
  let held = 0;
  for (const a of agents) {
    const holds = Object.values(a.capacityHolds ?? {});
    held += holds.length;
    const units = holds.reduce((s, h) => s + h.units, 0);
    if (a.usedUnits > a.capacity || units !== a.usedUnits)
      problems.push(`${a.id} used ${a.usedUnits}/${a.capacity}`);
  }
  if (held !== decisions) problems.push(`${held} holds ≠ ${decisions} decisions`);
  const events = await repos.events.readAfter(seqBefore, 5000);
  let all = events.length;
  let last = events.at(-1)?.seq ?? seqBefore;
  for (let page = events; page.length > 0; all += page.length) {
    page = await repos.events.readAfter(last, 5000);
    last = page.at(-1)?.seq ?? last;
  }
  // Each decision publishes status_changed + offered; an agent filling up adds its automatic Busy.
  const routed = all - (await repos.events.byType('presence.changed')).length;
  if (routed !== 2 * decisions) problems.push(`${routed} routing events ≠ 2 × ${decisions}`);
  return problems.length ? `BROKEN: ${problems.slice(0, 3).join('; ')}` : 'invariants ok';
}

const fmt = (x: number) => x.toFixed(2);

/** The issue-19 point on one store: 1,000 agents × 10 slots, 10,000 waiting, every item placed. */
async function scalePoint(
  store: DocumentStore,
  label: string,
  maxInFlight?: number,
  slotsPerAgent = 10,
): Promise<BenchRow[]> {
  const { deps, tick } = clockDeps(Date.parse('2026-11-25T09:00:00Z'));
  const seeded = await seed(store, deps, 10_000, slotsPerAgent);
  const baselineOps = await bareClaimLoop(
    store,
    seeded.items,
    seeded.now,
    store.kind === 'mongodb' ? 1000 : 3000,
  );
  const r = await routeAll(seeded, deps, tick, maxInFlight, store.kind === 'embedded' ? store : undefined);
  const baseline = {
    name: `bare claim write (conditional findOneAndUpdate, 10k conversations), ${label}`,
    opsPerSec: baselineOps,
  };
  const sweepRows: BenchRow[] = r.swept
    ? [
        {
          name: `routing sweep, ${AGENTS} agents holding ${r.decisions} chats past the lease (${label})`,
          opsPerSec: 1000 / r.swept.sweepMs,
          baseline: { name: `one read of every conversation, ${label}`, opsPerSec: 1000 / r.swept.readAllMs },
          ratio: r.swept.readAllMs / r.swept.sweepMs,
          notes:
            `ops/s = sweeps/s; median of 3 sweeps ${fmt(r.swept.sweepMs)} ms, longest event-loop stall ${fmt(r.swept.stallMs)} ms ` +
            `(the sweep runs every 5 s; every hold checked against who holds its conversation; the first sweep, cold, ${fmt(r.swept.firstStallMs)} ms); ` +
            `reading every conversation once ${fmt(r.swept.readAllMs)} ms`,
        },
      ]
    : [];
  return [
    {
      name: `routing decisions committed (${AGENTS} agents, 10,000 waiting, ${label})`,
      opsPerSec: r.committedPerSec,
      baseline,
      ratio: r.committedPerSec / baselineOps,
      notes:
        `claim written; ${slotsPerAgent} slot(s) per agent; ${maxInFlight ?? 'default'} in flight; p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms ` +
        `(target ≥ 5,000/s, p99 ≤ 10 ms); ${r.decisions} decisions, ${fmt(r.writes)} writes + ${fmt(r.reads)} reads each (all included); index built in ${Math.round(r.loadMs)} ms; ${r.check}`,
    },
    {
      name: `… incl. their events and session records (same run, ${label})`,
      opsPerSec: r.withEventsPerSec,
      baseline,
      ratio: r.withEventsPerSec / baselineOps,
      notes:
        'until the event log and sessions have caught up (status_changed + offered, 1 session per decision)',
    },
    ...sweepRows,
  ];
}

async function onEmbedded<T>(body: (store: DocumentStore) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-routing-bench-'));
  const store = await openEmbeddedStore(dir);
  try {
    return await body(store);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function onCongo<T>(body: (store: DocumentStore) => Promise<T>): Promise<T> {
  const congo = await startCongo();
  const store = await openMongoStore(congo.uri(`routing_bench_${process.pid}`));
  try {
    return await body(store);
  } finally {
    await store.close();
    await congo.stop();
  }
}

/** Point 1 (≥ 10,000 still waiting), the choice alone, and a scratch write for scale. */
async function deepQueuePoint(store: DocumentStore, maxInFlight?: number): Promise<BenchRow[]> {
  const WAITING = 20_000;
  const { deps, tick } = clockDeps(Date.parse('2026-11-25T09:00:00Z'));
  const seeded = await seed(store, deps, WAITING);
  const { repos, agents, items, now } = seeded;
  const baselineOps = await bareClaimLoop(store, items, now, 3000);
  const scratch = store.collection<{ id: string; used: number }>('bench_scratch');
  await scratch.ensureIndex({ keys: { id: 1 }, unique: true });
  await scratch.insertMany(Array.from({ length: AGENTS }, (_, i) => ({ id: `b${i}`, used: 0 })));
  let t = performance.now();
  for (let i = 0; i < 3000; i++) {
    await scratch.findOneAndUpdate({ id: `b${i % AGENTS}`, used: { $lte: 1e9 } }, { $inc: { used: 1 } });
  }
  const scratchOps = (3000 / (performance.now() - t)) * 1000;

  // The choice alone, in memory: one item against the 1,000 agents, as each decision makes it.
  const index = new RoutingIndex();
  const queue = (await repos.queues.get('q_bench'))!;
  const stream = (await repos.workstreams.get('ws_bench'))!;
  index.setConfiguration([queue], [stream]);
  index.setAgents(agents);
  const chooseOps = 5000;
  t = performance.now();
  for (let i = 0; i < chooseOps; i++) index.choose(items[i]!, queue, stream);
  const choosePerSec = (chooseOps / (performance.now() - t)) * 1000;
  t = performance.now();
  let most = 0;
  for (let i = 0; i < chooseOps; i++)
    for (const a of agents) if (a.capacity - a.usedUnits > most) most = a.capacity - a.usedUnits;
  const scanPerSec = (chooseOps / (performance.now() - t)) * 1000;

  const r = await routeAll(seeded, deps, tick, maxInFlight);
  const baseline = {
    name: 'bare claim write (conditional findOneAndUpdate, 20k conversations), same store',
    opsPerSec: baselineOps,
  };
  return [
    {
      name: `routing decisions committed (${AGENTS} agents, ≥${WAITING - r.decisions} waiting, embedded store)`,
      opsPerSec: r.committedPerSec,
      baseline,
      ratio: r.committedPerSec / baselineOps,
      notes:
        `choose + reserve + claim, ${maxInFlight ?? 'default'} in flight; latency p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms ` +
        `(target ≥ 5,000/s, p99 ≤ 10 ms); ${r.decisions} decisions, ${WAITING - r.decisions} left waiting, ${fmt(r.writes)} writes + ${fmt(r.reads)} reads each; index built in ${Math.round(r.loadMs)} ms; ` +
        `for scale, a conditional write on a 1,000-doc scratch collection: ${Math.round(scratchOps)}/s; ${r.check}`,
    },
    {
      name: `routing decisions incl. their 2 events each (same run)`,
      opsPerSec: r.withEventsPerSec,
      baseline,
      ratio: r.withEventsPerSec / baselineOps,
      notes: 'until the event log has caught up (status_changed + offered per decision)',
    },
    {
      name: `agent choice in memory (${AGENTS} candidates, highest capacity)`,
      opsPerSec: choosePerSec,
      baseline: { name: `bare max-free scan over the same ${AGENTS} agents`, opsPerSec: scanPerSec },
      ratio: choosePerSec / scanPerSec,
      notes: `${(1000 / choosePerSec).toFixed(3)} ms per choice (eligibility, skills, method, tie-breaks); best ${most}`,
    },
  ];
}

/**
 * `npm run bench -- routing` runs every point; `tsx bench/routing.bench.ts [maxInFlight] [points]`
 * runs some (`deep,scale,congo`); `BENCH_PROFILE_DIR=<dir>` profiles each point's routing.
 */
export async function run(maxInFlight?: number, points = ['deep', 'scale', 'congo']): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  if (points.includes('deep')) rows.push(...(await onEmbedded((s) => deepQueuePoint(s, maxInFlight))));
  if (points.includes('scale'))
    rows.push(...(await onEmbedded((s) => scalePoint(s, 'embedded store', maxInFlight))));
  if (points.includes('congo'))
    // One slot per agent: 1,000 decisions against the same 10,000 waiting, so the in-process CongoDB
    // server (JavaScript, no query planner to speak of) finishes on a loaded machine.
    rows.push(...(await onCongo((s) => scalePoint(s, 'Mongo adapter on CongoDB', maxInFlight, 1))));
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const inFlight = process.argv[2] && process.argv[2] !== '-' ? Number(process.argv[2]) : undefined;
  const points = process.argv[3]?.split(',');
  process.stdout.write(formatTable(await run(inFlight, points)) + '\n');
}
