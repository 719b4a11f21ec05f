import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { forkBenchChild, isBenchChild, type DistributiveOmit } from './bench-child.js';
import { BENCH_DIRECT_LINE_SECRET } from './bench-channel.js';
import { percentile } from './routing-sim.js';

// The customers of the message-path bench, in a process of their own: a server's customers are
// elsewhere, and clients in the server's process would take its event loop and core for their own
// HTTP and WebSocket work (the bare route's figure halved that way, and replies waited for the
// server's next pause before a client could read them). Both the product and the bare route are
// driven from here, so their ratio compares like with like. The parent measures its own CPU and
// profile between the `start` and `stop` this process reports around each measured window.

/** Small talk the bot answers with one message, staying where it is (see message-cost.bench.ts). */
const CUSTOMER_TEXT = 'hello';

export type LoadKind = 'bare' | 'roundtrip' | 'ack';

export interface LoadRun {
  kind: LoadKind;
  /** Concurrent loops: the first `workers` customers (or bare senders). */
  workers: number;
  /** The bare route's conversations URL (kind `bare`). */
  bareUrl?: string;
  warmupMs: number;
  seconds: number;
}

export interface LoadResult {
  count: number;
  elapsedSeconds: number;
  p50: number;
  p99: number;
}

type Request =
  | { op: 'open'; id: number; base: string; count: number }
  | ({ op: 'run'; id: number } & LoadRun)
  | { op: 'forget'; id: number }
  | { op: 'reset'; id: number };

type Reply =
  | { id: number; ok: true; opened?: number; result?: LoadResult }
  | { id: number; ok: false; error: string }
  | { id: number; event: 'start' | 'stop' };

/** The parent's handle on the customers' process. */
export interface MessagePathLoad {
  /** Opens customers on `base` until there are `count` (token, conversation, stream, pre-chat). */
  open(base: string, count: number): Promise<void>;
  /** One measured run; `onStart`/`onStop` mark the measured window in the parent. */
  run(
    spec: LoadRun,
    window: { onStart(): void | Promise<void>; onStop(): void | Promise<void> },
  ): Promise<LoadResult>;
  /** Forgets bot replies nobody waited for (after an acknowledgement run, once the bot is idle). */
  forget(): Promise<void>;
  /** Closes every customer's stream (before the next app). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export function spawnMessagePathLoad(): MessagePathLoad {
  const child: ChildProcess = forkBenchChild(import.meta.url);
  let next = 1;
  const pending = new Map<
    number,
    { resolve(r: Reply): void; onEvent?(e: 'start' | 'stop'): void | Promise<void> }
  >();
  // Window marks are handled in order, and the run's result only after them.
  let marks: Promise<unknown> = Promise.resolve();
  child.on('message', (m: Reply) => {
    const waiter = pending.get(m.id);
    if (!waiter) return;
    if ('event' in m) {
      marks = marks.then(() => waiter.onEvent?.(m.event));
      return;
    }
    pending.delete(m.id);
    void marks.then(() => waiter.resolve(m));
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the bench's customer process exited (${code})`))),
  );
  exited.catch(() => undefined);
  const ask = (
    req: DistributiveOmit<Request, 'id'>,
    onEvent?: (e: 'start' | 'stop') => void | Promise<void>,
  ): Promise<Reply> =>
    Promise.race([
      new Promise<Reply>((resolve) => {
        const id = next++;
        pending.set(id, { resolve, onEvent });
        child.send({ ...req, id });
      }),
      exited,
    ]);
  const ok = (r: Reply) => {
    if ('event' in r) throw new Error('unexpected window mark');
    if (!r.ok) throw new Error(r.error);
    return r;
  };
  return {
    open: async (base, count) => void ok(await ask({ op: 'open', base, count })),
    run: async (spec, window) =>
      ok(await ask({ op: 'run', ...spec }, (e) => (e === 'start' ? window.onStart() : window.onStop())))
        .result!,
    forget: async () => void ok(await ask({ op: 'forget' })),
    reset: async () => void ok(await ask({ op: 'reset' })),
    close: async () => {
      await Promise.race([ask({ op: 'reset' }), new Promise((r) => setTimeout(r, 2000))]).catch(
        () => undefined,
      );
      child.kill();
    },
  };
}

// --- the customers' process ----------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

interface HttpReply {
  status: number;
  body: string;
}

/**
 * A server closes a kept-alive connection after a few idle seconds (between two points); a request
 * that went out on it at that moment is reset before the server read it, and is sent again.
 */
async function post(url: string, body: string, token?: string): Promise<HttpReply> {
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

function postOnce(url: string, body: string, token?: string): Promise<HttpReply> {
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
  private said = 0;
  private constructor(
    readonly base: string,
    readonly conversationId: string,
    readonly userId: string,
    readonly token: string,
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (data) => {
      // An empty frame is the stream's heartbeat (docs/direct-line.md).
      const text = String(data);
      if (!text) return;
      const set = JSON.parse(text) as { activities: Activity[] };
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

  /** A message as the widget sends it, with its own client id (stored once if sent again). */
  say(): Promise<string> {
    return this.send({
      type: 'message',
      from: { id: this.userId },
      text: CUSTOMER_TEXT,
      channelData: { clientActivityId: `bench-${++this.said}` },
    });
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

/**
 * Runs `workers` loops of `op` for the warm-up, then measures for `seconds` (longer when operations
 * are slow): completed operations and the latency of each. Every loop finishes its operation in
 * flight before it stops.
 */
async function measure(
  spec: LoadRun,
  op: (worker: number) => Promise<void>,
  mark: (e: 'start' | 'stop') => void,
): Promise<LoadResult> {
  let measuring = false;
  let stop = false;
  const latencies: number[] = [];
  const firstDone: Array<Promise<void>> = [];
  const loops = Array.from({ length: spec.workers }, async (_, w) => {
    let first: () => void = () => undefined;
    firstDone.push(new Promise<void>((resolve) => (first = resolve)));
    while (!stop) {
      const t0 = performance.now();
      await op(w);
      first();
      if (measuring && !stop) latencies.push(performance.now() - t0);
    }
  });
  // Warm-up starts once every loop has come through once: kept-alive connections the server closed
  // while the previous point ran are made again first (a server accepts one connection per pass of
  // its event loop, so 50 at once take a while) and are not counted as the steady state.
  await Promise.race([Promise.all(firstDone), Promise.all(loops)]);
  await sleep(spec.warmupMs);
  mark('start');
  measuring = true;
  const started = performance.now();
  await sleep(spec.seconds * 1000);
  // When one operation takes longer than the window, wait until each worker finished a couple
  // (within limits), or the percentiles say nothing.
  const enough = performance.now() + 9 * spec.seconds * 1000;
  while (latencies.length < 2 * spec.workers && performance.now() < enough) await sleep(100);
  stop = true;
  const elapsedSeconds = (performance.now() - started) / 1000;
  const count = latencies.length;
  mark('stop');
  await Promise.all(loops);
  latencies.sort((a, b) => a - b);
  return { count, elapsedSeconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

function childMain(): void {
  const customers: Customer[] = [];
  const bareBody = JSON.stringify({ type: 'message', from: { id: 'dl_benchcustomer' }, text: CUSTOMER_TEXT });

  const opFor = (spec: LoadRun): ((w: number) => Promise<void>) => {
    switch (spec.kind) {
      case 'bare':
        return async (w) => {
          const res = await post(`${spec.bareUrl}/bench${w}/activities`, bareBody, 'token');
          if (res.status !== 200) throw new Error(`the bare route answered ${res.status}`);
        };
      case 'roundtrip':
        return async (w) => {
          const c = customers[w]!;
          await c.replyTo(await c.say());
        };
      case 'ack':
        return async (w) => void (await customers[w]!.say());
    }
  };

  const reply = (r: Reply) => process.send!(r);
  const handle = async (req: Request): Promise<Reply> => {
    switch (req.op) {
      case 'open':
        // A few at a time: opening is not what is measured.
        while (customers.length < req.count) {
          const from = customers.length;
          const batch = Array.from({ length: Math.min(20, req.count - from) }, (_, k) =>
            Customer.open(req.base, from + k),
          );
          customers.push(...(await Promise.all(batch)));
        }
        return { id: req.id, ok: true, opened: customers.length };
      case 'run': {
        if (req.kind !== 'bare' && req.workers > customers.length)
          throw new Error(`${req.workers} loops but ${customers.length} customers`);
        const result = await measure(req, opFor(req), (event) => reply({ id: req.id, event }));
        return { id: req.id, ok: true, result };
      }
      case 'forget':
        for (const c of customers) c.forget();
        return { id: req.id, ok: true };
      case 'reset':
        for (const c of customers) c.close();
        customers.length = 0;
        // Kept-alive sockets belong to the app just closed.
        agent.destroy();
        return { id: req.id, ok: true };
    }
  };
  process.on('message', (req: Request) => {
    handle(req).then(reply, (err: unknown) =>
      reply({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}

if (isBenchChild(import.meta.url)) childMain();
