import { renameSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Datastore } from './nedb.js';
import { datafileLine } from './datafile-line.js';
import { shareLoaded } from './plain-copy.js';
import type { GroupCommit } from './group-commit.js';
import { cutTornTail } from './torn-tail.js';

/** Lines appended before a rewrite is considered: at least this many, and more than twice the live documents. */
export const DEFAULT_COMPACT_AFTER_LINES = 50_000;

/** How much of a rewrite is serialised between two turns of the event loop (a few ms of CPU). */
const REWRITE_CHUNK_CHARS = 64 * 1024;
/** Flushes' worth of lines written during a rewrite that may be left for its synchronous last step. */
const CARRIED_FOR_THE_SWITCH = 8;

export interface FileModes {
  fileMode: number;
  dirMode: number;
}

type Raw = Record<string, unknown> & { _id: string };

// NeDB's fsync of a folder (a no-op where folders cannot be opened), after a rewrite's rename.
const { flushToStorageAsync } = createRequire(import.meta.url)('@seald-io/nedb/lib/storage.js') as {
  flushToStorageAsync(options: { filename: string; isDir?: boolean; mode?: number }): Promise<void>;
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
  /** Lines handed to the file while a rewrite runs: the new file gets them before it takes over. */
  private carried: string[] | null = null;

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
    shareLoaded(docs);
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
    const lines = this.staged;
    this.staged = '';
    writeAll(this.handle.fd, lines);
    this.carried?.push(lines);
  }

  needsCompaction(liveDocuments: number): boolean {
    if (this.appendedLines < this.nextCheckAt) return false;
    if (this.appendedLines > 2 * liveDocuments) return true;
    this.nextCheckAt = this.appendedLines + Math.max(this.compactAfterLines / 5, liveDocuments);
    return false;
  }

  /**
   * Rewrites the file without superseded lines while writes go on. `docs` are the collection's
   * documents at the moment of the call (stored documents are never changed in place, so they can
   * be written out over many turns of the event loop); every line the old file gets from then on is
   * carried, and in one synchronous step at the end the carried lines go to the new file and it is
   * renamed over the old one, so no acknowledged write is missing from whichever file a crash leaves.
   *
   * The rewrite used to be NeDB's (all lines built in one turn, then writes held until the new
   * file's fsyncs were done): 50 + 50 ms for 3,000 conversations in the soak, once every 50,000
   * writes to a collection, each time a spike in every path that writes it — and longer the more
   * the store holds. See docs/performance.md.
   */
  async compact(docs: readonly object[]): Promise<void> {
    if (this.carried) throw new Error(`A rewrite of ${this.filename} is already running`);
    const temporary = `${this.filename}~`;
    this.carried = [];
    const appendedBefore = this.appendedLines;
    let next: FileHandle | null = null;
    try {
      // NeDB's name for the rewrite in progress: its loader ignores it while the datafile exists.
      next = await open(temporary, 'w', this.modes.fileMode);
      let chunk = '';
      for (const doc of docs) {
        chunk += datafileLine(doc) + '\n';
        if (chunk.length < REWRITE_CHUNK_CHARS) continue;
        await next.writeFile(chunk);
        chunk = '';
      }
      if (chunk) await next.writeFile(chunk);
      // On disk before it can replace the old file: a power cut after the rename finds it whole.
      await next.sync();
      // What was written meanwhile follows while writes go on (as appends, not synced: a write is
      // durable once the OS has it); only what comes in during the last of these is left below.
      for (let round = 0; round < 10 && this.carried.length > CARRIED_FOR_THE_SWITCH; round++)
        await next.writeFile(this.carried.splice(0).join(''));
      // From here to the rename nothing yields, so no line reaches the old file that the new one lacks.
      this.group.flush();
      this.group.assertUsable();
      writeAll(next.fd, this.carried.join(''));
      renameSync(temporary, this.filename);
    } catch (e) {
      this.carried = null;
      await next?.close().catch(() => undefined);
      throw e;
    }
    const previous = this.handle;
    this.handle = next;
    this.carried = null;
    // The lines written meanwhile are in the new file too, and may be superseded already.
    this.appendedLines -= appendedBefore;
    this.nextCheckAt = this.compactAfterLines;
    await previous.close();
    // The rename on disk too; until then a power cut finds the old file, which is still whole.
    await flushToStorageAsync({
      filename: path.dirname(this.filename),
      isDir: true,
      mode: this.modes.dirMode,
    }).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.group.flush();
    await this.handle.close();
  }
}

/** One `write(2)` after another until every byte of `text` is in the file. */
function writeAll(fd: number, text: string): void {
  if (text === '') return;
  const bytes = Buffer.from(text, 'utf8');
  for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written);
}
