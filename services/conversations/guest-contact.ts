import type { Customer } from '../domain/index.js';

// A guest (not signed in) is known by the browser's Direct Line user id alone, and several people
// share a browser: what one of them types is their word about themselves, never a reason to rewrite
// the record another one left behind.

/** A name or e-mail a guest typed in the pre-chat survey. */
export interface TypedContact {
  name?: string;
  email?: string;
}

/** The name a customer record gets before anyone said theirs. */
export const UNNAMED_GUEST = 'Guest';

const sameName = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

const hasDetails = (record: Pick<Customer, 'name' | 'email'>) =>
  record.name !== UNNAMED_GUEST || record.email !== undefined;

/**
 * Whether `record` is the one the guest named: nothing they typed differs from it, and at least one
 * detail they typed (name or e-mail) is on it, the same.
 */
export function namesRecord(record: Pick<Customer, 'name' | 'email'>, typed: TypedContact): boolean {
  const email = typed.email && record.email ? sameEmail(record.email, typed.email) : undefined;
  const name = typed.name && record.name !== UNNAMED_GUEST ? sameName(record.name, typed.name) : undefined;
  return email !== false && name !== false && (email === true || name === true);
}

/**
 * Whether the guest's typed details may go on `record`: it has none yet, or it is the one they named.
 * A record with other details is someone else's, or the same person under another name and e-mail:
 * either way not this chat's to change.
 */
export function fitsRecord(record: Pick<Customer, 'name' | 'email'>, typed: TypedContact): boolean {
  return !hasDetails(record) || namesRecord(record, typed);
}
