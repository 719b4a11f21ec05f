import { open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from '../../domain/errors.js';

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
 * NeDB keeps each collection in memory and appends to its file; two processes on one data
 * directory would silently overwrite each other's writes. A `LOCK` file with the owner's pid keeps
 * a second server (or a second `npm run dev`) out; a lock left by a killed process is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await unlink(lockPath).catch(() => undefined);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new DomainError(
          'store.data_dir_in_use',
          `The data directory ${dataDir} is in use by process ${owner}; stop it or choose another DATA_DIR`,
          'unavailable',
        );
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
