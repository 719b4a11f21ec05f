import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { BENCH_DIRECT_LINE_SECRET } from './bench-channel.js';
import { startCongoProcess } from './congo-process.js';
import { startServerProcess, type StoreOps } from './rig-server.js';
import type { WatchRow } from './server-watch.js';

// The real app (in a process of its own, rig-server.ts) with real clients for the agent-path
// benchmark and the soak: customers on the local
// Direct Line channel (token from the secret, activities posted over HTTP, the bot's and agents'
// replies read from the conversation's WebSocket stream) and agents with dev sign-in tokens, the
// agent API over HTTP and the live stream. Every wait resolves on the arrival itself (no polling),
// so the times measured are arrival times.

export const now = () => performance.now();

/**
 * fetch, once more if the connection was reset before an answer: under load the server may close an
 * idle keep-alive socket just as the client reuses it (the request was not read).
 */
async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw err;
    return fetch(url, init);
  }
}

export interface Rig {
  base: string;
  store: 'embedded' | 'mongodb (CongoDB)';
  /** Bench agents with room for `chats` chats each, the demo agents away (rig-server.ts): their ids. */
  prepareAgents(count: number, chats: number): Promise<string[]>;
  /** CPU seconds used so far by the server's process. */
  serverCpuSeconds(): number;
  /** Store operations (reads, writes) the server has made so far: on MongoDB, one command each. */
  storeOps(): Promise<StoreOps>;
  /** CPU seconds used so far by the database's own process (CongoDB in a child), when there is one. */
  storeCpuSeconds?(): number;
  /** `work` with the server under the CPU profiler when BENCH_PROFILE_DIR is set. */
  profiled<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Starts watching the server's process: heap, collection pauses, event-loop stalls, CPU. */
  watch(): Promise<{ row(): Promise<WatchRow>; stop(): Promise<void> }>;
  close(): Promise<void>;
}

interface RigOptions {
  /** The Mongo adapter against CongoDB, which runs in a process of its own as a database does. */
  mongo?: boolean;
}

async function rigEnv(opts: RigOptions) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-agent-'));
  const congo = opts.mongo ? await startCongoProcess() : null;
  const env: Record<string, string> = {
    PORT: '0',
    DATA_DIR: dataDir,
    AUTH_MODE: 'dev',
    DIRECT_LINE_SECRET: BENCH_DIRECT_LINE_SECRET,
  };
  if (congo) env.MONGODB_URI = congo.uri(`bench_${randomBytes(4).toString('hex')}`);
  return {
    env,
    store: congo ? ('mongodb (CongoDB)' as const) : ('embedded' as const),
    ...(congo && { storeCpuSeconds: () => congo.cpuSeconds() }),
    cleanUp: async () => {
      await congo?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The app in a process of its own: the server's CPU and profile without the clients'. */
export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  const { env, cleanUp, ...rest } = await rigEnv(opts);
  const server = await startServerProcess(env);
  return {
    ...rest,
    base: server.base,
    prepareAgents: (count, chats) => server.prepareAgents(count, chats),
    serverCpuSeconds: () => server.cpuSeconds(),
    storeOps: () => server.storeOps(),
    profiled: (name, work) => {
      const dir = process.env.BENCH_PROFILE_DIR;
      return dir ? server.profiled(dir, name, work) : work();
    },
    watch: () => server.watch(),
    close: async () => {
      await server.close();
      await cleanUp();
    },
  };
}

/** Waiters resolved by arrivals, each told the time the item arrived. */
class Inbox<T> {
  readonly items: Array<{ item: T; at: number }> = [];
  private readonly waiters = new Set<{
    test(x: T): boolean;
    resolve(v: { item: T; at: number }): void;
    timer: NodeJS.Timeout;
  }>();

  private readonly listeners = new Set<(item: T) => void>();

  /** Drops every waiter and its timer: a closed client's waits never end, and keep nothing alive. */
  close(): void {
    for (const w of this.waiters) clearTimeout(w.timer);
    this.waiters.clear();
    this.listeners.clear();
  }

  /**
   * Hears every item as it arrives. Unlike a waiter set up again after each match, it misses none of
   * several that arrive together (one read of the socket can hold several frames).
   */
  onArrival(listener: (item: T) => void): void {
    this.listeners.add(listener);
  }

  push(item: T): void {
    const at = now();
    this.items.push({ item, at });
    if (this.items.length > 500) this.items.splice(0, 250);
    for (const listener of this.listeners) listener(item);
    for (const w of this.waiters) {
      if (w.test(item)) {
        this.waiters.delete(w);
        w.resolve({ item, at });
      }
    }
  }

  /** The first matching item that arrived from now on (or already did, if `past`). */
  waitFor(
    what: string,
    test: (x: T) => boolean,
    past = true,
    timeoutMs = 30_000,
  ): Promise<{ item: T; at: number }> {
    if (past) {
      const found = this.items.find((x) => test(x.item));
      if (found) return Promise.resolve(found);
    }
    const arrival = new Promise<{ item: T; at: number }>((resolve, reject) => {
      const w = {
        test,
        resolve: (v: { item: T; at: number }) => {
          clearTimeout(w.timer);
          resolve(v);
        },
        timer: setTimeout(() => {
          this.waiters.delete(w);
          const last = this.items.slice(-5).map((x) => JSON.stringify(x.item).slice(0, 120));
          reject(new Error(`timed out waiting for ${what}; last arrivals: ${last.join(' | ')}`));
        }, timeoutMs),
      };
      this.waiters.add(w);
    });
    // A waiter set up before a request that then failed is never awaited: not an unhandled rejection.
    arrival.catch(() => undefined);
    return arrival;
  }
}

export interface Activity {
  type: string;
  name?: string;
  text?: string;
  from: { id: string; role?: string };
}

export class Customer {
  readonly inbox = new Inbox<Activity>();
  private said = 0;
  private constructor(
    private readonly base: string,
    readonly userId: string,
    readonly name: string,
    readonly conversationId: string,
    private readonly token: string,
    private readonly ws: WebSocket,
  ) {}

  static async start(base: string, userId: string, name: string): Promise<Customer> {
    const gen = await fetch(`${base}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${BENCH_DIRECT_LINE_SECRET}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: { id: userId, name } }),
    });
    if (!gen.ok) throw new Error(`token answered ${gen.status}`);
    const { token } = (await gen.json()) as { token: string };
    const started = await fetch(`${base}/v3/directline/conversations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    if (!started.ok) throw new Error(`start answered ${started.status}`);
    const { conversationId, streamUrl } = (await started.json()) as {
      conversationId: string;
      streamUrl: string;
    };
    const ws = new WebSocket(streamUrl.replace('localhost', '127.0.0.1'));
    const customer = new Customer(base, userId, name, conversationId, token, ws);
    ws.on('message', (data) => {
      const text = String(data);
      if (!text) return;
      const set = JSON.parse(text) as { activities?: Activity[] };
      for (const a of set.activities ?? []) if (a.from.role !== 'user') customer.inbox.push(a);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return customer;
  }

  async post(activity: Record<string, unknown>): Promise<void> {
    const res = await request(`${this.base}/v3/directline/conversations/${this.conversationId}/activities`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: { id: this.userId, name: this.name }, ...activity }),
    });
    if (!res.ok) throw new Error(`post answered ${res.status}: ${await res.text()}`);
  }

  /** A message as the widget sends it, with its own client id (stored once if sent again). */
  say(text: string): Promise<void> {
    return this.post({ type: 'message', text, channelData: { clientActivityId: `m${++this.said}` } });
  }

  /** Pre-chat survey answered (Wi-Fi → Technical support), then asks for a person. */
  async escalate(): Promise<void> {
    await this.inbox.waitFor('the pre-chat survey', (a) => a.type === 'event' && a.name === 'preChatSurvey');
    await this.post({
      type: 'message',
      text: '',
      value: {
        preChat: { name: this.name, email: `${this.userId}@example.com`, topic: 'Wi-Fi & equipment' },
      },
    });
    await this.inbox.waitFor(
      'thanks for the survey',
      (a) => a.type === 'message' && /Thanks/.test(a.text ?? ''),
    );
    await this.say('I want to talk to an agent');
  }

  close(): void {
    this.ws.terminate();
    this.inbox.close();
  }
}

export type Frame = { seq: number; type: string } & Record<string, unknown>;

export class Agent {
  readonly inbox = new Inbox<Frame>();
  private ws: WebSocket | null = null;
  private constructor(
    private readonly base: string,
    readonly agentId: string,
    readonly token: string,
  ) {}

  private replies = 0;

  static async signIn(base: string, agentId: string): Promise<Agent> {
    const res = await fetch(`${base}/api/v1/dev/sign-in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ agentId }),
    });
    if (!res.ok) throw new Error(`sign-in answered ${res.status}`);
    return new Agent(base, agentId, ((await res.json()) as { token: string }).token);
  }

  async call<T = Record<string, unknown>>(
    method: string,
    p: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const res = await request(`${this.base}/api/v1${p}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** A public reply as the tab sends it: under its own Idempotency-Key (stored and relayed once). */
  reply(conversationId: string, text: string): Promise<unknown> {
    return this.call(
      'POST',
      `/conversations/${conversationId}/messages`,
      { text, visibility: 'public' },
      { 'Idempotency-Key': `${this.agentId}-${++this.replies}` },
    );
  }

  async openStream(): Promise<void> {
    const url = `${this.base.replace(/^http/, 'ws')}/api/v1/stream?access_token=${encodeURIComponent(this.token)}`;
    const ws = new WebSocket(url);
    ws.on('message', (data) => this.inbox.push(JSON.parse(String(data)) as Frame));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.ws = ws;
  }

  close(): void {
    this.ws?.terminate();
    this.inbox.close();
  }
}

/**
 * `count` bench agents in the Technical queue with room for `chats` chats each, Available, streams
 * open; every demo agent is set Away so routing offers only to them. Each accepts every offer.
 */
export async function staffAgents(rig: Rig, count: number, chats: number): Promise<Staff> {
  const agents: Agent[] = [];
  for (const id of await rig.prepareAgents(count, chats)) {
    const agent = await Agent.signIn(rig.base, id);
    await agent.openStream();
    await agent.call('PUT', '/me/presence', { presence: 'available' });
    agents.push(agent);
  }
  /** Customer name → the agent who accepted and the conversation id. */
  const assigned = new Map<string, Deferred<Assignment>>();
  const slot = (name: string) => {
    let d = assigned.get(name);
    if (!d) assigned.set(name, (d = deferred()));
    return d;
  };
  for (const agent of agents) {
    // Every offer, as it arrives: a waiter set up again after each offer missed the second of two
    // offers in one frame batch, and that customer waited for the offer's 60 s timeout and the
    // offer after it. An offer lost to its timeout all the same is offered again, and that offer
    // counts; the guard in assignedCustomer reports a customer nobody got.
    agent.inbox.onArrival((offer) => {
      if (offer.type !== 'offer.created') return;
      agent
        .call('POST', `/offers/${String(offer.offerId)}/accept`)
        .then(() =>
          slot(String(offer.customerName)).resolve({ agent, conversationId: String(offer.conversationId) }),
        )
        .catch((err: unknown) => process.stderr.write(`  accepting an offer failed: ${String(err)}\n`));
    });
  }
  return {
    agents,
    assignedTo: (name) => {
      const d = slot(name);
      void d.promise.then(() => assigned.delete(name));
      return d.promise;
    },
  };
}

export interface Assignment {
  agent: Agent;
  conversationId: string;
}

export interface Staff {
  agents: Agent[];
  /** Resolves once one of the agents accepted this customer's conversation. */
  assignedTo(customerName: string): Promise<Assignment>;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Customers whose agent accepted but who were never told `agentJoined` (see docs/performance.md, "Agent path"). */
export const missedAgentJoined = { count: 0 };

/** A customer escalated and accepted by one of the staffed agents. */
export async function assignedCustomer(
  rig: Rig,
  staff: Staff,
  n: number | string,
): Promise<{ customer: Customer } & Assignment> {
  const customer = await Customer.start(rig.base, `dl_bench_${n}`, `Bench Customer ${n}`);
  const assignment = staff.assignedTo(customer.name);
  await customer.escalate();
  // A hang guard, not a deadline: a bench that waits forever tells nobody anything.
  let guard: NodeJS.Timeout | undefined;
  const got = await Promise.race([
    assignment,
    new Promise<never>((_, reject) => {
      guard = setTimeout(() => reject(new Error(`${customer.name} was not accepted within 120 s`)), 120_000);
    }),
  ]).finally(() => clearTimeout(guard));
  // The accept is what the path needs; the customer's "agent joined" notice is counted, not awaited
  // forever: under concurrent escalations the relay occasionally never sends it.
  await customer.inbox
    .waitFor('the agent joined', (a) => a.type === 'event' && a.name === 'agentJoined', true, 10_000)
    .catch(() => missedAgentJoined.count++);
  return { customer, ...got };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
