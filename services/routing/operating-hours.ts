import type { OperatingHours } from '../domain/index.js';

interface LocalTime {
  /** 0 = Sunday … 6 = Saturday. */
  day: number;
  /** "YYYY-MM-DD". */
  date: string;
  /** Minutes since local midnight. */
  minutes: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-US with h23 gives stable parts whatever the host locale; Intl does the DST arithmetic.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in an IANA time zone (throws RangeError for an unknown zone). */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(at)) parts[p.type] = p.value;
  return {
    day: WEEKDAYS[parts.weekday ?? ''] ?? 0,
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m ?? 0);
}

function previousDate(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Whether a queue takes work at `at`. No operating hours = always open. A window whose close is not
 * after its open (e.g. 22:00–06:00) runs past midnight into the next day; "24:00" closes at midnight.
 * A holiday closes the whole local date, including the after-midnight part of the previous day's
 * overnight window.
 */
export function isOpen(hours: OperatingHours | undefined, at: Date): boolean {
  if (!hours) return true;
  const now = localTime(at, hours.timeZone);
  if (hours.holidays.includes(now.date)) return false;
  const yesterday = (now.day + 6) % 7;
  for (const w of hours.weekly) {
    const open = toMinutes(w.open);
    const close = toMinutes(w.close);
    const overnight = close <= open;
    if (w.day === now.day && now.minutes >= open && (overnight || now.minutes < close)) return true;
    if (
      overnight &&
      w.day === yesterday &&
      now.minutes < close &&
      !hours.holidays.includes(previousDate(now.date))
    ) {
      return true;
    }
  }
  return false;
}
