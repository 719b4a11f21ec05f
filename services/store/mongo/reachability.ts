import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { DomainError } from '../../domain/errors.js';

/** Socket errors the driver can pass on unwrapped (a write to a connection the server just closed: EPIPE). */
const SOCKET_ERRORS = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
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

/**
 * Whether the database answers, as the latest operation or driver heartbeat found it. While it does
 * not, operations are refused with `store.unavailable` (503) rather than a 500, and
 * `GET /api/health` answers 503 with the reason; the driver keeps trying, and the first operation
 * or heartbeat that gets through clears it.
 */
export class Reachability {
  private lost: DomainError | null = null;

  /** Why the database cannot be reached, or null. */
  get failure(): DomainError | null {
    return this.lost;
  }

  /** An operation or heartbeat got through. */
  reached(): void {
    this.lost = null;
  }

  /** The error to throw for `e`: a 503 refusal, remembered, when the database was out of reach. */
  refusal(e: unknown): unknown {
    if (!isUnreachable(e)) return e;
    this.lost = new DomainError(
      'store.unavailable',
      `The database cannot be reached: ${e.message}`,
      'unavailable',
    );
    this.lost.cause = e;
    return this.lost;
  }
}
