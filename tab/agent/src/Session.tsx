import {
  Badge,
  Button,
  MessageBar,
  MessageBarBody,
  Select,
  Field,
  Spinner,
  Tab,
  TabList,
  Text,
  Textarea,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownload20Regular } from '@fluentui/react-icons';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from './api.js';
import { ArticleTab } from './ArticleTab.js';
import { ClippedName } from './ClippedName.js';
import { Composer } from './Composer.js';
import { CustomerAway } from './CustomerAway.js';
import { useStreamEvents, useWorkspace } from './context.js';
import { CustomerSummaryPage } from './CustomerSummary.js';
import { isResync } from './dashboard-events.js';
import { channelLabel, titleCase } from './format.js';
import { BELOW_THREE_COLUMNS, ONE_COLUMN, TWO_COLUMNS } from './layout.js';
import { readMessagePages } from './message-pages.js';
import { ProductivityPane } from './ProductivityPane.js';
import { problemText } from './problem.js';
import { ProblemBar } from './ProblemBar.js';
import { awaitingReplySince } from './reply-wait.js';
import { SentimentBadge } from './SentimentBadge.js';
import { handedOnWords, wasHandedOn } from './handed-on.js';
import { mergeMessages } from './merge-messages.js';
import { countRender } from './render-count.js';
import { loadDrafts, saveDraft } from './session-store.js';
import type { SlashCommand } from './slash.js';
import { Transcript } from './Transcript.js';
import { transcriptFileName, transcriptText } from './transcript-text.js';
import type {
  ConversationDetails,
  KnowledgeHit,
  Message,
  Sentiment,
  SentimentLevel,
  SessionMarks,
} from './types.js';

/**
 * Where the keyboard goes after an action that takes its own control away: the message box, the
 * wrap-up form after End, Close session once the chat is closed or handed on, else the heading.
 */
type FocusTarget = 'composer' | 'disposition' | 'close-session' | 'heading';

/** What a consultant's session says once the chat's agent (or a supervisor) ended their consult. */
const CONSULT_ENDED = 'Your consult was ended';

/** What a session not shown yet reads of its transcript (see `loadMessages`). */
const UNSEEN_SESSION_MESSAGES = 100;
const DISPOSITIONS = ['Resolved', 'Resolved with follow-up', 'Escalated to a case', 'Customer left', 'Other'];

/**
 * What the wrap-up form offers first: the disposition already on the conversation (a macro's), else
 * a chat the customer walked out of was not resolved.
 */
function defaultDisposition(details: ConversationDetails | null): string {
  if (details?.disposition) return details.disposition;
  return details?.endedBy === 'customer' ? 'Customer left' : DISPOSITIONS[0]!;
}

/** The fixed choices, and the conversation's own disposition when it is none of them. */
function dispositionChoices(details: ConversationDetails | null): string[] {
  const own = details?.disposition;
  return own && !DISPOSITIONS.includes(own) ? [own, ...DISPOSITIONS] : DISPOSITIONS;
}

const useStyles = makeStyles({
  root: {
    display: 'grid',
    // The session is as wide as its panel whatever it holds: a column as wide as its widest word
    // (a customer's name typed without spaces) pushed End conversation and Send out of sight.
    gridTemplateColumns: 'minmax(0, 1fr)',
    gridTemplateRows: 'auto 1fr',
    height: '100%',
    minHeight: 0,
    // One column scrolls as a page: the transcript keeps a height of its own above the rest.
    [ONE_COLUMN]: { height: 'auto' },
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: '10px',
    padding: '8px 16px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    flexWrap: 'wrap',
  },
  title: { margin: 0, fontSize: tokens.fontSizeBase500, minWidth: 0, maxWidth: '100%' },
  spacer: { flexGrow: 1 },
  body: {
    display: 'grid',
    gridTemplateColumns: 'minmax(320px, 1fr) minmax(300px, 1fr) 290px',
    gridTemplateAreas: '"convo apps prod"',
    minHeight: 0,
    [TWO_COLUMNS]: {
      gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)',
      gridTemplateRows: 'minmax(0, 1fr) minmax(0, 1fr)',
      gridTemplateAreas: '"convo apps" "convo prod"',
    },
    [ONE_COLUMN]: {
      gridTemplateColumns: 'minmax(0, 1fr)',
      gridTemplateRows: 'minmax(420px, 85vh) auto auto',
      gridTemplateAreas: '"convo" "apps" "prod"',
    },
  },
  convo: {
    gridArea: 'convo',
    display: 'grid',
    gridTemplateRows: '1fr auto auto',
    minHeight: 0,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  // The transcript and, over its foot, the way down to messages that came while the agent read above.
  logArea: { position: 'relative', display: 'grid', gridTemplateRows: 'minmax(0, 1fr)', minHeight: 0 },
  newBelow: {
    position: 'absolute',
    bottom: '8px',
    left: '50%',
    transform: 'translateX(-50%)',
    boxShadow: tokens.shadow8,
  },
  typing: {
    padding: '0 12px 4px',
    color: tokens.colorNeutralForeground2,
    minHeight: '20px',
    overflowWrap: 'anywhere',
  },
  apps: {
    gridArea: 'apps',
    display: 'grid',
    gridTemplateRows: 'auto 1fr',
    minHeight: 0,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  appPanel: { overflowY: 'auto', padding: '12px 16px', minHeight: 0 },
  productivity: {
    gridArea: 'prod',
    [BELOW_THREE_COLUMNS]: { borderTop: `1px solid ${tokens.colorNeutralStroke2}` },
  },
  // Every article the agent opens adds a tab: they wrap rather than run off the column's edge.
  tabs: { flexWrap: 'wrap' },
  // Article titles run long; the tab shows the start of one and its tooltip the whole.
  tabTitle: {
    display: 'inline-block',
    maxWidth: '26ch',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    verticalAlign: 'bottom',
  },
  hidden: { display: 'none' },
  people: {
    display: 'flex',
    gap: '8px',
    alignItems: 'center',
    flexWrap: 'wrap',
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  person: { display: 'flex', gap: '4px', alignItems: 'center' },
  wrap: { display: 'flex', gap: '8px', alignItems: 'end', padding: '8px 12px', flexWrap: 'wrap' },
});

type AppTab =
  { key: string; kind: 'summary' } | { key: string; kind: 'kb'; articleId: string; title: string };

/**
 * One open session. The workspace keeps every open session mounted (hidden but the one on screen),
 * so a session renders only when its own props or state change (memo; the callbacks take the
 * conversation id, so the workspace passes the same ones to all), and draws its transcript and
 * reads its panels (customer summary, script, assist, summary, notes) only once it is first shown.
 */
export const SessionView = memo(function SessionView(props: {
  conversationId: string;
  mode: 'primary' | 'consult' | 'monitor';
  active: boolean;
  focusToken?: number;
  /**
   * The customer's name, the conversation's status and queue, for the session list; who ended it,
   * so a customer leaving a chat behind another view can be said.
   */
  onTitle: (
    conversationId: string,
    title: string,
    status: string,
    queueName?: string,
    endedBy?: ConversationDetails['endedBy'],
  ) => void;
  /** What the session list shows under the session (see `SessionMarks`). */
  onMarks: (conversationId: string, marks: SessionMarks) => void;
}) {
  const { conversationId: cid } = props;
  countRender(`session ${cid}`);
  const styles = useStyles();
  const { api, me, announce, closeSession } = useWorkspace();
  const [details, setDetails] = useState<ConversationDetails | null>(null);
  const [messages, setMessages] = useState<readonly Message[]>([]);
  /** Messages that came live while the session was open (not those read with it): panels read again on them. */
  const [heard, setHeard] = useState(0);
  /** The transcript the session opened with is in: from now on a message is news (see Transcript's `live`). */
  const [historyRead, setHistoryRead] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sentiment, setSentiment] = useState<Sentiment | SentimentLevel | undefined>();
  const [typingUntil, setTypingUntil] = useState(0);
  // Drawn and read once on screen (see above); from then on kept, so coming back to it is instant.
  const [shown, setShown] = useState(props.active);
  if (props.active && !shown) setShown(true);
  const shownRef = useRef(shown);
  shownRef.current = shown;
  const [appTabs, setAppTabs] = useState<AppTab[]>([{ key: 'summary', kind: 'summary' }]);
  const [appTab, setAppTab] = useState('summary');
  const [chosenDisposition, setDisposition] = useState<string | null>(null);
  const disposition = chosenDisposition ?? defaultDisposition(details);
  const [handedOff, setHandedOff] = useState<string | null>(null);
  /** Handed off is the consult ended, not the chat transferred: the session's state says which. */
  const [consultEnded, setConsultEnded] = useState(false);
  // What the agent had typed and not sent when the chat went from them: shown to copy, not lost.
  const [unsent, setUnsent] = useState<string | null>(null);
  /** A monitor's or consultant's transfer, in words: they stay on the chat, as the server keeps them. */
  const [handedOnByMe, setHandedOnByMe] = useState<string | null>(null);
  const handedOffRef = useRef(false);
  /** The chat was this agent's in this session: read as someone else's now, it was handed on. */
  const wasMine = useRef(false);
  /** This agent consults on the chat: a part gone but not left from here was ended by its agent. */
  const consulting = useRef(false);
  /** Leaving from this session: the part going away is no news to say. */
  const leaving = useRef(false);
  /** Whether the chat was still going when last read: a consult ends with it, said or not. */
  const going = useRef(false);
  const rootRef = useRef<HTMLDivElement | null>(null);
  const activeRef = useRef(props.active);
  activeRef.current = props.active;
  /** For what is said of the chat from callbacks made before its details were in. */
  const customerNameRef = useRef('the customer');
  const [, forceTick] = useState(0);
  const transcriptRef = useRef<HTMLDivElement | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement | null>(null);
  const scrollTop = useRef<number | null>(null);
  const stickToBottom = useRef(true);

  const onTitle = useRef(props.onTitle);
  onTitle.current = props.onTitle;
  const onMarks = useRef(props.onMarks);
  onMarks.current = props.onMarks;

  // Where the keyboard goes next (see `FocusTarget`): set by what the agent did, taken once the
  // control is on screen, so a button that goes away with its action never leaves focus on the page.
  const focusNext = useRef<FocusTarget | null>(null);
  const headingRef = useRef<HTMLHeadingElement | null>(null);
  const dispositionRef = useRef<HTMLSelectElement | null>(null);
  const closeSessionRef = useRef<HTMLButtonElement | null>(null);
  const [focusWanted, wantFocus] = useState(0);
  const focusOn = useCallback((target: FocusTarget) => {
    focusNext.current = target;
    wantFocus((n) => n + 1);
  }, []);

  // Stable: each picture is fetched once, not again on every render of the transcript.
  const loadFile = useCallback((fileId: string) => api.file(cid, fileId), [api, cid]);

  const addMessages = useCallback((more: Message[]) => setMessages((cur) => mergeMessages(cur, more)), []);

  /**
   * A session not shown yet reads only its newest messages, enough for the session list's reply wait
   * (`awaitingReplySince` looks back to the last answer a person gave); its whole transcript, which
   * can be thousands of messages, once the agent opens it.
   */
  const loadMessages = useCallback(() => {
    const shownNow = shownRef.current;
    const read = shownNow
      ? readMessagePages((after) => api.messagePage(cid, after), addMessages)
      : api.latestMessages(cid, UNSEEN_SESSION_MESSAGES).then(addMessages);
    read
      .catch((err: unknown) => setError(problemText(err)))
      .finally(() => {
        if (shownNow) setHistoryRead(true);
      });
  }, [api, cid, addMessages]);

  /**
   * The chat is no longer this agent's: transferred from this session (`what` in its words), or
   * elsewhere (a supervisor's Assign, their own transfer from another tab), which a read tells.
   */
  const handOff = useCallback(
    (what: string, from: 'here' | 'elsewhere') => {
      handedOffRef.current = true;
      // A read that raced the hand-over was refused (no longer a participant): not an error.
      setError(null);
      setHandedOff(what);
      // The message box goes: the keyboard goes to what is left to do, if it was in this session.
      if (activeRef.current) focusOn('close-session');
      announce(
        from === 'here' ? what : `${what}: you are no longer on the chat with ${customerNameRef.current}`,
      );
      const draft = loadDrafts(me.id)[cid]?.text.trim();
      setUnsent(draft || null);
      saveDraft(me.id, cid, null);
    },
    [announce, me.id, cid],
  );

  /**
   * This agent's consult is gone while the chat goes on and they did not leave it from here: its
   * agent (or a supervisor) ended it, or took the ask back. `d`: the details read, null if refused.
   */
  const consultEndedHere = (d: ConversationDetails | null) => {
    if (!consulting.current || leaving.current || handedOffRef.current) return false;
    if (d && (d.agentId === me.id || !(d.status === 'active' || d.status === 'wrap-up'))) return false;
    if (!d && !going.current) return false;
    consulting.current = false;
    setConsultEnded(true);
    return true;
  };

  /** Resolves once read (or refused), so what waits on fresh details knows when they are in. */
  const loadDetails = useCallback(
    () =>
      api.conversation(cid).then(
        (d) => {
          // Handed on and now this agent's again (offered back and accepted, picked, assigned): the
          // session comes back to life, with what was said while it was someone else's.
          if (
            handedOffRef.current &&
            d.agentId === me.id &&
            (d.status === 'active' || d.status === 'wrap-up')
          ) {
            handedOffRef.current = false;
            setHandedOff(null);
            setUnsent(null);
            setError(null);
            loadMessages();
          }
          if (!wasHandedOn(d, me.id)) wasMine.current ||= d.agentId === me.id;
          else if (wasMine.current && !handedOffRef.current) handOff(handedOnWords(d), 'elsewhere');
          going.current = d.status === 'active' || d.status === 'wrap-up';
          const part = d.participants?.find((x) => x.agentId === me.id && !x.leftAt && x.mode !== 'primary');
          if (part) consulting.current = part.mode === 'consult';
          else if (consultEndedHere(d)) handOff(CONSULT_ENDED, 'elsewhere');
          setDetails(d);
          if (d.sentiment) setSentiment(d.sentiment);
        },
        (err: unknown) => {
          // Handed on (a transfer): this agent may no longer read it, and the session says so already.
          if (handedOffRef.current) return;
          // Handed on elsewhere to someone this agent may not follow it to: that is why it is refused.
          const refused = err instanceof ApiError && (err.status === 403 || err.status === 404);
          if (wasMine.current && refused) handOff(handedOnWords(null), 'elsewhere');
          // A consultant who may not read the chat without their part: it was ended.
          else if (refused && consultEndedHere(null)) handOff(CONSULT_ENDED, 'elsewhere');
          else setError(problemText(err));
        },
      ),
    [api, cid, me.id, loadMessages, handOff],
  );

  // Read again once shown: the whole transcript in place of the newest messages.
  useEffect(loadMessages, [loadMessages, shown]);

  useStreamEvents((e) => {
    // What was said before the stream's window is not coming: read the conversation again.
    if (isResync(e)) {
      void loadDetails();
      loadMessages();
      return;
    }
    if (e.conversationId !== cid) return;
    if (handedOffRef.current) {
      // The one event a handed-on session still listens for: the conversation is this agent's again.
      if (e.type === 'conversation.assigned' && e.agentId === me.id) void loadDetails();
      return;
    }
    switch (e.type) {
      case 'conversation.message': {
        const m = e.message as Message | undefined;
        if (m) {
          addMessages([m]);
          setHeard((n) => n + 1);
          if (m.from === 'customer') setTypingUntil(0);
        }
        break;
      }
      case 'typing':
        if (!e.agentId || e.agentId !== me.id) {
          setTypingUntil(Date.now() + 6000);
          setTimeout(() => forceTick((n) => n + 1), 6100);
        }
        break;
      case 'sentiment.changed':
        setSentiment((e.sentiment as Sentiment | undefined) ?? (e.level as SentimentLevel | undefined));
        break;
      case 'conversation.assigned':
      case 'conversation.updated':
      case 'conversation.ended':
        void loadDetails();
        break;
    }
  });

  // Keep the transcript pinned to the newest message unless the agent scrolled up to read; then a
  // button says that more came below, until they are at the end again.
  const [newBelow, setNewBelow] = useState(false);
  const shownCount = useRef(0);
  useLayoutEffect(() => {
    const el = transcriptRef.current;
    if (el && props.active && stickToBottom.current) el.scrollTop = el.scrollHeight;
    else if (!stickToBottom.current && shownCount.current > 0 && messages.length > shownCount.current)
      setNewBelow(true);
    shownCount.current = messages.length;
  }, [messages, props.active]);
  const toNewest = () => {
    const el = transcriptRef.current;
    if (!el) return;
    stickToBottom.current = true;
    el.scrollTop = el.scrollHeight;
    setNewBelow(false);
    // The button goes: the keyboard stays with the messages it led to.
    el.focus();
  };

  // The transcript gets shorter when the wrap-up form or a notice appears above the composer: an
  // agent reading the newest message keeps it in view.
  useEffect(() => {
    const el = transcriptRef.current;
    if (!el || !props.active) return;
    const pin = new ResizeObserver(() => {
      if (stickToBottom.current) el.scrollTop = el.scrollHeight;
    });
    pin.observe(el);
    return () => pin.disconnect();
  }, [props.active]);

  // display:none loses scroll offsets in some engines: put the transcript back where the agent left it.
  useLayoutEffect(() => {
    const el = transcriptRef.current;
    if (el && props.active && scrollTop.current !== null && !stickToBottom.current)
      el.scrollTop = scrollTop.current;
  }, [props.active]);

  // Read on mount and again each time the session is opened on purpose (accept, pick, reopen, a
  // key): what it opens to is the conversation as it is now, and the composer takes the focus once
  // those fresh details say it can be written in.
  useEffect(() => {
    let live = true;
    void loadDetails().then(() => {
      if (!live || !props.focusToken) return;
      // The agent went on from the message box meanwhile (to another control of the session): the
      // keyboard stays where they took it.
      const at = document.activeElement;
      if (at && at !== textareaRef.current && at !== document.body && rootRef.current?.contains(at)) return;
      focusOn('composer');
    });
    return () => {
      live = false;
    };
  }, [loadDetails, props.focusToken, focusOn]);

  // A consultant whose part the chat's agent ended hears nothing of it on the stream (they are no
  // longer in the chat): their session reads the chat again each time it is shown, and says so.
  useEffect(() => {
    if (props.active && consulting.current) void loadDetails();
  }, [props.active, loadDetails]);

  // Session focus time (a KPI): the server is told when this session is on screen, and when it is
  // not any more (a session never shown has nothing to say).
  useEffect(() => {
    if (!shown || !details || details.status !== 'active' || props.mode !== 'primary') return;
    api.focus(cid, props.active).catch(() => undefined); // Focus time is best effort.
  }, [api, cid, shown, props.active, props.mode, details?.status]);

  // Stable, as the transcript's other props: it renders again only when its messages change.
  const onScroll = useCallback(() => {
    const el = transcriptRef.current;
    if (!el || !activeRef.current) return;
    scrollTop.current = el.scrollTop;
    stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    if (stickToBottom.current) setNewBelow(false);
  }, []);

  const openArticle = (hit: KnowledgeHit) => {
    const key = `kb:${hit.id}`;
    setAppTabs((cur) =>
      cur.some((t) => t.key === key)
        ? cur
        : [...cur, { key, kind: 'kb', articleId: hit.id, title: hit.title }],
    );
    setAppTab(key);
    announce(`Opened article ${hit.title}`);
  };

  const closeAppTab = (key: string) => {
    setAppTabs((cur) => cur.filter((t) => t.key !== key));
    setAppTab('summary');
  };

  /** An action of the session's header or wrap-up form; `then`: where the keyboard goes once it is done. */
  const run = async (label: string, fn: () => Promise<unknown>, then?: FocusTarget) => {
    try {
      await fn();
      announce(label);
      setError(null);
      if (then) focusOn(then);
      void loadDetails();
    } catch (err) {
      setError(problemText(err));
    }
  };

  const status = details?.status;
  // Handed on, the conversation's own status (offered to someone else) is no longer this agent's:
  // their session, here and in the session list, says what happened to it for them.
  const shownStatus = handedOff ? (consultEnded ? 'consult ended' : 'transferred') : status;
  const customerName = details?.customerName;
  customerNameRef.current = customerName ?? 'the customer';
  const queueName = details?.queueName;
  const endedBy = details?.endedBy;
  useEffect(() => {
    if (shownStatus) onTitle.current(cid, customerName ?? 'Customer', shownStatus, queueName, endedBy);
  }, [cid, customerName, shownStatus, queueName, endedBy]);
  const myPart = details?.participants?.find((p) => p.agentId === me.id && !p.leftAt);
  const mode = myPart?.mode ?? props.mode;
  const isPrimary = mode === 'primary' && (details?.agentId === undefined || details.agentId === me.id);
  // Only the agent who answers the customer is waited on.
  const waitingSince = useMemo(() => awaitingReplySince(messages), [messages]);
  const awaitingSince = status === 'active' && isPrimary && !handedOff && details ? waitingSince : null;
  // Shown while someone waits on the customer; the server drops the mark when the chat ends.
  const customerAwaySince = !handedOff ? (details?.customerAwaySince ?? null) : null;
  useEffect(() => {
    onMarks.current(cid, { awaitingSince, customerAwaySince });
  }, [cid, awaitingSince, customerAwaySince]);
  // The badge shows it; a screen reader hears it when it happens, not only on reading the header.
  const wasAway = useRef<string | null>(null);
  useEffect(() => {
    const who = customerName ?? 'The customer';
    if (customerAwaySince && !wasAway.current) announce(`${who} disconnected`);
    else if (!customerAwaySince && wasAway.current && status === 'active') announce(`${who} is back`);
    wasAway.current = customerAwaySince;
  }, [customerAwaySince, customerName, status, announce]);
  const can = details?.can;
  const canWrite =
    (status === 'active' || status === 'wrap-up') && !handedOff && !!(can?.writePublic || can?.writeInternal);
  const commands: SlashCommand[] = [
    'q',
    'kb',
    ...(can?.consult ? (['c'] as const) : []),
    ...(can?.transfer ? (['t', 'tq'] as const) : []),
  ];
  const typing = typingUntil > Date.now();
  // Colleagues consulting (a monitor is listed only to supervisors, and not here): the chat's agent
  // or a supervisor may end each one's consult, or take back an ask not opened yet.
  const chatGoing = status === 'active' || status === 'wrap-up';
  const consultants =
    chatGoing && !handedOff
      ? (details?.participants ?? []).filter((p) => p.mode === 'consult' && !p.leftAt && p.agentId !== me.id)
      : [];
  const canEndConsults = isPrimary || !!can?.supervise;

  // Opened on purpose (a key, a click): the message box takes the keyboard in the commit that shows
  // the session, so what the agent types straight after the switch lands in it (waiting for the
  // fresh details left it on the page, and the keys were lost). Those details may still move it on.
  useLayoutEffect(() => {
    if (props.focusToken && activeRef.current && canWrite) textareaRef.current?.focus();
    // Only when opened anew (the token), not each time the chat's state changes under the agent.
  }, [props.focusToken]);
  useEffect(() => {
    if (!props.active) focusNext.current = null;
  }, [props.active]);
  useEffect(() => {
    const want = focusNext.current;
    if (!want || !props.active || !details) return;
    const el =
      want === 'disposition'
        ? dispositionRef.current
        : want === 'close-session'
          ? closeSessionRef.current
          : want === 'composer' && canWrite
            ? textareaRef.current
            : headingRef.current;
    // Not on screen yet (the wrap-up form comes with the details that say the chat ended).
    if (!el) return;
    el.focus();
    focusNext.current = null;
  }, [focusWanted, props.active, details, canWrite, handedOff]);

  /**
   * Close session: a monitor's or consultant's part that is still open on the server is left first,
   * or it would come back after a reload and keep them on the chat's stream.
   */
  const closeThisSession = async () => {
    leaving.current = true;
    if (myPart && myPart.mode !== 'primary') {
      try {
        await api.leave(cid);
      } catch (err) {
        // Already out (the close ended every part meanwhile): there is nothing left to leave.
        if (!(err instanceof ApiError && err.code === 'participant.not_joined')) {
          setError(problemText(err));
          return;
        }
      }
    }
    closeSession(cid);
  };

  const downloadTranscript = () => {
    const text = transcriptText(
      {
        conversationId: cid,
        customerName: details?.customerName,
        channel: details?.channel ? channelLabel(details.channel) : undefined,
        queueName: details?.queueName,
      },
      messages,
    );
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = transcriptFileName(details?.customerName, new Date());
    a.click();
    // After the click has started the download, which holds its own copy.
    setTimeout(() => URL.revokeObjectURL(url), 0);
    announce('Transcript downloaded');
  };

  return (
    <div className={styles.root} ref={rootRef}>
      <div className={styles.header}>
        <h2 className={styles.title} ref={headingRef} tabIndex={-1}>
          {details?.customerName ? <ClippedName name={details.customerName} /> : 'Conversation'}
        </h2>
        {shownStatus && (
          <Badge appearance="outline" data-testid="session-status">
            {titleCase(shownStatus)}
          </Badge>
        )}
        {details?.channel && <Badge appearance="tint">{channelLabel(details.channel)}</Badge>}
        {details?.queueName && (
          <Badge appearance="tint" color="brand">
            {details.queueName}
          </Badge>
        )}
        {mode !== 'primary' && (
          <Badge color="important">{mode === 'consult' ? 'Consulting' : 'Monitoring'}</Badge>
        )}
        {consultants.length > 0 && (
          <ul className={styles.people} aria-label="Consulting on this chat">
            {consultants.map((p) => {
              const name = p.name ?? p.agentId;
              return (
                <li key={p.agentId} className={styles.person}>
                  <Badge appearance="tint" color="informative">
                    {name}, consulting
                  </Badge>
                  {canEndConsults && (
                    <Button
                      size="small"
                      aria-label={`End consult: ${name}`}
                      onClick={() =>
                        void run(`Ended ${name}'s consult`, () => api.endConsult(cid, p.agentId), 'composer')
                      }
                    >
                      End consult
                    </Button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <SentimentBadge value={sentiment} prefix="Customer sentiment" />
        {customerAwaySince && <CustomerAway since={customerAwaySince} />}
        <span className={styles.spacer} />
        <Button
          appearance="subtle"
          icon={<ArrowDownload20Regular />}
          title="Download the conversation as a text file, internal messages marked"
          disabled={!details}
          onClick={() => downloadTranscript()}
        >
          Download transcript
        </Button>
        {isPrimary && status === 'active' && !handedOff && (
          <Button
            onClick={() =>
              void run('Conversation ended; wrap up when ready', () => api.end(cid), 'disposition')
            }
          >
            End conversation
          </Button>
        )}
        {mode !== 'primary' && status !== 'closed' && !handedOff && (
          <Button
            onClick={() =>
              void run('Left the conversation', async () => {
                leaving.current = true;
                await api.leave(cid);
                closeSession(cid);
              })
            }
          >
            Leave
          </Button>
        )}
        {(status === 'closed' || handedOff || status === 'abandoned') && (
          <Button ref={closeSessionRef} onClick={() => void closeThisSession()}>
            Close session
          </Button>
        )}
      </div>
      {error && <ProblemBar onDismiss={() => setError(null)}>{error}</ProblemBar>}
      <div className={styles.body}>
        <section className={styles.convo} aria-label="Conversation">
          <div className={styles.logArea}>
            {shown && (
              <Transcript
                messages={messages}
                logRef={transcriptRef}
                following={stickToBottom}
                live={historyRead}
                onScroll={onScroll}
                loadFile={loadFile}
              />
            )}
            {newBelow && (
              <Button
                className={styles.newBelow}
                appearance="primary"
                shape="circular"
                size="small"
                aria-label="New messages, go to the newest"
                onClick={toNewest}
              >
                New messages ↓
              </Button>
            )}
          </div>
          <div className={styles.typing} aria-live="polite">
            {typing && <Text size={200}>{details?.customerName ?? 'The customer'} is typing…</Text>}
          </div>
          {handedOff ? (
            <>
              <MessageBar intent="info" layout="multiline">
                <MessageBarBody>{handedOff}. You are no longer on this conversation.</MessageBarBody>
              </MessageBar>
              {unsent && (
                <Field label="What you had not sent (copy it if you still need it)">
                  <Textarea readOnly value={unsent} resize="vertical" data-testid="unsent-draft" />
                </Field>
              )}
            </>
          ) : handedOnByMe && mode !== 'primary' ? (
            <MessageBar intent="info" layout="multiline" data-testid="handed-on">
              <MessageBarBody>
                {handedOnByMe}. You are still {mode === 'monitor' ? 'monitoring' : 'consulting on'} it.
              </MessageBarBody>
            </MessageBar>
          ) : status === 'wrap-up' && isPrimary ? (
            <div className={styles.wrap}>
              <Field label="Disposition">
                <Select ref={dispositionRef} value={disposition} onChange={(_, d) => setDisposition(d.value)}>
                  {dispositionChoices(details).map((d) => (
                    <option key={d}>{d}</option>
                  ))}
                </Select>
              </Field>
              <Button
                appearance="primary"
                onClick={() =>
                  void run('Conversation closed', () => api.wrapUp(cid, disposition), 'close-session')
                }
              >
                Close with wrap-up
              </Button>
            </div>
          ) : null}
          {!details ? (
            <Spinner size="small" label="Loading the conversation…" />
          ) : (
            status !== 'closed' &&
            !handedOff && (
              <Composer
                conversationId={cid}
                customerName={details.customerName}
                // Once ended the customer can no longer be written to (the server refuses it), but
                // the agents can still leave notes while wrapping up.
                internalOnly={!can?.writePublic || status === 'wrap-up'}
                disabled={!canWrite}
                commands={commands}
                onSent={(m) => {
                  stickToBottom.current = true;
                  addMessages([m]);
                  setHeard((n) => n + 1);
                }}
                onOpenArticle={openArticle}
                onTransferred={(what) => {
                  // A monitor or consultant who hands the chat on stays on it (the server keeps
                  // their part until they leave): the session goes on, saying where it went.
                  if (mode !== 'primary') {
                    setHandedOnByMe(what);
                    announce(
                      `${what}. You are still ${mode === 'monitor' ? 'monitoring' : 'consulting on'} it`,
                    );
                    void loadDetails();
                    return;
                  }
                  handOff(what, 'here');
                }}
                textareaRef={textareaRef}
              />
            )
          )}
        </section>
        <section className={styles.apps} aria-label="Applications">
          <TabList
            className={styles.tabs}
            selectedValue={appTab}
            onTabSelect={(_, d) => setAppTab(String(d.value))}
            aria-label="Application tabs"
            size="small"
          >
            {appTabs.map((t) => (
              <Tab key={t.key} value={t.key} title={t.kind === 'summary' ? undefined : t.title}>
                {t.kind === 'summary' ? (
                  'Customer summary'
                ) : (
                  <span className={styles.tabTitle}>{t.title}</span>
                )}
              </Tab>
            ))}
          </TabList>
          {appTabs.map((t) => (
            <div
              key={t.key}
              role="tabpanel"
              aria-label={t.kind === 'summary' ? 'Customer summary' : t.title}
              className={mergeClasses(styles.appPanel, appTab !== t.key && styles.hidden)}
            >
              {t.kind === 'summary' ? (
                details && shown ? (
                  <CustomerSummaryPage
                    details={details}
                    onChanged={loadDetails}
                    onOpenArticle={openArticle}
                  />
                ) : (
                  <Spinner size="small" />
                )
              ) : (
                <ArticleTab
                  conversationId={cid}
                  articleId={t.articleId}
                  title={t.title}
                  canSend={canWrite && !!can?.writePublic}
                  onSent={(m) => {
                    if (!m) return;
                    addMessages([m]);
                    setHeard((n) => n + 1);
                  }}
                  onClose={() => closeAppTab(t.key)}
                />
              )}
            </div>
          ))}
        </section>
        {shown && (
          <ProductivityPane
            conversationId={cid}
            details={details}
            heard={heard}
            onOpenArticle={openArticle}
            onChanged={loadDetails}
            canWorkScript={isPrimary && status !== 'closed' && !handedOff}
            className={styles.productivity}
          />
        )}
      </div>
    </div>
  );
});
