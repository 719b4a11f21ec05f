import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { ApiError } from './api.js';
import { useWorkspace } from './context.js';
import { formatDateTime } from './format.js';
import { readMessagePages } from './message-pages.js';
import type { Message } from './types.js';

const useStyles = makeStyles({
  surface: { maxWidth: 'min(720px, 95vw)' },
  log: {
    margin: 0,
    padding: 0,
    listStyleType: 'none',
    display: 'grid',
    gap: '8px',
    maxHeight: '60vh',
    overflowY: 'auto',
  },
  text: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  meta: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  internal: {
    borderLeft: `3px dashed ${tokens.colorPaletteYellowBorder2}`,
    paddingLeft: '6px',
  },
});

/** Why the transcript is not shown, in words; the server's access rule decided a refusal. */
function whyNot(err: unknown): string {
  if (err instanceof ApiError && err.status === 403)
    return "You may not read this conversation's transcript: it was in a queue you are not in.";
  if (err instanceof ApiError && err.status === 404) return 'This conversation no longer exists.';
  return `Couldn't read the transcript: ${(err as Error).message}`;
}

/**
 * A past conversation's transcript, read-only, in a dialog over the session: the agent looks back
 * without leaving the chat in hand. The server's access rule decides what may be read.
 */
export function PastTranscript(props: { conversationId: string; title: string; onClose: () => void }) {
  const styles = useStyles();
  const { api } = useWorkspace();
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const read: Message[] = [];
    readMessagePages(
      (after) => api.messagePage(props.conversationId, after),
      (items) => {
        read.push(...items);
        if (live) setMessages([...read]);
      },
    ).catch((err: unknown) => live && setProblem(whyNot(err)));
    return () => {
      live = false;
    };
  }, [api, props.conversationId]);

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && props.onClose()}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>Transcript: {props.title}</DialogTitle>
          <DialogContent>
            {problem ? (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>{problem}</MessageBarBody>
              </MessageBar>
            ) : messages === null ? (
              <Spinner size="tiny" label="Reading the transcript…" />
            ) : messages.length === 0 ? (
              <Text>No messages.</Text>
            ) : (
              <ol className={styles.log} aria-label="Past transcript">
                {messages.map((m) => (
                  <li key={m.id} className={m.visibility === 'internal' ? styles.internal : undefined}>
                    <div className={styles.meta}>
                      {m.authorName ?? m.from}
                      {m.visibility === 'internal' ? ' (internal)' : ''} · {formatDateTime(m.at)}
                    </div>
                    <div className={styles.text} dir="auto">
                      {m.text}
                      {m.attachments?.length ? ` [${m.attachments.map((a) => a.name).join(', ')}]` : ''}
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={props.onClose}>
              Close
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
