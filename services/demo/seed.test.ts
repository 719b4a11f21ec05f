import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDeps } from '../../test/store/contract.js';
import {
  createRepositories,
  openEmbeddedStore,
  type DocumentStore,
  type Repositories,
} from '../store/index.js';
import { DEMO_IDS, seedDemoData } from './index.js';

describe('demo data', () => {
  let dir: string;
  let store: DocumentStore;
  let repos: Repositories;
  const deps = testDeps();

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-seed-'));
    store = await openEmbeddedStore(dir);
    repos = await createRepositories(store, deps);
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function counts() {
    return {
      workstreams: await repos.workstreams.count(),
      queues: await repos.queues.count(),
      agents: await repos.agents.count(),
      knowledgeArticles: await repos.knowledgeArticles.count(),
      quickReplies: await repos.quickReplies.count(),
      agentScripts: await repos.agentScripts.count(),
      macros: await repos.macros.count(),
      customers: await repos.customers.count(),
      cases: await repos.cases.count(),
    };
  }

  it('fills an empty store with the Northwind Fiber contact center', async () => {
    expect(await seedDemoData(repos, deps)).toEqual({ created: true });
    expect(await counts()).toEqual({
      workstreams: 2,
      queues: 3,
      agents: 8,
      knowledgeArticles: 20,
      quickReplies: 15,
      agentScripts: 3,
      macros: 4,
      customers: 10,
      cases: 12,
    });
    const web = await repos.workstreams.forChannel('directline');
    expect(web?.id).toBe(DEMO_IDS.workstreams.webchat);
    expect(web?.preChatSurvey.find((q) => q.id === 'topic')?.choices).toEqual([
      'Internet outage',
      'Billing',
      'Wi-Fi & equipment',
      'Moving or new service',
      'Other',
    ]);
    expect((await repos.workstreams.forChannel('msteams'))?.id).toBe(DEMO_IDS.workstreams.teams);
    const sam = await repos.agents.require(DEMO_IDS.supervisors.sam);
    expect(sam.roles).toContain('supervisor');
    expect((await repos.agents.find({ role: 'admin' })).map((a) => a.id)).toEqual([DEMO_IDS.admins.riley]);
    expect((await repos.agents.listInQueue(DEMO_IDS.queues.billing)).length).toBeGreaterThanOrEqual(3);
    expect((await repos.queues.require(DEMO_IDS.queues.billing)).operatingHours?.timeZone).toBe(
      'America/New_York',
    );
    expect((await repos.customers.findByIdentity('webchat', 'dl_demo_dana'))?.id).toBe(
      DEMO_IDS.customers.dana,
    );
    expect(await repos.cases.getByNumber('CAS-01001')).not.toBeNull();
  });

  it('adds nothing when run again (idempotent)', async () => {
    await seedDemoData(repos, deps);
    const before = await counts();
    expect(await seedDemoData(repos, deps)).toEqual({ created: false });
    expect(await counts()).toEqual(before);
  });

  it('gives a demo store seeded before the demo had an administrator one', async () => {
    await seedDemoData(repos, deps);
    await repos.agents.remove(DEMO_IDS.admins.riley);
    expect(await seedDemoData(repos, deps)).toEqual({ created: false });
    expect((await repos.agents.require(DEMO_IDS.admins.riley)).roles).toEqual(['admin']);
  });

  it('leaves a store that already has its own configuration alone', async () => {
    await repos.queues.create({ id: 'queue_customer_own', name: 'Our own queue' });
    expect(await seedDemoData(repos, deps)).toEqual({ created: false });
    expect(await repos.agents.count()).toBe(0);
  });
});
