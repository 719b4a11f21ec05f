import { setFlagsFromString } from 'node:v8';

// V8 lets the old generation grow to up to four times what survived the last full collection before
// it collects again, the more the less time the program spends collecting — a server waiting on
// sockets spends little. The embedded store keeps every document in memory, so what survives grows
// all day, and each full collection came with that much more garbage: in the ten-minute soak the
// heap reached 535 MB for 174 MB live by minute 4, and pauses of 178–216 ms held every message of
// their minute (p99 up to 216 ms). Letting it grow by what survived (twice the live size), the same
// soak paused at most 74–87 ms and its p99 stayed under 86 ms in every minute, at the same CPU; by
// half, the pauses were shorter still but collections came so often that the p99 was worse
// (docs/performance.md, "Soak").

/** Full collections once the heap has grown by `percent` of what survived the last one. */
export function limitHeapGrowth(percent = 100): void {
  // An operator's own `node --heap-growing-percent=…` wins.
  if (process.execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
