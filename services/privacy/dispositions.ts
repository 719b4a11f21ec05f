// A disposition is what an agent chose at wrap-up, or what a supervisor typed closing a chat
// (`force-closed: <reason>`); the agent API takes any text, so it can name the customer ("Credit
// confirmed to Jordan Lee at jordan.lee@example.com"). An erase keeps the product's own words, which
// the figures count, and puts a neutral one in place of anything typed.

/** The wrap-up choices the agent tab offers (tab/agent/src/Session.tsx): nobody's personal data. */
export const OFFERED_DISPOSITIONS = [
  'Resolved',
  'Resolved with follow-up',
  'Escalated to a case',
  'Customer left',
  'Other',
] as const;

/** What a supervisor's close is recorded as, before the reason they may have typed. */
export const FORCE_CLOSED = 'force-closed';

/** What stands in for a typed disposition after an erase: the tab's own word for "something else". */
export const NEUTRAL_DISPOSITION = 'Other';

/**
 * The disposition an erased customer's conversation keeps. `alsoKept`: other words of the product's
 * configuration (a macro's `set-field disposition`), compared as the offered ones, in any case.
 */
export function erasedDisposition(disposition: string, alsoKept: Iterable<string> = []): string {
  const kept = new Set([...OFFERED_DISPOSITIONS, FORCE_CLOSED, ...alsoKept].map((d) => d.toLowerCase()));
  if (kept.has(disposition.trim().toLowerCase())) return disposition;
  if (disposition.startsWith(`${FORCE_CLOSED}:`)) return FORCE_CLOSED;
  return NEUTRAL_DISPOSITION;
}
