import type { Agent } from '../../domain/index.js';

/** What the assignment methods read about an agent. */
export type Candidate = Pick<
  Agent,
  'id' | 'capacity' | 'usedUnits' | 'skills' | 'lastAssignedAt' | 'lastItemEndedAt'
>;

/**
 * One queue assignment method: how it ranks a candidate, as two numbers compared in order, lower
 * first (ties then go to the lower agent id, so a choice never depends on the order candidates came
 * in). Two plain numbers rather than a comparator: the ranking runs for every decision over up to
 * thousands of agents, and numbers compare without allocating.
 */
export interface AssignmentMethodRanking {
  first(c: Candidate, free: (c: Candidate) => number): number;
  second(c: Candidate): number;
}

const NEVER = -Infinity;
/** A time as a number; "never" sorts before every real time. */
export const time = (d: Date | undefined): number => (d ? d.getTime() : NEVER);
