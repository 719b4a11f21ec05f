import { Badge, Button, Link, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import {
  Fragment,
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type RefObject,
} from 'react';
import { splitMarkdown } from '../../shared/text.js';
import { Attachments, type LoadFile } from './Attachments.js';
import { dayLabel, dayOf, formatFullDateTime, formatTime } from './format.js';
import { countRender } from './render-count.js';
import { serverClock } from './server-clock.js';
import type { Message } from './types.js';
import { SCREEN_READER_ONLY } from './screen-reader-only.js';

const useStyles = makeStyles({
  log: { overflowY: 'auto', padding: '12px', minHeight: 0 },
  earlier: { display: 'flex', justifyContent: 'center', paddingBottom: '8px' },
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
  // Where a new day begins (in the agent's time zone): the rows say only the time.
  day: {
    alignSelf: 'center',
    padding: '2px 10px',
    borderRadius: tokens.borderRadiusCircular,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
    fontWeight: tokens.fontWeightSemibold,
  },
  meta: {
    display: 'flex',
    gap: '6px',
    alignItems: 'center',
    fontSize: tokens.fontSizeBase100,
    color: tokens.colorNeutralForeground2,
  },
});

/**
 * The newest rows a transcript draws at first, and how many more each time the agent reaches its
 * top: a chat of thousands of messages opens and updates as fast as a short one, and the older ones
 * are drawn as the agent scrolls up to them (or asks with the button above the first row shown).
 */
export const TRANSCRIPT_WINDOW = 100;

/**
 * `following`: the agent reads the newest message (the session keeps the transcript pinned there).
 * New messages then let the oldest drawn rows go, so what is drawn stays bounded; while the agent
 * reads further up, nothing drawn goes away under them.
 */
export const Transcript = memo(function Transcript({
  messages,
  onScroll,
  loadFile,
  logRef,
  following,
  live,
}: {
  messages: readonly Message[];
  onScroll: () => void;
  loadFile: LoadFile;
  logRef: RefObject<HTMLDivElement | null>;
  following: RefObject<boolean>;
  /**
   * The history read with the session is in. Until then the log is quiet (a chat accepted or
   * opened would otherwise be read out whole); it speaks from the frame after, so the rows it came
   * with are not taken for news.
   */
  live: boolean;
}) {
  countRender('transcript');
  const styles = useStyles();
  const [speaking, setSpeaking] = useState(false);
  useEffect(() => {
    if (!live) return;
    const frame = requestAnimationFrame(() => setSpeaking(true));
    return () => cancelAnimationFrame(frame);
  }, [live]);
  const [drawn, setDrawn] = useState({ rows: TRANSCRIPT_WINDOW, of: messages.length });
  let rows = drawn.rows;
  if (drawn.of !== messages.length) {
    rows = following.current ? TRANSCRIPT_WINDOW : drawn.rows + Math.max(0, messages.length - drawn.of);
    setDrawn({ rows, of: messages.length });
  }
  const first = Math.max(0, messages.length - rows);
  const shown = messages.slice(first);
  // The days in the agent's time zone: a line with the day goes above the first message of each.
  const days = shown.map((m) => dayOf(m.at));

  // Earlier rows go in above what the agent reads: it stays where it was on screen.
  const restore = useRef<{ height: number; top: number; focusLog: boolean } | null>(null);
  const earlierRef = useRef<HTMLButtonElement | null>(null);
  const showEarlier = useCallback(() => {
    const el = logRef.current;
    if (!el) return;
    restore.current = {
      height: el.scrollHeight,
      top: el.scrollTop,
      // The button goes with the last of them: the keyboard stays in the transcript.
      focusLog: document.activeElement === earlierRef.current,
    };
    setDrawn((d) => ({ ...d, rows: d.rows + TRANSCRIPT_WINDOW }));
  }, [logRef]);
  useLayoutEffect(() => {
    const el = logRef.current;
    const was = restore.current;
    if (!el || !was) return;
    restore.current = null;
    el.scrollTop = was.top + (el.scrollHeight - was.height);
    if (was.focusLog && !earlierRef.current) el.focus();
  }, [first, logRef]);

  // Scrolled up to the first row drawn: the ones before it are drawn too.
  const hasEarlier = first > 0;
  useEffect(() => {
    const root = logRef.current;
    const button = earlierRef.current;
    if (!hasEarlier || !root || !button) return;
    const seen = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) showEarlier();
      },
      { root, rootMargin: '300px 0px 0px 0px' },
    );
    seen.observe(button);
    return () => seen.disconnect();
  }, [hasEarlier, first, logRef, showEarlier]);

  return (
    // A log region: screen readers announce new messages without the agent leaving the composer.
    <div
      className={styles.log}
      role="log"
      aria-label="Transcript"
      aria-live={speaking ? 'polite' : 'off'}
      aria-busy={!speaking || undefined}
      ref={logRef}
      onScroll={onScroll}
      tabIndex={0}
    >
      {hasEarlier && (
        // Its count changes with each message while the agent reads the newest: not news to announce.
        <div className={styles.earlier} aria-live="off">
          <Button ref={earlierRef} appearance="subtle" size="small" onClick={showEarlier}>
            Show earlier messages ({first.toLocaleString('en-US')} more)
          </Button>
        </div>
      )}
      <ol className={styles.list}>
        {shown.map((m, i) => (
          <Fragment key={m.id}>
            {(i === 0 || days[i] !== days[i - 1]) && (
              <li className={styles.day} data-day={days[i]}>
                {dayLabel(m.at, serverClock.now())}
              </li>
            )}
            <MessageRow message={m} loadFile={loadFile} />
          </Fragment>
        ))}
      </ol>
    </div>
  );
});

/** One message: drawn once, not again when another comes in or the agent types. */
const MessageRow = memo(function MessageRow({
  message: m,
  loadFile,
}: {
  message: Message;
  loadFile: LoadFile;
}) {
  countRender('transcript row');
  const styles = useStyles();
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
    <li className={mergeClasses(styles.msg, cls)} data-visibility={m.visibility} data-from={m.from}>
      <div className={styles.meta}>
        <Text size={100} weight="semibold">
          {m.authorName ?? labelFor(m.from)}
        </Text>
        <time dateTime={m.at} title={formatFullDateTime(m.at)}>
          {formatTime(m.at)}
        </time>
        {internal && (
          <Badge size="small" appearance="filled" color="warning">
            Internal
          </Badge>
        )}
      </div>
      <span className={styles.srOnly}>{internal ? 'Internal, not shown to the customer: ' : ''}</span>
      {/* Hebrew or Arabic reads right to left, whatever the tab's own direction. */}
      <div dir="auto">
        {m.from === 'customer' || m.from === 'system' ? m.text : <Markdown text={m.text} />}
      </div>
      {m.attachments?.length ? <Attachments items={m.attachments} load={loadFile} /> : null}
    </li>
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
