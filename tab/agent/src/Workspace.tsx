import {
  Badge,
  CounterBadge,
  Button,
  Dropdown,
  Menu,
  MenuItemCheckbox,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MenuGroup,
  MenuGroupHeader,
  MenuDivider,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Option,
  ProgressBar,
  Spinner,
  Tab,
  TabList,
  Text,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { Settings20Regular } from '@fluentui/react-icons';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, FIRST_SCREEN, type Api } from './api.js';
import { NO_NEWS, addNews, newsWords } from './background-news.js';
import { WorkspaceContext, type WorkspaceApi } from './context.js';
import { ClippedName } from './ClippedName.js';
import { CustomerAway } from './CustomerAway.js';
import { Dashboard } from './Dashboard.js';
import type { ThemeName } from './host.js';
import { ConsultToast, OfferToasts, rememberConsultAsk } from './OfferToasts.js';
import { presenceChoice } from './presence-choice.js';
import { alertWords } from './supervisor/alert-words.js';
import { useLongWaits, useToastsHeight } from './supervisor/attention.js';
import { consultsAnswered } from './consult-asks.js';
import { ReplyWait } from './ReplyWait.js';
import { useMedia } from './use-media.js';
import { SessionView } from './Session.js';
import { lastView, linkDone } from './session-store.js';
import { linkedConversation, startLink, withoutConversation, type HostPage } from './start-link.js';
import { problemText } from './problem.js';
import { sessionShortcut, viewForKey } from './view-keys.js';
import { LiveStream, type StreamStatus } from './stream.js';
import { titleCase } from './format.js';
import { THEME_LABELS } from './theme.js';
import type {
  AlertThreshold,
  ConversationDetails,
  Me,
  Message,
  Offer,
  Presence,
  SessionItem,
  SessionMarks,
  StreamEvent,
} from './types.js';
import { playOfferSound } from './sound.js';
import { SCREEN_READER_ONLY } from './screen-reader-only.js';
import { readSetting, saveSetting } from './stored-setting.js';

performance.mark('switchboard:workspace-code');

// The supervisor views carry the charting library: loaded when a supervisor opens them.
const SupervisorView = lazy(() => import('./supervisor/SupervisorView.js'));
const SignOutCheck = lazy(() => import('./SignOutCheck.js'));
/** How long signing out waits for the server to hear the agent went Offline. */
const SIGN_OUT_WAIT_MS = 3000;
/** What happens behind other views within this long is said in one announcement (background-news.ts). */
const NEWS_GATHER_MS = 1500;

const FALLBACK_PRESENCES: Presence[] = [
  { id: 'available', label: 'Available' },
  { id: 'busy', label: 'Busy' },
  { id: 'do-not-disturb', label: 'Do not disturb' },
  { id: 'away', label: 'Away' },
  { id: 'offline', label: 'Offline' },
];

const THRESHOLDS: Array<{ id: AlertThreshold; label: string }> = [
  { id: 'off', label: "Don't show alerts" },
  { id: 'slightly negative', label: 'Slightly negative or worse' },
  { id: 'negative', label: 'Negative or worse' },
  { id: 'very negative', label: 'Very negative only' },
];

/** Teams on a phone, or a panel as narrow: the navigation goes above the view (`useMedia`). */
const PHONE_QUERY = '(max-width: 559.98px)';
const PHONE = `@media ${PHONE_QUERY}`;

const useStyles = makeStyles({
  shell: { display: 'grid', gridTemplateRows: 'auto auto 1fr', height: '100%', minHeight: 0 },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: '16px',
    padding: '6px 16px',
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    flexWrap: 'wrap',
    // A phone: two lines, not four, so the view keeps the height.
    [PHONE]: { gap: '4px 10px', padding: '4px 8px' },
  },
  /** Said to screen readers everywhere, shown only where there is room (the presence list keeps its name by it). */
  wideOnly: { [PHONE]: SCREEN_READER_ONLY },
  brand: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  spacer: { flexGrow: 1 },
  presence: { display: 'flex', alignItems: 'center', gap: '6px' },
  presenceChoice: { minWidth: '150px' },
  capacity: { display: 'grid', gap: '2px', minWidth: '140px' },
  body: {
    display: 'grid',
    gridTemplateColumns: '230px 1fr',
    minHeight: 0,
    '@media (min-width: 560px) and (max-width: 899.98px)': { gridTemplateColumns: '170px 1fr' },
    // A phone: the views and sessions become a strip above the view, which gets the whole width.
    [PHONE]: { gridTemplateColumns: '1fr', gridTemplateRows: 'auto 1fr' },
  },
  nav: {
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    padding: '8px 4px',
    overflowY: 'auto',
    [PHONE]: {
      borderRight: 'none',
      borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
      padding: '0 4px',
      overflowX: 'auto',
      overflowY: 'hidden',
    },
  },
  navHeading: {
    margin: '12px 12px 4px',
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
    fontWeight: tokens.fontWeightSemibold,
  },
  main: { minHeight: 0, minWidth: 0, position: 'relative', overflow: 'hidden' },
  // A size container: the views inside lay out by its width (layout.ts).
  panel: { position: 'absolute', inset: 0, overflow: 'auto', containerType: 'inline-size' },
  hidden: { display: 'none' },
  srOnly: SCREEN_READER_ONLY,
  tabLabel: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    textAlign: 'left',
    minWidth: 0,
    maxWidth: '100%',
  },
  // The customer's name cut short, so the counts and the alert after it stay in sight; on a phone's
  // strip of sessions, one entry does not take the width of several.
  tabName: {
    display: 'flex',
    alignItems: 'center',
    gap: '4px',
    minWidth: 0,
    maxWidth: '100%',
    [PHONE]: { maxWidth: '24ch' },
  },
});

interface OpenSession {
  id: string;
  mode: 'primary' | 'consult' | 'monitor';
  title: string;
  /** Known once the session has read its conversation: "Wrap-up" tells two of one name apart. */
  status?: string;
  /** The conversation's queue, said under the name (what the agent tells two chats apart by). */
  queueName?: string;
  /** Opened for the agent rather than by them (a consult, an assignment): new until seen. */
  unread: boolean;
  /** Messages that came while another view was on screen. */
  unreadCount?: number;
  /** A sentiment alert on it came while another view was on screen. */
  alert?: boolean;
  /** Changes when the session is opened on purpose (accept, pick): its composer takes the focus. */
  focusToken?: number;
  /** The customer has waited for this agent's answer since then (reply-wait.ts). */
  awaitingSince?: string | null;
  /** The customer's chat window has been disconnected since then. */
  customerAwaySince?: string | null;
}

type View = 'dashboard' | 'supervisor' | `s:${string}`;

type SessionTitle = (
  id: string,
  title: string,
  status: string,
  queueName?: string,
  endedBy?: ConversationDetails['endedBy'],
) => void;

/** What became of a linked conversation that did not simply open; `monitor`: a supervisor may watch it. */
interface LinkNotice {
  text: string;
  monitor?: { id: string; name: string };
}

export function Workspace(props: {
  api: Api;
  authMode: 'dev' | 'teams';
  theme: ThemeName;
  onTheme?: (t: ThemeName) => void;
  onSignOut?: () => void;
  hostPage?: HostPage;
}) {
  const { api } = props;
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const stream = useMemo(
    () =>
      new LiveStream({
        token: api.token,
        onStatus: setStatus,
        // Any call answered 401 renews the sign-in (the app's onUnauthorized); one that is not
        // means the server was only out of reach, and the stream's retries are enough.
        onRefused: () => void api.me().catch(() => undefined),
      }),
    [api],
  );

  useEffect(() => {
    stream.start();
    return () => stream.stop();
  }, [stream]);

  // The profile and the dashboard's lists are asked for together, not the lists once the profile is in.
  useEffect(() => api.prime(FIRST_SCREEN), [api]);

  const refreshMe = useCallback(() => {
    api.me().then(setMe, (err: unknown) => setError((err as Error).message));
  }, [api]);
  useEffect(refreshMe, [refreshMe]);

  if (error && !me) {
    return (
      <main style={{ padding: 24 }}>
        <h1>Switchboard</h1>
        <p role="alert">Could not load your profile: {error}</p>
        {props.onSignOut && <Button onClick={props.onSignOut}>Back to sign-in</Button>}
      </main>
    );
  }
  if (!me) {
    return (
      <main style={{ display: 'grid', placeItems: 'center', height: '100%' }}>
        <Spinner label="Loading your workspace…" />
      </main>
    );
  }
  return <SignedIn {...props} me={me} setMe={setMe} refreshMe={refreshMe} stream={stream} status={status} />;
}

function SignedIn(props: {
  api: Api;
  authMode: 'dev' | 'teams';
  theme: ThemeName;
  onTheme?: (t: ThemeName) => void;
  onSignOut?: () => void;
  hostPage?: HostPage;
  me: Me;
  setMe: (m: Me) => void;
  refreshMe: () => void;
  stream: LiveStream;
  status: StreamStatus;
}) {
  const { api, me, setMe, stream } = props;
  const styles = useStyles();
  const isSupervisor = me.roles.includes('supervisor') || me.roles.includes('admin');
  // The manifest's Supervisor tab opens on the supervisor view; anyone else starts on the dashboard.
  const [link] = useState(() => startLink(location.search, props.hostPage));
  const [view, setView] = useState<View>(() =>
    link.view === 'supervisor' && isSupervisor ? 'supervisor' : 'dashboard',
  );
  const phone = useMedia(PHONE_QUERY);
  const [sessions, setSessions] = useState<OpenSession[]>([]);
  const sessionsRef = useRef(sessions);
  sessionsRef.current = sessions;
  const [supervisorVisited, setSupervisorVisited] = useState(false);
  const [offers, setOffers] = useState<Offer[]>([]);
  /** Consults a colleague asked for that this agent has neither opened nor put off. */
  const [consultAsks, setConsultAsks] = useState<string[]>([]);
  // An ask is answered once its session is on screen, however it got there (the toast, the list, a
  // key), and gone with its session.
  useEffect(() => {
    setConsultAsks((cur) => {
      const open = cur.filter((id) => view !== `s:${id}` && sessions.some((s) => s.id === id));
      return open.length === cur.length ? cur : open;
    });
  }, [view, sessions]);
  const [presences, setPresences] = useState<Presence[]>(FALLBACK_PRESENCES);
  const [announcement, setAnnouncement] = useState('');
  /** Routing set the agent Away because an offer to them ran out: they are told why, until they choose. */
  const [missedOffer, setMissedOffer] = useState(false);
  const [sound, setSound] = useState<boolean>(() => readSetting('switchboard.sound') === 'on');
  const soundRef = useRef(sound);
  soundRef.current = sound;
  const viewRef = useRef(view);
  viewRef.current = view;
  // A view reached from the keyboard (Alt+Shift+0, the arrows) or left to when the session on screen
  // closes: its heading takes the focus, which would otherwise fall to the page with the view it left.
  const panels = useRef(new Map<View, HTMLElement>());
  // Signed in (or reloaded), the keyboard is nowhere: the first view's heading takes it, so a screen
  // reader says the workspace is there.
  const focusOnShow = useRef<View | null>(nothingFocused() ? view : null);
  const landOn = useCallback((to: View) => {
    focusOnShow.current = to;
    setView(to);
  }, []);
  useEffect(() => {
    if (focusOnShow.current !== view) return;
    focusOnShow.current = null;
    const heading =
      panels.current.get(view)?.querySelector<HTMLElement>('h2') ??
      // A view still loading (the supervisor's): the workspace's own heading.
      document.querySelector<HTMLElement>('header h1');
    if (!heading) return;
    // A heading is no stop on the Tab key's way: focusable from code only.
    if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
    heading.focus();
  }, [view]);
  /** The view's main control: a session's message box while it can be written in, else its heading. */
  const focusView = useCallback(() => {
    const panel = panels.current.get(viewRef.current);
    const control =
      panel?.querySelector<HTMLElement>('textarea:not(:disabled)') ?? panel?.querySelector<HTMLElement>('h2');
    if (!control) return;
    if (control.tagName === 'H2' && !control.hasAttribute('tabindex')) control.tabIndex = -1;
    control.focus();
  }, []);
  // Sentiment alerts that came while the supervisor was elsewhere (a session, the dashboard): the
  // Supervisor entry counts them until it is opened, so one is not missed behind a chat.
  const [unseenAlerts, setUnseenAlerts] = useState(0);
  // Customers waiting too long in the supervisor's queues: counted there too, while it is not open.
  const longWaits = useLongWaits(api, isSupervisor && view !== 'supervisor');
  // The toasts sit over the bottom right of the window: while they are up the board ends above them,
  // so none of its actions is under one (it scrolls within what is left).
  const toastsHeight = useToastsHeight(offers.length + consultAsks.length);
  /** How many times the stream skipped ahead (`stream.resync`): what was read at start is read again. */
  const [resyncs, setResyncs] = useState(0);
  useEffect(() => {
    if (performance.getEntriesByName('switchboard:workspace-shell').length === 0)
      performance.mark('switchboard:workspace-shell');
  }, []);

  useEffect(() => {
    api.presences().then(
      (p) => p.length && setPresences(p),
      () => undefined, // The five base presences still work when the server has no list.
    );
    api.offers().then(
      (list) => setOffers((cur) => mergeOffers(cur, list)),
      () => undefined, // Offers still arrive on the live stream.
    );
  }, [api, resyncs]);

  const announce = useCallback((text: string) => {
    setAnnouncement('');
    requestAnimationFrame(() => setAnnouncement(text));
  }, []);

  // A session behind another view is display:none, so its transcript says nothing: what its
  // customer does there is said here, a burst of it once.
  const news = useRef(NO_NEWS);
  const newsTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const tellNews = useCallback(
    (conversationId: string, name: string, what: 'message' | 'left') => {
      news.current = addNews(news.current, conversationId, name, what);
      newsTimer.current ??= setTimeout(() => {
        newsTimer.current = null;
        const words = newsWords(news.current);
        news.current = NO_NEWS;
        if (words) announce(words);
      }, NEWS_GATHER_MS);
    },
    [announce],
  );
  useEffect(() => () => clearTimeout(newsTimer.current ?? undefined), []);

  const openSession = useCallback<WorkspaceApi['openSession']>((conversationId, opts) => {
    const focusToken = opts?.show !== false ? Date.now() : undefined;
    setSessions((cur) =>
      cur.some((s) => s.id === conversationId)
        ? cur.map((s) =>
            s.id === conversationId
              ? { ...s, mode: opts?.mode ?? s.mode, focusToken: focusToken ?? s.focusToken }
              : s,
          )
        : [
            ...cur,
            {
              id: conversationId,
              mode: opts?.mode ?? 'primary',
              title: 'Conversation',
              // Opened for the agent rather than by them (a consult, an assignment): new until seen.
              unread: opts?.show === false,
              focusToken,
            },
          ],
    );
    if (opts?.show !== false) setView(`s:${conversationId}`);
  }, []);

  // Alt+Shift+1…9 to a session, 0 to the dashboard, arrows to the next or previous view
  // (view-keys.ts); a session reached so takes the keyboard to its message box, as a click does.
  const views: View[] = useMemo(
    () => [
      'dashboard',
      ...(isSupervisor ? (['supervisor'] as const) : []),
      ...sessions.map((s) => `s:${s.id}` as const),
    ],
    [isSupervisor, sessions],
  );
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const to = viewForKey(e, views, view) as View | null;
      if (!to) return;
      e.preventDefault();
      if (to.startsWith('s:')) openSession(to.slice(2));
      else landOn(to);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [views, view, openSession]);

  // A reload (Teams reloads a tab it put away) or another device: the conversations the agent is
  // in (their own, a consult, a monitored one) come back as sessions, and the one they were on
  // comes back on screen.
  const [resumeView] = useState(() => lastView(me.id).get());
  useEffect(() => {
    let current = true;
    api.mySessions().then(
      (items) => {
        if (!current) return;
        setSessions((cur) => [...cur, ...items.filter((i) => !cur.some((s) => s.id === i.id)).map(restored)]);
        // Opened as a key opens it, so its message box (or heading) takes the keyboard: the
        // dashboard's heading had it, and it went to the page with the dashboard.
        const resumed = items.find((i) => `s:${i.id}` === resumeView);
        if (resumed && viewRef.current === 'dashboard') openSession(resumed.id);
        // A consult asked for while the tab was closed stands as the live frame's ask would have.
        const answered = consultsAnswered(me.id);
        const consults = items.filter((i) => i.mode === 'consult');
        answered.keepOnly(consults.map((i) => i.id));
        const standing = consults.filter((i) => !answered.has(i.id) && `s:${i.id}` !== resumeView);
        for (const i of standing) {
          rememberConsultAsk(i.id, {
            ...(i.customerName ? { customerName: i.customerName } : {}),
            ...(i.queueName ? { queueName: i.queueName } : {}),
          });
        }
        if (standing.length > 0)
          setConsultAsks((cur) => [...cur, ...standing.map((i) => i.id).filter((id) => !cur.includes(id))]);
      },
      () => undefined, // The dashboard lists them still, and says why it cannot.
    );
    return () => {
      current = false;
    };
  }, [api, me.id, resumeView, resyncs, openSession]);

  // A card's "Open in workspace" names a conversation: it opens as what this person is in it, once.
  const [linkNotice, setLinkNotice] = useState<LinkNotice | null>(null);
  useEffect(() => {
    const id = link.conversationId;
    if (!id) return;
    // Once: a reload opens the tab plainly (the address loses it; Teams keeps its context, so that
    // one is remembered as done for this browser tab).
    if (link.from === 'url') history.replaceState(history.state, '', withoutConversation(location.href));
    else if (linkDone.get() === id) return;
    else linkDone.set(id);
    api.conversation(id).then(
      (d) => {
        const name = d.customerName ?? 'the customer';
        const what = linkedConversation(d, me.id);
        switch (what.kind) {
          case 'open':
            openSession(id, { mode: what.mode });
            break;
          case 'offered':
            setLinkNotice({ text: `The chat with ${name} is offered to you: accept the offer to open it.` });
            break;
          case 'supervise':
            landOn('supervisor');
            setLinkNotice(
              what.joinable
                ? {
                    text: `You are not in the chat with ${name}. Monitor it to follow it here.`,
                    monitor: { id, name },
                  }
                : {
                    text: `The chat with ${name} is ${titleCase(d.status).toLowerCase()}: it is on the board below.`,
                  },
            );
            break;
          case 'not-yours':
            setLinkNotice({ text: `The chat with ${name} is someone else's: it cannot be opened here.` });
            break;
        }
      },
      (err: unknown) =>
        setLinkNotice({
          text:
            err instanceof ApiError && (err.status === 403 || err.status === 404)
              ? 'The linked conversation cannot be opened: it is not yours to see, or no longer exists.'
              : `The linked conversation could not be opened. ${problemText(err)}`,
        }),
    );
    // Once, on start: the link is what the tab was opened with.
  }, []);

  const monitorLinked = async (target: { id: string; name: string }) => {
    try {
      await api.monitor(target.id);
      setLinkNotice(null);
      openSession(target.id, { mode: 'monitor' });
      announce(`Monitoring ${target.name}`);
    } catch (err) {
      setLinkNotice({ text: `Could not monitor the chat with ${target.name}: ${problemText(err)}` });
    }
  };

  // Signing out is leaving the desk: Offline, or routing would keep offering customers to someone
  // who is gone (each offer running out first). Best effort: the sign-out itself always happens,
  // and a slow server does not keep the person waiting on it (the request goes on by itself).
  const signOut = async (done: () => void) => {
    const offline = api.setPresence('offline').catch(() => {
      // Unreachable server or an expired token: nothing more to do from here.
    });
    await Promise.race([offline, new Promise((resolve) => setTimeout(resolve, SIGN_OUT_WAIT_MS))]);
    done();
  };
  // The agent's own chats stay theirs when they sign out (Offline takes no chat from anyone): they
  // are asked first, with the chats named, so no customer is left waiting without them knowing.
  const [checkingSignOut, setCheckingSignOut] = useState(false);
  const ownChats = sessions.filter(
    (s) =>
      s.mode === 'primary' && (s.status === undefined || s.status === 'active' || s.status === 'wrap-up'),
  );
  // Staying signed in, the keyboard goes back to where the question came from, not to the page.
  const signOutButton = useRef<HTMLButtonElement | null>(null);
  const backToSignOut = useRef(false);
  useEffect(() => {
    if (checkingSignOut || !backToSignOut.current) return;
    backToSignOut.current = false;
    signOutButton.current?.focus();
  }, [checkingSignOut]);
  const askSignOut = (done: () => void) => {
    if (ownChats.length > 0) setCheckingSignOut(true);
    else void signOut(done);
  };

  const closeSession = useCallback(
    (conversationId: string) => {
      setSessions((cur) => cur.filter((s) => s.id !== conversationId));
      if (viewRef.current === `s:${conversationId}`) landOn('dashboard');
    },
    [landOn],
  );

  const setMarks = useCallback((id: string, marks: SessionMarks) => {
    setSessions((cur) =>
      cur.map((s) =>
        s.id === id &&
        ((s.awaitingSince ?? null) !== marks.awaitingSince ||
          (s.customerAwaySince ?? null) !== marks.customerAwaySince)
          ? { ...s, ...marks }
          : s,
      ),
    );
  }, []);

  const setTitle = useCallback<SessionTitle>(
    (id, title, status, queueName, endedBy) => {
      const was = sessionsRef.current.find((s) => s.id === id)?.status;
      if (was === 'active' && endedBy === 'customer' && status !== 'active' && viewRef.current !== `s:${id}`)
        tellNews(id, title, 'left');
      setSessions((cur) =>
        cur.map((s) =>
          s.id === id && (s.title !== title || s.status !== status || s.queueName !== queueName)
            ? { ...s, title, status, queueName }
            : s,
        ),
      );
    },
    [tellNews],
  );

  useEffect(
    () =>
      stream.subscribe((e: StreamEvent) => {
        switch (e.type) {
          case 'offer.created': {
            const offer = e as unknown as Offer;
            setOffers((cur) => mergeOffers(cur, [offer]));
            announce(`New conversation offered: ${offer.customerName ?? 'a customer'}`);
            if (soundRef.current) playOfferSound();
            break;
          }
          case 'offer.closed':
            setOffers((cur) => cur.filter((o) => o.offerId !== e.offerId));
            break;
          case 'conversation.updated':
            // An offered customer lost their connection, or is back: the toast says so as it happens.
            if ('customerAwaySince' in e) {
              const since = typeof e.customerAwaySince === 'string' ? e.customerAwaySince : undefined;
              setOffers((cur) =>
                cur.map((o) =>
                  o.conversationId === e.conversationId && o.customerAwaySince !== since
                    ? { ...o, customerAwaySince: since }
                    : o,
                ),
              );
            }
            break;
          case 'conversation.assigned':
            // Picked, assigned by a supervisor, or joined as consultant: the session is there, not forced on screen.
            if (e.agentId === me.id && typeof e.conversationId === 'string') {
              openSession(e.conversationId, {
                show: false,
                mode: e.mode === 'consult' || e.mode === 'monitor' ? e.mode : undefined,
              });
              if (e.mode === 'consult') {
                const id = e.conversationId;
                const said = rememberConsultAsk(id, {
                  ...(typeof e.byName === 'string' ? { byName: e.byName } : {}),
                  ...(typeof e.customerName === 'string' ? { customerName: e.customerName } : {}),
                  ...(typeof e.queueName === 'string' ? { queueName: e.queueName } : {}),
                });
                setConsultAsks((cur) => (cur.includes(id) ? cur : [...cur, id]));
                announce(said);
              }
            }
            break;
          case 'alert':
            announce(alertWords(e));
            if (viewRef.current !== 'supervisor') setUnseenAlerts((n) => n + 1);
            // The agent's own chat behind another one: its entry says so until it is opened.
            if (typeof e.conversationId === 'string' && viewRef.current !== `s:${e.conversationId}`) {
              setSessions((cur) => cur.map((s) => (s.id === e.conversationId ? { ...s, alert: true } : s)));
            }
            break;
          case 'conversation.message':
            if (typeof e.conversationId === 'string' && viewRef.current !== `s:${e.conversationId}`) {
              const behind = sessionsRef.current.find((s) => s.id === e.conversationId);
              if (behind && (e.message as Message | undefined)?.from === 'customer')
                tellNews(behind.id, behind.title, 'message');
              setSessions((cur) =>
                cur.map((s) =>
                  s.id === e.conversationId ? { ...s, unreadCount: (s.unreadCount ?? 0) + 1 } : s,
                ),
              );
            }
            break;
          case 'stream.resync':
            // Offers and sessions made before the stream's window are read again (the dashboard and
            // each session read theirs themselves).
            setResyncs((n) => n + 1);
            break;
          case 'presence.changed':
            if (!e.agentId || e.agentId === me.id) props.refreshMe();
            if (e.agentId === me.id && e.reason === 'missed-offer') {
              setMissedOffer(true);
              announce('You missed an offer, so your presence is now Away');
            }
            break;
        }
      }),
    [stream, me.id, announce, openSession, props.refreshMe, tellNews],
  );

  useEffect(() => {
    if (view.startsWith('s:')) {
      const id = view.slice(2);
      if (sessionsRef.current.find((s) => s.id === id)?.mode === 'consult') consultsAnswered(me.id).add(id);
      setSessions((cur) =>
        cur.map((s) =>
          s.id === id && (s.unread || s.unreadCount || s.alert)
            ? { ...s, unread: false, unreadCount: 0, alert: false }
            : s,
        ),
      );
    }
    if (view === 'supervisor') {
      setSupervisorVisited(true);
      setUnseenAlerts(0);
    }
    lastView(me.id).set(view);
  }, [view, me.id]);

  const ctx = useMemo<WorkspaceApi>(
    () => ({ api, me, stream, openSession, closeSession, announce, refreshMe: props.refreshMe }),
    [api, me, stream, openSession, closeSession, announce, props.refreshMe],
  );

  const changePresence = async (presence: string) => {
    try {
      setMe(await api.setPresence(presence));
      setMissedOffer(false);
      announce(`Presence set to ${presences.find((p) => p.id === presence)?.label ?? presence}`);
    } catch (err) {
      announce(`Could not change presence: ${(err as Error).message}`);
    }
  };

  const setThreshold = async (threshold: AlertThreshold) => {
    try {
      setMe(await api.setAlertThreshold(threshold));
    } catch (err) {
      announce(`Could not change the alert threshold: ${(err as Error).message}`);
    }
  };

  const toggleSound = (on: boolean) => {
    setSound(on);
    saveSetting('switchboard.sound', on ? 'on' : 'off');
  };

  const contrast = props.theme === 'contrast';
  const used = me.capacity?.used ?? 0;
  const total = me.capacity?.total || 100;
  const { selected: currentPresence, shownAs } = presenceChoice(me, presences);

  return (
    <WorkspaceContext.Provider value={ctx}>
      <div className={styles.shell}>
        <header className={styles.header}>
          <h1 className={styles.brand}>Switchboard</h1>
          {props.authMode === 'dev' && (
            <Tooltip
              content="Local mode: sign-in is not verified. Do not use with real customers."
              relationship="description"
            >
              <Badge appearance="filled" color="warning" tabIndex={0}>
                Dev mode
              </Badge>
            </Tooltip>
          )}
          <Badge
            appearance="outline"
            color={props.status === 'live' ? 'success' : 'warning'}
            aria-live="polite"
            data-testid="stream-status"
          >
            {props.status === 'live'
              ? 'Live'
              : props.status === 'connecting'
                ? 'Connecting…'
                : 'Reconnecting…'}
          </Badge>
          <span className={styles.spacer} />
          <div className={styles.presence}>
            <label htmlFor="presence-select" id="presence-label" className={styles.wideOnly}>
              <Text>Presence</Text>
            </label>
            {/* A list that commits on Enter or a click: the arrows look through the presences
                without setting each one on the way (a native select's change would). */}
            <Dropdown
              id="presence-select"
              aria-labelledby="presence-label"
              className={styles.presenceChoice}
              value={presences.find((p) => p.id === currentPresence)?.label ?? currentPresence}
              selectedOptions={[currentPresence]}
              onOptionSelect={(_, d) => {
                if (d.optionValue && d.optionValue !== currentPresence) void changePresence(d.optionValue);
              }}
            >
              {presences.map((p) => (
                <Option key={p.id} value={p.id}>
                  {p.label}
                </Option>
              ))}
            </Dropdown>
            {shownAs && <Text size={200}>(shown as {shownAs})</Text>}
          </div>
          <div className={styles.capacity}>
            <Text size={200} id="capacity-label">
              Capacity in use: {used} of {total}
            </Text>
            <ProgressBar value={used / total} aria-labelledby="capacity-label" thickness="large" />
          </div>
          <Text>{me.name}</Text>
          <Menu
            checkedValues={{
              sound: sound ? ['on'] : [],
              threshold: [me.sentimentThreshold ?? 'off'],
              theme: [props.theme],
            }}
            onCheckedValueChange={(_, d) => {
              if (d.name === 'sound') toggleSound(d.checkedItems.includes('on'));
              if (d.name === 'threshold') void setThreshold(d.checkedItems[0] as AlertThreshold);
              if (d.name === 'theme' && props.onTheme) props.onTheme(d.checkedItems[0] as ThemeName);
            }}
          >
            <MenuTrigger disableButtonEnhancement>
              <Button icon={<Settings20Regular />} aria-label="Settings" />
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                <MenuItemCheckbox name="sound" value="on">
                  Sound for new offers
                </MenuItemCheckbox>
                <MenuDivider />
                <MenuGroup>
                  <MenuGroupHeader>Sentiment alerts</MenuGroupHeader>
                  {THRESHOLDS.map((t) => (
                    <MenuItemRadio key={t.id} name="threshold" value={t.id}>
                      {t.label}
                    </MenuItemRadio>
                  ))}
                </MenuGroup>
                {props.onTheme && (
                  <>
                    <MenuDivider />
                    <MenuGroup>
                      <MenuGroupHeader>Theme</MenuGroupHeader>
                      {(Object.keys(THEME_LABELS) as ThemeName[]).map((t) => (
                        <MenuItemRadio key={t} name="theme" value={t}>
                          {THEME_LABELS[t]}
                        </MenuItemRadio>
                      ))}
                    </MenuGroup>
                  </>
                )}
              </MenuList>
            </MenuPopover>
          </Menu>
          {props.onSignOut && (
            <Button appearance="subtle" ref={signOutButton} onClick={() => askSignOut(props.onSignOut!)}>
              Sign out
            </Button>
          )}
        </header>
        <div>
          {linkNotice && (
            <MessageBar intent="info" layout="multiline" data-testid="link-notice">
              <MessageBarBody>{linkNotice.text}</MessageBarBody>
              <MessageBarActions
                containerAction={
                  <Button appearance="transparent" aria-label="Dismiss" onClick={() => setLinkNotice(null)}>
                    Dismiss
                  </Button>
                }
              >
                {linkNotice.monitor && (
                  <Button onClick={() => void monitorLinked(linkNotice.monitor!)}>Monitor</Button>
                )}
              </MessageBarActions>
            </MessageBar>
          )}
          {missedOffer && (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>You missed an offer</MessageBarTitle>
                It ran out before you answered, so your presence is now Away and no work is offered to you.
                Choose Available when you are ready for more.
              </MessageBarBody>
              <MessageBarActions
                containerAction={
                  <Button appearance="transparent" aria-label="Dismiss" onClick={() => setMissedOffer(false)}>
                    Dismiss
                  </Button>
                }
              >
                <Button onClick={() => void changePresence('available')}>I'm available</Button>
              </MessageBarActions>
            </MessageBar>
          )}
        </div>
        <div className={styles.body}>
          <nav className={styles.nav} aria-label="Workspace">
            <TabList
              vertical={!phone}
              selectedValue={view}
              onTabSelect={(_, d) => setView(d.value as View)}
              aria-label="Views and sessions"
            >
              <Tab value="dashboard">Dashboard</Tab>
              {isSupervisor && (
                <Tab value="supervisor">
                  Supervisor
                  {unseenAlerts > 0 && (
                    <>
                      {' '}
                      <CounterBadge count={unseenAlerts} size="small" color="danger" aria-hidden />
                      <span className={styles.srOnly}>
                        , {unseenAlerts} new {unseenAlerts === 1 ? 'alert' : 'alerts'}
                      </span>
                    </>
                  )}
                  {longWaits > 0 && (
                    <>
                      {' '}
                      <span data-testid="long-waits" aria-hidden>
                        <CounterBadge count={longWaits} size="small" color="important" />
                      </span>
                      <span className={styles.srOnly}>
                        , {longWaits} {longWaits === 1 ? 'customer' : 'customers'} waiting long
                      </span>
                    </>
                  )}
                </Tab>
              )}
              {sessions.map((s, i) => (
                <Tab key={s.id} value={`s:${s.id}`} aria-keyshortcuts={sessionShortcut(i)}>
                  <span className={styles.tabLabel}>
                    <span className={styles.tabName}>
                      <ClippedName name={s.title} />
                      {s.unreadCount ? (
                        <>
                          {' '}
                          <span data-testid="unread-count" aria-hidden>
                            <CounterBadge
                              count={s.unreadCount}
                              overflowCount={99}
                              size="small"
                              color="danger"
                            />
                          </span>
                          <span className={styles.srOnly}>
                            , {s.unreadCount} new {s.unreadCount === 1 ? 'message' : 'messages'}
                          </span>
                        </>
                      ) : (
                        s.unread && (
                          <>
                            {' '}
                            <Badge size="tiny" color="danger" aria-hidden />
                            <span className={styles.srOnly}>, new</span>
                          </>
                        )
                      )}
                      {s.alert && (
                        <>
                          {' '}
                          <Badge size="small" color="danger" appearance="tint">
                            Alert
                          </Badge>
                          <span className={styles.srOnly}>: sentiment alert</span>
                        </>
                      )}
                    </span>
                    {sessionSubtitle(s) && (
                      <Text size={100} data-testid="session-subtitle">
                        {sessionSubtitle(s)}
                      </Text>
                    )}
                    {/* High contrast: a hovered or selected entry's text turns dark on a bright
                        background, and these lines with it. */}
                    {s.customerAwaySince && (
                      <CustomerAway since={s.customerAwaySince} inList followText={contrast} />
                    )}
                    {s.awaitingSince && <ReplyWait since={s.awaitingSince} followText={contrast} />}
                  </span>
                </Tab>
              ))}
            </TabList>
          </nav>
          <main className={styles.main}>
            <section
              className={mergeClasses(styles.panel, view !== 'dashboard' && styles.hidden)}
              aria-label="Dashboard"
              ref={(el) =>
                void (el ? panels.current.set('dashboard', el) : panels.current.delete('dashboard'))
              }
            >
              <Dashboard active={view === 'dashboard'} />
            </section>
            {isSupervisor && supervisorVisited && (
              <section
                className={mergeClasses(styles.panel, view !== 'supervisor' && styles.hidden)}
                style={toastsHeight ? { bottom: toastsHeight } : undefined}
                aria-label="Supervisor"
                ref={(el) =>
                  void (el ? panels.current.set('supervisor', el) : panels.current.delete('supervisor'))
                }
              >
                <Suspense fallback={<Spinner label="Loading the supervisor views…" />}>
                  <SupervisorView active={view === 'supervisor'} />
                </Suspense>
              </section>
            )}
            {sessions.map((s) => (
              <section
                key={s.id}
                className={mergeClasses(styles.panel, view !== `s:${s.id}` && styles.hidden)}
                aria-label={`Session with ${s.title}`}
                ref={(el) =>
                  void (el ? panels.current.set(`s:${s.id}`, el) : panels.current.delete(`s:${s.id}`))
                }
              >
                <SessionView
                  conversationId={s.id}
                  mode={s.mode}
                  active={view === `s:${s.id}`}
                  focusToken={s.focusToken}
                  // The same two for every session (memo): a change of one session renders only it.
                  onTitle={setTitle}
                  onMarks={setMarks}
                />
              </section>
            ))}
          </main>
        </div>
        <OfferToasts
          offers={offers}
          onFocusLost={focusView}
          onGone={(offerId) => setOffers((cur) => cur.filter((o) => o.offerId !== offerId))}
        >
          {consultAsks.map((id) => (
            <ConsultToast
              key={id}
              conversationId={id}
              customer={sessions.find((s) => s.id === id)?.title ?? 'a customer'}
              onOpen={() => setView(`s:${id}`)}
              onLater={() => {
                consultsAnswered(me.id).add(id);
                setConsultAsks((cur) => cur.filter((x) => x !== id));
              }}
            />
          ))}
        </OfferToasts>
        <div className={styles.srOnly} role="status" aria-live="polite">
          {announcement}
        </div>
        {checkingSignOut && props.onSignOut && (
          <Suspense fallback={null}>
            <SignOutCheck
              chats={ownChats.map((s) => ({ id: s.id, customer: s.title, status: s.status }))}
              onOpen={(id) => {
                setCheckingSignOut(false);
                openSession(id);
              }}
              onCancel={() => {
                backToSignOut.current = true;
                setCheckingSignOut(false);
              }}
              onSignOut={() => {
                setCheckingSignOut(false);
                void signOut(props.onSignOut!);
              }}
            />
          </Suspense>
        )}
      </div>
    </WorkspaceContext.Provider>
  );
}

/** Focus on the page itself: nothing (a control that went away, a page just drawn) has it. */
function nothingFocused(): boolean {
  return !document.activeElement || document.activeElement === document.body;
}

/**
 * What the session list says under a customer's name: the part this agent has when it is not their
 * own chat, the queue, and the state when it is not simply live ("Wrap-up" tells two of a name apart).
 */
function sessionSubtitle(s: OpenSession): string {
  const part = s.mode === 'consult' ? 'Consult' : s.mode === 'monitor' ? 'Monitoring' : undefined;
  const state = s.status && s.status !== 'active' ? titleCase(s.status) : undefined;
  return [part, s.queueName, state].filter(Boolean).join(' · ');
}

function restored(item: SessionItem): OpenSession {
  return {
    id: item.id,
    mode: item.mode,
    title: item.customerName ?? 'Conversation',
    queueName: item.queueName,
    unread: false,
  };
}

function mergeOffers(cur: Offer[], more: Offer[]): Offer[] {
  const byId = new Map(cur.map((o) => [o.offerId, o]));
  for (const o of more) byId.set(o.offerId, { ...byId.get(o.offerId), ...o });
  return [...byId.values()];
}
