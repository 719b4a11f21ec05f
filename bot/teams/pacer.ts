// Teams limits how fast a bot may write into one conversation (about 7 messages a second and 1,800
// an hour); beyond that it answers 429. The pacer hands out send slots per conversation that keep
// inside both windows, so throttling is the exception rather than the rule.

export interface PaceLimits {
  perSecond: number;
  perHour: number;
}

export const TEAMS_PACE: PaceLimits = { perSecond: 7, perHour: 1800 };

const SECOND = 1000;
const HOUR = 3_600_000;

export class Pacer {
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly limits: PaceLimits = TEAMS_PACE) {}

  /**
   * Reserves the earliest slot for `key` at or after `now` (epoch ms) that keeps both windows within
   * their limits, and returns how long to wait for it.
   */
  reserve(key: string, now: number): number {
    const times = (this.sent.get(key) ?? []).filter((t) => t > now - HOUR);
    let at = now;
    if (times.length >= this.limits.perSecond) {
      at = Math.max(at, times[times.length - this.limits.perSecond]! + SECOND);
    }
    if (times.length >= this.limits.perHour) {
      at = Math.max(at, times[times.length - this.limits.perHour]! + HOUR);
    }
    times.push(at);
    this.sent.set(key, times);
    return at - now;
  }

  /** Forgets conversations with no send in the last hour. */
  prune(now: number): void {
    for (const [key, times] of this.sent) {
      if ((times.at(-1) ?? 0) <= now - HOUR) this.sent.delete(key);
    }
  }
}
