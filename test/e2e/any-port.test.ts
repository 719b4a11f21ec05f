import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { TEST_DIRECT_LINE_SECRET } from '../support/server.js';
import { spawnServer } from '../support/server-process.js';

// `PORT=0 npm start`: any free port, and everything that names the port (the printed URLs, the
// widget's allowed origin) names the one it listens on.

let dir = '';
afterAll(() => rm(dir, { recursive: true, force: true }));

it('listens on a free port and names that port everywhere', async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'switchboard-anyport-'));
  const child = spawnServer({ PORT: '0', DATA_DIR: dir, DIRECT_LINE_SECRET: TEST_DIRECT_LINE_SECRET });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  try {
    const base = await new Promise<string>((resolve, reject) => {
      const seen = () => {
        const m = /Demo page and chat widget +(http:\/\/localhost:(\d+))\//.exec(stderr);
        if (m) resolve(m[1]!);
      };
      child.stderr?.on('data', seen);
      child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${stderr}`)));
    });
    expect(base).not.toBe('http://localhost:0');
    expect(stderr).toContain(`Listening on                127.0.0.1:${new URL(base).port}`);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    // The demo page's widget asks for its token from the page's own origin, which is allowed.
    const token = await fetch(`${base}/widget/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: base },
      body: '{}',
    });
    expect(token.status).toBe(200);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
}, 180_000);
