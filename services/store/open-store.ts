import { openEmbeddedStore } from './embedded/embedded-store.js';
import { openMongoStore } from './mongo/mongo-store.js';
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
