import {
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useWorkspace } from './context.js';
import type { KnowledgeArticle, Message } from './types.js';

const useStyles = makeStyles({
  root: { display: 'grid', gap: '8px' },
  actions: { display: 'flex', gap: '8px' },
  body: { whiteSpace: 'pre-wrap', lineHeight: tokens.lineHeightBase400 },
  h3: { margin: 0, fontSize: tokens.fontSizeBase500 },
});

/** A knowledge article in its own application tab, with "Send link" to share it with the customer. */
export function ArticleTab(props: {
  conversationId: string;
  articleId: string;
  title: string;
  canSend: boolean;
  onSent: (m: Message | undefined) => void;
  onClose: () => void;
}) {
  const styles = useStyles();
  const { api, announce } = useWorkspace();
  const [article, setArticle] = useState<KnowledgeArticle | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);

  useEffect(() => {
    api.article(props.articleId).then(setArticle, (err: unknown) => setError((err as Error).message));
  }, [api, props.articleId]);

  const send = async () => {
    try {
      const m = await api.sendArticle(props.conversationId, props.articleId);
      setSent(true);
      props.onSent(m && typeof m === 'object' && 'id' in m ? m : undefined);
      announce(`Sent the link to ${props.title}`);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const text = article ? String(article.body ?? article.content ?? article.text ?? '') : '';
  const agentsOnly = article?.agentsOnly === true;
  return (
    <article className={styles.root} aria-label={props.title}>
      <h3 className={styles.h3}>{article?.title ?? props.title}</h3>
      <div className={styles.actions}>
        {/* Sent, it stays focusable (aria-disabled): the keyboard is on it as it changes. */}
        <Button
          appearance="primary"
          onClick={() => void send()}
          disabled={(!props.canSend || agentsOnly) && !sent}
          disabledFocusable={sent}
        >
          {sent ? 'Link sent' : 'Send link'}
        </Button>
        <Button onClick={props.onClose}>Close article</Button>
      </div>
      {error && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {!article && !error && <Spinner size="small" label="Loading the article…" />}
      {agentsOnly && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>For agents only: not for the customer, who cannot open its page.</MessageBarBody>
        </MessageBar>
      )}
      {article?.url && !agentsOnly && (
        <Text size={200}>
          Public link:{' '}
          <Link href={article.url} target="_blank" rel="noreferrer">
            {article.url}
          </Link>
        </Text>
      )}
      {text && <div className={styles.body}>{text}</div>}
    </article>
  );
}
