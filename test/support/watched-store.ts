import type { Collection, DocumentStore } from '../../services/store/index.js';

/**
 * The store with each collection handed through `watch`, which may return it as it is or a stand-in
 * that notes what is done to it (tests that count or log the reads a path makes). Everything else is
 * the store's own.
 */
export function watchedStore(
  store: DocumentStore,
  watch: <T extends object>(name: string, collection: Collection<T>) => Collection<T>,
): DocumentStore {
  return {
    ...store,
    kind: store.kind,
    close: () => store.close(),
    collection: <T extends object>(name: string) => watch(name, store.collection<T>(name)),
  };
}
