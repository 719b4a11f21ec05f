import { mkdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Datastore } from './nedb.js';
import { ValidationError } from '../../domain/errors.js';
import type { Collection, DocumentStore } from '../port.js';
import { EmbeddedCollection } from './embedded-collection.js';
import { keepDatafileOpen } from './append-handle.js';
import { cutTornTail } from './torn-tail.js';

const COLLECTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The default store: one NeDB datafile per collection under `dataDir` (`<collection>.db`), loaded on
 * first use. NeDB compacts a file (rewrites it without superseded lines) each time it is loaded.
 */
export async function openEmbeddedStore(dataDir: string): Promise<DocumentStore> {
  await mkdir(dataDir, { recursive: true });
  const collections = new Map<
    string,
    { collection: EmbeddedCollection<object>; ready: Promise<void>; handle: Promise<FileHandle | null> }
  >();
  let closed = false;

  return {
    kind: 'embedded',
    collection<T extends object>(name: string): Collection<T> {
      if (closed) throw new Error(`The embedded store in ${dataDir} is closed`);
      if (!COLLECTION_NAME.test(name)) {
        throw new ValidationError('store.invalid_collection_name', `Invalid collection name "${name}"`);
      }
      let entry = collections.get(name);
      if (!entry) {
        const filename = path.join(dataDir, `${name}.db`);
        const datastore = new Datastore({ filename, autoload: false });
        const opened = cutTornTail(filename)
          .then(() => datastore.loadDatabaseAsync())
          .then(() => keepDatafileOpen(datastore, filename));
        const ready = opened.then(() => undefined);
        const handle = opened.catch(() => null);
        // Surface a load failure on every operation, not as an unhandled rejection.
        ready.catch(() => undefined);
        entry = { collection: new EmbeddedCollection<object>(name, datastore, ready), ready, handle };
        collections.set(name, entry);
      }
      return entry.collection as unknown as Collection<T>;
    },
    async close(): Promise<void> {
      closed = true;
      await Promise.allSettled([...collections.values()].map((e) => e.ready));
      await Promise.all([...collections.values()].map((e) => e.collection.drain()));
      await Promise.all([...collections.values()].map(async (e) => (await e.handle)?.close()));
    },
  };
}
