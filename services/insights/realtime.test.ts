import { describe, expect, it } from 'vitest';
import type { Agent } from '../domain/index.js';
import { queueRealtime, type Handling } from './realtime.js';

const now = new Date('2026-03-02T10:00:00Z');
const agent = (id: string, over: Partial<Agent> = {}): Agent =>
  ({ id, capacity: 100, usedUnits: 0, chosenPresence: 'available', queueIds: ['q'], ...over }) as Agent;
const rule = { cost: 50, presences: ['available', 'busy'] as const };
const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000);

describe('real-time figures of a queue', () => {
  it('counts with room (as routing offers), in a live chat, wrapping up, after-contact work, contacts in queue and the oldest wait', () => {
    const members = [
      agent('a'), // available, idle
      agent('b', { usedUnits: 50 }), // available, on a contact, still room
      agent('c', { usedUnits: 100 }), // full: not available
      agent('d', { chosenPresence: 'away' }),
      agent('e', { optedOutQueueIds: ['q'] }), // opted out of this queue: not available here
      agent('f', { usedUnits: 50 }), // wrapping up
      agent('g', { usedUnits: 100 }), // one active and one in wrap-up: in a live chat and wrapping up
      agent('h', { chosenPresence: 'busy' }), // Busy: routing still offers them work here
      agent('i', { chosenPresence: 'busy-dnd' }), // Do not disturb: offered nothing
    ];
    const handling: Handling = new Map([
      ['b', new Set(['active'] as const)],
      ['c', new Set(['active'] as const)],
      ['f', new Set(['wrap-up'] as const)],
      ['g', new Set(['wrap-up', 'active'] as const)],
      ['not-a-member', new Set(['active'] as const)],
    ]);
    const backlog = { count: 2, oldestQueuedAt: secondsAgo(90) };
    expect(queueRealtime({ id: 'q', name: 'Q' }, members, handling, backlog, rule, now)).toEqual({
      queueId: 'q',
      queueName: 'Q',
      open: true, // no operating hours: always open
      agentsAvailable: 4, // a, b, f, h: those routing would offer the next chat to
      agentsOnContact: 3, // b, c, g
      agentsAfterContactWork: 2, // f, g: g's other chat still live does not hide the wrap-up
      contactsInQueue: 2,
      oldestContactAgeSeconds: 90,
    });
  });

  it('reports zero age for an empty queue, and never a negative one', () => {
    const empty = { count: 0, oldestQueuedAt: null };
    expect(
      queueRealtime({ id: 'q', name: 'Q' }, [], new Map(), empty, { cost: 1, presences: ['available'] }, now)
        .oldestContactAgeSeconds,
    ).toBe(0);
    const ahead = { count: 1, oldestQueuedAt: secondsAgo(-5) }; // another instance's clock runs ahead
    expect(
      queueRealtime({ id: 'q', name: 'Q' }, [], new Map(), ahead, { cost: 1, presences: ['available'] }, now)
        .oldestContactAgeSeconds,
    ).toBe(0);
  });
});
