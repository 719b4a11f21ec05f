import { createServer, type AddressInfo } from 'node:net';
import { createApp, type App } from './app.js';
import { ConfigError, loadConfig, settingsMisspelled, type Config } from './config.js';
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
for (const line of settingsMisspelled(process.env)) log.warn(line);

// HOST is checked first, so a mistyped one is named rather than crashing the probe.
let config = configOrExit();
if (config.port === 0) {
  const host = config.host;
  process.env.PORT = String(
    await anyFreePort(host).catch((e: NodeJS.ErrnoException) => {
      process.stderr.write(`Switchboard cannot start: ${e.message} (PORT=0, HOST=${host})\n`);
      process.exit(1);
    }),
  );
  config = configOrExit();
}

function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Switchboard cannot start: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
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
    `  Listening on                ${config.host}:${new URL(url).port}${listeningNote()}`,
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
  if (isDomainError(e)) {
    if (!(e.kind === 'unavailable' || e.code.startsWith('config.'))) return null;
    // The database out of reach: the operator's next look is at the variable that names it.
    return config.mongodbUri && /database cannot be reached/.test(e.message)
      ? `${e.message} (MONGODB_URI)`
      : e.message;
  }
  const err = e as NodeJS.ErrnoException;
  if (err.syscall === 'listen') return `${err.message} (PORT=${config.port}, HOST=${config.host})`;
  if (!config.mongodbUri && err.code && FS_PROBLEMS.has(err.code)) {
    return `the data folder ${config.dataDir} (DATA_DIR) cannot be used: ${err.message}`;
  }
  return null;
}

function anyFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** What the listening address means for who may sign in without a password (local mode). */
function listeningNote(): string {
  if (config.authMode !== 'dev') return '';
  if (isLoopback(config.host)) return ' (local mode: set HOST to accept other machines)';
  return ' (LOCAL MODE ON A NETWORK ADDRESS: anyone who reaches it may sign in as anyone, supervisors included; configure Teams sign-in before real use)';
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
