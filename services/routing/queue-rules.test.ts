import { describe, expect, it } from 'vitest';
import { isOpen, localTime } from './operating-hours.js';
import { overflowFor } from './overflow.js';
import { estimateWaitSeconds, HandleTimeHistory } from './wait-estimate.js';
import { aQueue } from '../../test/routing/factories.js';
import type { OperatingHours } from '../domain/index.js';

// Paris: UTC+1 in November, UTC+2 in July.
const paris: OperatingHours = {
  timeZone: 'Europe/Paris',
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:30' })),
  holidays: ['2026-12-25'],
};

describe('operating hours', () => {
  it('reads local time in the queue time zone', () => {
    expect(localTime(new Date('2026-11-25T08:30:00Z'), 'Europe/Paris')).toEqual({
      day: 3,
      date: '2026-11-25',
      minutes: 9 * 60 + 30,
    });
  });
  it('is open on a Wednesday at 09:30 Paris time (08:30 UTC)', () => {
    expect(isOpen(paris, new Date('2026-11-25T08:30:00Z'))).toBe(true);
  });
  it('is closed at 08:30 Paris time (07:30 UTC) before opening', () => {
    expect(isOpen(paris, new Date('2026-11-25T07:30:00Z'))).toBe(false);
  });
  it('closes at 17:30 sharp (16:30 UTC in winter)', () => {
    expect(isOpen(paris, new Date('2026-11-25T16:29:00Z'))).toBe(true);
    expect(isOpen(paris, new Date('2026-11-25T16:30:00Z'))).toBe(false);
  });
  it('follows daylight saving time: 07:30 UTC in July is 09:30 in Paris, open', () => {
    expect(isOpen(paris, new Date('2026-07-15T07:30:00Z'))).toBe(true);
  });
  it('is closed on Saturday', () => {
    expect(isOpen(paris, new Date('2026-11-28T10:00:00Z'))).toBe(false);
  });
  it('is closed all day on a holiday (Friday 25 December)', () => {
    expect(isOpen(paris, new Date('2026-12-25T10:00:00Z'))).toBe(false);
  });
  it('keeps an overnight window open past midnight into the next day', () => {
    const night: OperatingHours = {
      timeZone: 'UTC',
      weekly: [{ day: 3, open: '22:00', close: '06:00' }],
      holidays: [],
    };
    expect(isOpen(night, new Date('2026-11-25T23:00:00Z'))).toBe(true);
    expect(isOpen(night, new Date('2026-11-26T05:59:00Z'))).toBe(true);
    expect(isOpen(night, new Date('2026-11-26T06:00:00Z'))).toBe(false);
  });
  it('is always open without operating hours', () => {
    expect(isOpen(undefined, new Date())).toBe(true);
  });
});

describe('overflow rules', () => {
  const queue = aQueue({
    id: 'q',
    overflow: [
      { when: 'closed', action: { type: 'end', message: 'We are closed; we open at 9.' } },
      { when: 'size', limit: 3, action: { type: 'transfer', queueId: 'q_backup' } },
      { when: 'wait', limitSeconds: 600, action: { type: 'end', message: 'Too busy, please call back.' } },
    ],
  });
  it('ends with the closed message outside operating hours', () => {
    expect(overflowFor(queue, { open: false, waiting: 0, expectedWaitSeconds: 0 })?.when).toBe('closed');
  });
  it('transfers the fourth item to the backup queue when three already wait (limit 3)', () => {
    expect(overflowFor(queue, { open: true, waiting: 3, expectedWaitSeconds: 0 })?.action).toEqual({
      type: 'transfer',
      queueId: 'q_backup',
    });
    expect(overflowFor(queue, { open: true, waiting: 2, expectedWaitSeconds: 0 })).toBeNull();
  });
  it('ends when the expected wait is above ten minutes, not at exactly ten', () => {
    expect(overflowFor(queue, { open: true, waiting: 0, expectedWaitSeconds: 601 })?.when).toBe('wait');
    expect(overflowFor(queue, { open: true, waiting: 0, expectedWaitSeconds: 600 })).toBeNull();
  });
  it('queues when closed but no closed rule exists', () => {
    expect(
      overflowFor(aQueue({ id: 'q2' }), { open: false, waiting: 10, expectedWaitSeconds: 9999 }),
    ).toBeNull();
  });
});

describe('estimated wait', () => {
  it('is zero while a slot is free for the item', () => {
    expect(estimateWaitSeconds({ position: 2, averageHandleSeconds: 240, slots: 8, freeSlots: 2 })).toBe(0);
  });
  it('is k × AHT / slots for the k-th item once every slot is busy: 3rd of 3 with 4 slots, AHT 240 s → 180 s', () => {
    expect(estimateWaitSeconds({ position: 3, averageHandleSeconds: 240, slots: 4, freeSlots: 0 })).toBe(180);
  });
  it('is unknown when nobody is staffed', () => {
    expect(
      estimateWaitSeconds({ position: 1, averageHandleSeconds: 240, slots: 0, freeSlots: 0 }),
    ).toBeNull();
  });
  it('averages the last handle times and forgets the oldest beyond the window', () => {
    const h = new HandleTimeHistory(2, 300);
    expect(h.averageSeconds).toBe(300);
    h.add(100);
    h.add(200);
    h.add(400);
    expect(h.averageSeconds).toBe(300);
    expect(h.count).toBe(2);
  });
});
