import {
  attachment,
  card,
  execute,
  plain,
  text,
  type AdaptiveCard,
  type CardElement,
  type Container,
} from './adaptive-card.js';

export interface QueueLine {
  id: string;
  name: string;
  optedIn: boolean;
  /** Conversations waiting in it now. */
  waiting?: number;
}

export const QUEUE_VERBS = {
  optIn: 'queues.optIn',
  optOut: 'queues.optOut',
  refresh: 'queues.refresh',
} as const;

/** My queues, each with a button to opt in or out (as Teams' Queues app does). */
export function queuesCard(
  queues: QueueLine[],
  opts: { notice?: string; refreshUserIds?: string[] } = {},
): AdaptiveCard {
  const body: CardElement[] = [text('Your queues', { size: 'medium', weight: 'bolder' })];
  if (queues.length === 0)
    body.push(text('You are not a member of any queue yet. An administrator adds you to queues.'));
  for (const q of queues) {
    const line: Container = {
      type: 'Container',
      separator: true,
      items: [
        text(
          `**${plain(q.name)}** — ${q.optedIn ? 'opted in: offers reach you' : 'opted out: no offers from it'}`,
        ),
        ...(q.waiting !== undefined
          ? [text(`${q.waiting} waiting`, { isSubtle: true, spacing: 'none' as const })]
          : []),
        {
          type: 'ActionSet',
          actions: [
            q.optedIn
              ? execute('Opt out', QUEUE_VERBS.optOut, { queueId: q.id })
              : execute('Opt in', QUEUE_VERBS.optIn, { queueId: q.id }, 'positive'),
          ],
        },
      ],
    };
    body.push(line);
  }
  if (opts.notice) body.push(text(plain(opts.notice), { isSubtle: true, spacing: 'medium' }));
  return card(body, {
    refresh: opts.refreshUserIds
      ? { action: execute('Refresh', QUEUE_VERBS.refresh, {}), userIds: opts.refreshUserIds }
      : undefined,
  });
}

export const queuesAttachment = (queues: QueueLine[], opts?: Parameters<typeof queuesCard>[1]) =>
  attachment(queuesCard(queues, opts));
