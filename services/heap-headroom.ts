import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { Logger } from './log.js';

// The embedded store keeps every document in memory (docs/decisions/0004-stores-nedb-and-mongodb.md):
// about 3.5 KB of heap a chat message with its events and channel activity (docs/performance.md,
// "Soak"). Past the heap's limit V8 ends the process, and the same data no longer fits at the next
// start either, so the operator hears of it while there is time to move: a warning when what
// survives a full collection passes half of the limit, and again at three quarters.

/** What survived the latest full collection, against the most this process may use. */
export interface HeapReading {
  liveBytes: number;
  limitBytes: number;
}

/** Shares of the limit that each bring a warning, lowest first. */
const HEADROOM_WARNINGS = [0.5, 0.75] as const;

/** How many of the warning shares the reading has reached (0: none). */
export function headroomLevel(reading: HeapReading, shares: readonly number[] = HEADROOM_WARNINGS): number {
  const used = reading.liveBytes / reading.limitBytes;
  return shares.filter((share) => used >= share).length;
}

/** The operator's warning for a reading, worded for the store that holds the data. */
export function headroomWarning(
  reading: HeapReading,
  storeKind: 'embedded' | 'mongodb',
): { msg: string; fields: Record<string, unknown> } {
  const mb = (bytes: number) => Math.round(bytes / 1e6);
  const fields = {
    liveMB: mb(reading.liveBytes),
    limitMB: mb(reading.limitBytes),
    share: Math.round((100 * reading.liveBytes) / reading.limitBytes) / 100,
  };
  if (storeKind === 'embedded')
    return {
      msg:
        `the embedded store keeps every document in memory, and the server now holds ${fields.liveMB} MB ` +
        `of the ${fields.limitMB} MB its heap may use`,
      fields: {
        ...fields,
        hint: 'move to MongoDB (MONGODB_URI) before the heap runs out, or start Node with a larger --max-old-space-size',
      },
    };
  return {
    msg: `the server holds ${fields.liveMB} MB after a full garbage collection, of the ${fields.limitMB} MB its heap may use`,
    fields: {
      ...fields,
      hint: 'the store is MongoDB, so this is not stored data but memory the server should not be holding: keep this log, and restart the server before the heap runs out',
    },
  };
}

/** Calls `listener` after each full collection the runtime does by itself; returns how to stop. */
function afterFullCollections(listener: () => void): () => void {
  const observer = new PerformanceObserver((list) => {
    const full = list
      .getEntries()
      .some(
        (e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR,
      );
    if (full) listener();
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}

function readHeap(): HeapReading {
  const stats = getHeapStatistics();
  return { liveBytes: stats.used_heap_size, limitBytes: stats.heap_size_limit };
}

export interface HeadroomWatchOptions {
  log: Logger;
  storeKind: 'embedded' | 'mongodb';
  /** Where full collections are heard (tests replace it). */
  onFullCollection?: (listener: () => void) => () => void;
  read?: () => HeapReading;
}

/** How far below a share the heap must fall before passing it warns again (no warning per collection at the line). */
const REARM_BELOW = 0.1;

/**
 * Warns once each time the heap after a full collection climbs past another warning share. Once it
 * has fallen well back below a share (data deleted, the load gone), climbing past it warns again.
 * Returns a function that stops watching.
 */
export function watchHeapHeadroom(opts: HeadroomWatchOptions): () => void {
  const read = opts.read ?? readHeap;
  const rearmAt = HEADROOM_WARNINGS.map((share) => share - REARM_BELOW);
  let warned = 0;
  return (opts.onFullCollection ?? afterFullCollections)(() => {
    const reading = read();
    const level = headroomLevel(reading);
    if (level > warned) {
      const { msg, fields } = headroomWarning(reading, opts.storeKind);
      opts.log.warn(msg, fields);
      warned = level;
    } else warned = Math.min(warned, headroomLevel(reading, rearmAt));
  });
}
