import { startCongo } from '../store/congo.js';

/**
 * The stores a server-level test runs on: the embedded store (the default), and the Mongo adapter
 * through the real driver and wire protocol against CongoDB (`MONGODB_URI`, as an administrator
 * sets it). For behaviour that rests on the store's unique indexes, which differ in code per adapter.
 */
export const SERVER_STORES: ReadonlyArray<{
  name: string;
  /** The configuration that selects the store, and how to stop what it started. */
  start(db: string): Promise<{ env: Record<string, string>; stop(): Promise<void> }>;
}> = [
  { name: 'embedded store', start: async () => ({ env: {}, stop: async () => undefined }) },
  {
    name: 'Mongo adapter on CongoDB',
    async start(db) {
      const congo = await startCongo();
      return { env: { MONGODB_URI: congo.uri(db) }, stop: () => congo.stop() };
    },
  },
];
