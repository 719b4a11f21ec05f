import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { openEmbeddedStore } from '../../services/store/index.js';
import type { DocumentStore } from '../../services/store/index.js';
import { describeStoreContract } from './contract.js';

const dirs: string[] = [];
const dirOf = new WeakMap<DocumentStore, string>();

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describeStoreContract('embedded', () => ({
  enforcesUniqueIndexes: true,
  atomicBatches: true,
  async open() {
    const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-store-'));
    dirs.push(dir);
    const store = await openEmbeddedStore(dir);
    dirOf.set(store, dir);
    return store;
  },
  async reopen(store) {
    const dir = dirOf.get(store)!;
    await store.close();
    const reopened = await openEmbeddedStore(dir);
    dirOf.set(reopened, dir);
    return reopened;
  },
}));
