import { FluentProvider, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createApi, localModeServer, type TokenEvents } from './api.js';
import { CONSENT_START, consentStep } from './consent.js';
import { ConsentPage } from './ConsentPage.js';
import { DevSignIn } from './DevSignIn.js';
import { browserHost, browserTheme, detectHost, mayBeHosted, type Host, type ThemeName } from './host.js';
import { devToken } from './session-store.js';
import { THEMES } from './theme.js';
import { HostProblem } from './HostProblem.js';
import { TeamsSignIn, type TeamsSignInState } from './teams-sign-in.js';
import { saveSetting } from './stored-setting.js';

const useStyles = makeStyles({
  root: {
    height: '100%',
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground1,
  },
  center: { display: 'grid', placeItems: 'center', height: '100%' },
});

// The signed-in workspace is its own chunk, fetched while the sign-in page (or Teams SSO) runs: the
// first screen needs only React, the theme and a few controls.
const loadWorkspace = () => import('./Workspace.js');
const Workspace = lazy(() => loadWorkspace().then((m) => ({ default: m.Workspace })));

interface Auth {
  token: string;
  mode: 'dev' | 'teams';
  /** Tries with the same token (teams-sign-in.ts): each gets a fresh API and workspace. */
  attempt?: number;
}

/** The tab, or — when Teams opened one of the sign-in window's pages (consent.ts) — that page. */
export function App() {
  const step = consentStep(location.pathname);
  if (!step) return <Tab />;
  return (
    <FluentProvider theme={THEMES[browserTheme()]}>
      <ConsentPage step={step} />
    </FluentProvider>
  );
}

function Tab() {
  const styles = useStyles();
  // Not framed and no native bridge: no host can answer, so the browser path starts at once.
  const [host, setHost] = useState<Host | null>(() =>
    mayBeHosted() ? null : browserHost('not framed by a host'),
  );
  const [theme, setThemeState] = useState<ThemeName>(() => host?.theme ?? browserHost('').theme);
  const [auth, setAuth] = useState<Auth | null>(() => {
    const saved = host ? devToken.get() : null;
    return saved ? { token: saved, mode: 'dev' } : null;
  });
  // Inside Teams: the sign-in state machine and what it shows (teams-sign-in.ts).
  const [teams, setTeams] = useState<TeamsSignInState | null>(null);
  const signIn = useRef<TeamsSignIn | null>(null);
  useEffect(() => () => signIn.current?.stop(), []);

  useEffect(() => {
    if (host) return;
    let live = true;
    /** Set once the tab went on without the host (local mode): a late host only brings its theme. */
    let wentOn = false;
    void loadWorkspace();
    // Framed or opened by another window, but maybe not by Teams: a page that is not a host never
    // answers teams-js, so waiting for it would cost the whole timeout. A server in local mode signs
    // in without the host: go on with the browser path at once and let the host, if it answers,
    // upgrade the theme. In Teams mode the host's SSO token is the only way in, so it is awaited.
    void localModeServer().then((local) => {
      if (!live || !local) return;
      wentOn = true;
      setHost((h) => h ?? browserHost('local mode: signed in without waiting for a host'));
      const saved = devToken.get();
      if (saved) setAuth((a) => a ?? { token: saved, mode: 'dev' });
    });
    void detectHost().then((h) => {
      if (!live) return;
      if (wentOn) {
        if (h.kind === 'teams') {
          setThemeState(h.theme);
          h.onThemeChange((t) => setThemeState(t));
        }
        return;
      }
      setHost(h);
      setThemeState(h.theme);
      if (h.kind === 'teams') {
        h.onThemeChange((t) => setThemeState(t));
        const teamsSignIn = new TeamsSignIn(h, setTeams);
        signIn.current = teamsSignIn;
        teamsSignIn.start();
      } else {
        const saved = devToken.get();
        if (saved) setAuth({ token: saved, mode: 'dev' });
      }
    });
    return () => {
      live = false;
    };
    // Runs once: the host does not change during a page's life.
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const setTheme = useCallback((t: ThemeName) => {
    setThemeState(t);
    saveSetting('switchboard.theme', t);
  }, []);

  const [signInNotice, setSignInNotice] = useState<string | undefined>();
  const signOut = useCallback(() => {
    devToken.set(null);
    setAuth(null);
    setSignInNotice(undefined);
  }, []);

  // Inside Teams the token is the sign-in's; in a browser, the dev session's.
  const teamsToken = teams?.token ?? null;
  const teamsAttempt = teams?.attempt ?? 0;
  const signedIn = useMemo<Auth | null>(() => {
    if (host?.kind !== 'teams') return auth;
    return teamsToken ? { token: teamsToken, mode: 'teams', attempt: teamsAttempt } : null;
  }, [host, auth, teamsToken, teamsAttempt]);

  // What the server makes of the token. In Teams the sign-in decides (a fresh token once, or the
  // problem in words); in dev mode a refused session ends: sign in again.
  const tokenEvents = useCallback(
    (token: string): TokenEvents => {
      if (host?.kind === 'teams') {
        return {
          accepted: () => signIn.current?.accepted(token),
          refused: (err) => signIn.current?.refused(token, err),
          unavailable: (err) => signIn.current?.unavailable(token, err),
        };
      }
      return {
        accepted: () => undefined,
        refused: () => {
          signOut();
          setSignInNotice('Your session has ended. Sign in again to go on working.');
        },
        unavailable: () => undefined,
      };
    },
    [host, signOut],
  );

  const api = useMemo(
    () => (signedIn ? createApi(signedIn.token, tokenEvents(signedIn.token)) : null),
    [signedIn, tokenEvents],
  );

  let body;
  if (!host) {
    body = (
      <main className={styles.center}>
        <Spinner label="Starting the agent workspace…" />
      </main>
    );
  } else if (teams?.problem) {
    body = (
      <HostProblem
        problem={teams.problem}
        retryAt={teams.retryAt}
        busy={teams.busy}
        onRetry={() => signIn.current?.retry()}
        onSignIn={() => signIn.current?.signIn(location.origin + CONSENT_START)}
      />
    );
  } else if (!api || !signedIn) {
    if (signedIn) void loadWorkspace();
    body =
      host.kind === 'browser' ? (
        <DevSignIn
          onReady={() => void loadWorkspace()}
          theme={theme}
          onTheme={setTheme}
          notice={signInNotice}
          onSignedIn={(token) => {
            devToken.set(token);
            setSignInNotice(undefined);
            setAuth({ token, mode: 'dev' });
          }}
        />
      ) : (
        <main className={styles.center}>
          <Spinner label="Signing in with Teams…" />
        </main>
      );
  } else {
    body = (
      <Suspense
        fallback={
          <main className={styles.center}>
            <Spinner label="Loading your workspace…" />
          </main>
        }
      >
        <Workspace
          key={signedIn.token}
          api={api}
          authMode={signedIn.mode}
          theme={theme}
          onTheme={host.kind === 'browser' ? setTheme : undefined}
          onSignOut={signedIn.mode === 'dev' ? signOut : undefined}
          hostPage={host.kind === 'teams' ? host.page : undefined}
        />
      </Suspense>
    );
  }

  return (
    // Styles go on an inner element: FluentProvider copies its className onto portal mount nodes,
    // and a full-height background there would cover the page.
    <FluentProvider theme={THEMES[theme]} style={{ height: '100%' }}>
      <div className={styles.root}>{body}</div>
    </FluentProvider>
  );
}
