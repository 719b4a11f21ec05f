import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import {
  createRepositories,
  openEmbeddedStore,
  openMongoStore,
  type DocumentStore,
  type Repositories,
} from '../../services/store/index.js';
import { startCongo, type RunningCongo } from './congo.js';
import { testDeps, type TestDeps } from './contract.js';

// Script progress (which agent script a conversation follows, which steps are done) on both adapters:
// the embedded store and the Mongo adapter through the real driver against CongoDB.

let congo: RunningCongo;
const dirs: string[] = [];
let n = 0;

beforeAll(async () => {
  congo = await startCongo();
});

afterAll(async () => {
  await congo?.stop();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const adapters: Array<[string, () => Promise<DocumentStore>]> = [
  [
    'embedded',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-progress-'));
      dirs.push(dir);
      return openEmbeddedStore(dir);
    },
  ],
  ['mongodb (CongoDB)', () => openMongoStore(congo.uri(`progress_${process.pid}_${++n}`))],
];

describe.each(adapters)('script progress on %s', (_name, open) => {
  let store: DocumentStore;
  let repos: Repositories;
  let deps: TestDeps;

  beforeEach(async () => {
    store = await open();
    deps = testDeps();
    repos = await createRepositories(store, deps);
  });

  afterEach(async () => {
    await store.close();
  });

  it('keeps the first script chosen for a conversation', async () => {
    expect(await repos.scriptProgress.get('conv_1')).toBeNull();
    expect((await repos.scriptProgress.chooseScript('conv_1', 'script_outage')).scriptId).toBe(
      'script_outage',
    );
    expect((await repos.scriptProgress.chooseScript('conv_1', 'script_billing')).scriptId).toBe(
      'script_outage',
    );
    expect(await repos.store.collection('script_progress').count({ id: 'conv_1' })).toBe(1);
  });

  it('marks a step done once, keeping who did it first and when', async () => {
    const first = await repos.scriptProgress.markDone('conv_1', {
      scriptId: 'script_outage',
      stepId: 'o1',
      agentId: 'agent_alex',
    });
    expect(first.added).toBe(true);
    deps.advance(5000);
    const again = await repos.scriptProgress.markDone('conv_1', {
      scriptId: 'script_outage',
      stepId: 'o1',
      agentId: 'agent_chen',
    });
    expect(again.added).toBe(false);
    await repos.scriptProgress.markDone('conv_1', {
      scriptId: 'script_billing',
      stepId: 'o1',
      agentId: 'agent_chen',
    });
    const stored = await repos.scriptProgress.get('conv_1');
    expect(stored?.done).toEqual(['script_outage/o1', 'script_billing/o1']);
    expect(stored?.log.map((d) => [d.stepId, d.agentId, d.at.toISOString()])).toEqual([
      ['o1', 'agent_alex', '2026-11-25T09:00:00.000Z'],
      ['o1', 'agent_chen', '2026-11-25T09:00:05.000Z'],
    ]);
  });

  it('survives concurrent marks of the same step without a duplicate', async () => {
    const step = { scriptId: 's', stepId: 'x', agentId: 'agent_alex' };
    const results = await Promise.all([1, 2, 3, 4].map(() => repos.scriptProgress.markDone('conv_2', step)));
    expect(results.filter((r) => r.added)).toHaveLength(1);
    expect((await repos.scriptProgress.get('conv_2'))?.log).toHaveLength(1);
  });

  it('refuses empty ids before writing anything', async () => {
    await expect(
      repos.scriptProgress.markDone('conv_3', { scriptId: '', stepId: 'x', agentId: 'a' }),
    ).rejects.toMatchObject({ code: 'script_progress.invalid' });
    expect(await repos.scriptProgress.get('conv_3')).toBeNull();
  });
});
