import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signIn, type Json } from '../api/support/clients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { runStoreTool } from '../support/store-tool.js';

// `npm run --silent admin`: the first administrator of an install that has nobody to sign in as
// (Teams mode with DEMO_DATA=off) is made on the command line, under the admin API's rules, and can
// then sign in and run the API.

const dirs: string[] = [];
let server: TestServer | undefined;

afterAll(async () => {
  await server?.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const admin = (args: string[], dataDir: string) =>
  runStoreTool('services/administration/cli.ts', args, { DATA_DIR: dataDir, MONGODB_URI: '' });

describe('npm run admin', () => {
  it('makes the first administrator of an empty install, who then signs in and runs the admin API', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-admin-cli-'));
    dirs.push(dataDir);
    const ada = {
      name: 'Ada Park',
      email: 'ada@contoso.example',
      aadObjectId: '6b7d1f2e-0c1a-4b8e-9d3f-2a1c5e7b9d40',
      roles: ['admin', 'supervisor'],
    };
    const made = await admin(['add-agent', JSON.stringify(ada)], dataDir);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout.trim().split('\n')).toHaveLength(1);
    expect(made.json).toMatchObject(ada);
    const id = made.json.id as string;

    // Refused in words, nothing written: a field the API does not take, bad JSON, a second Ada.
    const unknown = await admin(['add-agent', JSON.stringify({ ...ada, usedUnits: 5 })], dataDir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/usedUnits|Unrecognized key/);
    const broken = await admin(['add-agent', '{name:'], dataDir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/not JSON/);
    const twice = await admin(['add-agent', JSON.stringify({ ...ada, aadObjectId: undefined })], dataDir);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/ada@contoso.example is already the e-mail of agent/);
    const renamed = await admin(['update-agent', id, '{"name":"Ada Park-Lee"}'], dataDir);
    expect(renamed.code, renamed.stderr).toBe(0);
    const listed = await admin(['agents'], dataDir);
    expect((listed.json.items as Json[]).map((a) => a.name)).toEqual(['Ada Park-Lee']);

    server = await startTestServer({ dataDir, env: { AUTH_MODE: 'dev', DEMO_DATA: 'off' } });
    const adaSignedIn = await signIn(server.url, id);
    expect((await adaSignedIn.call('GET', '/me')).body).toMatchObject({ id, roles: ['admin', 'supervisor'] });
    expect((await adaSignedIn.call('GET', '/admin/agents')).status).toBe(200);

    // The embedded store has one owner: with the server running, the tool changes nothing.
    const busy = await admin(['agents'], dataDir);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/Nothing was read or changed/);
  }, 120_000);

  it('says how it is used for a wrong command line', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-admin-cli-'));
    dirs.push(dataDir);
    const wrong = await admin(['remove-agent', 'x'], dataDir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/say agents, add-agent or update-agent[\s\S]*usage:/);
    const help = await admin(['--help'], dataDir);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage:/);
  }, 60_000);
});
