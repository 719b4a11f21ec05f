import { Badge, Link, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { Fragment, forwardRef } from 'react';
import { splitMarkdown } from '../../shared/text.js';
import { Attachments, type LoadFile } from './Attachments.js';
import { formatTime } from './format.js';
import type { Message } from './types.js';
import { SCREEN_READER_ONLY } from './screen-reader-only.js';

const useStyles = makeStyles({
  log: { overflowY: 'auto', padding: '12px', minHeight: 0 },
  list: {
    display: 'flex',
    flexDirection: 'column',
    gap: '8px',
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  msg: {
    maxWidth: '85%',
    padding: '6px 10px',
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid transparent`,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
  customer: {
    alignSelf: 'flex-start',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  bot: { alignSelf: 'flex-start', backgroundColor: tokens.colorNeutralBackground4 },
  agent: {
    alignSelf: 'flex-end',
    backgroundColor: tokens.colorBrandBackground2,
    color: tokens.colorNeutralForeground1,
  },
  internal: {
    alignSelf: 'flex-end',
    backgroundColor: tokens.colorPaletteYellowBackground1,
    color: tokens.colorNeutralForeground1,
    border: `1px dashed ${tokens.colorPaletteYellowBorder2}`,
  },
  system: {
    alignSelf: 'center',
    color: tokens.colorNeutralForeground2,
    fontStyle: 'italic',
    maxWidth: '100%',
  },
  srOnly: SCREEN_READER_ONLY,
  meta: {
    display: 'flex',
    gap: '6px',
    alignItems: 'center',
    fontSize: tokens.fontSizeBase100,
    color: tokens.colorNeutralForeground2,
  },
});

export const Transcript = forwardRef<
  HTMLDivElement,
  { messages: Message[]; onScroll: () => void; loadFile: LoadFile }
>(function Transcript({ messages, onScroll, loadFile }, ref) {
  const styles = useStyles();
  return (
    // A log region: screen readers announce new messages without the agent leaving the composer.
    <div
      className={styles.log}
      role="log"
      aria-label="Transcript"
      aria-live="polite"
      ref={ref}
      onScroll={onScroll}
      tabIndex={0}
    >
      <ol className={styles.list}>
        {messages.map((m) => {
          // A system line says what happened; whether the customer saw it is not the point of it.
          const internal = m.visibility === 'internal' && m.from !== 'system';
          const cls =
            m.from === 'system'
              ? styles.system
              : internal
                ? styles.internal
                : m.from === 'customer'
                  ? styles.customer
                  : m.from === 'bot'
                    ? styles.bot
                    : styles.agent;
          return (
            <li
              key={m.id}
              className={mergeClasses(styles.msg, cls)}
              data-visibility={m.visibility}
              data-from={m.from}
            >
              <div className={styles.meta}>
                <Text size={100} weight="semibold">
                  {m.authorName ?? labelFor(m.from)}
                </Text>
                <span>{formatTime(m.at)}</span>
                {internal && (
                  <Badge size="small" appearance="filled" color="warning">
                    Internal
                  </Badge>
                )}
              </div>
              <span className={styles.srOnly}>{internal ? 'Internal, not shown to the customer: ' : ''}</span>
              {m.from === 'customer' || m.from === 'system' ? m.text : <Markdown text={m.text} />}
              {m.attachments?.length ? <Attachments items={m.attachments} load={loadFile} /> : null}
            </li>
          );
        })}
      </ol>
    </div>
  );
});

/**
 * Bot, agent and supervisor messages go out as Bot Framework markdown and the customer sees them
 * formatted; the agent sees them the same way, not the raw asterisks. Customers' own words stay plain.
 */
function Markdown({ text }: { text: string }) {
  return splitMarkdown(text).map((part, i) =>
    part.kind === 'link' ? (
      <Link key={i} inline href={part.href} target="_blank" rel="noopener noreferrer">
        {part.text}
      </Link>
    ) : part.bold ? (
      <strong key={i}>{part.text}</strong>
    ) : part.italic ? (
      <em key={i}>{part.text}</em>
    ) : (
      <Fragment key={i}>{part.text}</Fragment>
    ),
  );
}

function labelFor(from: Message['from']): string {
  switch (from) {
    case 'customer':
      return 'Customer';
    case 'bot':
      return 'Bot';
    case 'agent':
      return 'Agent';
    case 'supervisor':
      return 'Supervisor';
    default:
      return 'System';
  }
}
