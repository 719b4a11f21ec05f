import { time, type AssignmentMethodRanking } from './assignment-method.js';

/** Advanced round robin: in order of last assignment — the agent assigned longest ago (or never) first. */
export const roundRobin: AssignmentMethodRanking = {
  first: (c) => time(c.lastAssignedAt),
  second: () => 0,
};
