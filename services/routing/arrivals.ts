import type { DomainEvent } from '../domain/index.js';
import { classify } from './classification.js';
import { isOpen } from './operating-hours.js';
import { overflowFor, ruleName } from './overflow.js';
import { HELD, type ConversationSteps } from './conversation-steps.js';
import { statusChanged, type Outbox } from './outbox.js';
import type { RoutingIndex } from './routing-index.js';
import type { QueueStatus, RoutePreview } from './types.js';
import type { Conversation, OverflowRule, Workstream } from '../domain/index.js';
import { nextOpening } from './next-opening.js';
import { estimateWaitSeconds, type HandleTimes } from './wait-estimate.js';

/** Overflow "transfer" chains stop here so two queues overflowing into each other cannot loop. */
const MAX_OVERFLOW_HOPS = 5;

/** Items arriving from the bot: classification, overflow, queueing; and where a waiting customer stands. */
export function createArrivals(d: {
  steps: ConversationSteps;
  index: RoutingIndex;
  outbox: Outbox;
  handleTimes: HandleTimes;
  ensureLoaded: () => Promise<void>;
  dispatch: () => Promise<void>;
  /** The agent who served this customer last in the stream within its `returnToLastAgentHours`. */
  lastAgentOf: (c: Conversation, stream: Workstream) => Promise<string | undefined>;
  now: () => Date;
}) {
  const { index, handleTimes } = d;
  const { load, mutate } = d.steps;
  const publish = (events: DomainEvent[]) => d.outbox.publish(events);

  // --- enqueue and overflow --------------------------------------------------------------------

  function expectedWait(queueId: string, stream: Workstream, position: number): number | null {
    const { slots, free } = index.slots(queueId, stream);
    return estimateWaitSeconds({
      position,
      averageHandleSeconds: handleTimes.of(queueId).averageSeconds,
      slots,
      freeSlots: free,
    });
  }

  /**
   * Where an arriving item goes: the rules' queue, then the overflow rules in order. A left message
   * (`followUp`) skips them: it waits for its team whatever the hours or the load.
   */
  function plan(c: Conversation, stream: Workstream, now: Date) {
    const target = classify(c, stream);
    let queue = index.requireQueue(target.queueId);
    const overflowed: DomainEvent[] = [];
    let end: { rule: OverflowRule; message: string } | null = null;
    for (let hop = 0; hop < MAX_OVERFLOW_HOPS && !c.followUp; hop++) {
      const waiting = index.waitingCount(queue.id);
      const rule = overflowFor(queue, {
        open: isOpen(queue.operatingHours, now),
        waiting,
        // Unknown (nobody staffed) counts as infinitely long for a wait rule.
        expectedWaitSeconds: expectedWait(queue.id, stream, waiting + 1) ?? Infinity,
      });
      if (!rule) break;
      if (rule.action.type === 'end') {
        end = { rule, message: rule.action.message };
        overflowed.push({
          type: 'conversation.overflowed',
          conversationId: c.id,
          fromQueueId: queue.id,
          rule: ruleName(rule),
          message: end.message,
        });
        break;
      }
      const to = index.requireQueue(rule.action.queueId);
      overflowed.push({
        type: 'conversation.overflowed',
        conversationId: c.id,
        fromQueueId: queue.id,
        toQueueId: to.id,
        rule: ruleName(rule),
      });
      queue = to;
    }
    return { target, queue, overflowed, end };
  }

  /** What `enqueue` would do with the conversation now, without doing it (the bot asks before promising). */
  async function preview(conversationId: string): Promise<RoutePreview> {
    await d.ensureLoaded();
    const c = await load(conversationId);
    const stream = index.requireStream(c.workstreamId);
    const now = d.now();
    const { target, queue, end } = plan(c, stream, now);
    const open = isOpen(queue.operatingHours, now);
    const classified = index.requireQueue(target.queueId);
    return {
      queueId: queue.id,
      queueName: queue.name,
      classifiedQueueId: classified.id,
      open,
      opensAt: open ? now : nextOpening(queue.operatingHours, now),
      timeZone: queue.operatingHours?.timeZone,
      estimatedWaitSeconds: end ? null : expectedWait(queue.id, stream, index.waitingCount(queue.id) + 1),
      ending: end ? { rule: end.rule.when, message: end.message } : undefined,
    };
  }

  async function enqueue(conversationId: string, reason = 'escalated'): Promise<void> {
    await d.ensureLoaded();
    const c = await load(conversationId);
    if (c.status === 'waiting') {
      index.addWaiting(c);
      await d.dispatch();
      return;
    }
    // Already with an agent (a retried hand-over, or routed by another instance): nothing to do.
    if (HELD.has(c.status)) return;
    const stream = index.requireStream(c.workstreamId);
    const { target, queue, overflowed, end } = plan(c, stream, d.now());
    const lastAgentId = await d.lastAgentOf(c, stream);
    const { before, after } = await mutate(
      conversationId,
      () => ({
        type: 'escalate',
        queueId: queue.id,
        skills: target.skills,
        ...(lastAgentId ? { lastAgentId } : {}),
      }),
      c,
    );
    await publish([
      { type: 'conversation.escalated', conversationId, queueId: queue.id, reason },
      statusChanged(before, after, reason),
      { type: 'conversation.queued', conversationId, queueId: queue.id, skills: after.requiredSkills },
      ...overflowed,
    ]);
    if (end) {
      // The conversation did reach a queue (it counts as incoming) and leaves it unanswered.
      const gone = await mutate(conversationId, () => ({ type: 'abandon' }), after);
      await publish([
        statusChanged(gone.before, gone.after, 'overflow'),
        { type: 'conversation.abandoned', conversationId, queueId: queue.id },
      ]);
      return;
    }
    index.addWaiting(after);
    await d.dispatch();
  }

  async function queueStatus(conversationId: string): Promise<QueueStatus | null> {
    await d.ensureLoaded();
    const c = await d.steps.get(conversationId);
    if (!c || !c.queueId) return null;
    if (c.status === 'offered') return { position: 1, estimatedWaitSeconds: 0 };
    if (c.status !== 'waiting') return null;
    let position = index.position(c);
    if (position === null) {
      // Queued by another instance since our last sync.
      index.addWaiting(c);
      position = index.position(c) ?? 1;
    }
    const stream = index.workstreams.get(c.workstreamId);
    // Nobody staffed: a figure from handle times alone would promise a wait no one is there to end.
    return { position, estimatedWaitSeconds: stream ? expectedWait(c.queueId, stream, position) : null };
  }

  return { enqueue, preview, queueStatus };
}
