import type {
  Author,
  Conversation,
  CustomPresence,
  HandoverNote,
  Deps,
  DomainEvent,
  StoredEvent,
} from '../domain/index.js';
import type { EventSource } from '../events/index.js';
import type { Presence } from '../presence/index.js';
import type { Repositories } from '../store/index.js';
import type { Scheduler } from './scheduler.js';

// The routing module's public types.

export interface QueueStatus {
  /** 1 = next to be served. */
  position: number;
  /** null while nobody who could take it is available: no estimate is honest then. */
  estimatedWaitSeconds: number | null;
}

/** What routing would do with a conversation handed over now (see `Router.preview`). */
export interface RoutePreview {
  /** The queue the item would wait in (after overflow transfers), or where an overflow rule ends it. */
  queueId: string;
  queueName: string;
  /** The queue the work stream's rules chose, before overflow. */
  classifiedQueueId: string;
  open: boolean;
  /** When `queueId` next takes work (now when open); null when it never opens. */
  opensAt: Date | null;
  timeZone?: string;
  /** null when routing would end the item or nobody is staffed. */
  estimatedWaitSeconds: number | null;
  /** Set when an overflow rule would end the item: which rule, and the message it would send. */
  ending?: { rule: 'closed' | 'size' | 'wait'; message: string };
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  msg: string;
  conversationId?: string;
  agentId?: string;
  [key: string]: unknown;
}

export interface RouterOptions {
  repos: Pick<Repositories, 'store' | 'conversations' | 'queues' | 'workstreams' | 'agents' | 'sessions'>;
  bus: {
    publish(event: DomainEvent): Promise<StoredEvent>;
    /** Several events in one append (the outbox batches with it when the bus has it). */
    publishAll?(events: DomainEvent[]): Promise<StoredEvent[]>;
    /** Routing follows the presences agents choose; without it, only dispatch and sweep route. */
    on?: EventSource['on'];
  };
  deps: Deps;
  scheduler?: Scheduler;
  log?: (entry: LogEntry) => void;
  presence?: Presence;
  customPresences?: CustomPresence[];
  /** How often the sweep runs (expired offers, leaked holds, index resync); 0 = only when called. */
  sweepIntervalMs?: number;
  /**
   * Whether each sweep re-reads the waiting items too (agents and configuration are always re-read).
   * Needed when other instances share the store, which only MongoDB allows: default true there,
   * false on the embedded store, where this process makes every routing change itself.
   */
  resyncWaiting?: boolean;
  /** A capacity hold older than this whose item is not with the agent is released by the sweep. */
  holdLeaseMs?: number;
  /** Decisions whose writes may be in flight at once; default 4 on the embedded store, 8 on MongoDB. */
  maxInFlight?: number;
  /** Measures each routing decision (choose + reserve + claim), in milliseconds. */
  onDecision?: (ms: number) => void;
}

/** Where a transfer goes, with the handing-on agent's note for the next one if they wrote one. */
export type TransferTarget = (
  { toAgentId: string; toQueueId?: undefined } | { toQueueId: string; toAgentId?: undefined }
) & { note?: HandoverNote };

export interface SweepReport {
  expiredOffers: number;
  releasedHolds: number;
  /** Waiting items moved or ended because their queue closed. */
  overflowed: number;
  waiting: number;
}

export interface Router {
  /** Classifies a conversation in `bot` status, applies overflow, queues it and routes it. Idempotent for `waiting`. */
  enqueue(conversationId: string, reason?: string): Promise<void>;
  /** Where `enqueue` would put the conversation now and whether an overflow rule would end it; changes nothing. */
  preview(conversationId: string): Promise<RoutePreview>;
  queueStatus(conversationId: string): Promise<QueueStatus | null>;
  accept(conversationId: string, agentId: string): Promise<Conversation>;
  reject(conversationId: string, agentId: string): Promise<Conversation>;
  /** An agent takes an Open (waiting) item themselves; races with offers are settled by the version. */
  pick(conversationId: string, agentId: string): Promise<Conversation>;
  transfer(conversationId: string, target: TransferTarget, byAgentId: string): Promise<Conversation>;
  /** `agentId`: only while the chat is still theirs (their own End: 409 once it moved on). */
  end(conversationId: string, by: Author, agentId?: string): Promise<Conversation>;
  endByCustomer(conversationId: string): Promise<void>;
  /** From wrap-up; from waiting or offered only by a supervisor (a force close: not an abandon). */
  close(conversationId: string, by: Author, disposition?: string): Promise<Conversation>;
  abandon(conversationId: string): Promise<void>;
  reopen(conversationId: string, agentId: string): Promise<Conversation>;
  /** Routes whatever waiting items can be placed now. */
  dispatch(): Promise<void>;
  sweep(): Promise<SweepReport>;
  /** Reloads queues, work streams, agents and waiting items from the store (after configuration changes). */
  reload(): Promise<void>;
  /** Another instance sharing the store published this event: follow it now, not at the next sweep (MongoDB only). */
  followRemote(event: StoredEvent): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly presence: Presence;
}
