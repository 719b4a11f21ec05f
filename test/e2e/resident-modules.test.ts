import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// What the server keeps loaded is marked by every full garbage collection, which pauses every
// conversation of the instance (docs/performance.md, "Where the time goes"). Two libraries loaded
// for nothing took a third of the started server's heap objects: natural's sentiment analyzer
// module, which reads the lexicons of eleven languages to give us English AFINN, and the MongoDB
// driver on the embedded store. The app is started in a process of its own, as `npm start` runs it,
// so nothing another test loaded is counted.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const LIST_MODULES = `
import { createRequire } from 'node:module';
const { createApp } = await import('./services/app.ts');
const { loadConfig } = await import('./services/config.ts');
const { silentLogger } = await import('./services/log.ts');
const app = await createApp(loadConfig({ ...process.env, PORT: '0' }), { log: silentLogger, routingSweepMs: 0 });
await app.listen(0, '127.0.0.1');
process.stdout.write(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));
process.exit(0);
`;

async function modulesOfStartedServer(env: Record<string, string>): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', LIST_MODULES],
    { cwd: root, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as string[];
}

describe('modules a started server keeps', () => {
  it("has no MongoDB driver on the embedded store, and none of natural's sentiment lexicons", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-modules-'));
    dirs.push(dir);
    const loaded = await modulesOfStartedServer({ DATA_DIR: dir, MONGODB_URI: '' });
    const packages = loaded.map((f) => /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]);
    // The list is real: the server's own libraries are in it.
    expect(packages).toContain('botbuilder');
    expect(packages).toContain('restify');
    expect(packages).toContain('natural'); // its stemmer
    expect(packages).not.toContain('mongodb');
    expect(loaded.filter((f) => f.includes('/natural/lib/natural/sentiment/'))).toEqual([]);
  }, 150_000); // a hang guard, as for the other suites that start the server: a loaded machine compiles slowly
});
