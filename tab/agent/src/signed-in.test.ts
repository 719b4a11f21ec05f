import { describe, expect, it } from 'vitest';
import { signedIn, visitorShown } from './signed-in.js';

describe("the customer card's word on who the customer is", () => {
  it('names who vouched: the site by its customer id, Teams by the Entra ID user and tenant', () => {
    expect(signedIn({ authenticated: true, verified: { id: 'cust-1001', name: 'Jordan Lee' } })).toBe(
      'Verified by the site (customer cust-1001)',
    );
    expect(signedIn({ authenticated: true, verified: { by: 'site', id: 'cust-1001' } })).toBe(
      'Verified by the site (customer cust-1001)',
    );
    const teams = {
      authenticated: true,
      verified: { by: 'microsoft-teams', id: '6f1c2a4e', name: 'Casey Jordan', tenantId: '72f988bf' },
    };
    expect(signedIn(teams)).toBe('Verified by Microsoft Teams (Entra ID user 6f1c2a4e in tenant 72f988bf)');
    expect(visitorShown(teams).verified).toBe('Casey Jordan, Entra ID user 6f1c2a4e in tenant 72f988bf');
  });

  it("says a page's own claim is not verified, and nothing when there is no claim", () => {
    expect(signedIn({ authenticated: false, reportedAuthenticated: true })).toBe(
      'The page says so; not verified',
    );
    expect(signedIn({ authenticated: false })).toBeUndefined();
    expect(visitorShown({ authenticated: false })).toEqual({ authenticated: false });
  });
});
