import type { Person, SupervisorConversation } from '../types.js';

/**
 * Whom a conversation can go to: not the agent who has it; the people of its queue first, as the
 * ones who have its skills, then everyone else. Within each, the available first.
 */
export function assignees(
  people: readonly Person[],
  c: Pick<SupervisorConversation, 'agentId' | 'queueId' | 'queueName'>,
): Array<{ label: string; people: Person[] }> {
  const rank = (p: Person) => (p.presence === 'available' ? 0 : p.presence === 'offline' ? 2 : 1);
  const candidates = people
    .filter((p) => p.id !== c.agentId)
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const inQueue = (p: Person) =>
    (p.queues ?? []).some((q) => (typeof q === 'string' ? q : q.id) === c.queueId);
  const groups = [
    { label: `In ${c.queueName ?? 'its queue'}`, people: candidates.filter(inQueue) },
    { label: 'Other agents', people: candidates.filter((p) => !inQueue(p)) },
  ];
  return groups.filter((g) => g.people.length > 0);
}
