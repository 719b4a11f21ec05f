import { writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Datastore } from './nedb.js';
import { datafileLine } from './datafile-line.js';
import { cutTornTail } from './torn-tail.js';

/** Lines appended before a rewrite is considered: at least this many, and more than twice the live documents. */
export const DEFAULT_COMPACT_AFTER_LINES = 50_000;

export interface FileModes {
  fileMode: number;
  dirMode: number;
}

type Raw = Record<string, unknown> & { _id: string };

// NeDB's crash-safe rewrite: temporary file, fsync, rename over the old one, fsync the folder. Its
// loader finishes a rewrite a crash interrupted, so both ends of the file's life stay NeDB's.
const { crashSafeWriteFileLinesAsync } = createRequire(import.meta.url)('@seald-io/nedb/lib/storage.js') as {
  crashSafeWriteFileLinesAsync(filename: string, lines: string[], modes: FileModes): Promise<void>;
};

/**
 * One collection's datafile in NeDB's format: a JSON line per written document, a later line for
 * the same `_id` supersedes an earlier one, `{"$$deleted":true,"_id":…}` removes it. The file is
 * kept open and each write is handed to the OS (`write(2)`) before it is acknowledged, which is what
 * survives a SIGKILL. It only grows, so it is rewritten without superseded lines when they dominate.
 */
export class Datafile {
  private appendedLines = 0;
  private nextCheckAt: number;

  private constructor(
    private readonly filename: string,
    private handle: FileHandle,
    private readonly modes: FileModes,
    private readonly compactAfterLines: number,
  ) {
    this.nextCheckAt = compactAfterLines;
  }

  /**
   * Reads the file (NeDB's loader: torn tail cut first, corruption threshold, an interrupted rewrite
   * finished) and opens it for appends. NeDB rewrites the file as it loads; a file an earlier version
   * left NeDB index definitions in is rewritten once more without them — indexes are declared by the
   * code at every start and kept in memory by the collection.
   */
  static async open(
    filename: string,
    modes: FileModes,
    compactAfterLines = DEFAULT_COMPACT_AFTER_LINES,
  ): Promise<{ datafile: Datafile; docs: Raw[] }> {
    await cutTornTail(filename);
    const loader = new Datastore({ filename, autoload: false, modes });
    await loader.loadDatabaseAsync();
    const docs = loader.getAllData() as Raw[];
    const leftIndexes = Object.keys((loader as unknown as { indexes: object }).indexes).length > 1;
    const datafile = new Datafile(
      filename,
      await open(filename, 'a', modes.fileMode),
      modes,
      compactAfterLines,
    );
    if (leftIndexes) await datafile.compact(docs);
    return { datafile, docs };
  }

  /** Appends documents (or deletion lines) in one write; returns once the OS has them. */
  append(docs: readonly object[]): void {
    if (docs.length === 0) return;
    let lines = '';
    for (const doc of docs) lines += datafileLine(doc) + '\n';
    // A synchronous write into the page cache takes microseconds; the thread pool would add a round
    // trip per write.
    const bytes = Buffer.from(lines, 'utf8');
    for (let written = 0; written < bytes.length;) written += writeSync(this.handle.fd, bytes, written);
    this.appendedLines += docs.length;
  }

  needsCompaction(liveDocuments: number): boolean {
    if (this.appendedLines < this.nextCheckAt) return false;
    if (this.appendedLines > 2 * liveDocuments) return true;
    this.nextCheckAt = this.appendedLines + Math.max(this.compactAfterLines / 5, liveDocuments);
    return false;
  }

  /**
   * Rewrites the file with exactly `docs`. No append may happen until it resolves: the lines are
   * taken now, and an append to the old file after that would be lost in the rename.
   */
  async compact(docs: Iterable<object>): Promise<void> {
    const lines: string[] = [];
    for (const doc of docs) lines.push(datafileLine(doc));
    await crashSafeWriteFileLinesAsync(this.filename, lines, this.modes);
    const previous = this.handle;
    this.handle = await open(this.filename, 'a', this.modes.fileMode);
    this.appendedLines = 0;
    this.nextCheckAt = this.compactAfterLines;
    await previous.close();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
