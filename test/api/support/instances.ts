import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEST_DIRECT_LINE_SECRET } from '../../support/server.js';
import { exited, freePort, startServerProcess } from '../../support/server-process.js';

/**
 * Server processes (`services/main.ts`, as `npm start` runs them) a suite starts on one MongoDB
 * store, each with a data folder of its own; `stopAll` ends those still running and removes the
 * folders.
 */
export function serverInstances() {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  return {
    async start(name: string, mongodbUri: string): Promise<{ child: ChildProcess; base: string }> {
      const dataDir = await mkdtemp(path.join(tmpdir(), `switchboard-${name}-`));
      dirs.push(dataDir);
      const started = await startServerProcess(
        await freePort(),
        {
          DATA_DIR: dataDir,
          MONGODB_URI: mongodbUri,
          AUTH_MODE: 'dev',
          DIRECT_LINE_SECRET: TEST_DIRECT_LINE_SECRET,
        },
        name,
      );
      children.push(started.child);
      return started;
    },
    async stopAll(): Promise<void> {
      for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
      await Promise.all(children.map((c) => exited(c)));
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}
