import type { OverflowRule, Queue } from '../domain/index.js';

/** What the queue looks like when an item arrives, as the overflow rules need it. */
export interface QueueLoad {
  open: boolean;
  /** Items already waiting in the queue, not counting the one arriving. */
  waiting: number;
  /** The estimated wait the arriving item would face. */
  expectedWaitSeconds: number;
}

export function ruleName(rule: OverflowRule): string {
  switch (rule.when) {
    case 'size':
      return `size>=${rule.limit}`;
    case 'wait':
      return `wait>${rule.limitSeconds}s`;
    case 'closed':
      return 'closed';
  }
}

/**
 * The first overflow rule (in the queue's order) that fires for an arriving item, or null to queue it.
 * `size` fires when the queue already holds `limit` items (the newcomer would be one too many);
 * `wait` when the estimate is strictly above the limit; `closed` outside operating hours.
 * A closed queue with no `closed` rule still queues the item: it waits for opening time.
 */
export function overflowFor(queue: Pick<Queue, 'overflow'>, load: QueueLoad): OverflowRule | null {
  for (const rule of queue.overflow) {
    if (rule.when === 'closed' && !load.open) return rule;
    if (rule.when === 'size' && load.waiting >= rule.limit) return rule;
    if (rule.when === 'wait' && load.expectedWaitSeconds > rule.limitSeconds) return rule;
  }
  return null;
}
