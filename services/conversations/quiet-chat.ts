import type { Workstream } from '../domain/index.js';

/**
 * When a chat the customer stopped writing in ends by itself. Two rules, both measured from the
 * customer's last message:
 * - a customer who confirmed the bot's answer and stays quiet for `resolveAfterMinutes` is done: the
 *   bot closes the conversation as resolved (after asking for a rating);
 * - a customer still with the bot (not queued, not with an agent) who says nothing for the work
 *   stream's inactivity time has left: the conversation closes as abandoned, and the chat says why.
 * Queued customers and conversations with an agent are never closed for quietness here.
 */
export interface QuietChatPolicy {
  resolveAfterMinutes: number;
  /** Used when no work stream serves the conversation's channel. */
  defaultInactivityMinutes: number;
}

export const DEFAULT_QUIET_CHAT_POLICY: QuietChatPolicy = {
  resolveAfterMinutes: 5,
  defaultInactivityMinutes: 30,
};

/** Customers quiet for less than this are never looked at: the sweep runs every half minute. */
export const QUIET_CHAT_MIN_MINUTES = 1;

/**
 * How long a customer must have been quiet before the sweep looks at their chat at all: the
 * shortest inactivity time any conversation can have (any work stream's, or the policy's for a
 * channel none serves). A sweep that looked at every chat quiet for a minute read every customer who
 * left the bot in the last half hour, twice a minute, in one turn of the event loop (the soak: a
 * 475 ms stall by minute 9).
 */
export function quietCutoffMinutes(
  shortestWorkstreamMinutes: number | null,
  policy: QuietChatPolicy = DEFAULT_QUIET_CHAT_POLICY,
): number {
  return Math.max(
    QUIET_CHAT_MIN_MINUTES,
    Math.min(shortestWorkstreamMinutes ?? Infinity, policy.defaultInactivityMinutes),
  );
}

/** The inactivity time after which a customer still with the bot counts as gone. */
export function inactivityMinutes(
  workstream: Pick<Workstream, 'inactivityCloseMinutes'> | null,
  policy: QuietChatPolicy = DEFAULT_QUIET_CHAT_POLICY,
): number {
  return workstream?.inactivityCloseMinutes ?? policy.defaultInactivityMinutes;
}

/** Whether a customer still with the bot, quiet since `lastCustomerActivityAt`, has left by `now`. */
export function hasLeftQuietly(lastCustomerActivityAt: Date, minutes: number, now: Date): boolean {
  return now.getTime() - lastCustomerActivityAt.getTime() >= minutes * 60_000;
}

/** What the chat says when it closes for quietness. */
export function quietCloseNotice(minutes: number): string {
  return `This chat was closed after ${minutes} minutes without activity. Write again any time.`;
}

/** "3 minutes", "1 minute", "45 seconds": how long a customer was away, as the chat says it. */
export function awayDuration(seconds: number): string {
  if (seconds >= 60 && seconds % 60 === 0) {
    const minutes = seconds / 60;
    return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  }
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

/**
 * What the chat says when it ended because the customer's connection dropped and they did not come
 * back in time: they read it if they return to the page, and may write again.
 */
export function awayCloseNotice(seconds: number): string {
  return `You were disconnected for more than ${awayDuration(seconds)}, so this chat ended. Write again any time.`;
}
