// The store's public face: open a store, build the repositories on it.
export { openStore, openMongoStore, type StoreConfig } from './open-store.js';
export { openEmbeddedStore, type EmbeddedStoreOptions } from './embedded/embedded-store.js';
export type { MongoStoreOptions } from './mongo/mongo-store.js';
export * from './repositories/index.js';
export { DuplicateKeyError } from './port.js';
export type {
  DocumentStore,
  Collection,
  Filter,
  Update,
  SortSpec,
  FindOptions,
  FindOneAndUpdateOptions,
  IndexSpec,
} from './port.js';
