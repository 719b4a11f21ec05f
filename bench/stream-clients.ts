import type { ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { childRequests, forkBenchChild, isBenchChild } from './bench-child.js';

// Many WebSocket clients in a child process, so the server process being measured holds only its
// own half of each connection (its heap is what the scale and soak figures report). Times are wall
// clock (`performance.timeOrigin + performance.now()`), which both processes share.

export const wallNow = () => performance.timeOrigin + performance.now();

type Request =
  | { op: 'open'; id: number; urls: string[] }
  /** Resolves once `count` sockets got a frame matching (seq, or type + conversationId). */
  | {
      op: 'await';
      id: number;
      match: { seq?: number; type?: string; conversationId?: string };
      count: number;
    }
  | { op: 'close'; id: number };

type Reply =
  { id: number; ok: true; times?: number[]; opened?: number } | { id: number; ok: false; error: string };

interface Arrival {
  socket: number;
  t: number;
  seq: number;
  type: string;
  conversationId?: string;
}

/** The parent's handle on the child. */
export interface StreamClients {
  open(urls: string[]): Promise<number>;
  /** Arrival times (wall clock ms) of the first matching frame on `count` sockets. */
  await(match: { seq?: number; type?: string; conversationId?: string }, count: number): Promise<number[]>;
  close(): Promise<void>;
}

export function spawnStreamClients(): StreamClients {
  const child: ChildProcess = forkBenchChild(import.meta.url);
  const ask = childRequests<Request, Reply>(child, "the bench's stream clients");
  return {
    open: async (urls) => (await ask({ op: 'open', urls })).opened ?? 0,
    await: async (match, count) => (await ask({ op: 'await', match, count })).times ?? [],
    close: async () => {
      await ask({ op: 'close' }).catch(() => undefined);
      child.kill();
    },
  };
}

function childMain(): void {
  const sockets: WebSocket[] = [];
  /** Recent arrivals, kept until an `await` consumes them (bounded: old ones are dropped). */
  let arrivals: Arrival[] = [];
  const waiting: Array<{
    test(a: Arrival): boolean;
    count: number;
    seen: Map<number, number>;
    done(): void;
  }> = [];

  const onFrame = (socket: number, data: WebSocket.RawData) => {
    const f = JSON.parse(String(data)) as { seq: number; type: string; conversationId?: string };
    const a: Arrival = { socket, t: wallNow(), seq: f.seq, type: f.type, conversationId: f.conversationId };
    arrivals.push(a);
    if (arrivals.length > 200_000) arrivals = arrivals.slice(-100_000);
    for (const w of waiting) {
      if (w.test(a) && !w.seen.has(socket)) {
        w.seen.set(socket, a.t);
        if (w.seen.size >= w.count) w.done();
      }
    }
  };

  const reply = (r: Reply) => process.send!(r);
  process.on('message', (req: Request) => {
    if (req.op === 'open') {
      let opened = 0;
      let failed = 0;
      const base = sockets.length;
      req.urls.forEach((url, i) => {
        const ws = new WebSocket(url);
        sockets.push(ws);
        ws.on('message', (d) => onFrame(base + i, d));
        ws.once('open', () => {
          opened++;
          if (opened + failed === req.urls.length) reply({ id: req.id, ok: true, opened });
        });
        ws.once('error', () => {
          failed++;
          if (opened + failed === req.urls.length) reply({ id: req.id, ok: true, opened });
        });
      });
    } else if (req.op === 'await') {
      const { seq, type, conversationId } = req.match;
      const test = (a: Arrival) =>
        (seq === undefined || a.seq === seq) &&
        (type === undefined || a.type === type) &&
        (conversationId === undefined || a.conversationId === conversationId);
      const seen = new Map<number, number>();
      for (const a of arrivals) if (test(a) && !seen.has(a.socket)) seen.set(a.socket, a.t);
      const w = {
        test,
        count: req.count,
        seen,
        done: () => {
          waiting.splice(waiting.indexOf(w), 1);
          clearTimeout(timer);
          arrivals = [];
          reply({ id: req.id, ok: true, times: [...seen.values()] });
        },
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(w), 1);
        reply({ id: req.id, ok: false, error: `only ${seen.size} of ${req.count} sockets got the frame` });
      }, 60_000);
      waiting.push(w);
      if (seen.size >= req.count) w.done();
    } else if (req.op === 'close') {
      for (const ws of sockets) ws.terminate();
      reply({ id: req.id, ok: true });
    }
  });
}

if (isBenchChild(import.meta.url)) childMain();
