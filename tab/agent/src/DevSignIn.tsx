import {
  Badge,
  Button,
  Card,
  CardHeader,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { publicApi, takeAgents } from './api.js';
import type { ThemeName } from './host.js';
import type { AgentListItem } from './types.js';
import { ThemePicker } from './ThemePicker.js';

const useStyles = makeStyles({
  root: { maxWidth: '760px', margin: '0 auto', padding: '24px', display: 'grid', gap: '16px' },
  head: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: '12px' },
  list: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
    gap: '12px',
    padding: 0,
  },
  item: { listStyleType: 'none' },
  card: { height: '100%' },
  meta: { color: tokens.colorNeutralForeground2 },
});

/** Local mode only: pick who to be. The server answers 404 here in Teams mode. */
export function DevSignIn(props: {
  /** Called once the list is on screen: a good moment to fetch the workspace's code. */
  onReady?: () => void;
  theme: ThemeName;
  onTheme: (t: ThemeName) => void;
  onSignedIn: (token: string) => void;
  /** Why the agent is here again, e.g. their session ended. */
  notice?: string;
}) {
  const styles = useStyles();
  const [agents, setAgents] = useState<AgentListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    takeAgents().then(setAgents, (err: unknown) => setError(String((err as Error).message ?? err)));
    // A modal dialog open as the workspace went (the sign-out question) can leave the page's root
    // marked hidden by Fluent's focus trap, which hid this whole page from screen readers.
    document.getElementById('root')?.removeAttribute('aria-hidden');
  }, []);
  useEffect(() => {
    // The first meaningful render: the people one can sign in as are on screen (read by the browser tests).
    if (!agents) return;
    performance.mark('switchboard:signin-ready');
    const t = setTimeout(() => props.onReady?.(), 0);
    return () => clearTimeout(t);
  }, [agents]);

  const signIn = async (agentId: string) => {
    setBusy(agentId);
    setError(null);
    try {
      const { token } = await publicApi.devSignIn(agentId);
      props.onSignedIn(token);
    } catch (err) {
      setError((err as Error).message);
      setBusy(null);
    }
  };

  return (
    <main className={styles.root} aria-labelledby="signin-title">
      <div className={styles.head}>
        <h1 id="signin-title">Switchboard · Agent workspace</h1>
        <ThemePicker theme={props.theme} onTheme={props.onTheme} />
      </div>
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>Dev mode</MessageBarTitle>
          This server runs in local mode: anyone can sign in as anyone. Inside Microsoft Teams the tab signs
          you in with your Teams account instead.
        </MessageBarBody>
      </MessageBar>
      {props.notice && (
        <MessageBar intent="info" role="status">
          <MessageBarBody>{props.notice}</MessageBarBody>
        </MessageBar>
      )}
      <h2>Sign in as</h2>
      {error && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {!agents && !error && <Spinner label="Loading agents…" />}
      {agents && (
        <ul className={styles.list} aria-label="Agents">
          {agents.map((a) => (
            <li key={a.id} className={styles.item}>
              <Card className={styles.card}>
                <CardHeader
                  header={<Text weight="semibold">{a.name}</Text>}
                  description={
                    <Text size={200} className={styles.meta}>
                      {a.queues.map((q) => q.name).join(', ') || 'No queues'}
                    </Text>
                  }
                  action={
                    a.roles.includes('supervisor') ? (
                      <Badge appearance="tint" color="brand">
                        Supervisor
                      </Badge>
                    ) : undefined
                  }
                />
                <Button
                  appearance="primary"
                  disabled={busy !== null}
                  onClick={() => void signIn(a.id)}
                  aria-label={`Sign in as ${a.name}`}
                >
                  {busy === a.id ? 'Signing in…' : 'Sign in'}
                </Button>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
