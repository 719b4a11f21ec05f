import type { Agent, AssignmentMethod, Queue } from '../domain/index.js';
import { freeUnits } from '../domain/index.js';
import type { AssignmentMethodRanking, Candidate } from './methods/assignment-method.js';
import { highestCapacity } from './methods/highest-capacity.js';
import { leastActive } from './methods/least-active.js';
import { roundRobin } from './methods/round-robin.js';

export type { AssignmentMethodRanking, Candidate } from './methods/assignment-method.js';

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

/** The ranking of each method a queue can name; the type makes a missing method a compile error. */
export const ASSIGNMENT_METHODS: Readonly<Record<AssignmentMethod, AssignmentMethodRanking>> = {
  'highest-capacity': highestCapacity,
  'round-robin': roundRobin,
  'least-active': leastActive,
};

/** The method's ranking of one candidate as two numbers, lower first (see `AssignmentMethodRanking`). */
export function methodKeys(
  method: AssignmentMethod,
  c: Candidate,
  free: (c: Candidate) => number = freeUnits,
): [number, number] {
  const ranking = ASSIGNMENT_METHODS[method];
  return [ranking.first(c, free), ranking.second(c)];
}

/** Orders candidates by the queue's method; the first is the one to offer to. */
export function compareByMethod(
  method: AssignmentMethod,
  free: (c: Candidate) => number = freeUnits,
): (a: Candidate, b: Candidate) => number {
  return (a, b) => {
    const [a1, a2] = methodKeys(method, a, free);
    const [b1, b2] = methodKeys(method, b, free);
    return a1 - b1 || a2 - b2 || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  };
}

/**
 * Chooses the agent for one item among agents already known to be eligible (queue member, allowed
 * presence, enough free units, not declined — see `eligibility.ts`). Returns null when nobody fits.
 *
 * Skills: `exact` keeps only agents with every required skill, then applies the method;
 * `closest` prefers the most required skills matched, then the higher total proficiency on them, and
 * only then applies the method. With no required skills both reduce to the method alone.
 */
export function chooseAgent<C extends Candidate>(
  candidates: Iterable<C>,
  required: readonly string[],
  queue: Pick<Queue, 'assignmentMethod' | 'skillMatching'>,
  /** Free units as the caller sees them (e.g. counting reservations still in flight). */
  free: (c: Candidate) => number = freeUnits,
  /** Skips candidates the caller rules out (eligibility), without building a filtered list first. */
  accept?: (c: C) => boolean,
): C | null {
  const exact = queue.skillMatching === 'exact';
  const ranking = ASSIGNMENT_METHODS[queue.assignmentMethod];
  let best: C | null = null;
  let bestMatched = -1;
  let bestProficiency = -1;
  let best1 = 0;
  let best2 = 0;
  // One pass with the ranking computed once per candidate: this runs for every decision over up to
  // thousands of agents.
  for (const c of candidates) {
    if (accept && !accept(c)) continue;
    let matched = 0;
    let proficiency = 0;
    if (required.length > 0) {
      ({ matched, proficiency } = skillMatch(c, required));
      if (exact) {
        if (matched < required.length) continue;
        // Exact matching filters; it does not rank by proficiency.
        matched = 0;
        proficiency = 0;
      }
    }
    const k1 = ranking.first(c, free);
    const k2 = ranking.second(c);
    const better =
      best === null ||
      matched > bestMatched ||
      (matched === bestMatched &&
        (proficiency > bestProficiency ||
          (proficiency === bestProficiency &&
            (k1 < best1 || (k1 === best1 && (k2 < best2 || (k2 === best2 && c.id < best.id)))))));
    if (better) {
      best = c;
      bestMatched = matched;
      bestProficiency = proficiency;
      best1 = k1;
      best2 = k2;
    }
  }
  return best;
}
