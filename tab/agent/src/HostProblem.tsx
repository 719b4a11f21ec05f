import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles } from '@fluentui/react-components';

const useStyles = makeStyles({ root: { padding: '24px', maxWidth: '640px', margin: '0 auto' } });

/** Teams could not give the tab a sign-in token (SSO not set up, or the user declined consent). */
export function HostProblem({ message }: { message: string }) {
  const styles = useStyles();
  return (
    <main className={styles.root}>
      <h1>Switchboard</h1>
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>Teams could not sign you in</MessageBarTitle>
          {message}. Ask your administrator to check the app&apos;s single sign-on settings
          (TAB_SSO_CLIENT_ID).
        </MessageBarBody>
      </MessageBar>
    </main>
  );
}
