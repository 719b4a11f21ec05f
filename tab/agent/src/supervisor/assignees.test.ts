import { describe, expect, it } from 'vitest';
import { assignees } from './assignees.js';

const person = (id: string, presence: string, queues: string[]) => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  presence,
  queues: queues.map((q) => ({ id: q, name: q })),
});

describe('whom a supervisor can assign a conversation to', () => {
  it('leaves out its agent, puts its queue first and the available first within each group', () => {
    const people = [
      person('alex', 'available', ['tech']),
      person('bianca', 'available', ['billing']),
      person('chen', 'offline', ['tech']),
      person('emma', 'away', ['tech']),
      person('farah', 'available', ['tech', 'billing']),
    ];
    const groups = assignees(people, { agentId: 'alex', queueId: 'tech', queueName: 'Technical support' });
    expect(groups.map((g) => [g.label, g.people.map((p) => p.id)])).toEqual([
      ['In Technical support', ['farah', 'emma', 'chen']],
      ['Other agents', ['bianca']],
    ]);
  });

  it('drops a group with nobody in it', () => {
    const groups = assignees([person('bianca', 'busy', ['billing'])], { queueId: 'tech', queueName: 'Tech' });
    expect(groups.map((g) => g.label)).toEqual(['Other agents']);
  });
});
