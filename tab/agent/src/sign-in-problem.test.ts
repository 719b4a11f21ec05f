import { describe, expect, it } from 'vitest';
import {
  retryDelaySeconds,
  serverSignInProblem,
  signInWindowProblem,
  teamsTokenProblem,
} from './sign-in-problem.js';

describe('teamsTokenProblem', () => {
  it('offers the sign-in window to a user who has not consented yet, in words rather than the code', () => {
    for (const reason of [
      'resourceRequiresConsent',
      'consent_required',
      'AADSTS65001: no consent',
      'resourceRequiresMfa',
    ]) {
      const p = teamsTokenProblem(reason);
      expect(p, reason).toMatchObject({ kind: 'needs-sign-in', canSignIn: true, forAdmin: false });
      expect(p.text).not.toContain(reason);
      expect(p.detail).toBe(`Teams said: ${reason}`);
    }
  });

  it('sends the user to their administrator only when the app is set up wrong', () => {
    for (const reason of [
      'resourceDisabled',
      'App resource defined in manifest and iframe origin do not match',
      'AADSTS500011: The resource principal named api://x was not found',
    ]) {
      expect(teamsTokenProblem(reason), reason).toMatchObject({
        kind: 'setup',
        forAdmin: true,
        canSignIn: false,
      });
    }
    expect(teamsTokenProblem('CancelledByUser')).toMatchObject({ kind: 'window-closed', forAdmin: false });
    expect(teamsTokenProblem('something new')).toMatchObject({
      kind: 'other',
      forAdmin: false,
      canSignIn: true,
    });
  });
});

describe('signInWindowProblem', () => {
  it('tells a closed window, a blocked one and a declined consent apart, each with Sign in again', () => {
    expect(signInWindowProblem('CancelledByUser')).toMatchObject({ kind: 'window-closed', canSignIn: true });
    expect(signInWindowProblem('FailedToOpenWindow')).toMatchObject({
      kind: 'window-blocked',
      canSignIn: true,
    });
    expect(
      signInWindowProblem('access_denied: AADSTS65004: User declined to consent to access the app.'),
    ).toMatchObject({ kind: 'declined', canSignIn: true });
  });
});

describe('serverSignInProblem', () => {
  it('says a server that cannot check sign-ins will be tried again after its Retry-After', () => {
    const p = serverSignInProblem({
      status: 503,
      code: 'auth.unavailable',
      message: "Sign-in cannot be checked right now: Entra ID's signing keys could not be fetched",
      retryAfterSeconds: 30,
    });
    expect(p).toMatchObject({
      kind: 'unavailable',
      retryAfterSeconds: 30,
      forAdmin: false,
      canSignIn: false,
    });
  });

  it('names the reason a token was refused, and the administrator only for another app or tenant', () => {
    const expired = serverSignInProblem({
      status: 401,
      code: 'auth.invalid_token',
      message: 'The sign-in token was refused: it has expired',
    });
    expect(expired).toMatchObject({ kind: 'refused', forAdmin: false });
    expect(expired.text).toContain('it has expired');
    expect(
      serverSignInProblem({
        status: 401,
        code: 'auth.invalid_token',
        message: 'The sign-in token was refused: it was issued for another application (audience)',
      }),
    ).toMatchObject({ kind: 'setup', forAdmin: true });
  });
});

describe('retryDelaySeconds', () => {
  it("waits the server's Retry-After, then twice as long each time, at most five minutes", () => {
    expect([1, 2, 3, 4, 10].map((n) => retryDelaySeconds(30, n))).toEqual([30, 60, 120, 240, 300]);
  });
});
