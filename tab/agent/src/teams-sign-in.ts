// Signing in inside Teams, as one small state machine the app renders: the token teams-js gives,
// what to do when the server turns it away, and the problem to show when there is no way in.
//
// The server refusing a token (401) asks Teams for ONE fresh token; if that one is refused before
// any call with it succeeded, or Teams hands back the very token that was refused, the tab stops
// and says why: asking again would only bring the same refusal back, many times a second per open
// tab. A server that cannot check tokens at all (503 `auth.unavailable`) is waited out with the
// same token, after its Retry-After and longer each time, never answered with new tokens.

import {
  retryDelaySeconds,
  serverSignInProblem,
  signInWindowProblem,
  teamsTokenProblem,
  type ServerRefusal,
  type SignInProblem,
} from './sign-in-problem.js';
import { realClock, type Clock } from './clock.js';

export interface TokenSource {
  /** teams-js getAuthToken: Teams' cached token, or a new one once it has run out. */
  getToken(): Promise<string>;
  /** teams-js authenticate: Microsoft's sign-in window on `url`, for consent or a second factor. */
  signInWindow(url: string): Promise<string>;
}

export interface TeamsSignInState {
  /** The token to call the API with; null while there is none yet, or none that works. */
  token: string | null;
  /** Counts tries with the same token (after `auth.unavailable`): each deserves a fresh start. */
  attempt: number;
  problem: SignInProblem | null;
  /** When the tab tries again by itself (ms since the epoch), while sign-in cannot be checked. */
  retryAt?: number;
  /** Teams or the sign-in window is being asked: the buttons wait. */
  busy: boolean;
}

export class TeamsSignIn {
  private state: TeamsSignInState = { token: null, attempt: 0, problem: null, busy: false };
  /** The current token came in answer to a refusal and has not been accepted yet. */
  private unproven = false;
  private unavailableTries = 0;
  private timer: unknown = null;
  private stopped = false;

  constructor(
    private readonly source: TokenSource,
    private readonly onChange: (s: TeamsSignInState) => void,
    private readonly timers: Clock = realClock,
  ) {}

  get current(): TeamsSignInState {
    return this.state;
  }

  /** The first token, as the tab opens. */
  start(): void {
    this.ask({ unproven: false });
  }

  /** A call with `token` was answered: the token works. */
  accepted(token: string): void {
    if (token !== this.state.token) return;
    this.unproven = false;
    this.unavailableTries = 0;
  }

  /** The server answered 401 to a call with `token`. */
  refused(token: string, refusal: ServerRefusal): void {
    if (this.state.busy || this.state.problem || token !== this.state.token) return;
    if (this.unproven) this.fail(serverSignInProblem(refusal));
    else this.ask({ unproven: true, replacing: { token, refusal } });
  }

  /** The server could not check `token` (503 `auth.unavailable`): try the same one again later. */
  unavailable(token: string, refusal: ServerRefusal): void {
    if (this.state.problem || token !== this.state.token) return;
    this.unavailableTries++;
    const base = refusal.retryAfterSeconds ?? 30;
    const wait = retryDelaySeconds(base, this.unavailableTries);
    const problem = { ...serverSignInProblem(refusal), retryAfterSeconds: wait };
    this.fail(problem, this.timers.now() + wait * 1000);
    this.timer = this.timers.setTimeout(() => this.retry(), wait * 1000);
  }

  /** Try again: the same token after `auth.unavailable`, otherwise one new token from Teams. */
  retry(): void {
    if (this.state.busy) return;
    this.cancelTimer();
    const waited = this.state.problem?.kind === 'unavailable' && this.state.token;
    if (waited) {
      this.set({ problem: null, retryAt: undefined, attempt: this.state.attempt + 1 });
      return;
    }
    // A token refused once already is not asked for twice: this one is on probation too.
    this.ask({ unproven: this.state.problem?.kind === 'refused' || this.state.problem?.kind === 'setup' });
  }

  /** Sign in in Microsoft's window (consent, a second factor), then ask Teams for the token again. */
  signIn(url: string): void {
    if (this.state.busy) return;
    this.cancelTimer();
    this.set({ busy: true });
    this.source.signInWindow(url).then(
      () => {
        if (this.stopped) return;
        this.set({ busy: false });
        this.ask({ unproven: false });
      },
      (err: unknown) => {
        if (this.stopped) return;
        this.set({ busy: false });
        this.fail(signInWindowProblem(reasonOf(err)));
      },
    );
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  private ask(opts: { unproven: boolean; replacing?: { token: string; refusal: ServerRefusal } }): void {
    this.set({ busy: true });
    this.source.getToken().then(
      (token) => {
        if (this.stopped) return;
        // Teams had nothing newer than the token just refused: it would be refused again.
        if (opts.replacing && token === opts.replacing.token) {
          this.set({ busy: false });
          this.fail(serverSignInProblem(opts.replacing.refusal));
          return;
        }
        this.unproven = opts.unproven;
        this.set({ token, busy: false, problem: null, retryAt: undefined });
      },
      (err: unknown) => {
        if (this.stopped) return;
        this.set({ busy: false });
        this.fail(teamsTokenProblem(reasonOf(err)));
      },
    );
  }

  /** Shows the problem; with no token that works, nothing calls the API until the user acts. */
  private fail(problem: SignInProblem, retryAt?: number): void {
    this.cancelTimer();
    this.set({ problem, retryAt, token: problem.kind === 'unavailable' ? this.state.token : null });
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private set(change: Partial<TeamsSignInState>): void {
    this.state = { ...this.state, ...change };
    this.onChange(this.state);
  }
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
