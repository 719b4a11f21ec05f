import { randomUUID } from 'node:crypto';

/** Clock, ids and randomness are injected so time-based rules are tested without sleeping. */
export interface Deps {
  now(): Date;
  /** A new unique id, e.g. `conv_3f2a…`; the prefix names the entity for people reading logs. */
  newId(prefix: string): string;
  random(): number;
}

export const systemDeps: Deps = {
  now: () => new Date(),
  newId: (prefix) => `${prefix}_${randomUUID().replace(/-/g, '')}`,
  random: Math.random,
};
