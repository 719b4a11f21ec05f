import type { Collection, DocumentStore } from '../services/store/index.js';

// Counts the store operations the app makes, by collection: a figure that, unlike a rate on these
// noisy machines, moves only when the code does. On MongoDB each operation is one command, a round
// trip to the database.

const WRITE_OPS = [
  'insertOne',
  'insertMany',
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'findOneAndUpdateFields',
  'deleteMany',
] as const;
const READ_OPS = ['find', 'findOne', 'findFields', 'count', 'aggregate'] as const;

export interface Tally {
  writes: Map<string, number>;
  reads: Map<string, number>;
}

export const newTally = (): Tally => ({ writes: new Map(), reads: new Map() });

/** The store, with every read and write through its collections counted in `tally`. */
export function countingStore(inner: DocumentStore, tally: Tally): DocumentStore {
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  return {
    kind: inner.kind,
    close: () => inner.close(),
    ...(inner.version ? { version: () => inner.version!() } : {}),
    ...(inner.failure ? { failure: () => inner.failure!() } : {}),
    collection<T extends object>(name: string): Collection<T> {
      const c = inner.collection<T>(name);
      const wrapped = Object.create(c) as Collection<T>;
      for (const op of WRITE_OPS) {
        (wrapped as unknown as Record<string, unknown>)[op] = (...args: unknown[]) => {
          bump(tally.writes, name);
          return (c[op] as (...a: unknown[]) => unknown).apply(c, args);
        };
      }
      for (const op of READ_OPS) {
        (wrapped as unknown as Record<string, unknown>)[op] = (...args: unknown[]) => {
          bump(tally.reads, name);
          return (c[op] as (...a: unknown[]) => unknown).apply(c, args);
        };
      }
      return wrapped;
    },
  };
}

/** Totals of a tally, for sending across processes and subtracting. */
export function tallyTotals(tally: Tally): { reads: number; writes: number } {
  let reads = 0;
  let writes = 0;
  for (const v of tally.reads.values()) reads += v;
  for (const v of tally.writes.values()) writes += v;
  return { reads, writes };
}
