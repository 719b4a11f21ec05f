import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type restify from 'restify';
import type { Config } from './config.js';
import { systemDeps, type Deps } from './domain/index.js';
import { createHttpServer } from './http/server.js';
import { createLogger, type Logger } from './log.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const VERSION: string = (
  JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }
).version;

export interface AppOptions {
  deps?: Deps;
  log?: Logger;
  /** Built web assets; defaults to tab/dist of this checkout. */
  webRoot?: string;
}

export interface App {
  server: restify.Server;
  /** Listens on the port and resolves with the URL actually bound (port 0 picks a free one). */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** The composition root: config → store → services → HTTP server → bot mounted (DESIGN.md §1). */
export async function createApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const log = opts.log ?? createLogger({ service: 'switchboard' });
  const deps = opts.deps ?? systemDeps;
  void deps;
  const server = createHttpServer({
    log,
    version: VERSION,
    storeKind: config.mongodbUri ? 'mongodb' : 'embedded',
    webRoot: opts.webRoot ?? path.join(projectRoot, 'tab', 'dist'),
  });

  return {
    server,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const { port: bound } = server.address() as AddressInfo;
          resolve(`http://localhost:${bound}`);
        });
      }),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
