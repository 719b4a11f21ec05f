import { createAgentSteps } from './agent-steps.js';
import { createArrivals } from './arrivals.js';
import { createDispatcher } from './dispatcher.js';
import { createRoutingCore } from './routing-core.js';
import { createSweeper } from './sweeper.js';
import type { Router, RouterOptions } from './types.js';

/**
 * Unified routing (DESIGN.md §4): work streams classify items into queues, queues order them, and
 * agents get them by the queue's assignment method within their capacity and presence; offers,
 * picks and transfers are conditional writes, so several instances can share one store.
 * See docs/decisions/0002-routing.md.
 */
export function createRouter(options: RouterOptions): Router {
  const core = createRoutingCore(options);
  const dispatcher = createDispatcher(core);
  const arrivals = createArrivals(core);
  const steps = createAgentSteps(core, dispatcher.acceptOffer);
  const sweeper = createSweeper(core);
  core.hooks.dispatch = dispatcher.dispatch;
  core.hooks.expire = sweeper.expire;
  let unsubscribe: (() => void) | null = null;

  return {
    ...arrivals,
    ...steps,
    endByCustomer: async (id) => {
      await steps.end(id, 'customer');
    },
    dispatch: dispatcher.dispatch,
    sweep: sweeper.sweep,
    reload: async () => {
      core.state.loaded = core.reload();
      await core.state.loaded;
    },
    async start() {
      core.state.stopped = false;
      core.state.loaded = core.reload();
      await core.state.loaded;
      await sweeper.loadHistory();
      // Offers made before a restart keep their stored expiry; timers are re-armed from it.
      for (const c of await core.repos.conversations.findByStatus('offered', { limit: 1000 }))
        core.armTimer(c);
      unsubscribe = core.bus.subscribe?.(sweeper.onEvent) ?? null;
      await sweeper.sweep();
      sweeper.scheduleSweep();
    },
    async stop() {
      core.state.stopped = true;
      sweeper.cancel();
      for (const id of [...core.timers.keys()]) core.disarmTimer(id);
      unsubscribe?.();
      unsubscribe = null;
      await core.backgroundIdle();
      await dispatcher.idle();
      await core.outboxIdle();
    },
    presence: core.presence,
  };
}
