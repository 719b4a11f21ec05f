import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DIRECT_LINE_SECRET } from '../support/server.js';
import { freePort, spawnServer } from '../support/server-process.js';

// `npm start` when something outside the code stops it: the operator reads one line saying what,
// and the process ends with a failure code — no stack trace to dig through, no server half up.

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** Runs `services/main.ts` to its exit; the exit code and what it wrote to stderr. */
function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawnServer({ DIRECT_LINE_SECRET: TEST_DIRECT_LINE_SECRET, ...env });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-start-'));
  dirs.push(dir);
  return dir;
}

function saysOnly(stderr: string, what: RegExp): void {
  const line = stderr.split('\n').find((l) => l.startsWith('Switchboard cannot start: '));
  expect(line, stderr).toMatch(what);
  expect(stderr, 'a stack trace was printed').not.toMatch(/^\s+at /m);
}

describe('npm start cannot start', () => {
  it('says the database cannot be reached', async () => {
    // A closed port, and the URI's own selection timeout, which the adapter's default must not override.
    const closed = await freePort();
    const { code, stderr } = await start({
      PORT: String(await freePort()),
      MONGODB_URI: `mongodb://127.0.0.1:${closed}/switchboard?serverSelectionTimeoutMS=500`,
      DATA_DIR: await dataDir(),
    });
    expect(code).toBe(1);
    saysOnly(stderr, /The database cannot be reached: .*ECONNREFUSED.*\(MONGODB_URI\)$/);
  }, 180_000);

  it('says the data folder is in use by another server', async () => {
    const dir = await dataDir();
    // This test's own process is alive: its pid in the lock is a server that still runs.
    await writeFile(path.join(dir, 'LOCK'), String(process.pid));
    const { code, stderr } = await start({ PORT: String(await freePort()), DATA_DIR: dir });
    expect(code).toBe(1);
    saysOnly(stderr, new RegExp(`data directory .* is in use by process ${process.pid}`));
  }, 180_000);

  it('says the port is taken, and lets go of the data folder for the next start', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const dir = await dataDir();
      const { code, stderr } = await start({ PORT: String(port), DATA_DIR: dir });
      expect(code).toBe(1);
      saysOnly(stderr, /EADDRINUSE/);
      expect(existsSync(path.join(dir, 'LOCK')), 'the lock of a server that never ran').toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 180_000);

  it('says an address it cannot listen on, naming HOST', async () => {
    // TEST-NET-1 (RFC 5737): no machine has it.
    const { code, stderr } = await start({
      PORT: String(await freePort()),
      HOST: '192.0.2.1',
      DATA_DIR: await dataDir(),
    });
    expect(code).toBe(1);
    saysOnly(stderr, /EADDRNOTAVAIL.*HOST=192\.0\.2\.1/);
    // Any free port on that address: the probe for one is refused in the same words, not a crash.
    const anyPort = await start({ PORT: '0', HOST: '192.0.2.1', DATA_DIR: await dataDir() });
    expect(anyPort.code).toBe(1);
    saysOnly(anyPort.stderr, /EADDRNOTAVAIL.*PORT=0, HOST=192\.0\.2\.1/);
  }, 180_000);

  it('says a data folder it cannot use, naming DATA_DIR', async () => {
    const notAFolder = path.join(await dataDir(), 'switchboard-data');
    await writeFile(notAFolder, 'a file, not a folder');
    const { code, stderr } = await start({ PORT: String(await freePort()), DATA_DIR: notAFolder });
    expect(code).toBe(1);
    saysOnly(stderr, /the data folder .*switchboard-data \(DATA_DIR\) cannot be used: E(EXIST|NOTDIR)/);
  }, 180_000);

  it('says a MONGODB_URI the driver cannot read, naming it', async () => {
    const { code, stderr } = await start({
      PORT: String(await freePort()),
      MONGODB_URI: 'mongodb://127.0.0.1:27017/switchboard?tls=maybe',
      DATA_DIR: await dataDir(),
    });
    expect(code).toBe(1);
    saysOnly(stderr, /MONGODB_URI cannot be read: tls\/ssl must be either "true" or "false"/);
  }, 180_000);
});
