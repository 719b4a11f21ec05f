import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Benches that drive the server from a process of their own fork their own module with `--child`
// (run through tsx, IPC for requests and replies) and start their child side when run that way.

/** Forks the module at `moduleUrl` (its `import.meta.url`) as a child bench process. */
export function forkBenchChild(moduleUrl: string): ChildProcess {
  return fork(fileURLToPath(moduleUrl), ['--child'], {
    // As `npm start` runs the server: without the dependency's deprecation warning (README, Development).
    execArgv: ['--import', 'tsx', '--disable-warning=DEP0111'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Whether this process is the child `forkBenchChild(moduleUrl)` started. */
export function isBenchChild(moduleUrl: string): boolean {
  return process.argv.includes('--child') && process.argv[1] === fileURLToPath(moduleUrl);
}

/** A union's members each without `K` (TypeScript's Omit would merge the union first). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

type Answer = { id: number } & ({ ok: true } | { ok: false; error: string });

/**
 * Requests to a bench child, each answered by the reply carrying its id: resolves with the reply,
 * rejects with the child's error or when the child exits (`what` names it in the message).
 */
export function childRequests<Req extends { id: number }, Rep extends Answer>(
  child: ChildProcess,
  what: string,
): (req: DistributiveOmit<Req, 'id'>) => Promise<Extract<Rep, { ok: true }>> {
  let next = 1;
  const pending = new Map<number, (r: Rep) => void>();
  child.on('message', (m: Rep) => {
    pending.get(m.id)?.(m);
    pending.delete(m.id);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${what} exited (${code})`))),
  );
  exited.catch(() => undefined);
  return async (req) => {
    const reply = await Promise.race([
      new Promise<Rep>((resolve) => {
        const id = next++;
        pending.set(id, resolve);
        child.send({ ...req, id });
      }),
      exited,
    ]);
    if (!reply.ok) throw new Error(`${what}: ${(reply as { error: string }).error}`);
    return reply as Extract<Rep, { ok: true }>;
  };
}
