import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCustomerConversation } from '../bot/support/directline-http.js';
import { TEST_DIRECT_LINE_SECRET } from '../support/server.js';
import { exited, freePort, startServerProcess } from '../support/server-process.js';

// The embedded store acknowledges nothing before its files have it, and stops once it cannot write
// them (services/store/README.md, "Durability"). Here the real server runs with a file-size limit, so
// a write fails as on a full disk (EFBIG instead of ENOSPC): customers must then get a clear 503
// rather than a 500 or silence, `/api/health` must say the server is unavailable and why, and after
// a restart without the limit every message acknowledged before the failure is still there — and a
// refused message the customer's widget sends again (same client id) is there exactly once, whether
// or not its write had reached the file before the failure.

const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Above the demo data's largest file (about 20 KB); a few dozen messages go past it. */
const FILE_SIZE_LIMIT = 64 * 1024;

async function startServer(dataDir: string, port: number, fileSizeLimit?: number): Promise<ChildProcess> {
  const env = { DATA_DIR: dataDir, DIRECT_LINE_SECRET: TEST_DIRECT_LINE_SECRET };
  const { child } = await startServerProcess(port, env, 'server', fileSizeLimit);
  children.push(child);
  return child;
}

describe('the embedded store cannot write its files', () => {
  it('answers 503 from then on, says so on /api/health, and keeps every acknowledged message', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-efbig-'));
    dirs.push(dataDir);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let server = await startServer(dataDir, port, FILE_SIZE_LIMIT);
    const { send, texts } = await openCustomerConversation(base, 'dl_efbig');

    // Send until the server refuses; each message's bot turn writes too, so the refusal may come
    // from a write the POST itself made or from one a turn made just before. Long messages reach the
    // limit in about a dozen, well inside the 60 a minute one conversation may post.
    const acked: string[] = [];
    let refused: { status: number; body: Record<string, unknown> } | undefined;
    let refusedText = '';
    for (let i = 0; i < 50 && !refused; i++) {
      const text = `message ${i} ${'x'.repeat(3000)}`;
      const res = await send(text, `cid-${i}`);
      if (res.status === 200) acked.push(text);
      else [refused, refusedText] = [res, text];
    }
    expect(refused, 'the server never refused a message: the file-size limit did not bite').toBeDefined();
    expect(acked.length).toBeGreaterThan(0);
    expect(refused!.status).toBe(503);
    expect(refused!.body.error).toMatchObject({ code: 'store.unavailable' });
    expect(String((refused!.body.error as { message: string }).message)).toMatch(/until restarted/);

    // Every later call is refused the same way, and the health check names the cause.
    const again = await send('after the failure', 'cid-after-failure');
    expect(again.status).toBe(503);
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(503);
    const healthBody = (await health.json()) as { status: string; store: string; reason: string };
    expect(healthBody).toMatchObject({ status: 'unavailable', store: 'embedded' });
    expect(healthBody.reason).toMatch(/could not write its files.*EFBIG/);

    // A graceful stop still ends the process (nothing more is written), and a restart without the
    // limit serves every message acknowledged before the failure, and new ones.
    server.kill('SIGTERM');
    await exited(server);
    server = await startServer(dataDir, port);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    const held = new Set(await texts());
    const lost = acked.filter((text) => !held.has(text)).map((text) => text.slice(0, 12));
    expect(lost, 'acknowledged messages missing after the restart').toEqual([]);
    // The widget sends the refused messages again, under their client ids.
    const refusedId = `cid-${acked.length}`;
    expect((await send(refusedText, refusedId)).status).toBe(200);
    expect((await send('after the failure', 'cid-after-failure')).status).toBe(200);
    expect((await send(refusedText, refusedId)).status).toBe(200);
    const all = await texts();
    expect(all.filter((t) => t === refusedText)).toHaveLength(1);
    expect(all.filter((t) => t === 'after the failure')).toHaveLength(1);
    expect((await send('after the restart')).status).toBe(200);
    server.kill('SIGTERM');
    await exited(server);
  }, 600_000);
});
