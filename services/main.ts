import { createServer, type AddressInfo } from 'node:net';
import { createApp, type App } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { isDomainError } from './domain/index.js';
import { limitHeapGrowth } from './heap-growth.js';
import { watchHeapHeadroom } from './heap-headroom.js';
import { createLogger } from './log.js';

// `npm start`: read the environment once, build the app, listen, and say where everything is.

limitHeapGrowth();

/** File system refusals that say the data folder is unusable, not that the code is wrong. */
const FS_PROBLEMS = new Set(['EACCES', 'EPERM', 'EROFS', 'EEXIST', 'ENOTDIR', 'EISDIR', 'ENOSPC', 'EDQUOT']);

const log = createLogger({ service: 'switchboard' });

// PORT=0 asks for any free port. The public URL, the widget's allowed origin and the URLs printed
// below all name the port, so it is chosen before anything is built from the configuration.
if (process.env.PORT?.trim() === '0') process.env.PORT = String(await anyFreePort(process.env.HOST));

let config: Config;
try {
  config = loadConfig(process.env);
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`Switchboard cannot start: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}

// The embedded store's data lives in the heap: the operator hears before it runs out, from the
// collections while the data folder loads on (heap-headroom.ts).
watchHeapHeadroom({ log, storeKind: config.mongodbUri ? 'mongodb' : 'embedded' });

let app: App | undefined;
let url: string;
try {
  app = await createApp(config, { log });
  url = await app.listen(config.port);
} catch (e) {
  // Whatever was opened is let go (the data folder's lock above all), so the next start is not
  // refused for a server that never ran.
  await app?.close().catch(() => undefined);
  const said = operatorCanFix(e, config);
  if (said) {
    process.stderr.write(`Switchboard cannot start: ${said}\n`);
    process.exit(1);
  }
  throw e;
}
const base = config.publicUrl || url;
// Each URL printed opens (a page, a document, an endpoint that answers); the two APIs are base
// paths with nothing at their root, so they are printed as paths, beside what does open.
process.stderr.write(
  [
    '',
    `Switchboard is running (${config.mongodbUri ? 'MongoDB' : `embedded store in ${config.dataDir}`}).`,
    `  Listening on                ${config.host}:${new URL(url).port}${config.bot ? '' : ' (local mode: set HOST to accept other machines)'}`,
    `  Demo page and chat widget   ${base}/`,
    `  Bot Framework endpoint      ${base}/api/messages (POST, for the Bot Connector)`,
    `  Agent workspace (Teams tab) ${base}/tab/`,
    `  Agent API                   ${base}/api/v1/openapi.json (its description; routes under the base path /api/v1/…)`,
    `  Direct Line channel         ${base}/v3/directline (a base path, Web Chat's "domain"; not a page)`,
    `  Privacy and terms           ${base}/privacy ${base}/terms`,
    `  Health                      ${base}/api/health`,
    '',
  ].join('\n') + '\n',
);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    log.info('shutting down', { signal });
    app.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  });
}

/**
 * What the operator can put right, in one line — the database out of reach, the data folder in use
 * by another server (both refusals of kind `unavailable`), a `MONGODB_URI` the driver cannot read,
 * the data folder unusable (read-only, not a folder, not ours, the disk full), the port taken or not
 * ours to listen on — or null: anything else is a bug and keeps its stack.
 */
function operatorCanFix(e: unknown, config: Config): string | null {
  if (isDomainError(e)) return e.kind === 'unavailable' || e.code.startsWith('config.') ? e.message : null;
  const err = e as NodeJS.ErrnoException;
  if (err.syscall === 'listen') return `${err.message} (PORT=${config.port}, HOST=${config.host})`;
  if (!config.mongodbUri && err.code && FS_PROBLEMS.has(err.code)) {
    return `the data folder ${config.dataDir} (DATA_DIR) cannot be used: ${err.message}`;
  }
  return null;
}

function anyFreePort(host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    // Free on every interface is free on whichever one HOST names.
    probe.listen(0, host?.trim() || '0.0.0.0', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
