import { GCProfiler } from 'node:v8';

// What a window of work added to V8's old generation: objects promoted by young collections and
// objects allocated there directly (pretenured). A full collection comes once the old generation
// has grown by what survived the last one (services/heap-growth.ts), and its marking is the round
// trip's p99 tail (docs/performance.md, "Message path under load"), so bytes added per operation
// say how often an operation brings one — whether they are kept (stored data) or die there.

/** The old generation's used bytes in one of GCProfiler's snapshots. */
function oldBytes(spaces: ReadonlyArray<{ spaceName: string; spaceUsedSize: number }>): number {
  let bytes = 0;
  for (const s of spaces)
    if (s.spaceName === 'old_space' || s.spaceName === 'large_object_space') bytes += s.spaceUsedSize;
  return bytes;
}

/** Starts counting; `stop()` gives the bytes added to the old generation since. */
export function countOldGeneration(): { stop(): number } {
  const profiler = new GCProfiler();
  profiler.start();
  return {
    stop() {
      const { statistics } = profiler.stop();
      let added = 0;
      let previousAfter: number | null = null;
      for (const gc of statistics) {
        const before = oldBytes(gc.beforeGC.heapSpaceStatistics);
        const after = oldBytes(gc.afterGC.heapSpaceStatistics);
        // Allocated there directly since the last collection, then what this one promoted (a full
        // collection's drop is what it freed, not negative growth).
        if (previousAfter !== null) added += Math.max(0, before - previousAfter);
        added += Math.max(0, after - before);
        previousAfter = after;
      }
      return added;
    },
  };
}
