import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../domain/index.js';
import { createEventTail, type EventLogReader } from './event-tail.js';

// The tail reads the log when woken and, for other instances' events, at a poll. The poll here is
// an hour away: every event must arrive through wakes alone, whenever they come.

const AN_HOUR = 3_600_000;

function event(seq: number): StoredEvent {
  return {
    type: 'presence.changed',
    agentId: 'agent_ann',
    presence: 'available',
    automatic: false,
    seq,
    at: new Date(0),
  } as StoredEvent;
}

/** An in-memory log: what was appended, read the way the event repository reads it. */
function memoryLog(): EventLogReader & { append(e: StoredEvent): void } {
  const events: StoredEvent[] = [];
  return {
    append: (e) => void events.push(e),
    readAfter: async (seq, limit = 500) => events.filter((e) => e.seq > seq).slice(0, limit),
    lastSeq: async () => events.at(-1)?.seq ?? 0,
  };
}

/** Resolves when the tail has delivered `seq`, or fails after `ms` (a cap on a wait that would hang). */
function deliveredWithin(tail: ReturnType<typeof createEventTail>, seq: number, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    tail.reached(seq),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`event ${seq} waited for the poll`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

describe('event tail', () => {
  // A wake that came while a read was finishing — after its last page, before it let go — was
  // taken as covered by that read, and its event waited for the next poll.
  for (const handed of [false, true]) {
    it(`delivers an event woken ${handed ? 'with the event' : 'by number'} at any moment of a read in progress`, async () => {
      for (let hops = 0; hops <= 12; hops++) {
        const log = memoryLog();
        const tail = createEventTail(log, { pollMs: AN_HOUR });
        const heard: number[] = [];
        tail.subscribe((e) => heard.push(e.seq));
        await tail.start();
        log.append(event(1));
        tail.wake(1);
        for (let i = 0; i < hops; i++) await Promise.resolve();
        log.append(event(2));
        tail.wake(2, handed ? event(2) : undefined);
        await deliveredWithin(tail, 2, 2000);
        expect(heard, `second wake ${hops} microtasks after the first`).toEqual([1, 2]);
        await tail.stop();
      }
    });
  }

  it('delivers a handed-over event that follows the last one without reading the log', async () => {
    const log = memoryLog();
    let reads = 0;
    const counted: EventLogReader = {
      readAfter: (seq, limit) => {
        reads += 1;
        return log.readAfter(seq, limit);
      },
      lastSeq: () => log.lastSeq(),
    };
    const tail = createEventTail(counted, { pollMs: AN_HOUR });
    const heard: Array<[number, string]> = [];
    tail.subscribe((e, origin) => heard.push([e.seq, origin]));
    await tail.start();
    log.append(event(1));
    tail.wake(1, event(1));
    await deliveredWithin(tail, 1, 2000);
    expect(heard).toEqual([[1, 'local']]);
    expect(reads).toBe(0);
    await tail.stop();
  });

  // Listeners find what a publisher attached to its event object (a message it stored) by that
  // object: one read back from the log instead would make them read the message back too.
  it('delivers the very object handed over even when a read in progress also finds the event', async () => {
    const log = memoryLog();
    const tail = createEventTail(log, { pollMs: AN_HOUR });
    const heard: StoredEvent[] = [];
    tail.subscribe((e) => heard.push(e));
    await tail.start();
    // Event 2 is handed over before 1 (their writes finished out of order): a read starts for 1
    // and its page holds both.
    log.append(event(1));
    log.append(event(2));
    const second = event(2);
    tail.wake(2, second);
    tail.wake(1);
    await deliveredWithin(tail, 2, 2000);
    expect(heard.map((e) => e.seq)).toEqual([1, 2]);
    expect(heard[1]).toBe(second);
    await tail.stop();
  });

  it('reports a store that fails every poll once, and again after it came back and failed anew', async () => {
    const log = memoryLog();
    let down = true;
    let failedReads = 0;
    const flaky: EventLogReader = {
      readAfter: async (seq, limit) => {
        if (!down) return log.readAfter(seq, limit);
        failedReads += 1;
        throw new Error('store refuses every operation');
      },
      lastSeq: () => log.lastSeq(),
    };
    const reported: unknown[] = [];
    const tail = createEventTail(flaky, { pollMs: 1, onError: (err) => reported.push(err) });
    await tail.start();
    const failedAtLeast = async (n: number) => {
      while (failedReads < n) await new Promise((r) => setTimeout(r, 1));
    };
    await failedAtLeast(5);
    expect(reported).toHaveLength(1);

    down = false;
    log.append(event(1));
    await deliveredWithin(tail, 1, 5000);
    down = true;
    await failedAtLeast(failedReads + 5);
    expect(reported).toHaveLength(2);
    await tail.stop();
  });
});
