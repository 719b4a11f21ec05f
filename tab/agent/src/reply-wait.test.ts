import { describe, expect, it } from 'vitest';
import { awaitingReplySince, replyWaitLevel } from './reply-wait.js';
import type { Message } from './types.js';

const m = (from: Message['from'], at: string, visibility: Message['visibility'] = 'public') => ({
  from,
  at,
  visibility,
});

describe('awaitingReplySince', () => {
  it('counts from the first unanswered customer message', () => {
    expect(
      awaitingReplySince([m('customer', 't1'), m('agent', 't2'), m('customer', 't3'), m('customer', 't4')]),
    ).toBe('t3');
  });

  it('stops when an agent or a supervisor answers in public', () => {
    for (const from of ['agent', 'supervisor'] as const)
      expect(awaitingReplySince([m('customer', 't1'), m(from, 't2')]), from).toBeNull();
  });

  it('is not stopped by the bot: a customer it handed over waits from their last turn before it', () => {
    const handedOver = [m('customer', 't1'), m('bot', 't2'), m('customer', 't3'), m('bot', 't4')];
    expect(awaitingReplySince(handedOver)).toBe('t3');
    expect(awaitingReplySince([...handedOver, m('customer', 't5')])).toBe('t3');
    expect(awaitingReplySince([...handedOver, m('agent', 't5')])).toBeNull();
    expect(awaitingReplySince([...handedOver, m('agent', 't5'), m('customer', 't6'), m('bot', 't7')])).toBe(
      't6',
    );
  });

  it('is not stopped by an internal note or a system line', () => {
    expect(awaitingReplySince([m('customer', 't1'), m('agent', 't2', 'internal'), m('system', 't3')])).toBe(
      't1',
    );
    expect(awaitingReplySince([])).toBeNull();
  });
});

describe('replyWaitLevel', () => {
  it('turns amber at a minute and red at two', () => {
    expect([59, 60, 119, 120].map(replyWaitLevel)).toEqual(['waiting', 'warning', 'warning', 'urgent']);
  });
});
