import { setImmediate as nextCheck } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { TurnOrder } from './turn-order.js';

/** Queues a turn for each conversation, in the order given; resolves with the order they started in. */
async function startOrder(order: TurnOrder, conversations: string[]): Promise<string[]> {
  const started: string[] = [];
  await Promise.all(
    conversations.map((c) =>
      order.next(c).then(() => {
        started.push(c);
        order.end(c);
      }),
    ),
  );
  return started;
}

describe('TurnOrder', () => {
  it('starts the turns queued in one pass by when their previous turn ended, new conversations first', async () => {
    const order = new TurnOrder();
    for (const c of ['a', 'b', 'c']) order.end(c);
    expect(await startOrder(order, ['c', 'a', 'new', 'b'])).toEqual(['new', 'a', 'b', 'c']);
    // The places carry over: whoever went first last time goes first again, whatever the queue says.
    expect(await startOrder(order, ['b', 'c', 'a', 'new'])).toEqual(['new', 'a', 'b', 'c']);
  });

  it('keeps the queue order among conversations that never had a turn', async () => {
    expect(await startOrder(new TurnOrder(), ['x', 'y', 'z'])).toEqual(['x', 'y', 'z']);
  });

  it('starts nothing before the event loop reaches its check phase', async () => {
    const order = new TurnOrder();
    let started = false;
    void order.next('a').then(() => (started = true));
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(started).toBe(false);
    await nextCheck();
    await nextCheck();
    expect(started).toBe(true);
  });

  it('lets a turn run as far as it can before the next one starts', async () => {
    const order = new TurnOrder();
    const log: string[] = [];
    await Promise.all([
      order.next('a').then(async () => {
        log.push('a begins');
        for (let i = 0; i < 5; i++) await Promise.resolve();
        log.push('a ends');
      }),
      order.next('b').then(() => log.push('b begins')),
    ]);
    expect(log).toEqual(['a begins', 'a ends', 'b begins']);
  });

  it('forgets conversations beyond its bound, and counts them as having waited longest', async () => {
    const order = new TurnOrder(2);
    for (const c of ['a', 'b', 'c', 'd', 'e']) order.end(c);
    // a and b are two generations back: forgotten, so they go before c and e, in queue order.
    expect(await startOrder(order, ['e', 'c', 'b', 'a'])).toEqual(['b', 'a', 'c', 'e']);
  });
});
