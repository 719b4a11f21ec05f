import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  ServerType,
} from 'mongodb';
import type { DomainError } from '../../domain/errors.js';
import { storeUnavailable } from '../port.js';

/** Socket errors the driver can pass on unwrapped (a write to a connection the server just closed: EPIPE). */
const SOCKET_ERRORS = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // A host name (or a mongodb+srv:// record) the resolver does not know, or cannot ask about now.
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Errors that say no server could be talked to, rather than that a request was wrong. */
function isUnreachable(e: unknown): e is Error {
  return (
    e instanceof MongoServerSelectionError ||
    e instanceof MongoNetworkError ||
    e instanceof MongoNotConnectedError ||
    e instanceof MongoTopologyClosedError ||
    (e instanceof Error && SOCKET_ERRORS.has(String((e as NodeJS.ErrnoException).code)))
  );
}

/** Server types that take writes; a replica set's secondaries alone do not. */
const WRITABLE = new Set<string>([
  ServerType.Standalone,
  ServerType.RSPrimary,
  ServerType.Mongos,
  ServerType.LoadBalancer,
]);

/** What the driver's monitor knows of the servers (its `topologyDescriptionChanged` event). */
export interface TopologyView {
  servers: Map<string, { type: string }>;
  error?: { message: string } | null;
}

/**
 * Whether the database answers, as the latest operation or the driver's monitor found it. While it
 * does not, operations are refused with `store.unavailable` (503) rather than a 500, and
 * `GET /api/health` answers 503 with the reason; the driver keeps trying, and the first operation
 * that gets through, or the monitor finding a server that takes writes, clears it. (Heartbeats alone
 * would not do: in a replica set a secondary that is down fails its own while the primary serves.)
 */
export class Reachability {
  private lost: DomainError | null = null;

  /** Why the database cannot be reached, or null. */
  get failure(): DomainError | null {
    return this.lost;
  }

  /** An operation got through. */
  reached(): void {
    this.lost = null;
  }

  /** The monitor's view changed: reachable while some server takes writes. */
  observe(topology: TopologyView): void {
    for (const server of topology.servers.values()) {
      if (WRITABLE.has(server.type)) return this.reached();
    }
    this.lose(topology.error?.message ?? 'no server that takes writes is known');
  }

  /** The error to throw for `e`: a 503 refusal, remembered, when the database was out of reach. */
  refusal(e: unknown): unknown {
    if (!isUnreachable(e)) return e;
    return this.lose(e.message, e);
  }

  private lose(why: string, cause?: unknown): DomainError {
    this.lost = storeUnavailable(`The database cannot be reached: ${why}`, cause);
    return this.lost;
  }
}
