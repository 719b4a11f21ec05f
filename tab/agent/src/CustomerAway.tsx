import { Badge, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { PlugDisconnected16Regular } from '@fluentui/react-icons';
import { formatDuration } from './format.js';
import { SCREEN_READER_ONLY } from './screen-reader-only.js';
import { useServerNow } from './use-server-now.js';

const useStyles = makeStyles({
  line: { color: tokens.colorStatusWarningForeground3, fontWeight: tokens.fontWeightSemibold },
  srOnly: SCREEN_READER_ONLY,
  followText: { color: 'inherit' },
});

/**
 * "Disconnected 45 s": the customer's chat window lost its connection (they closed it, their network
 * dropped) that long ago, counted each second. A badge in the session's header, a line under the
 * session in the list. Screen readers hear that the customer is disconnected, not a changing count.
 * `followText`: the line takes the colour of the text around it (see `ReplyWait`).
 */
export function CustomerAway({
  since,
  inList = false,
  followText = false,
}: {
  since: string;
  inList?: boolean;
  followText?: boolean;
}) {
  const styles = useStyles();
  const seconds = Math.max(0, (useServerNow() - new Date(since).getTime()) / 1000);
  const shown = <span aria-hidden>Disconnected {formatDuration(seconds)}</span>;
  const spoken = (
    <span className={styles.srOnly}>{inList ? ', customer disconnected' : 'Customer disconnected'}</span>
  );
  return inList ? (
    <Text
      size={100}
      className={mergeClasses(styles.line, followText && styles.followText)}
      data-testid="customer-away"
    >
      {shown}
      {spoken}
    </Text>
  ) : (
    <Badge
      appearance="tint"
      color="warning"
      icon={<PlugDisconnected16Regular />}
      data-testid="customer-away"
      title="The customer's chat window lost its connection. What you send waits for them."
    >
      {shown}
      {spoken}
    </Badge>
  );
}
