/**
 * The acceptance test runs against the real app (test/support/server.ts, owned by the server
 * side) when it exists, otherwise against the stand-in, so the widget can be developed first.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { startStandIn } from './standin.js';

export interface ServerUnderTest {
  url: string;
  kind: 'real' | 'stand-in';
  close(): Promise<void>;
}

const REAL = fileURLToPath(new URL('../../support/server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Builds the widget and demo as `npm start` does; `outDir` keeps a test's build private. */
export function buildWeb(outDir?: string): void {
  const args = outDir ? ['tab/build.mjs', `--out=${outDir}`] : ['tab/build.mjs'];
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'pipe' });
}

export async function startServerUnderTest(): Promise<ServerUnderTest> {
  buildWeb();
  if (existsSync(REAL) && process.env.WIDGET_E2E_STANDIN !== '1') {
    const mod = (await import(REAL)) as {
      startTestServer(opts?: { dataDir?: string }): Promise<{ url: string; close(): Promise<void> }>;
    };
    const s = await mod.startTestServer();
    const url = s.url.replace(/\/+$/, '');
    if (await servesDirectLine(url)) return { url, kind: 'real', close: () => s.close() };
    // The real app is there but its Direct Line channel is not mounted yet (parallel work): say so
    // loudly and test the widget against the stand-in rather than fail everyone's `npm test`.
    console.warn('[widget e2e] the real server has no /v3/directline yet; using the stand-in');
    await s.close();
  }
  const s = await startStandIn();
  return { url: s.url, kind: 'stand-in', close: () => s.close() };
}

async function servesDirectLine(url: string): Promise<boolean> {
  const res = await fetch(`${url}/v3/directline/tokens/generate`, { method: 'POST' });
  await res.body?.cancel();
  return res.status !== 404;
}
