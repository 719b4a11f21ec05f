/**
 * Conversations this process has just read as going on (they exist and have not ended), for about
 * a second. The bot answers a customer's activity within moments of the channel reading the
 * conversation for that activity's token check, and each answer read it again only to learn what
 * the first read had just said: one command per bot reply on MongoDB.
 *
 * Only the bot's side trusts it; a customer's token is checked against the store every time, so an
 * ended conversation's tokens stop at once on every instance. An end this process hears of is
 * forgotten at once; one on another instance can let the bot's answer be stored for up to two
 * windows after it — where no client can read it any more, since its tokens were revoked.
 *
 * Two generations of sets, swapped once a window has passed: an entry lives between one and two
 * windows, and memory holds only the conversations read in the last two.
 */
export class RecentlyOngoing {
  private current = new Set<string>();
  private previous = new Set<string>();
  private swappedAt: number;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.swappedAt = now();
  }

  /** The store has just said this conversation exists and goes on. */
  seen(conversationId: string): void {
    this.age();
    this.current.add(conversationId);
  }

  has(conversationId: string): boolean {
    this.age();
    return this.current.has(conversationId) || this.previous.has(conversationId);
  }

  /** It ended (or is gone): the next question goes to the store. */
  forget(conversationId: string): void {
    this.current.delete(conversationId);
    this.previous.delete(conversationId);
  }

  private age(): void {
    const now = this.now();
    const since = now - this.swappedAt;
    if (since < this.windowMs) return;
    // After two windows or more without a swap, the current set is as old as the previous one.
    this.previous = since < 2 * this.windowMs ? this.current : new Set();
    this.current = new Set();
    this.swappedAt = now;
  }
}
