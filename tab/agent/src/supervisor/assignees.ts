import type { Candidate, SupervisorConversation } from '../types.js';

/**
 * Who the assign list holds, in words: the server lists whom the assignment itself could name
 * (docs/agent-api.md, "who can be named"). A waiting chat is a pick on someone's behalf, so people of
 * its queue; a live one is a transfer, so people of any queue that takes its kind of chat.
 */
export function assignHint(c: Pick<SupervisorConversation, 'status' | 'queueName'>): string {
  const who =
    c.status === 'waiting'
      ? `People of ${c.queueName ?? 'its queue'}`
      : 'People of any queue that takes this kind of chat (its work stream)';
  return `${who}; those who cannot take it now say why.`;
}

/**
 * The assign list: the server's candidates (judged by the rules the assignment itself applies, see
 * `assignHint`) in two groups, those who can take it now and those who
 * cannot, with why. Within each, the server's order: the most reachable presence first.
 */
export function assignees(
  people: readonly Candidate[],
): Array<{ label: string; people: Array<Candidate & { text: string }> }> {
  const text = (p: Candidate) =>
    `${p.name} — ${p.presenceLabel}${p.eligible ? '' : `: ${p.reason ?? 'cannot take it now'}`}`;
  const groups = [
    { label: 'Can take it now', people: people.filter((p) => p.eligible) },
    { label: 'Cannot take it now', people: people.filter((p) => !p.eligible) },
  ];
  return groups
    .filter((g) => g.people.length > 0)
    .map((g) => ({ label: g.label, people: g.people.map((p) => ({ ...p, text: text(p) })) }));
}
