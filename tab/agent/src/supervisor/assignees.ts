import type { Candidate } from '../types.js';

/**
 * The assign list: the server's candidates (only people of the conversation's queue, judged by the
 * rules the assignment itself applies) in two groups, those who can take it now and those who
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
