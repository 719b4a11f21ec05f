import { describe, expect, it } from 'vitest';
import { signedIn, unverifiedNotice, visitorShown } from './signed-in.js';

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

describe('the card on an unverified customer', () => {
  it('labels a guest, and cautions when their chat landed on a record with earlier history', () => {
    expect(
      unverifiedNotice({ verified: false, matchedBy: 'typed-details', earlierHistory: false }, {}),
    ).toEqual({
      label: 'Guest — not verified (details typed in the survey)',
    });
    expect(
      unverifiedNotice({ verified: false, matchedBy: 'typed-details', earlierHistory: true }, {}),
    ).toEqual({
      label: 'Guest — not verified (details typed in the survey)',
      caution:
        'Matched by the details typed; not verified — confirm who you are talking to before sharing account details',
    });
    expect(
      unverifiedNotice({ verified: false, matchedBy: 'channel', earlierHistory: true }, {})?.caution,
    ).toMatch(/^Matched by the browser the chat came from; not verified/);
  });

  it('says nothing of a verified customer, by the summary or, before it loads, by the visitor', () => {
    expect(
      unverifiedNotice({ verified: true, matchedBy: 'sign-in', earlierHistory: true }, {}),
    ).toBeUndefined();
    expect(unverifiedNotice({}, { authenticated: true, verified: { id: 'cust-1001' } })).toBeUndefined();
  });
});
