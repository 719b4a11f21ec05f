// The customer's timeline as the agent reads it: each past chat with whom it was, how it ended and
// how the customer rated it; each case with its number and status; each note with who wrote it.
import { titleCase } from './format.js';
import type { TimelineEntry } from './types.js';

/** What else the agent should know of the entry, each part in words. */
export function timelineFacts(t: TimelineEntry): string[] {
  switch (t.kind) {
    case 'conversation':
      return [
        t.status && titleCase(t.status),
        t.agentName && `with ${t.agentName}`,
        t.disposition && `wrapped up: ${t.disposition}`,
        t.rating !== undefined && `rated ${t.rating} of 5`,
      ].filter((p): p is string => Boolean(p));
    case 'case':
      return [t.status && titleCase(t.status)].filter((p): p is string => Boolean(p));
    case 'note':
      return t.authorName ? [`by ${t.authorName}`] : [];
    default:
      return [];
  }
}

/** Appends an older page to what is shown, leaving out entries already there. */
export function withOlder(shown: readonly TimelineEntry[], older: readonly TimelineEntry[]): TimelineEntry[] {
  const seen = new Set(shown.map((t) => `${t.kind}:${t.id}`));
  return [...shown, ...older.filter((t) => !seen.has(`${t.kind}:${t.id}`))];
}
