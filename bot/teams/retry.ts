// When to try a Bot Connector call again. Teams throttles bots per conversation and answers 429 with
// Retry-After; transient 5xx happen too. Backoff is exponential with jitter so many senders that failed
// together do not come back together.

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/** 429, 5xx other than "not implemented" / "version not supported", and no answer at all. */
export function isRetryable(status: number): boolean {
  return status === 0 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1). A server's Retry-After is a floor:
 * never earlier, plus up to 10% jitter; otherwise "equal jitter" exponential backoff.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | null,
  now: Date,
  random: () => number,
  policy: RetryPolicy = DEFAULT_RETRY,
): number {
  const asked = retryAfterMs(retryAfter, now);
  if (asked !== null) return Math.round(asked + asked * 0.1 * random());
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
