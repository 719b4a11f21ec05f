// Why the tab could not sign in inside Teams, in words an agent can act on, and what they can do:
// sign in in Microsoft's window (consent, a second factor), try again, wait, or — only when the app
// itself is set up wrong — ask their administrator. What Teams or the server said stays beside it
// for whoever helps them, never as the sentence itself.

export type SignInProblemKind =
  | 'needs-sign-in'
  | 'window-closed'
  | 'declined'
  | 'window-blocked'
  | 'refused'
  | 'unavailable'
  | 'setup'
  | 'other';

export interface SignInProblem {
  kind: SignInProblemKind;
  title: string;
  text: string;
  /** What Teams or the server said, word for word, and which of them said it. */
  detail?: string;
  /** The app's single sign-on is set up wrong: only an administrator can fix it. */
  forAdmin: boolean;
  /** Microsoft's sign-in window can help (consent, a second factor, picking the account). */
  canSignIn: boolean;
  /** The tab tries again by itself after this long, without asking Teams for another token. */
  retryAfterSeconds?: number;
}

/**
 * What getAuthToken's failures mean. Teams names some itself (resourceRequiresConsent,
 * CancelledByUser); others are Entra's error codes passed through (AADSTS65001: no consent).
 */
const NEEDS_SIGN_IN =
  /resourceRequiresConsent|resourceRequiresMfa|consent_required|interaction_required|login_required|invalid_grant|AADSTS(65001|50076|50079|50058|50158)\b/i;
/** The app's registration, its Application ID URI or the package's webApplicationInfo do not match. */
const SETUP =
  /resourceDisabled|invalid_resource|invalid_client|unauthorized_client|iframe origin do not match|AADSTS(500011|700016|50011|650057|90009|7000112|50020)\b/i;

function problem(
  kind: SignInProblemKind,
  title: string,
  text: string,
  more: Partial<SignInProblem> = {},
): SignInProblem {
  return { kind, title, text, forAdmin: false, canSignIn: false, ...more };
}

/** Teams gave the tab no token (getAuthToken rejected with `reason`). */
export function teamsTokenProblem(reason: string): SignInProblem {
  if (SETUP.test(reason)) return setupProblem(reason);
  if (NEEDS_SIGN_IN.test(reason)) {
    return problem(
      'needs-sign-in',
      'Sign in to Switchboard',
      'Teams needs you to sign in to Switchboard once and allow it to use your Teams account. ' +
        "Select Sign in: Microsoft's sign-in window opens, and you come back here when it is done.",
      { detail: teamsSaid(reason), canSignIn: true },
    );
  }
  if (/CancelledByUser/i.test(reason)) return signInWindowProblem(reason);
  return problem(
    'other',
    "Teams couldn't sign you in",
    'Teams did not give Switchboard your sign-in. Try again, or sign in in a Microsoft window; if it ' +
      'keeps happening, sign out of Teams and back in.',
    { detail: teamsSaid(reason), canSignIn: true },
  );
}

/** Microsoft's sign-in window (authentication.authenticate) ended without a sign-in. */
export function signInWindowProblem(reason: string): SignInProblem {
  if (/FailedToOpenWindow/i.test(reason)) {
    return problem(
      'window-blocked',
      "The sign-in window couldn't open",
      'Your browser blocked the window Microsoft signs you in with. Allow pop-ups for Teams, then ' +
        'select Sign in again.',
      { detail: teamsSaid(reason), canSignIn: true },
    );
  }
  if (/CancelledByUser/i.test(reason)) {
    return problem(
      'window-closed',
      'Sign-in was not finished',
      'The sign-in window closed before you finished. Select Sign in to open it again.',
      { detail: teamsSaid(reason), canSignIn: true },
    );
  }
  if (/access_denied|AADSTS65004\b/i.test(reason)) {
    return problem(
      'declined',
      "You didn't allow Switchboard to sign you in",
      'Switchboard needs your permission to use your Teams account. Select Sign in to give it.',
      { detail: teamsSaid(reason), canSignIn: true },
    );
  }
  if (SETUP.test(reason)) return setupProblem(reason);
  return problem(
    'other',
    "The sign-in window couldn't sign you in",
    'Select Sign in to try once more, or Try again if you signed in already.',
    { detail: teamsSaid(reason), canSignIn: true },
  );
}

/** What the server said of a Teams token, as the API error's parts. */
export interface ServerRefusal {
  status: number;
  code: string;
  message: string;
  retryAfterSeconds?: number;
}

/** The server's reasons that only a setting explains: the token is for another app or tenant. */
const SETUP_REFUSAL = /another application|not this installation's tenant|is not the tenant's/i;

/** The server turned the tab's token away (401, after one fresh token) or could not check it (503). */
export function serverSignInProblem(refusal: ServerRefusal): SignInProblem {
  if (refusal.code === 'auth.unavailable') {
    return problem(
      'unavailable',
      "Sign-in can't be checked right now",
      'Switchboard could not reach Microsoft to check your sign-in. Your sign-in is fine; this is ' +
        'on our side.',
      { detail: serverSaid(refusal.message), retryAfterSeconds: refusal.retryAfterSeconds ?? 30 },
    );
  }
  // "The sign-in token was refused: it has expired" — the reason is what the agent needs.
  const reason = refusal.message.replace(/^The sign-in token was refused:\s*/i, '');
  if (SETUP_REFUSAL.test(reason)) {
    return problem(
      'setup',
      "Switchboard doesn't accept this app's sign-in",
      `Teams signed you in, but Switchboard turned the sign-in down: ${reason}. The Teams app and ` +
        'the Switchboard server are set up for different app registrations.',
      { detail: serverSaid(refusal.message), forAdmin: true },
    );
  }
  return problem(
    'refused',
    "Switchboard didn't accept your sign-in",
    `Teams signed you in, but Switchboard turned the sign-in down: ${reason}. Try again; if it ` +
      'keeps happening, sign out of Teams and back in.',
    { detail: serverSaid(refusal.message) },
  );
}

function setupProblem(reason: string): SignInProblem {
  return problem(
    'setup',
    "Single sign-on isn't set up right for Switchboard",
    "Teams can't sign you in to Switchboard because the app's single sign-on settings don't match. " +
      'This is not something you can fix.',
    { detail: teamsSaid(reason), forAdmin: true },
  );
}

const teamsSaid = (reason: string) => `Teams said: ${reason}`;
const serverSaid = (message: string) => `Switchboard said: ${message}`;

/** Waits between tries while sign-in cannot be checked: the server's Retry-After, doubling, at most 5 min. */
export function retryDelaySeconds(retryAfterSeconds: number, failedTries: number): number {
  return Math.min(300, Math.max(1, retryAfterSeconds) * 2 ** Math.max(0, failedTries - 1));
}
