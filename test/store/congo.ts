import net from 'node:net';
import { CongoServer } from '@push.rocks/smartmongo/dist_ts/congodb/index.js';
import { enforceUniqueIndexes } from './congo-unique-indexes.js';

export interface RunningCongo {
  /** Base URI without a database; append `/<db>` plus `CONGO_URI_OPTIONS`. */
  host: string;
  uri(db: string): string;
  stop(): Promise<void>;
}

/**
 * CongoDB does not speak the driver's streaming heartbeat (`moreToCome`), so the monitor must poll,
 * and it is one server, so connect directly.
 */
export const CONGO_URI_OPTIONS = 'serverMonitoringMode=poll&directConnection=true';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the wire-compatible CongoDB server of @push.rocks/smartmongo on a free port (port 0 is
 * reported as 0), with MongoDB's unique-index rule added (congo-unique-indexes.ts).
 */
export async function startCongo(): Promise<RunningCongo> {
  const port = await freePort();
  const server = new CongoServer({ port });
  enforceUniqueIndexes(server.getStorage() as unknown as Parameters<typeof enforceUniqueIndexes>[0]);
  await server.start();
  const host = `mongodb://127.0.0.1:${port}`;
  return {
    host,
    uri: (db) => `${host}/${db}?${CONGO_URI_OPTIONS}`,
    stop: () => server.stop(),
  };
}
