import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Agent, Conversation, Deps } from '../services/domain/index.js';
import { EventBus } from '../services/events/index.js';
import { createRouter, ManualScheduler } from '../services/routing/index.js';
import { RoutingIndex } from '../services/routing/routing-index.js';
import { INDEXES } from '../services/store/repositories/create-repositories.js';
import { COLLECTIONS, createRepositories, openEmbeddedStore } from '../services/store/index.js';
import { formatTable, type BenchRow } from './bench-row.js';
import { percentile } from './routing-sim.js';

// Routing decisions on the embedded store at 1,000 agents with at least 10,000 items waiting
// throughout: 20,000 items wait, 1,000 agents have 10 slots each, and the router places items until
// every slot is taken (10,000 decisions). A decision = choose the agent among the candidates,
// reserve its capacity (conditional write), claim the conversation (conditional write); the
// second figure also includes publishing the two events of each offer. Baseline: the bare claim
// write alone, one after another, on the same store and the same data.

const AGENTS = 1000;
const WAITING = 20_000;
const COST = 10;

export async function run(maxInFlight?: number): Promise<BenchRow[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-routing-bench-'));
  let clock = Date.parse('2026-11-25T09:00:00Z');
  let n = 0;
  const deps: Deps = { now: () => new Date(clock), newId: (p) => `${p}_${++n}`, random: Math.random };
  const store = await openEmbeddedStore(dir);
  try {
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
    const now = new Date(clock);
    const agents: Agent[] = Array.from({ length: AGENTS }, (_, i) => ({
      id: `agent_${i}`,
      name: `Agent ${i}`,
      email: `a${i}@bench.test`,
      roles: ['agent'],
      queueIds: ['q_bench'],
      skills: [],
      capacity: 100,
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
    const items: Conversation[] = Array.from({ length: WAITING }, (_, i) => ({
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
      timestamps: { createdAt: now, queuedAt: new Date(clock - (WAITING - i) * 1000) },
      version: 1,
    }));
    await store.collection<Conversation>(COLLECTIONS.conversations).insertMany(items);

    // Baselines, sequential, on this store: (1) the bare claim no decision can do without — one
    // conditional write moving a conversation out of `waiting` — on a copy of the same 20,000
    // documents with the same indexes; (2) a conditional write on a small scratch collection.
    const copy = store.collection<Conversation>('bench_conversations');
    for (const spec of INDEXES.conversations) await copy.ensureIndex(spec);
    await copy.insertMany(items);
    const baseOps = 3000;
    let t = performance.now();
    for (let i = 0; i < baseOps; i++) {
      await copy.findOneAndUpdate(
        { id: `conv_${i}`, version: 1 },
        {
          $set: { status: 'offered', agentId: 'agent_0', offerExpiresAt: now, 'timestamps.offeredAt': now },
          $inc: { version: 1 },
        },
      );
    }
    const baselineOps = (baseOps / (performance.now() - t)) * 1000;
    const scratch = store.collection<{ id: string; used: number }>('bench_scratch');
    await scratch.ensureIndex({ keys: { id: 1 }, unique: true });
    await scratch.insertMany(Array.from({ length: AGENTS }, (_, i) => ({ id: `b${i}`, used: 0 })));
    t = performance.now();
    for (let i = 0; i < baseOps; i++) {
      await scratch.findOneAndUpdate({ id: `b${i % AGENTS}`, used: { $lte: 1e9 } }, { $inc: { used: 1 } });
    }
    const scratchOps = (baseOps / (performance.now() - t)) * 1000;

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

    const bus = new EventBus(repos.events, deps.now);
    const decisionMs: number[] = [];
    let lastDecisionAt = 0;
    const router = createRouter({
      repos,
      bus,
      deps,
      scheduler: new ManualScheduler(() => clock),
      sweepIntervalMs: 0,
      ...(maxInFlight ? { maxInFlight } : {}),
      onDecision: (ms) => {
        decisionMs.push(ms);
        lastDecisionAt = performance.now();
      },
    });
    t = performance.now();
    await router.reload();
    const loadMs = performance.now() - t;
    t = performance.now();
    await router.dispatch();
    const elapsed = performance.now() - t;
    const decidingMs = lastDecisionAt - t;
    clock += 1;
    await router.stop();
    const decisions = decisionMs.length;
    const sorted = [...decisionMs].sort((a, b) => a - b);
    const opsPerSec = (decisions / decidingMs) * 1000;
    const withEvents = (decisions / elapsed) * 1000;
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    const stillWaiting = await repos.conversations.count({ status: 'waiting' });
    const baseline = {
      name: 'bare claim write (conditional findOneAndUpdate, 20k conversations), same store',
      opsPerSec: baselineOps,
    };
    return [
      {
        name: `routing decisions committed (${AGENTS} agents, ≥${WAITING - decisions} waiting, embedded store)`,
        opsPerSec,
        baseline,
        ratio: opsPerSec / baselineOps,
        notes:
          `choose + reserve + claim, ${maxInFlight ?? 'default'} in flight; latency p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms ` +
          `(target ≥ 5,000/s, p99 ≤ 10 ms); ${decisions} decisions, ${stillWaiting} left waiting; index built in ${Math.round(loadMs)} ms; ` +
          `for scale, a conditional write on a 1,000-doc scratch collection: ${Math.round(scratchOps)}/s`,
      },
      {
        name: `routing decisions incl. their 2 events each (same run)`,
        opsPerSec: withEvents,
        baseline,
        ratio: withEvents / baselineOps,
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
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const inFlight = process.argv[2] ? Number(process.argv[2]) : undefined;
  process.stdout.write(formatTable(await run(inFlight)) + '\n');
}
