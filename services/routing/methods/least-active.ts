import { time, type AssignmentMethodRanking } from './assignment-method.js';

/** Least active: longest since their last item ended (never ended first); ties → assigned least recently. */
export const leastActive: AssignmentMethodRanking = {
  first: (c) => time(c.lastItemEndedAt),
  second: (c) => time(c.lastAssignedAt),
};
