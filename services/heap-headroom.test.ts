import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { headroomLevel, headroomWarning, watchHeapHeadroom, type HeapReading } from './heap-headroom.js';
import type { Logger } from './log.js';

const MB = 1e6;

function recordingLog(): Logger & { warnings: Array<{ msg: string; fields?: Record<string, unknown> }> } {
  const warnings: Array<{ msg: string; fields?: Record<string, unknown> }> = [];
  const log: Logger = {
    info: () => {},
    warn: (msg, fields) => warnings.push({ msg, ...(fields ? { fields } : {}) }),
    error: () => {},
    child: () => log,
  };
  return Object.assign(log, { warnings });
}

/** A watch fed by hand: each `collect(live)` is one full collection that left `live` MB of 4,000. */
function handFedWatch(storeKind: 'embedded' | 'mongodb' = 'embedded') {
  const log = recordingLog();
  let listener: (() => void) | null = null;
  let reading: HeapReading = { liveBytes: 0, limitBytes: 4000 * MB };
  const stop = watchHeapHeadroom({
    log,
    storeKind,
    read: () => reading,
    onFullCollection: (l) => {
      listener = l;
      return () => {
        listener = null;
      };
    },
  });
  return {
    log,
    stop,
    collect(liveMB: number) {
      reading = { liveBytes: liveMB * MB, limitBytes: 4000 * MB };
      listener?.();
    },
  };
}

describe('heap headroom', () => {
  it('counts the warning shares a reading has reached', () => {
    expect(headroomLevel({ liveBytes: 1999 * MB, limitBytes: 4000 * MB })).toBe(0);
    expect(headroomLevel({ liveBytes: 2000 * MB, limitBytes: 4000 * MB })).toBe(1);
    expect(headroomLevel({ liveBytes: 3000 * MB, limitBytes: 4000 * MB })).toBe(2);
  });

  it('tells the operator of the embedded store what to do, with the figures', () => {
    const { msg, fields } = headroomWarning({ liveBytes: 2100 * MB, limitBytes: 4000 * MB }, 'embedded');
    expect(msg).toContain('2100 MB of the 4000 MB');
    expect(fields).toMatchObject({ liveMB: 2100, limitMB: 4000, share: 0.53 });
    expect(String(fields.hint)).toMatch(/MONGODB_URI.*--max-old-space-size/);
    expect(headroomWarning({ liveBytes: 2100 * MB, limitBytes: 4000 * MB }, 'mongodb').fields.hint).toMatch(
      /not stored data/,
    );
  });

  it('warns once per share passed, and again only after falling well back', () => {
    const watch = handFedWatch();
    watch.collect(1500);
    expect(watch.log.warnings).toHaveLength(0);
    watch.collect(2100);
    watch.collect(1950); // just under the line: no new warning when it climbs again
    watch.collect(2050);
    expect(watch.log.warnings.map((w) => w.fields?.liveMB)).toEqual([2100]);
    watch.collect(3100);
    expect(watch.log.warnings.map((w) => w.fields?.liveMB)).toEqual([2100, 3100]);
    watch.collect(1000); // data deleted: well below both
    watch.collect(2200);
    expect(watch.log.warnings.map((w) => w.fields?.liveMB)).toEqual([2100, 3100, 2200]);
    watch.stop();
    watch.collect(3900);
    expect(watch.log.warnings).toHaveLength(3);
  });

  it('reads the heap after the runtime’s own full collections', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const log = recordingLog();
    const read = vi.fn(() => ({ liveBytes: 3900 * MB, limitBytes: 4000 * MB }));
    const stop = watchHeapHeadroom({ log, storeKind: 'embedded', read });
    try {
      gc();
      await vi.waitFor(() => expect(log.warnings).toHaveLength(1), { timeout: 10_000 });
      expect(read).toHaveBeenCalled();
    } finally {
      stop();
    }
  });
});
