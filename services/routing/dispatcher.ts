import type { Conversation, Workstream } from '../domain/index.js';
import { isOpen } from './operating-hours.js';
import type { Offers } from './offers.js';
import type { Outbox } from './outbox.js';
import type { RoutingIndex } from './routing-index.js';
import type { BackgroundTasks, Report } from './tasks.js';

/** Lost races after which an item waits for the next dispatch or sweep instead of another pass now. */
const MAX_ATTEMPTS = 3;

export type Dispatcher = ReturnType<typeof createDispatcher>;

/**
 * Places waiting items with agents: for each queue by priority, items in arrival order, the agent
 * the queue's method picks; the offer itself (reserve, claim, present) is `offers.make`.
 */
export function createDispatcher(d: {
  index: RoutingIndex;
  offers: Pick<Offers, 'make'>;
  outbox: Outbox;
  tasks: BackgroundTasks;
  ensureLoaded: () => Promise<void>;
  now: () => Date;
  report: Report;
  /** Decisions whose writes may be in flight at once. */
  maxInFlight: number;
  /** Conversations with a decision in flight (shared with the index resync). */
  inFlight: Set<string>;
}) {
  let running: Promise<void> | null = null;
  let rerun = false;
  /** Lost races per item during the current dispatch (see `requeue`). */
  const attempts = new Map<string, number>();

  /**
   * An item every eligible agent has declined is not stranded: once a full offer timeout has passed
   * since its last offer, the decliners may be offered it again (a new round). The sweep's dispatch
   * brings it back; in between, any agent can still pick it.
   */
  function declinesCooledDown(item: Conversation, stream: Workstream, now: Date): boolean {
    const last = item.timestamps.offeredAt?.getTime() ?? 0;
    return now.getTime() - last >= stream.offerTimeoutSeconds * 1000;
  }

  /**
   * One dispatch at a time per instance; a request while one runs — during a pass or while it waits
   * for its events — runs one more pass after it. (A request in that wait was once dropped, and the
   * item it was for waited for the sweep.)
   */
  function dispatch(): Promise<void> {
    if (d.tasks.stopped) return Promise.resolve();
    if (running) {
      rerun = true;
      return running;
    }
    running = (async () => {
      try {
        await d.ensureLoaded();
        do {
          do {
            rerun = false;
            await dispatchPass();
          } while (rerun && !d.tasks.stopped);
          await d.outbox.idle();
        } while (rerun && !d.tasks.stopped);
      } finally {
        running = null;
        attempts.clear();
      }
    })();
    return running;
  }

  async function dispatchPass(): Promise<void> {
    const release = d.outbox.hold();
    try {
      await placeWaiting();
    } finally {
      release();
    }
  }

  async function placeWaiting(): Promise<void> {
    const { index } = d;
    const flights = new Set<Promise<void>>();
    const now = d.now();
    outer: for (const queue of index.queuesByPriority) {
      if (!isOpen(queue.operatingHours, now)) continue;
      for (const item of index.waitingIn(queue.id).values()) {
        if (!index.anyRoom) break outer;
        const stream = index.workstreams.get(item.workstreamId);
        if (!stream || (attempts.get(item.id) ?? 0) > MAX_ATTEMPTS) continue;
        const t0 = performance.now();
        let agent = index.choose(item, queue, stream);
        // Handed on is not declined: back to that agent at once when nobody else can take it, even
        // when the one it was transferred to has just said no (no cool-down to wait for).
        if (!agent && item.handOver) agent = index.choose(item, queue, stream, 'declined');
        if (!agent && item.declinedBy.length > 0 && declinesCooledDown(item, stream, now)) {
          agent = index.choose(item, queue, stream, 'nobody');
        }
        if (!agent) continue;
        // Promise the units and take the item out of the queue in memory before the writes, so the
        // next decision in this pass sees them gone; the writes confirm or undo it.
        index.removeWaiting(item.id);
        index.promise(agent.id, stream.capacityCost);
        d.inFlight.add(item.id);
        const flight = d.offers
          .make(item, agent, queue, stream, t0)
          .then((outcome) => {
            if (!outcome.offered && outcome.retry) requeue(outcome.retry);
          })
          .catch((e: unknown) => d.report(e, item.id, 'offer failed'))
          .finally(() => {
            d.inFlight.delete(item.id);
            flights.delete(flight);
          });
        flights.add(flight);
        if (flights.size >= d.maxInFlight) await Promise.race(flights);
      }
    }
    await Promise.all(flights);
  }

  /**
   * Puts an item whose decision lost a race back in line for another pass — a few times per dispatch
   * at most, so two instances chasing the same item cannot livelock; the sweep retries later.
   */
  function requeue(c: Conversation): void {
    const n = (attempts.get(c.id) ?? 0) + 1;
    attempts.set(c.id, n);
    d.index.addWaiting(c);
    if (n <= MAX_ATTEMPTS) rerun = true;
  }

  return {
    dispatch,
    /** Resolves when the dispatch under way (if any) has finished. */
    idle: (): Promise<void> => running ?? Promise.resolve(),
  };
}
