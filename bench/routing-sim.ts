import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Deps } from '../services/domain/index.js';
import { EventBus } from '../services/events/index.js';
import { createRouter, erlangC, ManualScheduler } from '../services/routing/index.js';
import { createRepositories, openEmbeddedStore } from '../services/store/index.js';

// The routing simulator behind `npm run simulate`: the production router, store and
// event bus on a simulated clock. Only the customers and agents are simulated: Poisson arrivals,
// handle times from a distribution, every agent Available, offers accepted at once (the work stream
// auto-accepts), customers optionally abandoning after a fixed patience.

export type HandleDistribution = 'exponential' | 'constant' | 'uniform';

export interface SimParams {
  arrivalsPerHour: number;
  handleSeconds: number;
  agents: number;
  answerWithin: number;
  hours: number;
  seed: number;
  /** Items an agent handles at once (capacity 100 split evenly). */
  concurrent: number;
  /** Seconds a customer waits before leaving; none when absent. */
  abandonAfter?: number;
  handleDistribution: HandleDistribution;
}

export interface SimResult {
  serviceLevel: number;
  asaSeconds: number;
  abandonRate: number;
  occupancy: number;
  offered: number;
  answered: number;
  abandoned: number;
  decisions: number;
  decisionsPerSecond: number;
  p50DecisionMs: number;
  p99DecisionMs: number;
  wallSeconds: number;
  erlangC: {
    serviceLevel: number;
    asaSeconds: number;
    abandonRate: number;
    occupancy: number;
    probabilityOfWaiting: number;
    agents: number;
    trafficErlangs: number;
  };
}

/** mulberry32: small, fast, good enough for arrival streams, and reproducible from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

type SimEvent = { at: number; seq: number; kind: 'arrival' | 'done' | 'patience'; id: string };

/** A binary min-heap on (at, seq): ties resolve in scheduling order, which keeps runs reproducible. */
class Agenda {
  private heap: SimEvent[] = [];
  private seq = 0;
  push(e: Omit<SimEvent, 'seq'>): void {
    const h = this.heap;
    h.push({ ...e, seq: this.seq++ });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): SimEvent | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
  get size(): number {
    return this.heap.length;
  }
}
const less = (a: SimEvent, b: SimEvent): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

export async function simulate(params: SimParams): Promise<SimResult> {
  const wall0 = performance.now();
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-sim-'));
  const random = seededRandom(params.seed);
  const start = Date.parse('2026-01-05T00:00:00Z');
  let clock = start;
  let n = 0;
  const deps: Deps = { now: () => new Date(clock), newId: (p) => `${p}_${++n}`, random };
  const store = await openEmbeddedStore(dir);
  try {
    const repos = await createRepositories(store, deps);
    const concurrent = Math.max(1, Math.floor(params.concurrent));
    await repos.queues.create({
      id: 'q_sim',
      name: 'Simulated queue',
      workstreamIds: ['ws_sim'],
      assignmentMethod: 'highest-capacity',
    });
    await repos.workstreams.create({
      id: 'ws_sim',
      name: 'Simulated chat',
      channel: 'webchat',
      fallbackQueueId: 'q_sim',
      capacityCost: Math.floor(100 / concurrent),
      autoAccept: true,
      offerTimeoutSeconds: 3600,
      allowedPresences: ['available'],
    });
    for (let i = 0; i < params.agents; i++) {
      await repos.agents.create({
        id: `agent_${i}`,
        name: `Agent ${i}`,
        email: `agent${i}@sim.test`,
        queueIds: ['q_sim'],
        capacity: 100,
        presence: 'available',
        chosenPresence: 'available',
      });
    }
    await repos.customers.create({ id: 'cust_sim', name: 'Simulated customer' });

    const bus = new EventBus(repos.events, deps.now);
    const decisionMs: number[] = [];
    const router = createRouter({
      repos,
      bus,
      deps,
      scheduler: new ManualScheduler(() => clock),
      sweepIntervalMs: 0,
      onDecision: (ms) => decisionMs.push(ms),
    });
    await router.start();

    const agenda = new Agenda();
    const arrivedAt = new Map<string, number>();
    const answered = new Map<string, number>();
    const horizon = params.hours * 3600_000;
    const meanGapMs = 3600_000 / params.arrivalsPerHour;
    const exp = (mean: number): number => -Math.log(1 - random()) * mean;
    const handleMs = (): number => {
      const mean = params.handleSeconds * 1000;
      switch (params.handleDistribution) {
        case 'constant':
          return mean;
        case 'uniform':
          return random() * 2 * mean;
        default:
          return exp(mean);
      }
    };
    let waits: number[] = [];
    let busyMs = 0;
    let abandoned = 0;

    bus.subscribe((e) => {
      if (e.type !== 'conversation.accepted') return;
      const arrived = arrivedAt.get(e.conversationId);
      if (arrived === undefined) return;
      answered.set(e.conversationId, clock);
      waits.push(clock - arrived);
      const h = handleMs();
      // Occupancy counts agent time inside the measured horizon only.
      busyMs += Math.max(0, Math.min(clock + h, start + horizon) - Math.min(clock, start + horizon));
      agenda.push({ at: clock + h, kind: 'done', id: e.conversationId });
    });

    agenda.push({ at: start + exp(meanGapMs), kind: 'arrival', id: '' });
    let offered = 0;
    for (let ev = agenda.pop(); ev; ev = agenda.pop()) {
      clock = ev.at;
      switch (ev.kind) {
        case 'arrival': {
          if (clock - start > horizon) break;
          const id = `conv_${++offered}`;
          arrivedAt.set(id, clock);
          agenda.push({ at: clock + exp(meanGapMs), kind: 'arrival', id: '' });
          if (params.abandonAfter !== undefined)
            agenda.push({ at: clock + params.abandonAfter * 1000, kind: 'patience', id });
          await repos.conversations.create({
            id,
            channel: 'webchat',
            customerId: 'cust_sim',
            workstreamId: 'ws_sim',
          });
          await router.enqueue(id, 'simulated arrival');
          break;
        }
        case 'done':
          await router.end(ev.id, 'agent');
          await router.close(ev.id, 'agent');
          // Close frees capacity and starts a dispatch; finish it at this simulated instant.
          await router.dispatch();
          break;
        case 'patience':
          if (!answered.has(ev.id)) {
            await router.abandon(ev.id);
            abandoned += 1;
          }
          break;
      }
    }
    await router.stop();

    const answeredCount = waits.length;
    const within = waits.filter((w) => w <= params.answerWithin * 1000).length;
    const sortedDecisions = [...decisionMs].sort((a, b) => a - b);
    const totalDecisionMs = decisionMs.reduce((s, x) => s + x, 0);
    const servers = params.agents * concurrent;
    const prediction = erlangC({
      arrivalsPerHour: params.arrivalsPerHour,
      handleSeconds: params.handleSeconds,
      agents: servers,
      answerWithinSeconds: params.answerWithin,
    });
    const result: SimResult = {
      serviceLevel: round(offered ? within / offered : 0, 4),
      asaSeconds: round(answeredCount ? waits.reduce((s, w) => s + w, 0) / answeredCount / 1000 : 0, 2),
      abandonRate: round(offered ? abandoned / offered : 0, 4),
      occupancy: round(busyMs / (servers * horizon), 4),
      offered,
      answered: answeredCount,
      abandoned,
      decisions: decisionMs.length,
      decisionsPerSecond: Math.round(totalDecisionMs > 0 ? (decisionMs.length / totalDecisionMs) * 1000 : 0),
      p50DecisionMs: round(percentile(sortedDecisions, 50), 3),
      p99DecisionMs: round(percentile(sortedDecisions, 99), 3),
      wallSeconds: round((performance.now() - wall0) / 1000, 1),
      erlangC: {
        serviceLevel: round(prediction.serviceLevel, 4),
        asaSeconds: round(prediction.asaSeconds, 2),
        // Erlang C assumes infinite patience: nobody abandons.
        abandonRate: 0,
        occupancy: round(prediction.occupancy, 4),
        probabilityOfWaiting: round(prediction.probabilityOfWaiting, 4),
        agents: servers,
        trafficErlangs: round((params.arrivalsPerHour / 3600) * params.handleSeconds, 3),
      },
    };
    waits = [];
    return result;
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function round(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
