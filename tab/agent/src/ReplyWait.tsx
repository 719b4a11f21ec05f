import { Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { formatDuration } from './format.js';
import { replyWaitLevel } from './reply-wait.js';
import { SCREEN_READER_ONLY } from './screen-reader-only.js';
import { useServerNow } from './use-server-now.js';

const useStyles = makeStyles({
  waiting: { color: tokens.colorNeutralForeground2 },
  warning: { color: tokens.colorStatusWarningForeground3, fontWeight: tokens.fontWeightSemibold },
  urgent: { color: tokens.colorStatusDangerForeground1, fontWeight: tokens.fontWeightSemibold },
  srOnly: SCREEN_READER_ONLY,
  followText: { color: 'inherit' },
});

/**
 * "Waiting for a reply: 1 min 05 s" under a session in the list, counting each second. The count is
 * hidden from screen readers (a number changing every second is noise); they hear that the customer
 * is waiting, and how long when the level changes.
 *
 * `followText`: drawn in the colour of the text around it. In the high-contrast theme the warning
 * and danger colours are the text's anyway, and a fixed one stays white when a hovered or selected
 * tab turns its text dark on a bright background.
 */
export function ReplyWait({ since, followText = false }: { since: string; followText?: boolean }) {
  const styles = useStyles();
  const now = useServerNow();
  const seconds = Math.max(0, (now - new Date(since).getTime()) / 1000);
  const level = replyWaitLevel(seconds);
  return (
    <Text
      size={100}
      className={mergeClasses(styles[level], followText && styles.followText)}
      data-testid="reply-wait"
      data-level={level}
    >
      <span aria-hidden>Waiting for a reply: {formatDuration(seconds)}</span>
      <span className={styles.srOnly}>
        {level === 'waiting'
          ? ', customer waiting for a reply'
          : level === 'warning'
            ? ', customer waiting for a reply for over a minute'
            : ', customer waiting for a reply for over two minutes'}
      </span>
    </Text>
  );
}
