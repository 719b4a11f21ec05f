import { openEmbeddedStore } from './embedded/embedded-store.js';
import type { MongoStoreOptions } from './mongo/mongo-store.js';
import type { DocumentStore } from './port.js';

export interface StoreConfig {
  /** MongoDB when set; otherwise the embedded store under `dataDir`. */
  mongodbUri?: string;
  dataDir: string;
  /** Told once if the embedded store cannot write its files and stops. */
  onFailure?: (failure: Error) => void;
}

export async function openStore(config: StoreConfig): Promise<DocumentStore> {
  if (config.mongodbUri) return openMongoStore(config.mongodbUri);
  return openEmbeddedStore(config.dataDir, config.onFailure ? { onFailure: config.onFailure } : {});
}

/**
 * Connects with the official driver (mongo/mongo-store.ts). The driver is loaded only here: on the
 * embedded store its 7 MB of heap would be marked by every full collection for nothing.
 */
export async function openMongoStore(uri: string, options: MongoStoreOptions = {}): Promise<DocumentStore> {
  const mongo = await import('./mongo/mongo-store.js');
  return mongo.openMongoStore(uri, options);
}
