/**
 * Tokens that verified, remembered by their exact text with the window in which they are valid.
 * A client presents the same bearer token on every request until it refreshes, and checking a
 * signature (HMAC through WebCrypto, RSA for Entra's) costs more than the rest of a small request's
 * authentication; the same string verifies the same way until it expires, so only the clock is
 * checked again. A token that failed is never remembered: it is checked in full each time.
 */
export class VerifiedTokens<T extends object> {
  private readonly entries = new Map<string, { value: T; from: number; until: number }>();

  /** `capacity`: tokens remembered at most; the oldest remembered goes first. */
  constructor(private readonly capacity = 10_000) {}

  /** What `token` verified to, if it did and `nowSeconds` is in its window [from, until). */
  get(token: string, nowSeconds: number): T | undefined {
    const known = this.entries.get(token);
    if (!known) return undefined;
    if (known.from <= nowSeconds && nowSeconds < known.until) return { ...known.value };
    this.entries.delete(token);
    return undefined;
  }

  /** Remembers what `token` verified to, valid from `from` until (not including) `until`, in seconds. */
  remember(token: string, value: T, window: { from: number; until: number }): void {
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { value: { ...value }, ...window });
  }
}
