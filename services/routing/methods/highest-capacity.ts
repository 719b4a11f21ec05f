import { time, type AssignmentMethodRanking } from './assignment-method.js';

/** Highest capacity: most free units first; ties → longest idle, i.e. assigned least recently. */
export const highestCapacity: AssignmentMethodRanking = {
  first: (c, free) => -free(c),
  second: (c) => time(c.lastAssignedAt),
};
