import type { OperatingHours } from '../domain/index.js';
import { isOpen } from './operating-hours.js';

const MINUTE = 60_000;
/** Opening times are whole minutes; a coarse step finds the window, then minutes find its start. */
const STEP = 15 * MINUTE;
/** Far enough to cross a week and a run of holidays; beyond it the queue is as good as never open. */
const HORIZON = 21 * 24 * 60 * MINUTE;

/**
 * When a queue next takes work: `at` itself when it is open, else the first minute after `at` at
 * which `isOpen` holds, or null when it does not open within three weeks (no weekly window at all).
 */
export function nextOpening(hours: OperatingHours | undefined, at: Date): Date | null {
  if (isOpen(hours, at)) return at;
  const start = Math.ceil(at.getTime() / MINUTE) * MINUTE;
  for (let t = start; t <= start + HORIZON; t += STEP) {
    if (!isOpen(hours, new Date(t))) continue;
    let first = t;
    for (let m = t - MINUTE; m > t - STEP && m >= start; m -= MINUTE) {
      if (!isOpen(hours, new Date(m))) break;
      first = m;
    }
    return new Date(first);
  }
  return null;
}
