import { describe, expect, it } from 'vitest';
import type { ServerRefusal } from './sign-in-problem.js';
import type { Clock } from './clock.js';
import { TeamsSignIn, type TeamsSignInState, type TokenSource } from './teams-sign-in.js';

/** Teams as the test scripts it: each getAuthToken takes the next answer. */
class FakeTeams implements TokenSource {
  asks = 0;
  windows: string[] = [];
  constructor(
    private answers: Array<string | Error>,
    private window: () => Promise<string> = () => Promise.resolve('signed-in'),
  ) {}
  getToken(): Promise<string> {
    const a = this.answers[Math.min(this.asks++, this.answers.length - 1)]!;
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
  }
  signInWindow(url: string): Promise<string> {
    this.windows.push(url);
    return this.window();
  }
}

class TestTimers implements Clock {
  t = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers.delete(id as number);
  };
  advance(ms: number) {
    this.t += ms;
    for (const [id, x] of [...this.timers]) {
      if (x.at > this.t) continue;
      this.timers.delete(id);
      x.fn();
    }
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const refused = (message = 'The sign-in token was refused: it has expired'): ServerRefusal => ({
  status: 401,
  code: 'auth.invalid_token',
  message,
});
const unavailable: ServerRefusal = {
  status: 503,
  code: 'auth.unavailable',
  message: 'Sign-in cannot be checked right now',
  retryAfterSeconds: 30,
};

async function started(teams: FakeTeams, timers = new TestTimers()) {
  const states: TeamsSignInState[] = [];
  const signIn = new TeamsSignIn(teams, (s) => states.push(s), timers);
  signIn.start();
  await settle();
  return { signIn, states, timers };
}

describe('TeamsSignIn', () => {
  it('asks Teams for one fresh token when the first is refused, and stops when that one is refused too', async () => {
    const teams = new FakeTeams(['t1', 't2', 't3']);
    const { signIn } = await started(teams);
    expect(signIn.current.token).toBe('t1');
    signIn.refused('t1', refused());
    // Every other call the workspace made with t1 is refused as well: one fresh token is enough.
    signIn.refused('t1', refused());
    await settle();
    signIn.refused('t1', refused());
    expect(teams.asks).toBe(2);
    expect(signIn.current.token).toBe('t2');
    signIn.refused('t2', refused());
    signIn.refused('t2', refused());
    await settle();
    expect(teams.asks).toBe(2);
    expect(signIn.current).toMatchObject({ token: null, problem: { kind: 'refused' } });
  });

  it('stops at once when Teams hands back the very token that was refused', async () => {
    const teams = new FakeTeams(['same']);
    const { signIn } = await started(teams);
    signIn.refused('same', refused());
    await settle();
    expect(teams.asks).toBe(2);
    expect(signIn.current).toMatchObject({ token: null, problem: { kind: 'refused' } });
  });

  it('renews again an hour later, once a renewed token has been accepted', async () => {
    const teams = new FakeTeams(['t1', 't2', 't3']);
    const { signIn } = await started(teams);
    signIn.refused('t1', refused());
    await settle();
    signIn.accepted('t2');
    signIn.refused('t2', refused());
    await settle();
    expect(signIn.current).toMatchObject({ token: 't3', problem: null });
  });

  it('asks for one token per Try again after a refusal, never more', async () => {
    const teams = new FakeTeams(['t1', 't2', 't3', 't4']);
    const { signIn } = await started(teams);
    signIn.refused('t1', refused());
    await settle();
    signIn.refused('t2', refused());
    signIn.retry();
    await settle();
    expect(signIn.current.token).toBe('t3');
    signIn.refused('t3', refused());
    await settle();
    expect(teams.asks).toBe(3);
    expect(signIn.current.problem?.kind).toBe('refused');
  });

  it('waits out a server that cannot check tokens with the same token, longer each time, asking Teams for none', async () => {
    const teams = new FakeTeams(['t1']);
    const { signIn, timers } = await started(teams);
    signIn.unavailable('t1', unavailable);
    signIn.unavailable('t1', unavailable);
    expect(signIn.current).toMatchObject({ token: 't1', attempt: 0, problem: { kind: 'unavailable' } });
    expect(signIn.current.retryAt).toBe(30_000);
    timers.advance(30_000);
    expect(signIn.current).toMatchObject({ token: 't1', attempt: 1, problem: null });
    signIn.unavailable('t1', unavailable);
    expect(signIn.current.retryAt).toBe(30_000 + 60_000);
    timers.advance(60_000);
    expect(signIn.current.attempt).toBe(2);
    expect(teams.asks).toBe(1);
  });

  it('ignores a refusal of a token it no longer uses (a call that was still on its way)', async () => {
    const teams = new FakeTeams(['t1', 't2']);
    const { signIn } = await started(teams);
    signIn.refused('t1', refused());
    await settle();
    signIn.refused('t1', refused());
    await settle();
    expect(signIn.current).toMatchObject({ token: 't2', problem: null });
  });

  it('opens the sign-in window for a user who must consent, then asks Teams again', async () => {
    const teams = new FakeTeams([new Error('resourceRequiresConsent'), 't1']);
    const { signIn } = await started(teams);
    expect(signIn.current).toMatchObject({
      token: null,
      problem: { kind: 'needs-sign-in', canSignIn: true },
    });
    signIn.signIn('https://sb.test/tab/consent/start');
    await settle();
    expect(teams.windows).toEqual(['https://sb.test/tab/consent/start']);
    expect(signIn.current).toMatchObject({ token: 't1', problem: null, busy: false });
  });

  it('says why when the sign-in window ends without a sign-in', async () => {
    const teams = new FakeTeams([new Error('resourceRequiresConsent')], () =>
      Promise.reject(new Error('CancelledByUser')),
    );
    const { signIn } = await started(teams);
    signIn.signIn('https://sb.test/tab/consent/start');
    await settle();
    expect(signIn.current.problem).toMatchObject({ kind: 'window-closed', canSignIn: true });
    expect(teams.asks).toBe(1);
  });
});
