import type { Conversation, DomainEvent } from '../domain/index.js';
import { DomainError } from '../domain/index.js';
import { isOpen } from './operating-hours.js';
import type { ConversationSteps } from './conversation-steps.js';
import { statusChanged, type Outbox } from './outbox.js';
import type { RoutingIndex } from './routing-index.js';

/**
 * Items still waiting when their queue closes follow the queue's `closed` overflow rule, as new
 * arrivals do: transfer to another queue (only an open one, so two queues closed at night cannot
 * pass items back and forth), or a message and the end. Run by the sweep.
 */
export function createClosedOverflow(d: {
  steps: ConversationSteps;
  index: RoutingIndex;
  outbox: Outbox;
  inFlight: ReadonlySet<string>;
  now: () => Date;
}) {
  const { index, inFlight } = d;
  const { mutate } = d.steps;
  const publish = (events: DomainEvent[]) => d.outbox.publish(events);

  async function moveOne(item: Conversation, fromQueueId: string, toQueueId: string): Promise<void> {
    const { after } = await mutate(item.id, () => ({ type: 'requeue', queueId: toQueueId }), item);
    index.addWaiting(after);
    await publish([
      { type: 'conversation.overflowed', conversationId: item.id, fromQueueId, toQueueId, rule: 'closed' },
    ]);
  }

  async function endOne(item: Conversation, queueId: string, message: string): Promise<void> {
    const { before, after } = await mutate(item.id, () => ({ type: 'abandon' }), item);
    index.removeWaiting(item.id);
    await publish([
      {
        type: 'conversation.overflowed',
        conversationId: item.id,
        fromQueueId: queueId,
        rule: 'closed',
        message,
      },
      statusChanged(before, after, 'overflow'),
      { type: 'conversation.abandoned', conversationId: item.id, queueId },
    ]);
  }

  /** Returns how many waiting items were moved or ended. */
  return async function overflowClosedQueues(): Promise<number> {
    const now = d.now();
    let moved = 0;
    for (const queue of index.queuesByPriority) {
      if (isOpen(queue.operatingHours, now)) continue;
      const rule = queue.overflow.find((r) => r.when === 'closed');
      if (!rule) continue;
      const target = rule.action.type === 'transfer' ? index.queues.get(rule.action.queueId) : undefined;
      if (rule.action.type === 'transfer' && (!target || !isOpen(target.operatingHours, now))) continue;
      for (const item of [...index.waitingIn(queue.id).values()]) {
        // A left message waits for its team to open: that is the point of leaving it.
        if (inFlight.has(item.id) || item.followUp) continue;
        try {
          if (rule.action.type === 'transfer') await moveOne(item, queue.id, rule.action.queueId);
          else await endOne(item, queue.id, rule.action.message);
          moved += 1;
        } catch (e) {
          // Picked, offered or abandoned meanwhile: it is no longer waiting here, nothing to move.
          if (e instanceof DomainError && e.code === 'conversation.illegal_transition')
            index.removeWaiting(item.id);
          else throw e;
        }
      }
    }
    return moved;
  };
}
