import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../services/store/index.js';

const lineCount = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter(Boolean).length;

describe('embedded store datafiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-compact-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rewrites a datafile without superseded lines once they pile up, and keeps every write', async () => {
    const store = await openEmbeddedStore(dir, { compactAfterLines: 200 });
    const things = store.collection<{ id: string; n: number }>('things');
    await things.ensureIndex({ keys: { id: 1 }, unique: true });
    await things.insertMany(Array.from({ length: 20 }, (_, i) => ({ id: `t${i}`, n: 0 })));
    for (let round = 1; round <= 50; round++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => things.updateOne({ id: `t${i}` }, { $inc: { n: 1 } })),
      );
    }
    const file = path.join(dir, 'things.db');
    // 1 020 documents were written; without compaction the file would hold every one of them.
    expect(await lineCount(file)).toBeLessThan(300);
    await store.close();

    const reopened = await openEmbeddedStore(dir, { compactAfterLines: 200 });
    const all = await reopened.collection<{ id: string; n: number }>('things').find({});
    expect(all).toHaveLength(20);
    expect(all.every((t) => t.n === 50)).toBe(true);
    await reopened.close();
  });

  it('refuses a second store on a data directory in use, and allows it once the first is closed', async () => {
    const first = await openEmbeddedStore(dir);
    await expect(openEmbeddedStore(dir)).rejects.toMatchObject({ code: 'store.data_dir_in_use' });
    await first.close();
    const second = await openEmbeddedStore(dir);
    await second.close();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    // Pid 2^22 + 1 is above Linux's pid_max, so no process has it.
    await writeFile(path.join(dir, 'LOCK'), String(4_194_305));
    const store = await openEmbeddedStore(dir);
    await store.close();
  });
});
