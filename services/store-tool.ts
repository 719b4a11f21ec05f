// What the administrators' command-line tools (`npm run privacy`, `npm run admin`) share: the same
// command line conventions (--help on stdout, a mistake said with the usage, exit 2), the store
// `npm start` would open, and one JSON object on stdout. Exit 0 done, 1 refused or failed, 2 a wrong
// command line or configuration.

import { ConfigError, loadConfig } from './config.js';
import { isDomainError } from './domain/index.js';
import { openEmbeddedStore, openMongoStore, type DocumentStore } from './store/index.js';

/** A wrong command line: said with the usage, exit 2. */
export class UsageError extends Error {}

export interface StoreTool<C> {
  /** The tool's name, the first word of each line it says on stderr. */
  name: string;
  usage: string;
  parse(args: string[]): C;
  /** Runs the command on the open store (closed after); resolves to the exit code. */
  run(command: C, store: DocumentStore, say: (line: string) => void): Promise<number>;
  /** Refusals the tool says in one line with exit 1 rather than as a failure with a stack. */
  refused?(e: unknown): boolean;
}

export function print(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** Parses, opens the store, runs, closes, and sets the exit code. */
export function runStoreTool<C>(tool: StoreTool<C>): void {
  const say = (line: string) => process.stderr.write(`${tool.name}: ${line}\n`);
  main(tool, say).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exitCode = 1;
    },
  );
}

async function main<C>(tool: StoreTool<C>, say: (line: string) => void): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(tool.usage);
    return 0;
  }
  let command: C;
  try {
    command = tool.parse(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    say(e.message);
    process.stderr.write(tool.usage);
    return 2;
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    say(e.message);
    return 2;
  }
  let store: DocumentStore;
  try {
    store = config.mongodbUri
      ? await openMongoStore(config.mongodbUri)
      : await openEmbeddedStore(config.dataDir);
  } catch (e) {
    // The embedded store's folder in use by a running server, a database out of reach.
    if (isDomainError(e) && e.kind === 'unavailable') {
      say(`${e.message}. Nothing was read or changed.`);
      return 1;
    }
    throw e;
  }
  say(config.mongodbUri ? 'on MongoDB' : `on the embedded store in ${config.dataDir}`);
  try {
    return await tool.run(command, store, say);
  } catch (e) {
    if (tool.refused?.(e)) {
      say((e as Error).message);
      return 1;
    }
    throw e;
  } finally {
    await store.close();
  }
}
