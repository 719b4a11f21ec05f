import { writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Datastore } from './nedb.js';
import { datafileLine } from './datafile-line.js';

interface PersistenceSlot {
  persistNewStateAsync(docs: object[]): Promise<void>;
}

/** Lines appended before a rewrite is considered: at least this many, and more than twice the live documents. */
export const DEFAULT_COMPACT_AFTER_LINES = 50_000;

/**
 * One collection's datafile, kept open for appends. NeDB appends each write with `fs.appendFile`,
 * which opens and closes the file every time; with NeDB running one operation at a time that
 * latency caps the write rate. Here a write is still handed to the OS (`write(2)`) before its
 * promise resolves, which is what survives a SIGKILL.
 *
 * The file only grows (every update appends the whole new document), so it is rewritten without
 * superseded lines when they dominate: NeDB writes a temporary file, fsyncs and renames it over the
 * old one (crash-safe), and the handle is reopened on the new file.
 */
export class Datafile {
  private appendedLines = 0;
  private nextCheckAt: number;

  private constructor(
    private readonly datastore: Datastore,
    private readonly filename: string,
    private handle: FileHandle,
    private readonly compactAfterLines: number,
  ) {
    this.nextCheckAt = compactAfterLines;
    const persistence = datastore.persistence as unknown as PersistenceSlot;
    persistence.persistNewStateAsync = async (docs: object[]) => {
      if (docs.length === 0) return;
      let lines = '';
      for (const doc of docs) lines += datafileLine(doc) + '\n';
      // A synchronous write into the page cache takes microseconds; the thread pool would add a
      // round trip per write, and NeDB runs one write at a time.
      const bytes = Buffer.from(lines, 'utf8');
      for (let written = 0; written < bytes.length;) written += writeSync(this.handle.fd, bytes, written);
      this.appendedLines += docs.length;
    };
  }

  /** Opened after NeDB has loaded (and thereby compacted) the file. */
  static async attach(
    datastore: Datastore,
    filename: string,
    compactAfterLines = DEFAULT_COMPACT_AFTER_LINES,
  ): Promise<Datafile> {
    return new Datafile(datastore, filename, await open(filename, 'a', 0o600), compactAfterLines);
  }

  needsCompaction(): boolean {
    if (this.appendedLines < this.nextCheckAt) return false;
    // Counting live documents walks NeDB's tree, so do it only now and then.
    const live = this.datastore.getAllData().length;
    if (this.appendedLines > 2 * live) return true;
    this.nextCheckAt = this.appendedLines + Math.max(this.compactAfterLines / 5, live);
    return false;
  }

  /** Must run while no write of this collection is in progress (inside its write queue). */
  async compact(): Promise<void> {
    await this.datastore.compactDatafileAsync();
    const previous = this.handle;
    this.handle = await open(this.filename, 'a', 0o600);
    this.appendedLines = 0;
    this.nextCheckAt = this.compactAfterLines;
    await previous.close();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
