import {
  Badge,
  Button,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  TableCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { createContext, memo, useContext, useSyncExternalStore } from 'react';
import { ClippedName } from '../ClippedName.js';
import { CustomerAway } from '../CustomerAway.js';
import { channelLabel, formatDuration, formatTime, titleCase } from '../format.js';
import { SentimentBadge } from '../SentimentBadge.js';
import { ReplyWait } from '../ReplyWait.js';
import { agentAway, sameRow, type BoardConversation, type ClockField } from './board-rows.js';

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground2 },
  alertCell: { display: 'grid', gap: '2px', justifyItems: 'start' },
  stacked: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: '2px' },
  // A name typed without spaces would widen the board past its Actions column.
  name: { maxWidth: '24ch' },
  longWait: { backgroundColor: tokens.colorStatusDangerBackground1 },
});

export type BoardAction = 'monitor' | 'consult' | 'assign' | 'close';

/**
 * The board's wait and handle times. They change on every read of every live row, so their cells
 * follow them on their own (each re-renders when its own figure changed) while the rest of a row
 * draws only when what it shows changed. One clock per board, handed down unchanged.
 */
export class BoardClock {
  private rows = new Map<string, BoardConversation>();
  private readonly listeners = new Set<() => void>();

  /** The rows of a new read; the cells whose figure changed draw again. */
  set(rows: readonly BoardConversation[]): void {
    this.rows = new Map(rows.map((c) => [c.id, c]));
    for (const l of this.listeners) l();
  }

  seconds(id: string, field: ClockField): number | null {
    return this.rows.get(id)?.[field] ?? null;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

export const BoardTimes = createContext<BoardClock>(new BoardClock());

function Seconds({ id, field }: { id: string; field: ClockField }) {
  const clock = useContext(BoardTimes);
  const value = useSyncExternalStore(clock.subscribe, () => clock.seconds(id, field));
  return <>{value == null ? '—' : formatDuration(value)}</>;
}

interface BoardRowProps {
  c: BoardConversation;
  queueName: string | undefined;
  meId: string;
  /** The same function for every row and every render (SupervisorView keeps it so). */
  onAction: (action: BoardAction, c: BoardConversation) => void;
}

function BoardRowView({ c, queueName, meId, onAction }: BoardRowProps) {
  const styles = useStyles();
  const name = c.customerName ?? 'Customer';
  const agentName = c.agentName ?? (c.agentId ? c.agentId : 'Unassigned');
  const away = agentAway(c);
  // Only a conversation someone is working can be joined; only a waiting or active one can be
  // given to someone else (the conversation's state machine).
  const joinable = c.status === 'active' || c.status === 'wrap-up';
  return (
    <TableRow
      data-conversation={c.id}
      data-long-wait={c.longWait ?? undefined}
      className={c.longWait ? styles.longWait : undefined}
    >
      <TableCell>
        <span className={styles.stacked}>
          <ClippedName name={name} className={styles.name} />
          {c.customerAwaySince && <CustomerAway since={c.customerAwaySince} inList />}
        </span>
      </TableCell>
      <TableCell>{titleCase(c.status)}</TableCell>
      <TableCell>{c.channel ? channelLabel(c.channel) : '—'}</TableCell>
      <TableCell>{queueName ?? '—'}</TableCell>
      <TableCell>
        <span className={styles.stacked}>
          {agentName}
          {/* Signed out or stepped away with the chat still open: nobody is answering it. */}
          {away && (
            <Badge
              appearance="tint"
              color={c.agentPresence === 'offline' ? 'danger' : 'warning'}
              data-testid="agent-away"
              title={`${agentName} is ${away} with this chat still open`}
            >
              {away}
            </Badge>
          )}
        </span>
      </TableCell>
      <TableCell data-metric="wait">
        <span className={styles.stacked}>
          <Seconds id={c.id} field="waitingSeconds" />
          {c.awaitingReplySince && <ReplyWait since={c.awaitingReplySince} />}
          {c.longWait && (
            <Badge appearance="filled" color="danger" data-testid="long-wait">
              {c.longWait === 'queue' ? 'Long wait in queue' : 'Long wait for a reply'}
            </Badge>
          )}
        </span>
      </TableCell>
      <TableCell data-metric="handle">
        <Seconds id={c.id} field="handleSeconds" />
      </TableCell>
      <TableCell data-metric="in-conversation">
        <Seconds id={c.id} field="conversationSeconds" />
      </TableCell>
      <TableCell>
        <SentimentBadge value={c.sentiment} />
      </TableCell>
      <TableCell>
        {c.alerts ? (
          <span className={styles.alertCell} data-testid="row-alerts">
            <Badge color="danger" appearance="filled">
              {c.alerts === 1 ? '1 alert' : `${c.alerts} alerts`}
            </Badge>
            {/* What it was, for a supervisor who was elsewhere when it came. */}
            {c.lastAlert && (
              <Text size={200} className={styles.muted}>
                {c.alerts === 1 ? '' : 'Latest: '}
                {titleCase(c.lastAlert.level)} at {formatTime(c.lastAlert.at)}
              </Text>
            )}
          </span>
        ) : (
          <span className={styles.muted}>None</span>
        )}
      </TableCell>
      <TableCell>
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button size="small" aria-label={`Actions for ${name}`}>
              Actions
            </Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem disabled={!joinable} onClick={() => onAction('monitor', c)}>
                Monitor
              </MenuItem>
              <MenuItem
                disabled={!joinable || !c.agentId || c.agentId === meId}
                onClick={() => onAction('consult', c)}
              >
                Consult
              </MenuItem>
              <MenuItem
                disabled={c.status !== 'waiting' && c.status !== 'active'}
                onClick={() => onAction('assign', c)}
              >
                Assign…
              </MenuItem>
              <MenuItem onClick={() => onAction('close', c)}>Force close…</MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
      </TableCell>
    </TableRow>
  );
}

/** One ongoing conversation on the board; drawn again only when what it shows changed. */
export const BoardRow = memo(
  BoardRowView,
  (a, b) =>
    sameRow(a.c, b.c) && a.queueName === b.queueName && a.meId === b.meId && a.onAction === b.onAction,
);
