// Small pure helpers the views share (unit-tested in format.test.ts).
import type { Sentiment, SentimentLevel } from './types.js';

export function formatDuration(totalSeconds: number | undefined): string {
  if (totalSeconds === undefined || !Number.isFinite(totalSeconds)) return '—';
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** A message's time in full, for its tooltip: the day too, which the transcript's short time leaves out. */
export function formatFullDateTime(iso: string | undefined, timeZone?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? ''
    : d.toLocaleString([], { timeZone, dateStyle: 'full', timeStyle: 'short' });
}

// One formatter per time zone: the transcript asks for the day of each row it draws.
const dayFormats = new Map<string | undefined, Intl.DateTimeFormat>();

/** The calendar day `at` falls on where the viewer is (or in `timeZone`), as YYYY-MM-DD; '' if unreadable. */
export function dayOf(at: string | number, timeZone?: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(d);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * What a transcript says above the first message of a day: "Today", "Yesterday" or the date (with
 * the year when not this one), the days counted where the viewer is, `now` being this moment.
 */
export function dayLabel(iso: string, now: number, timeZone?: string): string {
  const day = dayOf(iso, timeZone);
  const today = dayOf(now, timeZone);
  if (!day) return '';
  if (day === today) return 'Today';
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  if (day === new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10)) return 'Yesterday';
  return new Date(iso).toLocaleDateString([], {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(day.slice(0, 4) === today.slice(0, 4) ? {} : { year: 'numeric' }),
  });
}

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? ''
    : d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function secondsUntil(iso: string, now: number): number {
  return Math.max(0, Math.ceil((new Date(iso).getTime() - now) / 1000));
}

export function sentimentLevel(s: Sentiment | SentimentLevel | undefined | null): SentimentLevel | undefined {
  if (!s) return undefined;
  return typeof s === 'string' ? s : s.level;
}

/** Badge colour per level of the seven-level scale: negatives stand out, neutral stays quiet. */
export function sentimentColor(
  level: SentimentLevel | undefined,
): 'danger' | 'warning' | 'success' | 'informative' {
  switch (level) {
    case 'very negative':
    case 'negative':
      return 'danger';
    case 'slightly negative':
      return 'warning';
    case 'slightly positive':
    case 'positive':
    case 'very positive':
      return 'success';
    default:
      return 'informative';
  }
}

export function titleCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Readable label for a key of context data (`preferredLanguage` → "Preferred language"). */
export function humanKey(key: string): string {
  const spaced = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return titleCase(spaced);
}

export function displayValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(displayValue).join(', ');
  return JSON.stringify(v);
}

export function channelLabel(channel: string): string {
  switch (channel) {
    case 'webchat':
    case 'directline':
      return 'Web chat';
    case 'msteams':
      return 'Teams';
    default:
      return channel;
  }
}
