import { PerformanceObserver, constants } from 'node:perf_hooks';

// What the soak reads of the server's process each row: its heap after the runtime's own full
// collections, the longest collection pause, the longest the event loop stood still, its CPU. Runs
// in the process the server runs in (bench/rig-server.ts starts it there over IPC).

/**
 * The longest the event loop stood still, and when: a 10 ms timer's lateness. A minute's p99 that
 * jumps is then a moment to look for (what ran at that second), not a minute to guess about.
 */
export class StallWatch {
  private readonly started = performance.now();
  private last = performance.now();
  private longest = { ms: 0, atSecond: 0 };
  private readonly timer = setInterval(() => {
    const at = performance.now();
    const late = at - this.last - 10;
    if (late > this.longest.ms) this.longest = { ms: late, atSecond: (at - this.started) / 1000 };
    this.last = at;
  }, 10);

  /** The row's longest stall; the next row starts from nothing. */
  take(): { ms: number; atSecond: number } {
    const longest = this.longest;
    this.longest = { ms: 0, atSecond: 0 };
    return longest;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * The heap is read after the full collections the runtime does by itself. Forcing collections to
 * read it (three `gc()` calls a minute, as this bench once did) stopped the world for 0.2–0.9 s each
 * once the embedded store's data had grown — the latency rows then measured the instrument.
 */
export class HeapWatch {
  /** Heap used right after the latest full collection (0 before the first). */
  heapAfterFull = 0;
  /** Longest collection pause since the last `takeLongestPause()`. */
  private longestPause = 0;
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      this.longestPause = Math.max(this.longestPause, entry.duration);
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
        this.heapAfterFull = process.memoryUsage().heapUsed;
    }
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  takeLongestPause(): number {
    const pause = this.longestPause;
    this.longestPause = 0;
    return pause;
  }

  stop(): void {
    this.observer.disconnect();
  }
}

/** One row's reading of the server's process. */
export interface WatchRow {
  /** Heap used after the latest full collection (or now, before the first), bytes. */
  heapUsed: number;
  rss: number;
  /** Longest garbage-collection pause since the last row, ms. */
  gcPauseMs: number;
  /** Longest the event loop stood still since the last row, and when (seconds since the watch began). */
  stall: { ms: number; atSecond: number };
  /** Open live streams of signed-in users. */
  streams: number;
  /** User + system CPU seconds the process has used so far. */
  cpuSeconds: number;
}

export class ServerWatch {
  private readonly heap = new HeapWatch();
  private readonly stalls = new StallWatch();

  constructor(private readonly streams: () => number) {}

  row(): WatchRow {
    const m = process.memoryUsage();
    const cpu = process.cpuUsage();
    return {
      heapUsed: this.heap.heapAfterFull || m.heapUsed,
      rss: m.rss,
      gcPauseMs: this.heap.takeLongestPause(),
      stall: this.stalls.take(),
      streams: this.streams(),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
  }

  stop(): void {
    this.heap.stop();
    this.stalls.stop();
  }
}
