import type { Agent, AssignmentMethod, Queue } from '../domain/index.js';
import { freeUnits } from '../domain/index.js';

/** What the assignment methods read about an agent. */
export type Candidate = Pick<
  Agent,
  'id' | 'capacity' | 'usedUnits' | 'skills' | 'lastAssignedAt' | 'lastItemEndedAt'
>;

/** How well an agent's skills cover an item's required skills. */
export interface SkillMatch {
  matched: number;
  /** Sum of proficiency over the matched skills. */
  proficiency: number;
}

export function skillMatch(agent: Pick<Agent, 'skills'>, required: readonly string[]): SkillMatch {
  let matched = 0;
  let proficiency = 0;
  for (const name of required) {
    const s = agent.skills.find((k) => k.name === name);
    if (s) {
      matched += 1;
      proficiency += s.proficiency;
    }
  }
  return { matched, proficiency };
}

const NEVER = -Infinity;
const time = (d: Date | undefined): number => (d ? d.getTime() : NEVER);

/**
 * Orders candidates by the queue's method; the first is the one to offer to. Every comparator ends in
 * the agent id so the choice is deterministic whatever order candidates came in.
 * - highest capacity: most free units; ties → longest idle, i.e. assigned least recently.
 * - advanced round robin: order of last assignment — the agent assigned longest ago (never first).
 * - least active: longest since their last item ended (never ended first); ties → assigned least recently.
 */
export function compareByMethod(
  method: AssignmentMethod,
  free: (c: Candidate) => number = freeUnits,
): (a: Candidate, b: Candidate) => number {
  const byId = (a: Candidate, b: Candidate): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const byLastAssigned = (a: Candidate, b: Candidate): number =>
    time(a.lastAssignedAt) - time(b.lastAssignedAt);
  switch (method) {
    case 'highest-capacity':
      return (a, b) => free(b) - free(a) || byLastAssigned(a, b) || byId(a, b);
    case 'round-robin':
      return (a, b) => byLastAssigned(a, b) || byId(a, b);
    case 'least-active':
      return (a, b) =>
        time(a.lastItemEndedAt) - time(b.lastItemEndedAt) || byLastAssigned(a, b) || byId(a, b);
    default: {
      const unreachable: never = method;
      throw new Error(`Unknown assignment method ${String(unreachable)}`);
    }
  }
}

/**
 * Chooses the agent for one item among agents already known to be eligible (queue member, allowed
 * presence, enough free units, not declined — see `eligibility.ts`). Returns null when nobody fits.
 *
 * Skills (DESIGN.md §4): `exact` keeps only agents with every required skill, then applies the method;
 * `closest` prefers the most required skills matched, then the higher total proficiency on them, and
 * only then applies the method. With no required skills both reduce to the method alone.
 */
export function chooseAgent<C extends Candidate>(
  candidates: Iterable<C>,
  required: readonly string[],
  queue: Pick<Queue, 'assignmentMethod' | 'skillMatching'>,
  /** Free units as the caller sees them (e.g. counting reservations still in flight). */
  free: (c: Candidate) => number = freeUnits,
): C | null {
  const cmp = compareByMethod(queue.assignmentMethod, free);
  let best: C | null = null;
  let bestMatch: SkillMatch = { matched: -1, proficiency: -1 };
  // One pass instead of a sort: this runs for every decision over up to thousands of agents.
  for (const c of candidates) {
    const m = required.length === 0 ? { matched: 0, proficiency: 0 } : skillMatch(c, required);
    if (queue.skillMatching === 'exact') {
      if (m.matched < required.length) continue;
      if (!best || cmp(c, best) < 0) best = c;
      continue;
    }
    const better =
      !best ||
      m.matched > bestMatch.matched ||
      (m.matched === bestMatch.matched &&
        (m.proficiency > bestMatch.proficiency ||
          (m.proficiency === bestMatch.proficiency && cmp(c, best) < 0)));
    if (better) {
      best = c;
      bestMatch = m;
    }
  }
  return best;
}
