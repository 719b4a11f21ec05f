import { describe, expect, it } from 'vitest';
import type { OperatingHours } from '../domain/index.js';
import { nextOpening } from './next-opening.js';

const weekdays: OperatingHours = {
  timeZone: 'America/New_York',
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '08:05', close: '20:00' })),
  holidays: ['2026-12-25'],
};

describe('nextOpening', () => {
  it('is now while the queue is open', () => {
    const at = new Date('2026-12-02T15:00:00Z'); // Wednesday 10:00 in New York
    expect(nextOpening(weekdays, at)).toEqual(at);
  });

  it('finds Monday morning from a Saturday, to the minute, in the queue time zone', () => {
    const saturday = new Date('2026-12-05T15:00:00Z');
    expect(nextOpening(weekdays, saturday)?.toISOString()).toBe('2026-12-07T13:05:00.000Z');
  });

  it('skips a holiday', () => {
    const christmasEve = new Date('2026-12-25T02:00:00Z'); // Thursday 21:00 in New York
    expect(nextOpening(weekdays, christmasEve)?.toISOString()).toBe('2026-12-28T13:05:00.000Z');
  });

  it('is null for a queue that never opens', () => {
    expect(nextOpening({ timeZone: 'UTC', weekly: [], holidays: [] }, new Date())).toBeNull();
  });
});
