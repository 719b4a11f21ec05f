import { describe, expect, it } from 'vitest';
import type { Agent, Conversation } from '../domain/index.js';
import { queueRealtime } from './realtime.js';

const now = new Date('2026-03-02T10:00:00Z');
const agent = (id: string, over: Partial<Agent> = {}): Agent =>
  ({ id, capacity: 100, usedUnits: 0, chosenPresence: 'available', queueIds: ['q'], ...over }) as Agent;
const conv = (status: Conversation['status'], agentId?: string, queuedSecondsAgo = 0) =>
  ({
    status,
    agentId,
    queueId: 'q',
    timestamps: { createdAt: now, queuedAt: new Date(now.getTime() - queuedSecondsAgo * 1000) },
  }) as Conversation;

describe('real-time figures of a queue', () => {
  it('counts available, on contact, after-contact work, contacts in queue and the oldest wait', () => {
    const members = [
      agent('a'), // available, idle
      agent('b', { usedUnits: 50 }), // available, on a contact, still room
      agent('c', { usedUnits: 100 }), // full: not available
      agent('d', { chosenPresence: 'away' }),
      agent('e', { optedOutQueueIds: ['q'] }), // opted out of this queue: not available here
      agent('f', { usedUnits: 50 }), // wrapping up
    ];
    const open = [
      conv('active', 'b'),
      conv('active', 'c'),
      conv('wrap-up', 'f'),
      conv('waiting', undefined, 90),
      conv('offered', 'a', 30),
    ];
    expect(queueRealtime({ id: 'q', name: 'Q' }, members, open, 50, now)).toEqual({
      queueId: 'q',
      queueName: 'Q',
      agentsAvailable: 3, // a, b, f
      agentsOnContact: 2, // b, c
      agentsAfterContactWork: 1, // f
      contactsInQueue: 2,
      oldestContactAgeSeconds: 90,
    });
  });

  it('reports zero age for an empty queue', () => {
    expect(queueRealtime({ id: 'q', name: 'Q' }, [], [], 1, now).oldestContactAgeSeconds).toBe(0);
  });
});
