import { describe, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { openMongoStore } from '../../services/store/index.js';
import { describeStoreContract } from './contract.js';

// A real MongoDB, when one is reachable through MONGODB_URI (none exists on the build machines).
const uri = process.env.MONGODB_URI;
let n = 0;

function withDb(base: string, db: string): string {
  return base.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${db}`);
}

if (uri) {
  const dbs: string[] = [];
  const dbOf = new WeakMap<object, string>();
  describeStoreContract('mongodb (MONGODB_URI)', () => ({
    enforcesUniqueIndexes: true,
    atomicBatches: false,
    async open() {
      const db = `switchboard_contract_${process.pid}_${Date.now()}_${++n}`;
      dbs.push(db);
      const store = await openMongoStore(withDb(uri, db));
      dbOf.set(store, db);
      return store;
    },
    openAnother: (store) => openMongoStore(withDb(uri, dbOf.get(store)!)),
    async reopen(store) {
      const db = dbOf.get(store)!;
      await store.close();
      const reopened = await openMongoStore(withDb(uri, db));
      dbOf.set(reopened, db);
      return reopened;
    },
  }));
  describe('cleanup', () => {
    it('drops the contract databases', async () => {
      const client = await MongoClient.connect(uri);
      for (const db of dbs) await client.db(db).dropDatabase();
      await client.close();
    });
  });
} else {
  describe('store contract: mongodb (MONGODB_URI)', () => {
    it.skip('skipped: set MONGODB_URI to run the contract against a real MongoDB', () => {});
  });
}
