import { chmod, mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ValidationError } from '../../domain/errors.js';
import type { Collection, DocumentStore } from '../port.js';
import { EmbeddedCollection } from './embedded-collection.js';
import { Datafile } from './datafile.js';
import { GroupCommit } from './group-commit.js';
import { lockDataDir } from './data-dir-lock.js';

const nedbVersion = (createRequire(import.meta.url)('@seald-io/nedb/package.json') as { version: string })
  .version;

const COLLECTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Customer data and the channel's keys live here: readable by the server's own user only. */
const PRIVATE = { fileMode: 0o600, dirMode: 0o700 };

/** Creates the folder private, and takes back what an older version left readable to everyone. */
async function makePrivate(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: PRIVATE.dirMode });
  await chmod(dataDir, PRIVATE.dirMode);
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    if (entry.isFile()) await chmod(path.join(dataDir, entry.name), PRIVATE.fileMode);
  }
}

/**
 * The default store: each collection in memory, with one datafile in NeDB's format under `dataDir`
 * (`<collection>.db`), loaded on first use. A datafile is rewritten without superseded lines when it
 * is loaded and when they pile up.
 */
export interface EmbeddedStoreOptions {
  /** Appended lines before a datafile is considered for rewriting (default 50 000). */
  compactAfterLines?: number;
  /** Told once if the store cannot write its files and stops (it then refuses every operation). */
  onFailure?: (failure: Error) => void;
}

/** The embedded store, with what only files need. */
export interface EmbeddedStore extends DocumentStore {
  readonly kind: 'embedded';
  /**
   * Rewrites these collections' datafiles now, with only the documents they hold: what an update
   * replaced or a deletion removed is then gone from the disk too, not only superseded by a later
   * line (an erased customer: docs/decisions/0024-finding-exporting-erasing-a-customer.md). Waits
   * for a rewrite already running. Collections never opened are not touched.
   */
  compact(names: readonly string[]): Promise<void>;
}

export async function openEmbeddedStore(
  dataDir: string,
  options: EmbeddedStoreOptions = {},
): Promise<EmbeddedStore> {
  await makePrivate(dataDir);
  const unlock = await lockDataDir(dataDir);
  const collections = new Map<string, EmbeddedCollection<object>>();
  const group = new GroupCommit(options.onFailure);
  let closed = false;

  return {
    kind: 'embedded',
    collection<T extends object>(name: string): Collection<T> {
      if (closed) throw new Error(`The embedded store in ${dataDir} is closed`);
      if (!COLLECTION_NAME.test(name)) {
        throw new ValidationError('store.invalid_collection_name', `Invalid collection name "${name}"`);
      }
      let collection = collections.get(name);
      if (!collection) {
        const filename = path.join(dataDir, `${name}.db`);
        collection = new EmbeddedCollection<object>(
          name,
          Datafile.open(filename, PRIVATE, group, options.compactAfterLines),
          group,
        );
        collections.set(name, collection);
      }
      return collection as unknown as Collection<T>;
    },
    async version(): Promise<string> {
      return `nedb ${nedbVersion}`;
    },
    failure: () => group.failure,
    async compact(names) {
      for (const name of new Set(names)) await collections.get(name)?.compact();
    },
    async close(): Promise<void> {
      closed = true;
      await Promise.all([...collections.values()].map((c) => c.close()));
      await unlock();
    },
  };
}
