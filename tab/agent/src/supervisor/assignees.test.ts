import { describe, expect, it } from 'vitest';
import type { Candidate } from '../types.js';
import { assignHint, assignees } from './assignees.js';

const person = (name: string, presenceLabel: string, reason?: string): Candidate => ({
  id: name.toLowerCase(),
  name,
  roles: ['agent'],
  presence: presenceLabel.toLowerCase(),
  presenceLabel,
  queues: [],
  eligible: !reason,
  ...(reason ? { reason } : {}),
});

describe('whom a supervisor can assign a conversation to', () => {
  it('puts those who can take it first and says why the others cannot', () => {
    const groups = assignees([
      person('Farah', 'Available'),
      person('Emma', 'Away', 'A transfer goes to someone Available or Busy'),
      person('Chen', 'Offline', 'Assign a waiting chat to someone signed in'),
    ]);
    expect(groups.map((g) => [g.label, g.people.map((p) => p.text)])).toEqual([
      ['Can take it now', ['Farah — Available']],
      [
        'Cannot take it now',
        [
          'Emma — Away: A transfer goes to someone Available or Busy',
          'Chen — Offline: Assign a waiting chat to someone signed in',
        ],
      ],
    ]);
  });

  it('drops a group with nobody in it', () => {
    const groups = assignees([person('Bianca', 'Busy')]);
    expect(groups.map((g) => g.label)).toEqual(['Can take it now']);
  });
});

describe('what the assign list says it holds', () => {
  it("names the queue of a waiting chat, whose assignment is a pick from that queue's people", () => {
    expect(assignHint({ status: 'waiting', queueName: 'Billing' })).toBe(
      'People of Billing; those who cannot take it now say why.',
    );
  });

  it('says a live chat can go to people of any queue of its kind of chat, not its queue alone', () => {
    expect(assignHint({ status: 'active', queueName: 'Billing' })).toBe(
      'People of any queue that takes this kind of chat (its work stream); those who cannot take it now say why.',
    );
  });
});
