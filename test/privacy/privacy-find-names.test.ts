import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../services/domain/index.js';
import {
  COLLECTIONS,
  openEmbeddedStore,
  openMongoStore,
  type DocumentStore,
} from '../../services/store/index.js';
import { startCongo, type RunningCongo } from '../store/congo.js';

// A data-subject request names a person as the requester spells it: `privacy find --name` must find
// them however the name was stored (composed or decomposed accents, Turkish dotted and dotless i)
// and however it is typed (with or without accents, any case), on the embedded store and on MongoDB.

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = path.join(root, 'node_modules/.bin/tsx');

/** Ids sorting after every filler's, so that they are read on a later page than the first. */
const PEOPLE: Record<string, string> = {
  c_z_jose: 'José Álvarez'.normalize('NFD'),
  c_z_nunez: 'María Núñez',
  c_z_zoe: 'Zoë Ångström',
  c_z_ilkay: 'İlkay Işık',
  c_z_dana: 'Dana Smith',
};
/** More customers than the tool reads at once. */
const FILLERS = 5_100;

const QUERIES: Array<[query: string, ids: string[]]> = [
  ['José', ['c_z_jose']], // composed, against a name stored decomposed
  ['maria  NUNEZ', ['c_z_nunez']],
  ['Zoe', ['c_z_zoe']],
  ['angstrom', ['c_z_zoe']],
  ['ilkay', ['c_z_ilkay']],
  ['ışık', ['c_z_ilkay']],
];

function customer(id: string, name: string): Customer {
  const at = new Date('2026-12-01T10:00:00Z');
  return { id, kind: 'contact', name, identities: [], createdAt: at, updatedAt: at };
}

async function seed(store: DocumentStore): Promise<void> {
  const fillers = Array.from({ length: FILLERS }, (_, i) =>
    customer(`c_fill_${String(i).padStart(5, '0')}`, `Filler ${i}`),
  );
  const people = Object.entries(PEOPLE).map(([id, name]) => customer(id, name));
  await store.collection<Customer>(COLLECTIONS.customers).insertMany([...fillers, ...people]);
  await store.close();
}

function findByName(
  name: string,
  env: Record<string, string>,
): Promise<{ code: number | null; ids: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['services/privacy/cli.ts', 'find', '--name', name], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const out = JSON.parse(stdout) as { customers: Array<{ id: string }> };
      resolve({ code, ids: out.customers.map((c) => c.id) });
    });
  });
}

// Each command starts tsx: seconds each, and more on a loaded machine.
const CLI_RUNS = { timeout: 240_000 };

describe('privacy find --name on the embedded store', CLI_RUNS, () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-privacy-names-'));
    await seed(await openEmbeddedStore(dataDir));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finds a person however their name was stored and however it is typed', async () => {
    // One at a time: the data folder has one owner.
    for (const [query, ids] of QUERIES)
      expect(await findByName(query, { DATA_DIR: dataDir, MONGODB_URI: '' }), query).toEqual({
        code: 0,
        ids,
      });
  });
});

describe('privacy find --name on MongoDB (the Mongo adapter on CongoDB)', CLI_RUNS, () => {
  let congo: RunningCongo;
  const env = () => ({ MONGODB_URI: congo.uri('privacy_names'), DATA_DIR: '' });
  beforeAll(async () => {
    congo = await startCongo();
    await seed(await openMongoStore(env().MONGODB_URI));
  });
  afterAll(async () => {
    await congo?.stop();
  });

  it('finds a person however their name was stored and however it is typed', async () => {
    for (const [query, ids] of QUERIES)
      expect(await findByName(query, env()), query).toEqual({ code: 0, ids });
  });
});
