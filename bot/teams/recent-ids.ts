/**
 * Activity ids seen lately. Teams re-delivers an activity it got no timely answer for, with the same
 * id; a second delivery must not act twice (a relayed message twice, a card twice).
 */
export class RecentIds {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly max = 10_000,
  ) {}

  /** True the first time a key is seen within the window; false for a repeat. */
  firstTime(key: string, now: number): boolean {
    const at = this.seen.get(key);
    if (at !== undefined && now - at < this.ttlMs) return false;
    this.seen.delete(key);
    this.seen.set(key, now);
    // Oldest first (insertion order): trim by age and size.
    for (const [k, t] of this.seen) {
      if (this.seen.size <= this.max && now - t < this.ttlMs) break;
      this.seen.delete(k);
    }
    return true;
  }
}
