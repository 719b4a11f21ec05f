import { afterAll, beforeAll } from 'vitest';
import { openMongoStore } from '../../services/store/index.js';
import { startCongo, type RunningCongo } from './congo.js';
import { describeStoreContract } from './contract.js';

// The Mongo adapter through the real driver and wire protocol, against CongoDB.
let congo: RunningCongo;
let n = 0;
const dbOf = new WeakMap<object, string>();

beforeAll(async () => {
  congo = await startCongo();
});

afterAll(async () => {
  await congo?.stop();
});

describeStoreContract('mongodb (CongoDB)', () => ({
  // Enforced by the layer startCongo adds (congo-unique-indexes.ts).
  enforcesUniqueIndexes: true,
  atomicBatches: false,
  async open() {
    const db = `contract_${process.pid}_${++n}`;
    const store = await openMongoStore(congo.uri(db));
    dbOf.set(store, db);
    return store;
  },
  openAnother: (store) => openMongoStore(congo.uri(dbOf.get(store)!)),
  // A new client on the same server: proves nothing lives only in the adapter's memory.
  async reopen(store) {
    const db = dbOf.get(store)!;
    await store.close();
    const reopened = await openMongoStore(congo.uri(db));
    dbOf.set(reopened, db);
    return reopened;
  },
}));
