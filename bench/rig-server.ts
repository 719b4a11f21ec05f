import type { ChildProcess } from 'node:child_process';
import { BENCH_API_LIMITS, BENCH_DIRECT_LINE_LIMITS } from './bench-channel.js';
import { childRequests, forkBenchChild, isBenchChild } from './bench-child.js';
import { processCpuSeconds } from './congo-process.js';
import { startProfiling } from './profile.js';
import { ServerWatch, type WatchRow } from './server-watch.js';
import { countingStore, newTally, tallyTotals, type Tally } from './store-tally.js';
import { createApp, type App } from '../services/app.js';
import { loadConfig } from '../services/config.js';
import { limitHeapGrowth } from '../services/heap-growth.js';
import { silentLogger } from '../services/log.js';

// The bench's server: the real app in a process of its own, driven over IPC. A bench whose clients
// (fetch, ws, JSON) share the server's process measures them too: in the agent path's profile they
// were a quarter of the CPU, and on two cores they took the server's turns. Apart, the server has
// its core, and its CPU, heap and profile are its own.

const BENCH_QUEUE = 'queue_technical';

/** Starts the app on a free port of 127.0.0.1 with a silent log and the bench's channel limits. */
async function startBenchApp(env: Record<string, string>, tally: Tally): Promise<{ app: App; base: string }> {
  const app = await createApp(loadConfig(env), {
    log: silentLogger,
    directLineLimits: BENCH_DIRECT_LINE_LIMITS,
    apiLimits: BENCH_API_LIMITS,
    wrapStore: (store) => countingStore(store, tally),
  });
  const base = (await app.listen(0, '127.0.0.1')).replace('localhost', '127.0.0.1');
  return { app, base };
}

/**
 * `count` bench agents in the Technical queue with room for `chats` chats each; every demo agent is
 * set away (supervisors do-not-disturb) so routing offers only to the bench's agents.
 */
async function prepareBenchAgents(app: App, count: number, chats: number): Promise<string[]> {
  const { repos, router } = app.services;
  for (const a of await repos.agents.list({ limit: 100 })) {
    await router.presence.set(a.id, a.roles.includes('supervisor') ? 'busy-dnd' : 'away');
  }
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `agent_bench_${i}`;
    if (!(await repos.agents.get(id))) {
      await repos.agents.create({
        id,
        name: `Bench Agent ${i}`,
        email: `bench${i}@example.com`,
        roles: ['agent'],
        queueIds: [BENCH_QUEUE],
        capacity: 30 * chats,
      });
    }
    ids.push(id);
  }
  return ids;
}

type Request = { id: number } & (
  | { op: 'start'; env: Record<string, string> }
  | { op: 'agents'; count: number; chats: number }
  | { op: 'profile-start' }
  | { op: 'profile-stop'; dir: string; name: string }
  | { op: 'watch-start' }
  | { op: 'watch-row' }
  | { op: 'watch-stop' }
  | { op: 'store-ops' }
  | { op: 'close' }
);
type Reply = { id: number } & (
  { ok: true; base?: string; ids?: string[]; row?: WatchRow; ops?: StoreOps } | { ok: false; error: string }
);

/** Store operations the server has made so far (on MongoDB, one command each). */
export interface StoreOps {
  reads: number;
  writes: number;
}

export interface ServerProcess {
  base: string;
  /** The bench's agents (see prepareBenchAgents): their ids. */
  prepareAgents(count: number, chats: number): Promise<string[]>;
  /** User + system CPU seconds the server's process has used so far. */
  cpuSeconds(): number;
  /** Runs `work` with the server's process under the CPU profiler; writes `<dir>/<name>.cpuprofile`. */
  profiled<T>(dir: string, name: string, work: () => Promise<T>): Promise<T>;
  /** The store operations the server has made so far (see bench/store-tally.ts). */
  storeOps(): Promise<StoreOps>;
  /** Starts watching the server's heap, pauses, stalls and CPU in its process (see ServerWatch). */
  watch(): Promise<{ row(): Promise<WatchRow>; stop(): Promise<void> }>;
  close(): Promise<void>;
}

/** The app in a child process, started with `env`, driven over IPC. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child: ChildProcess = forkBenchChild(import.meta.url);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ask = childRequests<Request, Reply>(child, "the bench's server process");
  const { base } = await ask({ op: 'start', env });
  return {
    base: base!,
    prepareAgents: async (count, chats) => (await ask({ op: 'agents', count, chats })).ids!,
    cpuSeconds: () => processCpuSeconds(child.pid!),
    storeOps: async () => (await ask({ op: 'store-ops' })).ops!,
    profiled: async (dir, name, work) => {
      await ask({ op: 'profile-start' });
      try {
        return await work();
      } finally {
        await ask({ op: 'profile-stop', dir, name });
      }
    },
    watch: async () => {
      await ask({ op: 'watch-start' });
      return {
        row: async () => (await ask({ op: 'watch-row' })).row!,
        stop: async () => void (await ask({ op: 'watch-stop' })),
      };
    },
    close: async () => {
      if (child.exitCode !== null) return;
      await ask({ op: 'close' }).catch(() => undefined);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      child.kill();
    },
  };
}

function childMain(): void {
  // Tuned as `npm start` tunes its own process.
  limitHeapGrowth();
  let app: App | null = null;
  const tally = newTally();
  let watch: ServerWatch | null = null;
  let stopProfiling: Awaited<ReturnType<typeof startProfiling>> | null = null;
  const handle = async (req: Request): Promise<Reply> => {
    switch (req.op) {
      case 'start': {
        const started = await startBenchApp(req.env, tally);
        app = started.app;
        return { id: req.id, ok: true, base: started.base };
      }
      case 'agents':
        return { id: req.id, ok: true, ids: await prepareBenchAgents(app!, req.count, req.chats) };
      case 'profile-start':
        stopProfiling = await startProfiling();
        return { id: req.id, ok: true };
      case 'profile-stop':
        await stopProfiling?.(req.dir, req.name);
        stopProfiling = null;
        return { id: req.id, ok: true };
      case 'watch-start':
        watch?.stop();
        watch = new ServerWatch(() => app!.services.streams.size);
        return { id: req.id, ok: true };
      case 'watch-row':
        return { id: req.id, ok: true, row: watch!.row() };
      case 'watch-stop':
        watch?.stop();
        watch = null;
        return { id: req.id, ok: true };
      case 'store-ops':
        return { id: req.id, ok: true, ops: tallyTotals(tally) };
      case 'close':
        watch?.stop();
        await app?.close();
        app = null;
        setImmediate(() => process.exit(0));
        return { id: req.id, ok: true };
    }
  };
  process.on('message', (req: Request) => {
    handle(req).then(
      (r) => process.send!(r),
      (err: unknown) =>
        process.send!({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  });
  // The bench gone, the server goes too.
  process.on('disconnect', () => process.exit(0));
}

if (isBenchChild(import.meta.url)) childMain();
