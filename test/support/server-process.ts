import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The real server as `npm start` runs it (`services/main.ts` in its own process), for the suites
// that kill it, restart it or run two of it.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  base: string;
}

/**
 * `services/main.ts` in a process of its own, as `npm start` runs it, with `env` on top of this
 * process's; its stderr is piped.
 */
export function spawnServer(
  env: Record<string, string>,
  /** The most bytes the server may write to any one file (RLIMIT_FSIZE: a write past it fails with EFBIG). */
  fileSizeLimit?: number,
): ChildProcess {
  const node = [
    process.execPath,
    '--import',
    'tsx',
    '--disable-warning=DEP0111',
    path.join(root, 'services/main.ts'),
  ];
  // prlimit (util-linux) sets the limit on the process it runs; Node ignores SIGXFSZ, so the write fails instead.
  const command = fileSizeLimit === undefined ? node : ['prlimit', `--fsize=${fileSizeLimit}`, '--', ...node];
  return spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Resolves once the process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts the server on `port` with the given environment (on top of this process's) and resolves
 * once `/api/health` answers. The 150 s limit is a hang guard, not a deadline: a loaded machine may
 * need a while to compile and start it. The server's stderr is in the error if it never answers.
 */
export async function startServerProcess(
  port: number,
  env: Record<string, string>,
  name = 'server',
  fileSizeLimit?: number,
): Promise<ServerProcess> {
  const base = `http://127.0.0.1:${port}`;
  const child = spawnServer({ PORT: String(port), PUBLIC_URL: base, ...env }, fileSizeLimit);
  let log = '';
  child.stderr?.on('data', (b: Buffer) => (log += b.toString()));
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited early:\n${log}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return { child, base };
    } catch {
      // not listening yet: keep polling until the hang guard
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not answer /api/health within 150 s:\n${log}`);
}
