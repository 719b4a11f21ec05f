import { describe, expect, it } from 'vitest';
import { authorizeUrl, consentAnswer, consentStep, pkceChallenge } from './consent.js';

describe('the sign-in window', () => {
  it('knows its two pages apart from the tab', () => {
    expect(consentStep('/tab/consent/start')).toBe('start');
    expect(consentStep('/tab/consent/end/')).toBe('end');
    expect(consentStep('/tab/')).toBeNull();
  });

  it("asks the user's own tenant for consent to the tab's app, back to the end page", () => {
    const url = new URL(
      authorizeUrl({
        tenantId: 'tenant-1',
        clientId: 'client-1',
        redirectUri: 'https://sb.test/tab/consent/end',
        state: 'st',
        codeChallenge: 'ch',
        loginHint: 'alex@northwind.example',
      }),
    );
    expect(url.origin + url.pathname).toBe(
      'https://login.microsoftonline.com/tenant-1/oauth2/v2.0/authorize',
    );
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: 'client-1',
      response_type: 'code',
      response_mode: 'fragment',
      redirect_uri: 'https://sb.test/tab/consent/end',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
      login_hint: 'alex@northwind.example',
    });
    expect(url.searchParams.get('scope')).toContain('openid');
  });

  it("reports Entra's answer: consent given, declined, or not the answer to this window's request", () => {
    expect(consentAnswer('#code=abc&state=st', 'st')).toEqual({ ok: true });
    expect(
      consentAnswer('#error=access_denied&error_description=AADSTS65004%3A+declined&state=st', 'st'),
    ).toEqual({
      ok: false,
      reason: 'access_denied: AADSTS65004: declined',
    });
    expect(consentAnswer('#code=abc&state=other', 'st')).toEqual({ ok: false, reason: 'StateDoesNotMatch' });
    expect(consentAnswer('#code=abc&state=st', null)).toEqual({ ok: false, reason: 'StateDoesNotMatch' });
  });

  it("makes the PKCE challenge RFC 7636's way", async () => {
    // RFC 7636, appendix B.
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });
});
