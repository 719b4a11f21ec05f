import { MongoClient } from 'mongodb';
import type { Collection, DocumentStore } from '../port.js';
import { MongoCollection } from './mongo-collection.js';

export interface MongoStoreOptions {
  /** Database name when the URI names none. */
  defaultDbName?: string;
}

/** Connects with the official driver; the database is the one the URI names (else `switchboard`). */
export async function openMongoStore(uri: string, options: MongoStoreOptions = {}): Promise<DocumentStore> {
  const client = new MongoClient(uri);
  await client.connect();
  const named = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri)?.[1];
  const db = client.db(named ? decodeURIComponent(named) : (options.defaultDbName ?? 'switchboard'));
  const collections = new Map<string, MongoCollection<object>>();
  return {
    kind: 'mongodb',
    collection<T extends object>(name: string): Collection<T> {
      let c = collections.get(name);
      if (!c) {
        c = new MongoCollection<object>(db.collection(name));
        collections.set(name, c);
      }
      return c as unknown as Collection<T>;
    },
    async version(): Promise<string> {
      try {
        const info = await db.admin().command({ buildInfo: 1 });
        return `MongoDB ${String(info.version)}`;
      } catch {
        // Servers that do not answer buildInfo (some wire-compatible ones) still work as stores.
        return 'MongoDB (version unknown)';
      }
    },
    async close(): Promise<void> {
      await client.close();
    },
  };
}
