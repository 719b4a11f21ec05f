import { describe, expect, it } from 'vitest';
import { canTake, DEFAULT_CAPACITY, freeUnits, presenceForLoad } from './capacity.js';

const chat = { capacityCost: 30, allowedPresences: ['available', 'busy'] as const };
const stream = { ...chat, allowedPresences: [...chat.allowedPresences] };

describe('capacity', () => {
  it('gives every agent 100 units by default', () => {
    expect(DEFAULT_CAPACITY).toBe(100);
  });

  it('counts free units and never reports a negative number', () => {
    expect(freeUnits({ capacity: 100, usedUnits: 60 })).toBe(40);
    expect(freeUnits({ capacity: 100, usedUnits: 120 })).toBe(0);
  });

  it('lets an agent take an item only when the free units cover its cost', () => {
    expect(canTake({ capacity: 100, usedUnits: 70, presence: 'available' }, stream)).toBe(true);
    expect(canTake({ capacity: 100, usedUnits: 71, presence: 'available' }, stream)).toBe(false);
  });

  it('lets an agent take an item only in a presence the work stream allows', () => {
    expect(canTake({ capacity: 100, usedUnits: 0, presence: 'busy' }, stream)).toBe(true);
    expect(canTake({ capacity: 100, usedUnits: 0, presence: 'away' }, stream)).toBe(false);
    expect(canTake({ capacity: 100, usedUnits: 0, presence: 'busy-dnd' }, stream)).toBe(false);
  });

  it('shows Busy at full capacity and Available again when units free up', () => {
    expect(presenceForLoad({ capacity: 100, usedUnits: 90, chosenPresence: 'available' }, 30)).toBe('busy');
    expect(presenceForLoad({ capacity: 100, usedUnits: 60, chosenPresence: 'available' }, 30)).toBe(
      'available',
    );
  });

  it('keeps a presence the agent chose themselves', () => {
    expect(presenceForLoad({ capacity: 100, usedUnits: 100, chosenPresence: 'away' }, 30)).toBe('away');
    expect(presenceForLoad({ capacity: 100, usedUnits: 0, chosenPresence: 'busy-dnd' }, 30)).toBe('busy-dnd');
  });
});
