import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App, type AppOptions, type AppServices } from '../../services/app.js';
import { loadConfig } from '../../services/config.js';
import { systemDeps, type Deps } from '../../services/domain/index.js';
import { silentLogger } from '../../services/log.js';

/** The Direct Line secret test servers run with, as a site's server would configure it. */
export const TEST_DIRECT_LINE_SECRET = 'test-direct-line-secret-0123456789abcdef';

/** A Saturday, 10:00 in New York: Technical support is open, Billing (Monday to Friday) is not. */
export const SATURDAY_MORNING = new Date('2026-12-05T15:00:00Z');

/** The system's own deps, with a clock that starts at `at` and runs on from there (`app.deps`). */
export function depsAt(at: Date): Deps {
  const offset = at.getTime() - Date.now();
  return { ...systemDeps, now: () => new Date(Date.now() + offset) };
}

export interface TestServer {
  url: string;
  app: App;
  services: AppServices;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The real app on a free port with a fresh store (demo data loaded), for tests over real HTTP. `env`
 * adds configuration variables exactly as an administrator would set them. The store is the
 * embedded one; in the vitest project `mongo` (`SWITCHBOARD_TEST_STORE=congodb`) it is the Mongo
 * adapter against a CongoDB of the server's own, unless the test chose a store itself.
 */
export async function startTestServer(
  opts: {
    dataDir?: string;
    env?: Record<string, string>;
    keepData?: boolean;
    /** Listen here rather than on a free port: a restart that channels' stored references still reach. */
    port?: number;
    app?: Omit<AppOptions, 'log'>;
  } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'switchboard-test-')));
  // Imported only here: the embedded runs need none of CongoDB.
  const congo =
    process.env.SWITCHBOARD_TEST_STORE === 'congodb' && !opts.dataDir && !opts.env?.MONGODB_URI
      ? await (await import('../store/congo.js')).startCongo()
      : null;
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    DIRECT_LINE_SECRET: TEST_DIRECT_LINE_SECRET,
    ...(congo ? { MONGODB_URI: congo.uri('switchboard_test') } : {}),
    ...opts.env,
  });
  const app = await named('creating the app', createApp(config, { log: silentLogger, ...opts.app })).catch(
    async (e: unknown) => {
      await congo?.stop();
      throw e;
    },
  );
  const url = await named('listening', app.listen(opts.port ?? 0, '127.0.0.1'));
  const publicUrl = opts.env?.PUBLIC_URL;
  return {
    url: publicUrl ?? url.replace('localhost', '127.0.0.1'),
    app,
    services: app.services,
    dataDir,
    close: async () => {
      await app.close();
      await congo?.stop();
      if (!opts.dataDir && !opts.keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starting takes well under a second; a minute means it hung, and the suite's hook should say where. */
const START_STEP_LIMIT_MS = 60_000;

async function named<T>(step: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`test server: ${step} did not finish in ${START_STEP_LIMIT_MS / 1000} s`)),
      START_STEP_LIMIT_MS,
    );
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}
