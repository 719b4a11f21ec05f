/**
 * The acceptance test runs against the real app (test/support/server.ts, owned by the server
 * side). WIDGET_E2E_STANDIN=1 runs it against the stand-in instead, to tell a widget bug from a
 * server one.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureWebBuilt } from '../../support/web-build.js';
import { startStandIn } from './standin.js';

export interface ServerUnderTest {
  url: string;
  kind: 'real' | 'stand-in';
  close(): Promise<void>;
}

const REAL = fileURLToPath(new URL('../../support/server.ts', import.meta.url));

/**
 * `env` configures the real server as an administrator would; the stand-in knows `CHAT_AUTH_SECRET`.
 * `port`: the real server listens there rather than on a free port, for a `PUBLIC_URL` that names it.
 */
export async function startServerUnderTest(
  env: Record<string, string> = {},
  opts: { port?: number } = {},
): Promise<ServerUnderTest> {
  ensureWebBuilt();
  if (existsSync(REAL) && process.env.WIDGET_E2E_STANDIN !== '1') {
    const mod = (await import(REAL)) as {
      startTestServer(opts?: {
        dataDir?: string;
        env?: Record<string, string>;
        port?: number;
      }): Promise<{ url: string; close(): Promise<void> }>;
    };
    const s = await mod.startTestServer({ env, ...(opts.port ? { port: opts.port } : {}) });
    return { url: s.url.replace(/\/+$/, ''), kind: 'real', close: () => s.close() };
  }
  const s = await startStandIn(env.CHAT_AUTH_SECRET ? { chatAuthSecret: env.CHAT_AUTH_SECRET } : {});
  return { url: s.url, kind: 'stand-in', close: () => s.close() };
}
