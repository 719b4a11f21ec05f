import { ValidationError } from './errors.js';

/**
 * A page cursor for lists ordered newest first by a time, ties by id: it names the last entry shown
 * (time and id), so entries sharing a timestamp are neither repeated nor skipped across pages.
 */
export interface TimeCursor {
  at: Date;
  id: string;
}

export function formatTimeCursor(c: TimeCursor): string {
  return `${c.at.toISOString()}~${c.id}`;
}

/** `code` names the list in the 400 a mangled cursor gets (`timeline.bad_cursor`). */
export function parseTimeCursor(cursor: string, code: string): TimeCursor {
  const [at, ...rest] = cursor.split('~');
  const time = Date.parse(at ?? '');
  if (Number.isNaN(time) || rest.length === 0 || rest.join('~') === '') {
    throw new ValidationError(
      code,
      `"${cursor}" is not a cursor of this list (pass the nextCursor you were given)`,
    );
  }
  return { at: new Date(time), id: rest.join('~') };
}

/** Whether an entry comes after the cursor in newest-first order. */
export function isPastTimeCursor(e: TimeCursor, c: TimeCursor): boolean {
  const t = e.at.getTime();
  const ct = c.at.getTime();
  return t < ct || (t === ct && e.id.localeCompare(c.id) > 0);
}
