import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Input,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useRefreshGate, useStreamEvents, useWorkspace } from '../context.js';
import { formatDuration, formatTime } from '../format.js';
import { BELOW_THREE_COLUMNS, useWideTableStyles } from '../layout.js';
import { problemText } from '../problem.js';
import type { Candidate, QueueRealtime, StreamEvent } from '../types.js';
import { Dismiss20Regular } from '@fluentui/react-icons';
import { bannersOf, type LiveAlert } from './alert-banners.js';
import { alertAbout, alertText } from './alert-words.js';
import { assignHint, assignees } from './assignees.js';
import type { BoardConversation } from './board-rows.js';
import { BoardClock, BoardRow, BoardTimes, type BoardAction } from './BoardRow.js';
import { oneReadAtATime } from './one-read-at-a-time.js';
import { Reachability } from './Reachability.js';

// The charting library (and d3) is its own chunk: the tables render while it loads.
const WallboardChart = lazy(() => import('./WallboardChart.js'));

const useStyles = makeStyles({
  // minmax(0, 1fr): a wide table scrolls within the column instead of widening it.
  root: {
    padding: '16px 24px',
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr)',
    gap: '16px',
    alignContent: 'start',
    [BELOW_THREE_COLUMNS]: { padding: '12px' },
  },
  h2: { margin: 0, fontSize: tokens.fontSizeBase500 },
  h3: { margin: 0, fontSize: tokens.fontSizeBase400 },
  alerts: { display: 'grid', gap: '6px', margin: 0, padding: 0, listStyleType: 'none' },
  // A customer's name typed without spaces breaks, rather than push the alert's buttons and the
  // dialog's out of sight.
  anyBreak: { overflowWrap: 'anywhere', minWidth: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
  chart: {
    minHeight: '300px',
    backgroundColor: tokens.colorNeutralBackground1,
    padding: '8px',
    borderRadius: tokens.borderRadiusMedium,
  },
  row: { display: 'flex', gap: '8px', alignItems: 'center' },
  definitions: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
    gap: '4px 16px',
    margin: 0,
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
    '& dt': { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground1 },
    '& dd': { margin: 0 },
  },
});

/**
 * The wallboard's columns, named for what they count, each with its definition (docs/agent-api.md,
 * "Supervisor"). An agent may be in more than one of the first three.
 */
const WALLBOARD_COLUMNS = [
  {
    metric: 'agentsAvailable',
    label: 'With room for a chat',
    definition:
      "Agents routing would offer this queue's next chat to now: opted in, in a presence that gets offers (Busy too, where allowed), with room. Some may be in a chat already. None while the queue is closed.",
  },
  {
    metric: 'agentsOnContact',
    label: 'In a live chat',
    definition: 'Agents of this queue with at least one active chat (in any queue).',
  },
  {
    metric: 'agentsAfterContactWork',
    label: 'Wrapping up',
    definition: 'Agents of this queue with a chat in wrap-up, whether or not others are still live.',
  },
  {
    metric: 'contactsInQueue',
    label: 'Customers waiting',
    definition: "This queue's chats waiting for an agent or offered to one and not yet accepted.",
  },
  {
    metric: 'oldestContactAgeSeconds',
    label: 'Longest wait',
    definition: 'How long the customer who has waited longest in this queue has waited so far.',
  },
] as const;

/** Banners shown before "Show N more alerts": the newest few; the rest are a click away. */
const FEW_BANNERS = 5;

export default function SupervisorView({ active }: { active: boolean }) {
  const styles = useStyles();
  const wide = useWideTableStyles();
  const { api, me, openSession, announce } = useWorkspace();
  const [conversations, setConversations] = useState<BoardConversation[] | null>(null);
  const [total, setTotal] = useState(0);
  const [realtime, setRealtime] = useState<QueueRealtime[] | null>(null);
  // One banner per conversation, built from the board's rows and the live frames since its last read.
  const [live, setLive] = useState<ReadonlyMap<string, LiveAlert>>(new Map());
  const [dismissed, setDismissed] = useState<ReadonlyMap<string, string>>(new Map());
  const [allBanners, setAllBanners] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ kind: 'assign' | 'close'; c: BoardConversation } | null>(null);

  const [clock] = useState(() => new BoardClock());
  // One read at a time (one-read-at-a-time.ts): a thousand rows on a busy server can take longer
  // to read than the gate waits between reads.
  const load = useMemo(
    () =>
      oneReadAtATime(() => {
        const began = Date.now();
        return Promise.all([
          api.supervisorConversations().then(
            (r) => {
              clock.set(r.items);
              setConversations(r.items);
              setTotal(r.total);
              // The rows now say what the frames that came before this read said.
              setLive((cur) => {
                const kept = [...cur].filter(([, a]) => a.receivedAt >= began);
                return kept.length === cur.size ? cur : new Map(kept);
              });
            },
            (err: unknown) => setError((err as Error).message),
          ),
          api.realtime().then(setRealtime, (err: unknown) => setError((err as Error).message)),
        ]);
      }),
    [api, clock],
  );
  // Shown, the board follows its queues at most every two seconds; hidden, it waits to be shown.
  const gate = useRefreshGate(load, 2000, active);

  useEffect(() => {
    if (!active) return;
    // Waits and the oldest contact age grow with the clock, not only with events.
    const t = setInterval(() => gate.changed(), 5000);
    return () => clearInterval(t);
  }, [active, gate]);

  useStreamEvents((e: StreamEvent) => {
    if (e.type === 'alert' && typeof e.conversationId === 'string') {
      const about = alertAbout(e);
      const receivedAt = Date.now();
      setLive((cur) => new Map(cur).set(about.conversationId, { about, receivedAt }));
      announce(`Alert: ${alertText(about)}`);
    }
    if (
      e.type.startsWith('conversation.') ||
      e.type.startsWith('offer.') ||
      e.type === 'sentiment.changed' ||
      e.type === 'presence.changed' ||
      e.type === 'alert'
    ) {
      gate.changed();
    }
  });

  const rootRef = useRef<HTMLDivElement | null>(null);
  /** `ifLost`: only when the keyboard has nowhere to be (the row it was on has just gone). */
  const backToRow = (conversationId: string, ifLost = false) => {
    const root = rootRef.current;
    if (!root || (ifLost && document.activeElement && document.activeElement !== document.body)) return;
    const row = Array.from(root.querySelectorAll<HTMLElement>('tr[data-conversation]')).find(
      (r) => r.dataset.conversation === conversationId,
    );
    (
      row?.querySelector<HTMLElement>('button[aria-label^="Actions for"]') ??
      root.querySelector<HTMLElement>('#ongoing-title')
    )?.focus();
  };

  // A force-closed row leaves the board a refresh later, taking the focused button with it.
  const refocus = useRef<{ id: string; until: number } | null>(null);
  useEffect(() => {
    const r = refocus.current;
    if (!r || Date.now() > r.until) return;
    if (!conversations?.some((c) => c.id === r.id)) refocus.current = null;
    backToRow(r.id, true);
  }, [conversations]);

  const queueNameOf = useCallback(
    (c: BoardConversation) => c.queueName ?? realtime?.find((q) => q.queueId === c.queueId)?.queueName,
    [realtime],
  );
  const banners = useMemo(
    () =>
      bannersOf({
        rows: conversations,
        complete: conversations !== null && total <= conversations.length,
        live,
        dismissed,
        threshold: me.sentimentThreshold,
        meId: me.id,
        queueName: queueNameOf,
      }),
    [conversations, total, live, dismissed, me.sentimentThreshold, me.id, queueNameOf],
  );
  const shownBanners = allBanners ? banners : banners.slice(0, FEW_BANNERS);

  // What a refused action said stays until the next action, or until dismissed.
  const act = async (label: string, fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      announce(label);
      gate.now();
    } catch (err) {
      setError(problemText(err));
      gate.now();
    }
  };

  /** A row's menu: the latest handlers behind one function that never changes, so rows stay drawn. */
  const handle = (action: BoardAction, c: BoardConversation) => {
    const name = c.customerName ?? 'Customer';
    if (action === 'monitor') {
      void act(`Monitoring ${name}`, async () => {
        await api.monitor(c.id);
        openSession(c.id, { mode: 'monitor' });
      });
    } else if (action === 'consult') {
      void act(`Joined ${name} as a consultant`, async () => {
        await api.consult(c.id, me.id);
        openSession(c.id, { mode: 'consult' });
      });
    } else {
      setError(null);
      setDialog({ kind: action, c });
    }
  };
  const handleRef = useRef(handle);
  handleRef.current = handle;
  const onAction = useCallback(
    (action: BoardAction, c: BoardConversation) => handleRef.current(action, c),
    [],
  );

  return (
    <div className={styles.root} ref={rootRef}>
      <h2 className={styles.h2}>Supervisor</h2>
      <Reachability />
      {error && (
        <MessageBar intent="error" layout="multiline" data-testid="board-error">
          <MessageBarBody>{error}</MessageBarBody>
          <MessageBarActions
            containerAction={
              <Button
                appearance="transparent"
                icon={<Dismiss20Regular />}
                aria-label="Dismiss"
                onClick={() => setError(null)}
              />
            }
          />
        </MessageBar>
      )}
      {banners.length > 0 && (
        <ul className={styles.alerts} aria-label="Alerts">
          {shownBanners.map((a) => {
            const row = conversations?.find((c) => c.id === a.conversationId);
            const mine = a.recipientRole === 'agent' || row?.agentId === me.id;
            const dismiss = () =>
              setDismissed((cur) => new Map(cur).set(a.conversationId, a.at ?? new Date().toISOString()));
            return (
              <li key={a.conversationId} data-alert={a.conversationId}>
                <MessageBar intent="warning" layout="multiline">
                  <MessageBarBody className={styles.anyBreak}>
                    <MessageBarTitle>Sentiment alert</MessageBarTitle>
                    {alertText(a)}
                    {a.count > 1 ? ` (${a.count} alerts)` : ''}
                    {a.at ? `, at ${formatTime(a.at)}` : ''}
                  </MessageBarBody>
                  <MessageBarActions
                    containerAction={
                      <Button
                        appearance="transparent"
                        icon={<Dismiss20Regular />}
                        aria-label={`Dismiss the alert about ${a.customerName}`}
                        onClick={dismiss}
                      />
                    }
                  >
                    <Button
                      size="small"
                      onClick={() =>
                        void act(
                          mine ? `Opened ${a.customerName}` : `Monitoring ${a.customerName}`,
                          async () => {
                            if (!mine) await api.monitor(a.conversationId);
                            openSession(a.conversationId, mine ? undefined : { mode: 'monitor' });
                            dismiss();
                          },
                        )
                      }
                    >
                      {mine ? 'Open' : 'Monitor'}
                    </Button>
                  </MessageBarActions>
                </MessageBar>
              </li>
            );
          })}
          {banners.length > FEW_BANNERS && (
            <li>
              <Button appearance="subtle" aria-expanded={allBanners} onClick={() => setAllBanners((v) => !v)}>
                {allBanners
                  ? 'Show only the newest alerts'
                  : `and ${banners.length - FEW_BANNERS} more ${banners.length - FEW_BANNERS === 1 ? 'alert' : 'alerts'}: show all`}
              </Button>
            </li>
          )}
        </ul>
      )}
      <section aria-labelledby="ongoing-title">
        <h3 className={styles.h3} id="ongoing-title" tabIndex={-1}>
          Ongoing conversations
        </h3>
        {!conversations && !error && <Spinner size="small" label="Loading…" />}
        {conversations && conversations.length === 0 && (
          <Text className={styles.muted}>No ongoing conversations in your queues.</Text>
        )}
        {conversations && total > conversations.length && (
          <Text className={styles.muted} data-testid="board-shown">
            Showing the {conversations.filter((c) => c.status === 'waiting' || c.status === 'offered').length}{' '}
            longest waiting and the{' '}
            {conversations.filter((c) => c.status === 'active' || c.status === 'wrap-up').length} handled
            conversations to look at first (negative sentiment first), of {total.toLocaleString()} ongoing.
          </Text>
        )}
        {conversations && conversations.length > 0 && (
          <div className={wide.scroller}>
            <Table aria-labelledby="ongoing-title" size="small" className={wide.table}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Customer</TableHeaderCell>
                  <TableHeaderCell>Status</TableHeaderCell>
                  <TableHeaderCell>Channel</TableHeaderCell>
                  <TableHeaderCell>Queue</TableHeaderCell>
                  <TableHeaderCell>Agent</TableHeaderCell>
                  <TableHeaderCell>Wait time</TableHeaderCell>
                  <TableHeaderCell>Handle time</TableHeaderCell>
                  <TableHeaderCell title="Since the customer began the chat: a transfer or an assignment does not start it again">
                    In conversation
                  </TableHeaderCell>
                  <TableHeaderCell>Sentiment</TableHeaderCell>
                  <TableHeaderCell>Alerts</TableHeaderCell>
                  <TableHeaderCell>
                    <span>Actions</span>
                  </TableHeaderCell>
                </TableRow>
              </TableHeader>
              <BoardTimes.Provider value={clock}>
                <TableBody>
                  {conversations.map((c) => (
                    <BoardRow
                      key={c.id}
                      c={c}
                      queueName={queueNameOf(c) ?? c.queueId}
                      meId={me.id}
                      onAction={onAction}
                    />
                  ))}
                </TableBody>
              </BoardTimes.Provider>
            </Table>
          </div>
        )}
      </section>
      <section aria-labelledby="wallboard-title">
        <h3 className={styles.h3} id="wallboard-title">
          Real-time wallboard
        </h3>
        {/* Nothing inside takes focus, so the scroller does: a keyboard can scroll it when narrow. */}
        {realtime && (
          <div className={wide.scroller} tabIndex={0} role="group" aria-label="Wallboard figures">
            <Table
              aria-labelledby="wallboard-title"
              size="small"
              className={wide.table}
              data-testid="wallboard"
            >
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Queue</TableHeaderCell>
                  {WALLBOARD_COLUMNS.map((col) => (
                    <TableHeaderCell key={col.metric} title={col.definition}>
                      {col.label}
                    </TableHeaderCell>
                  ))}
                </TableRow>
              </TableHeader>
              <TableBody>
                {realtime.map((q) => (
                  <TableRow
                    key={q.queueId}
                    data-queue={q.queueName ?? q.queueId}
                    data-open={q.open === false ? 'false' : undefined}
                  >
                    <TableCell>
                      <span className={styles.row}>
                        {q.queueName ?? q.queueId}
                        {q.open === false && (
                          <Badge appearance="tint" color="subtle">
                            Closed
                          </Badge>
                        )}
                      </span>
                    </TableCell>
                    <TableCell data-metric="agentsAvailable">{q.agentsAvailable}</TableCell>
                    <TableCell data-metric="agentsOnContact">{q.agentsOnContact}</TableCell>
                    <TableCell data-metric="agentsAfterContactWork">{q.agentsAfterContactWork}</TableCell>
                    <TableCell data-metric="contactsInQueue">{q.contactsInQueue}</TableCell>
                    <TableCell data-metric="oldestContactAgeSeconds">
                      {formatDuration(q.oldestContactAgeSeconds)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
        {realtime && (
          <dl className={styles.definitions} aria-label="What the wallboard counts">
            {WALLBOARD_COLUMNS.map((col) => (
              <div key={col.metric}>
                <dt>{col.label}</dt>
                <dd>{col.definition}</dd>
              </div>
            ))}
          </dl>
        )}
        <div className={styles.chart}>
          <Suspense fallback={<Spinner size="small" label="Loading charts…" />}>
            {realtime && <WallboardChart data={realtime} />}
          </Suspense>
        </div>
      </section>
      {dialog && (
        <ActionDialog
          kind={dialog.kind}
          conversation={dialog.c}
          onDone={(label, fn) => {
            const id = dialog.c.id;
            setDialog(null);
            // The dialog opened from a menu that is gone: the keyboard goes back to the row's
            // Actions button (or, once the row has left the board, to the board's heading).
            requestAnimationFrame(() => backToRow(id));
            if (fn) {
              refocus.current = { id, until: Date.now() + 10_000 };
              void act(label, fn);
            }
          }}
        />
      )}
    </div>
  );
}

function ActionDialog(props: {
  kind: 'assign' | 'close';
  conversation: BoardConversation;
  onDone: (label: string, fn?: () => Promise<unknown>) => void;
}) {
  const styles = useStyles();
  const { api } = useWorkspace();
  const [people, setPeople] = useState<Candidate[] | null>(null);
  const [agentId, setAgentId] = useState('');
  const [reason, setReason] = useState('');
  const name = props.conversation.customerName ?? 'this customer';
  const cid = props.conversation.id;
  useEffect(() => {
    if (props.kind === 'assign') api.candidates(cid, 'assign').then(setPeople, () => setPeople([]));
  }, [api, props.kind, cid]);
  const forceClose = () =>
    props.onDone(`Closed ${name}`, () => api.forceClose(cid, reason.trim() || undefined));

  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && props.onDone('')}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle className={styles.anyBreak}>
            {props.kind === 'assign' ? `Assign ${name}` : `Force close ${name}?`}
          </DialogTitle>
          <DialogContent>
            {props.kind === 'assign' ? (
              <Field label="Agent" hint={assignHint(props.conversation)}>
                <Select value={agentId} onChange={(_, d) => setAgentId(d.value)}>
                  <option value="">{people ? 'Choose an agent…' : 'Loading…'}</option>
                  {assignees(people ?? []).map((group) => (
                    <optgroup key={group.label} label={group.label}>
                      {group.people.map((p) => (
                        <option key={p.id} value={p.id} disabled={!p.eligible}>
                          {p.text}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </Select>
              </Field>
            ) : (
              // A form, so Enter in the reason submits as the Force close button does.
              <form
                id="force-close-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  forceClose();
                }}
              >
                <Field label="Reason (optional)">
                  <Input value={reason} onChange={(_, d) => setReason(d.value)} dir="auto" />
                </Field>
              </form>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => props.onDone('')}>Cancel</Button>
            {props.kind === 'assign' ? (
              <Button
                appearance="primary"
                disabled={!agentId}
                onClick={() => props.onDone(`Assigned ${name}`, () => api.assign(cid, agentId))}
              >
                Assign
              </Button>
            ) : (
              <Button appearance="primary" type="submit" form="force-close-form">
                Force close
              </Button>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
