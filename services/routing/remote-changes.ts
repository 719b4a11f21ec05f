import type { StoredEvent } from '../domain/index.js';
import type { Repositories } from '../store/index.js';
import type { Capacity } from './capacity.js';
import type { RoutingIndex } from './routing-index.js';
import type { BackgroundTasks, Report } from './tasks.js';

/** Events after which a conversation may have joined or left a queue on another instance. */
const QUEUE_CHANGES = new Set<StoredEvent['type']>([
  'conversation.queued',
  'conversation.offered',
  'conversation.offer_rejected',
  'conversation.offer_timed_out',
  'conversation.offer_withdrawn',
  'conversation.accepted',
  'conversation.transferred',
  'conversation.overflowed',
  'conversation.closed',
  'conversation.abandoned',
]);

/** Events after which an agent's presence, queues or load may differ from this instance's index. */
const AGENT_CHANGES = new Set<StoredEvent['type']>([
  'presence.changed',
  'agent.queue_opt',
  'conversation.offered',
  'conversation.offer_rejected',
  'conversation.offer_timed_out',
  'conversation.offer_withdrawn',
  'conversation.accepted',
  'conversation.transferred',
  'conversation.wrap_up',
  'conversation.closed',
]);

/**
 * Follows what other instances sharing the store changed, as their events arrive on the event log:
 * a customer queued there can be offered to an agent signed in here at once, instead of at this
 * instance's next sweep (which still re-reads everything, as the safety net). Decisions stay
 * conditional writes, so two instances reacting to the same change cannot both hand an item out.
 */
export function createRemoteChanges(d: {
  conversations: Pick<Repositories['conversations'], 'get'>;
  index: RoutingIndex;
  capacity: Pick<Capacity, 'refresh'>;
  inFlight: ReadonlySet<string>;
  tasks: BackgroundTasks;
  ensureLoaded: () => Promise<void>;
  dispatch: () => Promise<void>;
  report: Report;
}) {
  return function onRemoteEvent(e: StoredEvent): void {
    const conversationId = QUEUE_CHANGES.has(e.type) && 'conversationId' in e ? e.conversationId : undefined;
    const agentId = AGENT_CHANGES.has(e.type) && 'agentId' in e ? e.agentId : undefined;
    if (conversationId === undefined && agentId === undefined) return;
    if (d.tasks.stopped) return;
    const work = async (): Promise<void> => {
      await d.ensureLoaded();
      if (conversationId !== undefined && !d.inFlight.has(conversationId)) {
        const c = await d.conversations.get(conversationId);
        // addWaiting keeps only items still waiting in a queue; anything else leaves the index.
        if (c?.status === 'waiting') d.index.addWaiting(c);
        else d.index.removeWaiting(conversationId);
      }
      if (agentId !== undefined) await d.capacity.refresh(agentId);
      await d.dispatch();
    };
    d.tasks.track(work().catch((err: unknown) => d.report(err, conversationId, 'remote change failed')));
  };
}
