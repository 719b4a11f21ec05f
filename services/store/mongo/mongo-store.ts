import { MongoClient } from 'mongodb';
import { DomainError } from '../../domain/errors.js';
import type { Collection, DocumentStore } from '../port.js';
import { MongoCollection } from './mongo-collection.js';
import { Reachability } from './reachability.js';

/**
 * How long an operation waits for a server before it is refused with a 503, unless the URI says
 * otherwise (`serverSelectionTimeoutMS=`). The driver's 30 s left a customer's message hanging half a
 * minute during an outage; 10 s still rides out a replica set electing a new primary.
 */
const SERVER_SELECTION_TIMEOUT_MS = 10_000;

export interface MongoStoreOptions {
  /** Database name when the URI names none. */
  defaultDbName?: string;
}

/**
 * The driver's client for `uri`, which it parses at once: what it cannot read (a port that is not a
 * number, an option it does not know the value of) is the operator's to put right, named as such.
 */
function clientFor(uri: string): MongoClient {
  try {
    return new MongoClient(
      uri,
      /[?&]serverSelectionTimeoutMS=/i.test(uri)
        ? {}
        : { serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS },
    );
  } catch (e) {
    throw new DomainError(
      'config.mongodb_uri',
      `MONGODB_URI cannot be read: ${(e as Error).message}`,
      'invalid',
    );
  }
}

/** Connects with the official driver; the database is the one the URI names (else `switchboard`). */
export async function openMongoStore(uri: string, options: MongoStoreOptions = {}): Promise<DocumentStore> {
  const client = clientFor(uri);
  const reach = new Reachability();
  // The driver's monitor keeps checking the servers meanwhile: health follows it without traffic.
  client.on('topologyDescriptionChanged', (event) => reach.observe(event.newDescription));
  try {
    await client.connect();
  } catch (e) {
    throw reach.refusal(e);
  }
  const named = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri)?.[1];
  const db = client.db(named ? decodeURIComponent(named) : (options.defaultDbName ?? 'switchboard'));
  const collections = new Map<string, MongoCollection<object>>();
  return {
    kind: 'mongodb',
    collection<T extends object>(name: string): Collection<T> {
      let c = collections.get(name);
      if (!c) {
        c = new MongoCollection<object>(db.collection(name), reach);
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
    failure: () => reach.failure,
    async close(): Promise<void> {
      await client.close();
    },
  };
}
