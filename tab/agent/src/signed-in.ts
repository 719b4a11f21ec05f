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
