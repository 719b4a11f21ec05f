import { writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Datastore } from './nedb.js';
import { datafileLine } from './datafile-line.js';
import type { GroupCommit } from './group-commit.js';
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
 * kept open; the lines of a write are staged and handed to the OS (`write(2)`) with the store's
 * group commit (group-commit.ts) before the write is acknowledged, which is what survives a SIGKILL.
 * It only grows, so it is rewritten without superseded lines when they dominate.
 */
export class Datafile {
  private appendedLines = 0;
  private nextCheckAt: number;
  /** Lines staged for the next flush. */
  private staged = '';

  private constructor(
    private readonly filename: string,
    private handle: FileHandle,
    private readonly modes: FileModes,
    private readonly compactAfterLines: number,
    private readonly group: GroupCommit,
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
    group: GroupCommit,
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
      group,
    );
    if (leftIndexes) await datafile.compact(docs);
    return { datafile, docs };
  }

  /**
   * Stages documents (or deletion lines) as they are now; the store's group commit hands them to the
   * OS before the write that staged them is acknowledged.
   */
  append(docs: readonly object[]): void {
    if (docs.length === 0) return;
    for (const doc of docs) this.staged += datafileLine(doc) + '\n';
    this.appendedLines += docs.length;
    this.group.stage(this);
  }

  /**
   * Writes the staged lines in one `write(2)` (a synchronous write into the page cache takes
   * microseconds; the thread pool would add a round trip). After a failure nothing is written again:
   * the group commit stops the store (group-commit.ts).
   */
  flush(): void {
    if (this.staged === '') return;
    const bytes = Buffer.from(this.staged, 'utf8');
    this.staged = '';
    for (let written = 0; written < bytes.length;) written += writeSync(this.handle.fd, bytes, written);
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
    // Staged lines first: the rewrite below may take longer than this pass of the event loop, and
    // the store must not acknowledge a change the old file did not get.
    this.group.flush();
    this.group.assertUsable();
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
    this.group.flush();
    await this.handle.close();
  }
}
