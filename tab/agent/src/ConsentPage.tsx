import { MessageBar, MessageBarBody, Spinner, makeStyles } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { publicApi } from './api.js';
import { authorizeUrl, CONSENT_END, consentAnswer, pkceChallenge, randomKey } from './consent.js';
import { withTimeout } from './host.js';

const useStyles = makeStyles({ root: { padding: '24px', maxWidth: '480px', margin: '0 auto' } });

/** Where the start page keeps `state` for the end page: the same window, across Entra's pages. */
const STATE_KEY = 'switchboard.consentState';

/** The sign-in window Teams opened for the tab (consent.ts): on to Entra, or back to Teams. */
export function ConsentPage({ step }: { step: 'start' | 'end' }) {
  const styles = useStyles();
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    (step === 'start' ? goToEntra() : reportToTeams()).catch((err: unknown) =>
      setProblem(err instanceof Error ? err.message : String(err)),
    );
  }, [step]);
  return (
    <main className={styles.root}>
      <h1>Switchboard</h1>
      {problem ? (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            This window could not sign you in ({problem.replace(/\.$/, '')}). Close it and select Sign in in
            the tab again.
          </MessageBarBody>
        </MessageBar>
      ) : (
        <Spinner
          label={step === 'start' ? 'Opening Microsoft sign-in…' : 'Signed in. Going back to Teams…'}
        />
      )}
    </main>
  );
}

async function teams() {
  const sdk = await import('@microsoft/teams-js');
  await withTimeout(sdk.app.initialize(), 4000);
  return sdk;
}

async function goToEntra(): Promise<void> {
  const sdk = await teams();
  const [context, { clientId }] = await Promise.all([sdk.app.getContext(), publicApi.teamsSignIn()]);
  const state = randomKey();
  sessionStorage.setItem(STATE_KEY, state);
  location.assign(
    authorizeUrl({
      tenantId: context.user?.tenant?.id ?? 'organizations',
      clientId,
      redirectUri: location.origin + CONSENT_END,
      state,
      // The code is never redeemed (the consent is the point), so its verifier is not kept.
      codeChallenge: await pkceChallenge(randomKey()),
      loginHint: context.user?.loginHint,
    }),
  );
}

async function reportToTeams(): Promise<void> {
  const sdk = await teams();
  let expected: string | null = null;
  try {
    expected = sessionStorage.getItem(STATE_KEY);
    sessionStorage.removeItem(STATE_KEY);
  } catch {
    // Blocked storage: the answer cannot be matched to the request, and consentAnswer says so.
  }
  const answer = consentAnswer(location.hash, expected);
  if (answer.ok) sdk.authentication.notifySuccess('signed-in');
  else sdk.authentication.notifyFailure(answer.reason);
}
