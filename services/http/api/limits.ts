import type { Rate } from '../rate-limit.js';

/**
 * What one signed-in user, and one address, may do with the agent API and its live stream (README,
 * "Limits"; docs/decisions/0006-rate-limiting.md). Sized for people at work, with room to spare: an
 * agent sends a message every few seconds at most, the tab's typing signal goes every 3 s, its
 * supervisor view refreshes every 5 s and its first screen asks for a handful of lists at once. Past
 * a rate: 429 with `Retry-After` and the usual error body.
 */
export interface ApiLimits {
  /** Requests that change something (POST, PUT, PATCH, DELETE) by one user. */
  writesPerUser: Rate;
  /** Requests that read (GET) by one user. */
  readsPerUser: Rate;
  /**
   * Live streams open at once for one user: Teams on the desktop and on a phone, the workspace in a
   * browser tab or two, and one more for a reconnect that comes before the server has noticed its
   * dropped stream (a dead connection is found within two pings, 50 s).
   */
  streamsPerUser: number;
  /**
   * Live streams open at once from one address, and opened a minute from it. Behind a reverse proxy
   * or an office's NAT every agent shares one address: sized for a contact center, not a person.
   */
  streamsPerAddress: number;
  streamOpensPerAddress: Rate;
  /**
   * How far behind the head of the event log `since` may be and still be replayed in full (events of
   * the global log, every user's). A stream asked to resume from further back replays only the last
   * this many and starts with a `stream.resync` frame: the client reloads what it shows.
   */
  replayEvents: number;
  /**
   * How often an open stream re-reads its user (roles and queues decide what it hears; a user who
   * was removed has their streams closed). Changes made outside the server (an administrator, a
   * provisioning script, another instance) reach the streams within this long.
   */
  viewerRecheckMs: number;
}

export const DEFAULT_API_LIMITS: ApiLimits = {
  writesPerUser: { points: 600, seconds: 60 },
  readsPerUser: { points: 1200, seconds: 60 },
  streamsPerUser: 5,
  streamsPerAddress: 1000,
  streamOpensPerAddress: { points: 600, seconds: 60 },
  replayEvents: 5000,
  viewerRecheckMs: 5000,
};
