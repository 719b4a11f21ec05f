/**
 * Which customers have gone: a conversation whose every stream closed and whose client has not been
 * back since (no new stream, no request) for the away time. A page reload, a phone switching
 * networks or a token refresh reconnects within seconds; a customer who closed the tab never does,
 * and without this the agent would wait on them, holding the chat's capacity, until they gave up.
 *
 * Before that, a customer quiet for the (shorter) disconnected time has lost their connection: the
 * agent is shown it while it lasts, so they know why no answer comes, and is shown it is over when
 * the customer is back.
 *
 * Only conversations that opened a stream are watched: a client that only ever polls (a script
 * over REST, a person with curl) says nothing by being quiet, so it is never taken for gone. Once
 * watched, any request counts as being there, so a client that fell back to polling stays.
 *
 * Per process, like the streams themselves; a restart drops every stream, so the channel hands the
 * customers watched before it to `watchRecovered`, and they are waited for again from then.
 */
export class StreamAbsence {
  /** `now` in milliseconds; read only when a customer's stream closes, or they are watched. */
  constructor(private readonly now: () => number) {}

  private readonly open = new Map<string, number>();
  /** Watched conversations without a stream: since when nothing was heard of their client. */
  private readonly quietSince = new Map<string, number>();
  /** Conversations reported disconnected (`takeDisconnected`) and neither back nor gone since. */
  private readonly disconnected = new Set<string>();
  /** Watched before a restart: whether they were reported disconnected then is not known here. */
  private readonly unsure = new Set<string>();

  /** A stream opened. True when the customer may have been reported disconnected: they are back. */
  opened(conversationId: string): boolean {
    this.open.set(conversationId, (this.open.get(conversationId) ?? 0) + 1);
    this.quietSince.delete(conversationId);
    return this.back(conversationId);
  }

  /**
   * After a restart: these customers were watched when the process stopped. Those without a stream
   * yet are quiet from now; those already back are returned, since nobody here knows whether they
   * had been reported disconnected.
   */
  watchRecovered(conversationIds: Iterable<string>): string[] {
    const back: string[] = [];
    const now = this.now();
    for (const conversationId of conversationIds) {
      if (this.open.has(conversationId)) back.push(conversationId);
      else if (!this.quietSince.has(conversationId)) {
        this.quietSince.set(conversationId, now);
        this.unsure.add(conversationId);
      }
    }
    return back;
  }

  /** A stream closed; `watch: false` when the conversation ended, so nobody waits for its customer. */
  closed(conversationId: string, opts: { watch: boolean } = { watch: true }): void {
    const n = (this.open.get(conversationId) ?? 1) - 1;
    if (n > 0) {
      this.open.set(conversationId, n);
      return;
    }
    this.open.delete(conversationId);
    if (opts.watch) this.quietSince.set(conversationId, this.now());
  }

  /**
   * The client made a request (it polls, posts, refreshes its token): it is still there. True when
   * it had been reported disconnected: it is back.
   */
  heard(conversationId: string): boolean {
    if (!this.quietSince.has(conversationId)) return false;
    this.quietSince.set(conversationId, this.now());
    return this.back(conversationId);
  }

  private back(conversationId: string): boolean {
    const reported = this.disconnected.delete(conversationId);
    return this.unsure.delete(conversationId) || reported;
  }

  /**
   * Conversations quiet for `disconnectedMs` or more and not yet reported, each with when it went
   * quiet; each reported once until the customer is back.
   */
  takeDisconnected(disconnectedMs: number): { conversationId: string; since: number }[] {
    const now = this.now();
    const found: { conversationId: string; since: number }[] = [];
    for (const [conversationId, since] of this.quietSince) {
      if (now - since < disconnectedMs || this.disconnected.has(conversationId)) continue;
      this.disconnected.add(conversationId);
      this.unsure.delete(conversationId);
      found.push({ conversationId, since });
    }
    return found;
  }

  /** Conversations quiet for `awayMs` or more, each reported once. */
  takeGone(awayMs: number): string[] {
    const now = this.now();
    const gone: string[] = [];
    for (const [conversationId, since] of this.quietSince) {
      if (now - since < awayMs) continue;
      this.forget(conversationId);
      gone.push(conversationId);
    }
    return gone;
  }

  /** The conversation ended, or its customer is gone: nobody is waiting for them any more. */
  forget(conversationId: string): void {
    this.quietSince.delete(conversationId);
    this.disconnected.delete(conversationId);
    this.unsure.delete(conversationId);
  }
}
