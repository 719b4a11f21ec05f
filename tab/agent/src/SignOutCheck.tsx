import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Text,
  makeStyles,
} from '@fluentui/react-components';

const useStyles = makeStyles({
  list: { margin: '8px 0', paddingLeft: '20px', display: 'grid', gap: '4px' },
  chat: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap' },
});

export interface OpenChat {
  id: string;
  customer: string;
  status?: string;
}

/**
 * Asked before signing out with chats of one's own open: signing out leaves them assigned (routing
 * gives them to nobody else), so their customers would wait on someone who left. The agent sees
 * which, and can go to one to transfer or end it first. Loaded when asked (`lazy`): the first screen
 * does not carry a dialog for a moment most sign-outs never reach.
 */
export default function SignOutCheck(props: {
  chats: OpenChat[];
  onOpen: (conversationId: string) => void;
  onSignOut: () => void;
  onCancel: () => void;
}) {
  const styles = useStyles();
  const n = props.chats.length;
  return (
    <Dialog open modalType="alert" onOpenChange={(_, d) => !d.open && props.onCancel()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Sign out with {n === 1 ? 'a chat' : `${n} chats`} still yours?</DialogTitle>
          <DialogContent>
            <Text as="p">
              {n === 1 ? 'It stays' : 'They stay'} assigned to you while you are signed out, and{' '}
              {n === 1 ? 'its customer waits' : 'their customers wait'} for an answer from you:
            </Text>
            <ul className={styles.list} aria-label="Your open chats">
              {props.chats.map((c) => (
                <li key={c.id} className={styles.chat}>
                  <Text weight="semibold">{c.customer}</Text>
                  {c.status === 'wrap-up' && <Text>(wrap-up)</Text>}
                  <Button size="small" appearance="subtle" onClick={() => props.onOpen(c.id)}>
                    Go to {c.customer}
                  </Button>
                </li>
              ))}
            </ul>
            <Text as="p">To hand a chat on first, go to it and transfer or end it.</Text>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={props.onCancel}>
              Stay signed in
            </Button>
            <Button onClick={props.onSignOut}>Sign out anyway</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
