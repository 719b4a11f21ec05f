import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { SignInProblem } from './sign-in-problem.js';

const useStyles = makeStyles({
  root: { padding: '24px', maxWidth: '640px', margin: '0 auto', display: 'grid', gap: '12px' },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap' },
  detail: { color: tokens.colorNeutralForeground2 },
});

/** A first sign-in is a step to take, a server that cannot check one a wait; the rest went wrong. */
const INTENT: Partial<Record<SignInProblem['kind'], 'info' | 'warning'>> = {
  'needs-sign-in': 'info',
  unavailable: 'warning',
};

/**
 * The tab could not sign in inside Teams: what happened, in words, and the way on — Microsoft's
 * sign-in window where it can help, Try again, a countdown while the server cannot check sign-ins,
 * and the administrator's part only when the app's single sign-on is set up wrong.
 */
export function HostProblem(props: {
  problem: SignInProblem;
  /** When the tab tries again by itself (ms since the epoch). */
  retryAt?: number;
  busy?: boolean;
  onRetry: () => void;
  onSignIn: () => void;
}) {
  const styles = useStyles();
  const { problem, busy } = props;
  const waiting = useSecondsUntil(props.retryAt);
  return (
    <main className={styles.root}>
      <h1>Switchboard</h1>
      <MessageBar intent={INTENT[problem.kind] ?? 'error'} layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{problem.title}</MessageBarTitle>
          {problem.text}
          {waiting !== undefined && ` Trying again in ${waiting} s.`}
          {problem.forAdmin && (
            <>
              {' '}
              Ask your administrator to check the app&apos;s single sign-on: the Teams app package&apos;s
              webApplicationInfo and the server&apos;s TAB_SSO_CLIENT_ID and PUBLIC_URL must name the same
              Entra ID app registration.
            </>
          )}
        </MessageBarBody>
      </MessageBar>
      <div className={styles.actions}>
        {problem.canSignIn && (
          <Button appearance="primary" disabled={busy} onClick={props.onSignIn}>
            Sign in
          </Button>
        )}
        <Button
          appearance={problem.canSignIn ? 'secondary' : 'primary'}
          disabled={busy}
          onClick={props.onRetry}
        >
          {problem.kind === 'unavailable' ? 'Try again now' : 'Try again'}
        </Button>
      </div>
      {problem.detail && (
        <Text size={200} className={styles.detail}>
          {problem.detail}
        </Text>
      )}
    </main>
  );
}

/** Whole seconds until `at`, counting down each second; undefined without one. */
function useSecondsUntil(at: number | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === undefined) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [at]);
  return at === undefined ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
