import { open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from '../../domain/errors.js';

/** Data folders this process holds: a lock naming this process's pid is stale unless listed here. */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When a process started, in clock ticks since boot (field 22 of Linux's /proc/<pid>/stat), or
 * null where there is no /proc. A pid and its start time name one process; a pid alone is reused.
 */
async function startTimeOf(pid: number): Promise<string | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields?.[19] ?? null;
}

/**
 * Whether the process that wrote `lock` still runs. Its own pid is not enough: in a container the
 * server is pid 1 on every start, so a lock left by a killed one names the pid of the new one, and
 * on a busy host a pid comes back for another process. The start time written with it tells them
 * apart (a lock written without one, by an older version, is judged by its pid alone).
 */
async function ownerRuns(owner: number, startedAt: string | undefined): Promise<boolean> {
  if (owner === process.pid) return false;
  if (!isAlive(owner)) return false;
  if (!startedAt) return true;
  const now = await startTimeOf(owner);
  return now === null || now === startedAt;
}

/**
 * NeDB keeps each collection in memory and appends to its file; two processes on one data
 * directory would silently overwrite each other's writes. A `LOCK` file with the owner's pid and
 * start time keeps a second server (or a second `npm run dev`) out; a lock left by a process that
 * no longer runs is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const key = path.resolve(dataDir);
  if (heldHere.has(key)) throw inUse(dataDir, process.pid);
  const lockPath = path.join(dataDir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n${(await startTimeOf(process.pid)) ?? ''}\n`);
      await handle.close();
      heldHere.add(key);
      return async () => {
        heldHere.delete(key);
        await unlink(lockPath).catch(() => undefined);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const [pid, startedAt] = (await readFile(lockPath, 'utf8').catch(() => '')).split('\n');
      const owner = Number(pid?.trim());
      if (Number.isInteger(owner) && owner > 0 && (await ownerRuns(owner, startedAt?.trim()))) {
        throw inUse(dataDir, owner);
      }
      await unlink(lockPath).catch(() => undefined);
    }
  }
  throw new DomainError(
    'store.data_dir_in_use',
    `Could not lock the data directory ${dataDir}`,
    'unavailable',
  );
}

function inUse(dataDir: string, owner: number): DomainError {
  return new DomainError(
    'store.data_dir_in_use',
    `The data directory ${dataDir} is in use by process ${owner}; stop it or choose another DATA_DIR`,
    'unavailable',
  );
}
