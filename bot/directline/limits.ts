import type { Rate } from '../guards.js';

/**
 * What one address, one conversation and one token may do on the channel (README, Security). Sized
 * for people chatting: a customer types a message every few seconds, the widget sends typing at most
 * every 3 s and refreshes its token every 15 minutes; an office behind one address starts a few chats
 * a minute. Past a rate: 429 with `Retry-After`, which Direct Line clients wait out.
 */
export interface DirectLineLimits {
  /** Every Direct Line and widget-token request from one address. */
  requestsPerIp: Rate;
  /** Widget tokens (each a new conversation) from one address. */
  widgetTokensPerIp: Rate;
  /** Tokens minted with the Direct Line secret from one address (a site's server). */
  secretTokensPerIp: Rate;
  /** Activities (messages, events, typing) posted into one conversation. */
  activitiesPerConversation: Rate;
  /** Token refreshes and reconnects of one conversation. */
  tokenCallsPerConversation: Rate;
  /** WebSocket upgrade attempts from one address. */
  streamOpensPerIp: Rate;
  /** Streams open at once with one token, and for one conversation. */
  streamsPerToken: number;
  streamsPerConversation: number;
  /** Channel activities are kept this long; the transcript stays in the conversation record. */
  retentionMs: number;
  /** A conversation still going after this long is dropped from the channel too. */
  maxConversationAgeMs: number;
  /**
   * While the bot works on a customer's activity, how long an activity on the stream waits for the
   * next one to share its frame with (stream.ts); it never waits beyond the bot's turn.
   */
  streamHoldMs: number;
  /**
   * A customer whose streams all closed and who is not back within this long has left (absence.ts):
   * the bot hears it as a member removed, and a chat with an agent goes to wrap-up, as a queued or
   * bot chat closes. Three minutes, as contact centres commonly give a dropped chat to reconnect.
   */
  customerAwayMs: number;
  /**
   * Before that, a customer whose streams have all been closed this long is shown to the agent as
   * disconnected until they are back: long enough for a page reload or a phone switching networks to
   * pass unseen.
   */
  customerDisconnectedMs: number;
  /**
   * Every stream is pinged this often (a WebSocket ping, and an empty text frame as Azure's streams
   * send); one whose pong has not come by the next ping is dropped. A phone that lost its signal
   * leaves a socket half-open that no close event ever ends: without this the away rules above never
   * start for that customer, and their agent's capacity stays held until the token expires.
   */
  streamHeartbeatMs: number;
  /**
   * Instances sharing a database (MongoDB) say every quarter of this that they live. Customer
   * activities an instance acknowledged and had not delivered to the bot when it went silent this
   * long are delivered by another; a live instance's are never taken, however long its turns take.
   */
  instanceGraceMs: number;
}

const HOUR = 3_600_000;

export const DEFAULT_LIMITS: DirectLineLimits = {
  requestsPerIp: { points: 1200, seconds: 60 },
  widgetTokensPerIp: { points: 30, seconds: 600 },
  secretTokensPerIp: { points: 600, seconds: 60 },
  activitiesPerConversation: { points: 60, seconds: 60 },
  tokenCallsPerConversation: { points: 30, seconds: 60 },
  streamOpensPerIp: { points: 120, seconds: 60 },
  streamsPerToken: 3,
  streamsPerConversation: 10,
  retentionMs: 24 * HOUR,
  maxConversationAgeMs: 7 * 24 * HOUR,
  streamHoldMs: 100,
  customerAwayMs: 3 * 60_000,
  customerDisconnectedMs: 15_000,
  streamHeartbeatMs: 15_000,
  instanceGraceMs: 10_000,
};
