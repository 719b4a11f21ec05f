import {
  Button,
  Card,
  Caption1,
  MessageBar,
  MessageBarBody,
  Switch,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from './api.js';
import { ClippedName } from './ClippedName.js';
import { useRefreshGate, useStreamEvents, useWorkspace } from './context.js';
import { changesMyLoad, LIST_VIEWS, listsMoved, type Listed, type ListView } from './dashboard-events.js';
import { channelLabel, formatDateTime, formatDuration } from './format.js';
import { useWideTableStyles } from './layout.js';
import { SentimentBadge } from './SentimentBadge.js';
import type { WorkItem } from './types.js';

const STACKED = '@container (max-width: 1099.98px)';

const useStyles = makeStyles({
  root: {
    padding: '16px 24px',
    display: 'grid',
    gap: '16px',
    gridTemplateColumns: 'minmax(0, 1fr) 280px',
    // The work items' seven columns need about 800 px: below that beside the side cards, the cards
    // go under the list.
    [STACKED]: { gridTemplateColumns: 'minmax(0, 1fr)', padding: '12px' },
  },
  // The three list names wrap onto a second line rather than run under the side cards.
  tabs: { flexWrap: 'wrap' },
  // minmax(0, 1fr): a wide table scrolls within the column instead of widening it.
  main: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr)',
    gap: '12px',
    alignContent: 'start',
    minWidth: 0,
  },
  side: { display: 'grid', gap: '12px', alignContent: 'start' },
  counts: { display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: '12px' },
  count: { padding: '12px' },
  big: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, lineHeight: 1 },
  h2: { margin: 0, fontSize: tokens.fontSizeBase500 },
  h3: { margin: 0, fontSize: tokens.fontSizeBase400 },
  // A name typed without spaces would widen its column and push Pick or Open out of the table's view.
  name: { maxWidth: '24ch' },
  first: {
    display: 'block',
    maxWidth: '260px',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  empty: { padding: '12px', color: tokens.colorNeutralForeground2 },
  queues: { display: 'grid', gap: '4px', margin: 0, padding: 0, listStyleType: 'none' },
});

const LABELS: Record<ListView, string> = {
  mine: 'My work items',
  open: 'Open work items',
  closed: 'Closed in the last 24 hours',
};

/** Memo: the workspace renders on every session's change, the lists only when theirs do. */
export const Dashboard = memo(function Dashboard({ active }: { active: boolean }) {
  const styles = useStyles();
  const wide = useWideTableStyles();
  const { api, me, openSession, announce, refreshMe } = useWorkspace();
  const [view, setView] = useState<ListView>('mine');
  const [lists, setLists] = useState<Record<ListView, WorkItem[] | null>>({
    mine: null,
    open: null,
    closed: null,
  });
  const [totals, setTotals] = useState<Record<ListView, number | null>>({
    mine: null,
    open: null,
    closed: null,
  });
  const [error, setError] = useState<string | null>(null);
  /** Where the closed list goes on: it pages, last closed first. */
  const [closedMore, setClosedMore] = useState<string | undefined>();
  const [readingMore, setReadingMore] = useState(false);

  /** The lists a change moved since they were last read: all three at first. */
  const stale = useRef(new Set<ListView>(LIST_VIEWS));
  const shownList = useRef(view);
  shownList.current = view;
  const load = useCallback(() => {
    const want = stale.current;
    stale.current = new Set();
    const read = (v: ListView) =>
      api.workItems(v).then(
        ({ items, total, nextCursor }) => {
          setLists((cur) => ({ ...cur, [v]: items }));
          setTotals((cur) => ({ ...cur, [v]: total }));
          if (v === 'closed') setClosedMore(nextCursor);
        },
        (err: unknown) => setError((err as Error).message),
      );
    // The list on screen first; the others (their counts show) once it is in, so a busy moment
    // asks for one list at a time rather than all three at once.
    const first = want.has(shownList.current) ? read(shownList.current) : Promise.resolve();
    void first.then(() => [...want].filter((v) => v !== shownList.current).forEach((v) => void read(v)));
  }, [api]);
  /** The next page of the closed list, after the rows shown (a re-read starts from the top again). */
  const readMoreClosed = () => {
    if (!closedMore) return;
    setReadingMore(true);
    api
      .workItems('closed', closedMore)
      .then(
        ({ items, total, nextCursor }) => {
          setLists((cur) => {
            const shown = new Set((cur.closed ?? []).map((w) => w.id));
            return { ...cur, closed: [...(cur.closed ?? []), ...items.filter((w) => !shown.has(w.id))] };
          });
          setTotals((cur) => ({ ...cur, closed: total }));
          setClosedMore(nextCursor);
        },
        (err: unknown) => setError((err as Error).message),
      )
      .finally(() => setReadingMore(false));
  };
  // Shown, the lists follow the queues at most once a second; hidden, they wait to be shown.
  const gate = useRefreshGate(load, 1000, active);
  const refresh = (views: readonly ListView[]) => views.forEach((v) => stale.current.add(v));
  const listed = useMemo<Listed>(
    () => ({
      mine: new Set((lists.mine ?? []).map((w) => w.id)),
      open: new Set((lists.open ?? []).map((w) => w.id)),
      closed: new Set((lists.closed ?? []).map((w) => w.id)),
    }),
    [lists],
  );
  useStreamEvents((e) => {
    const moved = listsMoved(e, listed, me.id);
    if (moved.length > 0) {
      refresh(moved);
      gate.changed();
    }
    // At a peak, asking for my profile on every colleague's queue move was one request per agent
    // per move.
    if (changesMyLoad(e, me.id, listed.mine)) refreshMe();
  });

  /** `moves`: the lists the action changes, read again once it is done (or refused). */
  const act = async (
    label: string,
    fn: () => Promise<unknown>,
    moves: readonly ListView[],
    then?: () => void,
  ) => {
    try {
      await fn();
      announce(label);
      then?.();
      refresh(moves);
      gate.now();
      refreshMe();
    } catch (err) {
      const msg =
        err instanceof ApiError && err.status === 409
          ? 'Someone else took it first.'
          : (err as Error).message;
      setError(msg);
      announce(msg);
      refresh(moves);
      gate.now();
    }
  };

  const loaded = lists.mine !== null;
  useEffect(() => {
    if (loaded && performance.getEntriesByName('switchboard:dashboard-ready').length === 0)
      performance.mark('switchboard:dashboard-ready');
  }, [loaded]);

  const items = lists[view];
  return (
    <div className={styles.root}>
      <div className={styles.main}>
        <h2 className={styles.h2} tabIndex={-1}>
          Dashboard
        </h2>
        <div className={styles.counts}>
          {(['mine', 'open', 'closed'] as const).map((v) => (
            <Card key={v} className={styles.count}>
              <span className={styles.big} data-testid={`count-${v}`}>
                {totals[v]?.toLocaleString() ?? '…'}
              </span>
              <Caption1>{LABELS[v]}</Caption1>
            </Card>
          ))}
        </div>
        {error && (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        )}
        <TabList
          className={styles.tabs}
          selectedValue={view}
          onTabSelect={(_, d) => setView(d.value as ListView)}
          aria-label="Work item lists"
        >
          {(['mine', 'open', 'closed'] as const).map((v) => (
            <Tab key={v} value={v}>
              {LABELS[v]} ({totals[v]?.toLocaleString() ?? '…'})
            </Tab>
          ))}
        </TabList>
        <div role="tabpanel" aria-label={LABELS[view]}>
          {items && items.length === 0 && <Text className={styles.empty}>Nothing here right now.</Text>}
          {items && (totals[view] ?? 0) > items.length && (
            <Text className={styles.empty} data-testid="list-shown">
              Showing the {items.length.toLocaleString()}{' '}
              {view === 'closed' ? 'last closed' : 'longest waiting'} of {totals[view]!.toLocaleString()}.
            </Text>
          )}
          {items && items.length > 0 && (
            <div className={wide.scroller}>
              <Table aria-label={LABELS[view]} size="small" className={wide.table}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Customer</TableHeaderCell>
                    <TableHeaderCell>Queue</TableHeaderCell>
                    <TableHeaderCell>Channel</TableHeaderCell>
                    <TableHeaderCell>{view === 'closed' ? 'Closed' : 'Wait time'}</TableHeaderCell>
                    <TableHeaderCell>Sentiment</TableHeaderCell>
                    <TableHeaderCell>First message</TableHeaderCell>
                    <TableHeaderCell>
                      <span>Action</span>
                    </TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {items.map((w) => (
                    <TableRow key={w.id}>
                      <TableCell>
                        <ClippedName
                          name={w.customerName ?? w.customerId ?? 'Customer'}
                          className={styles.name}
                        />
                      </TableCell>
                      <TableCell>{w.queueName ?? '—'}</TableCell>
                      <TableCell>{w.channel ? channelLabel(w.channel) : '—'}</TableCell>
                      <TableCell>
                        {view === 'closed'
                          ? `${formatDateTime(w.lastActivityAt)}${w.disposition ? ` · ${w.disposition}` : ''}`
                          : formatDuration(w.waitingSeconds)}
                      </TableCell>
                      <TableCell>
                        <SentimentBadge value={w.sentiment} />
                      </TableCell>
                      <TableCell>
                        <span className={styles.first} title={w.firstMessage} dir="auto">
                          {w.firstMessage ?? w.subject ?? ''}
                        </span>
                      </TableCell>
                      <TableCell>
                        {view === 'mine' && (
                          <Button
                            size="small"
                            onClick={() => openSession(w.id)}
                            aria-label={`Open ${w.customerName ?? 'conversation'}`}
                          >
                            Open
                          </Button>
                        )}
                        {view === 'open' && (
                          <Button
                            size="small"
                            appearance="primary"
                            aria-label={`Pick ${w.customerName ?? 'conversation'}`}
                            onClick={() =>
                              void act(
                                `Picked ${w.customerName ?? 'the conversation'}`,
                                () => api.pick(w.id),
                                ['mine', 'open'],
                                () => openSession(w.id),
                              )
                            }
                          >
                            Pick
                          </Button>
                        )}
                        {/* A supervisor's force-close is not its agent's to undo (the server refuses it too). */}
                        {view === 'closed' && w.closedBy !== 'supervisor' && (
                          <Button
                            size="small"
                            aria-label={`Reopen ${w.customerName ?? 'conversation'}`}
                            onClick={() =>
                              void act(
                                `Reopened ${w.customerName ?? 'the conversation'}`,
                                () => api.reopen(w.id),
                                ['mine', 'closed'],
                                () => openSession(w.id),
                              )
                            }
                          >
                            Reopen
                          </Button>
                        )}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
          {view === 'closed' && closedMore && (
            <Button onClick={readMoreClosed} disabled={readingMore}>
              Show earlier closed
            </Button>
          )}
        </div>
      </div>
      <aside className={styles.side} aria-label="My capacity and queues">
        <Card>
          <h3 className={styles.h3}>Capacity</h3>
          <Text>
            {me.capacity?.used ?? 0} of {me.capacity?.total ?? 100} units in use
          </Text>
        </Card>
        <Card>
          <h3 className={styles.h3} id="my-queues">
            My queues
          </h3>
          <ul className={styles.queues} aria-labelledby="my-queues">
            {me.queues.map((q) => (
              <li key={q.id}>
                <Switch
                  checked={q.optedIn}
                  label={q.name}
                  onChange={(_, d) =>
                    void act(
                      `${d.checked ? 'Opted in to' : 'Opted out of'} ${q.name}`,
                      () => api.setQueueOptIn(q.id, d.checked),
                      ['open'],
                    )
                  }
                />
              </li>
            ))}
            {me.queues.length === 0 && <Text>You are in no queue.</Text>}
          </ul>
        </Card>
      </aside>
    </div>
  );
});
