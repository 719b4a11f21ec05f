// The sign-in window's two pages (Microsoft's documented fallback when Teams SSO cannot get a token
// silently: a first-time user's consent, a second factor). Teams opens /tab/consent/start through
// authentication.authenticate; it sends the window on to Entra's authorize endpoint for the tab's app
// registration; Entra sends it back to /tab/consent/end, which tells Teams how it went. What the
// window is for is the consent Entra records on the way; the tab then asks Teams for its token again.
// Entra must know the end page: the app registration lists <PUBLIC_URL>/tab/consent/end as a
// single-page application redirect URI (README, "The Teams app").

export const CONSENT_START = '/tab/consent/start';
export const CONSENT_END = '/tab/consent/end';

/**
 * What Microsoft's Teams SSO sample asks Entra for: signing in and reading the profile, the
 * permissions a tab's registration holds for SSO. Consent to them is what getAuthToken lacked.
 */
export const CONSENT_SCOPES = 'openid profile email offline_access User.Read';

/** Which of the window's pages this is, from the page's path; null for the tab itself. */
export function consentStep(pathname: string): 'start' | 'end' | null {
  const path = pathname.replace(/\/+$/, '');
  if (path === CONSENT_START) return 'start';
  if (path === CONSENT_END) return 'end';
  return null;
}

export interface AuthorizeRequest {
  /** The tenant the user is signed in to in Teams (a guest's is not their home tenant). */
  tenantId: string;
  clientId: string;
  redirectUri: string;
  state: string;
  /** PKCE (S256): Entra wants one for a single-page app's redirect; the code is never redeemed. */
  codeChallenge: string;
  loginHint?: string;
}

/** Entra's authorize endpoint for the consent (the authorization code flow; the code comes back in the fragment). */
export function authorizeUrl(r: AuthorizeRequest): string {
  const q = new URLSearchParams({
    client_id: r.clientId,
    response_type: 'code',
    response_mode: 'fragment',
    redirect_uri: r.redirectUri,
    scope: CONSENT_SCOPES,
    state: r.state,
    code_challenge: r.codeChallenge,
    code_challenge_method: 'S256',
  });
  if (r.loginHint) q.set('login_hint', r.loginHint);
  return `https://login.microsoftonline.com/${encodeURIComponent(r.tenantId)}/oauth2/v2.0/authorize?${q}`;
}

/** What Entra sent the window back with: consent given, or why not (the reason Teams passes on). */
export function consentAnswer(
  hash: string,
  expectedState: string | null,
): { ok: true } | { ok: false; reason: string } {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const error = q.get('error');
  if (error) {
    const description = q.get('error_description');
    return { ok: false, reason: description ? `${error}: ${description}` : error };
  }
  // Not the answer to the request this window sent: nothing is taken from it.
  if (!expectedState || q.get('state') !== expectedState) return { ok: false, reason: 'StateDoesNotMatch' };
  if (!q.get('code')) return { ok: false, reason: 'UnexpectedFailure' };
  return { ok: true };
}

/** A random value for `state` and the PKCE verifier (base64url, 32 bytes). */
export function randomKey(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The PKCE S256 challenge of `verifier`. */
export async function pkceChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

function base64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
