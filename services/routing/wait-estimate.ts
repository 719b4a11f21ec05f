import { handlingSince } from '../domain/index.js';

/**
 * Estimated wait for the item at `position` (1 = next to be served) in a queue.
 *
 * Model: `slots` items can be handled at once by the staffed agents (agents of the queue whose presence
 * allows the work stream: Σ ⌊capacity / cost⌋). While every slot is busy, slots free up at a rate of
 * `slots / averageHandleSeconds` (each item's remaining handle time is memoryless under the
 * exponential assumption Erlang C also makes), so the item at position k waits on average for k
 * departures: k · AHT / slots. Items within `freeSlots` of the head are served at once.
 * With nobody staffed the wait is unknown: null.
 */
export function estimateWaitSeconds(input: {
  position: number;
  averageHandleSeconds: number;
  slots: number;
  freeSlots: number;
}): number | null {
  const { position, averageHandleSeconds, slots, freeSlots } = input;
  if (slots <= 0) return null;
  const ahead = position - freeSlots;
  if (ahead <= 0) return 0;
  return Math.round((ahead * averageHandleSeconds) / slots);
}

/**
 * Average handle time from recent history: the mean of how long the last handled items held their
 * agent's slot (taken → closed, or → the end of a limited wrap-up hold), or the default when there is
 * no history yet.
 */
export class HandleTimeHistory {
  private readonly samples: number[] = [];
  private sum = 0;

  constructor(
    private readonly size = 50,
    private readonly defaultSeconds = 300,
  ) {}

  add(seconds: number): void {
    if (!(seconds >= 0) || !Number.isFinite(seconds)) return;
    this.samples.push(seconds);
    this.sum += seconds;
    if (this.samples.length > this.size) this.sum -= this.samples.shift() ?? 0;
  }

  get averageSeconds(): number {
    return this.samples.length === 0 ? this.defaultSeconds : this.sum / this.samples.length;
  }

  get count(): number {
    return this.samples.length;
  }
}

/** Handle-time history per queue, filled as items close and from the store at start. */
export class HandleTimes {
  private readonly byQueue = new Map<string, HandleTimeHistory>();

  of(queueId: string): HandleTimeHistory {
    let h = this.byQueue.get(queueId);
    if (!h) this.byQueue.set(queueId, (h = new HandleTimeHistory()));
    return h;
  }

  /**
   * The agent's slot for `c` came free `at` (it closed, or its wrap-up hold ran out): how long it
   * was held since the agent took it (`handlingSince`) is a sample of what the wait estimate measures.
   */
  slotFreed(c: { queueId?: string; timestamps: { acceptedAt?: Date; reopenedAt?: Date } }, at: Date): void {
    const since = handlingSince(c.timestamps);
    if (since && c.queueId) this.of(c.queueId).add((at.getTime() - since.getTime()) / 1000);
  }
}
