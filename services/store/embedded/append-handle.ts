import { open, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Datastore } from './nedb.js';

const require = createRequire(import.meta.url);
// NeDB's own line format (dates as {$$date}), so the file stays loadable by NeDB.
const { serialize } = require('@seald-io/nedb/lib/model.js') as { serialize(doc: object): string };

interface PersistenceSlot {
  persistNewStateAsync(docs: object[]): Promise<void>;
}

/**
 * NeDB appends each write with `fs.appendFile`, which opens and closes the file every time; with
 * NeDB running one operation at a time that open/close latency caps the write rate. Keep one
 * append-mode handle per datafile instead: a write is still handed to the OS (`write(2)`) before
 * its promise resolves, which is what survives a SIGKILL. Opened after loading, because loading
 * compacts the file into a new inode.
 */
export async function keepDatafileOpen(datastore: Datastore, filename: string): Promise<FileHandle> {
  const handle = await open(filename, 'a');
  const persistence = datastore.persistence as unknown as PersistenceSlot;
  persistence.persistNewStateAsync = async (docs: object[]) => {
    if (docs.length === 0) return;
    let lines = '';
    for (const doc of docs) lines += serialize(doc) + '\n';
    await handle.write(lines);
  };
  return handle;
}
