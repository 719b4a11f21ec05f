import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCongo, type RunningCongo } from '../store/congo.js';
import { runEscalationFlow } from './flow.js';
import { TEST_DIRECT_LINE_SECRET } from '../support/server.js';
import { freePort, startServerProcess } from '../support/server-process.js';

// The acceptance flow with two server processes (`services/main.ts`, as `npm start` runs it) on one
// MongoDB-compatible store (CongoDB): the customer chats with instance A, the agents and the
// supervisor work on instance B. Offers, messages, alerts and the customer's Direct Line stream all
// cross between them through the shared store.

const children: ChildProcess[] = [];
const dirs: string[] = [];
let congo: RunningCongo;

async function startInstance(name: string, mongodbUri: string): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `switchboard-${name}-`));
  dirs.push(dataDir);
  const { child, base } = await startServerProcess(
    await freePort(),
    {
      DATA_DIR: dataDir,
      MONGODB_URI: mongodbUri,
      AUTH_MODE: 'dev',
      DIRECT_LINE_SECRET: TEST_DIRECT_LINE_SECRET,
    },
    name,
  );
  children.push(child);
  return base;
}

let a: string;
let b: string;

beforeAll(async () => {
  congo = await startCongo();
  const uri = congo.uri('switchboard_two_instances');
  // One after the other: the first loads the demo company into the empty store.
  a = await startInstance('a', uri);
  b = await startInstance('b', uri);
}, 330_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))),
  );
  await congo?.stop();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('two server processes on one store', () => {
  it('runs the whole escalation with the customer on one instance and the agents on the other', async () => {
    expect((await (await fetch(`${a}/api/health`)).json()) as object).toMatchObject({ store: 'mongodb' });
    const { customerTexts } = await runEscalationFlow(a, b, 'dl_twoinstances01');
    expect(customerTexts.some((t) => t.includes('INTERNAL'))).toBe(false);
    expect(customerTexts).toEqual(
      expect.arrayContaining([expect.stringContaining('let me reset your line')]),
    );
  }, 180_000);
});
