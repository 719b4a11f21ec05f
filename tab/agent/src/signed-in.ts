// Who the customer is, as the agent reads it: who vouched for them, or that only the page says so.

interface Verified {
  by?: 'site' | 'microsoft-teams';
  id: string;
  name?: string;
  email?: string;
  tenantId?: string;
}

/** Who vouched for the customer and the id they know them by, in the agent's words. */
function verifiedAs(v: Verified): { by: string; who: string } {
  return v.by === 'microsoft-teams'
    ? { by: 'Microsoft Teams', who: `Entra ID user ${v.id}${v.tenantId ? ` in tenant ${v.tenantId}` : ''}` }
    : { by: 'the site', who: `customer ${v.id}` };
}

/**
 * Whether the customer is who they say: the site's signed token or Teams says so (verified), or only
 * the page claims it, which anyone can script — an agent must not take that for an identity check.
 */
export function signedIn(visitor: Record<string, unknown>): string | undefined {
  const verified = visitor.verified as Verified | undefined;
  if (verified) {
    const { by, who } = verifiedAs(verified);
    return `Verified by ${by} (${who})`;
  }
  if (visitor.reportedAuthenticated) return 'The page says so; not verified';
  return undefined;
}

/** The visitor's details as agents read them: who vouched for them, in words rather than JSON. */
export function visitorShown(visitor: Record<string, unknown>): Record<string, unknown> {
  const verified = visitor.verified as Verified | undefined;
  if (!verified) return visitor;
  return {
    ...visitor,
    verified: [verified.name, verified.email, verifiedAs(verified).who].filter(Boolean).join(', '),
  };
}

/** What the server says tied the chat to its customer record (`GET /conversations/:id/customer`). */
export interface CustomerMatch {
  verified?: boolean;
  matchedBy?: 'sign-in' | 'typed-details' | 'channel';
  earlierHistory?: boolean;
}

const HOW_MATCHED = {
  'typed-details': { label: 'details typed in the survey', matched: 'Matched by the details typed' },
  channel: { label: 'known only by their browser', matched: 'Matched by the browser the chat came from' },
} as const;

/**
 * What the agent must be told of an unverified customer: that they are a guest, and, when their chat
 * landed on a record with earlier history, that it may be someone else typing that customer's
 * details (a shared browser, a stranger) — the record's cases and notes are not theirs to hear yet.
 */
export function unverifiedNotice(
  match: CustomerMatch,
  visitor: Record<string, unknown>,
): { label: string; caution?: string } | undefined {
  const verified = match.verified ?? Boolean(visitor.verified);
  if (verified) return undefined;
  const how = HOW_MATCHED[match.matchedBy === 'channel' ? 'channel' : 'typed-details'];
  return {
    label: `Guest — not verified (${how.label})`,
    ...(match.earlierHistory
      ? {
          caution: `${how.matched}; not verified — confirm who you are talking to before sharing account details`,
        }
      : {}),
  };
}
