/**
 * When a customer's queued turn starts. A turn waits for the event loop's check phase, so the
 * requests that arrived meanwhile are read and acknowledged first; the turns that waited through
 * the same I/O pass then start one per callback (each runs as far as it can before the next), and
 * the conversation whose previous turn ended longest ago goes first — a conversation with none
 * before all.
 *
 * The order the OS reports ready sockets in is not the order the requests arrived in: at load it
 * came back reversed on some passes, so a customer served first in one pass was served last in the
 * next and waited two passes for one answer. Ordering by the previous turn's end keeps each
 * conversation's place from pass to pass, and one whose request just missed a pass goes first in
 * the next instead of last again.
 */
export class TurnOrder {
  private readonly waiting: Array<{ since: number; start: () => void }> = [];
  /** When each conversation's last turn ended, on this object's clock; two generations, bounded. */
  private ended = new Map<string, number>();
  private endedBefore = new Map<string, number>();
  private clock = 0;

  constructor(private readonly rememberedConversations = 10_000) {}

  /** Resolves when the conversation's turn may start. */
  next(conversationId: string): Promise<void> {
    const since = this.ended.get(conversationId) ?? this.endedBefore.get(conversationId) ?? -1;
    return new Promise<void>((start) => {
      this.waiting.push({ since, start });
      setImmediate(this.startOne);
    });
  }

  /** The conversation's turn is over: its place in the next pass is counted from now. */
  end(conversationId: string): void {
    if (this.ended.size >= this.rememberedConversations) {
      // Forgotten conversations count as having waited longest, which they have.
      this.endedBefore = this.ended;
      this.ended = new Map();
    }
    this.ended.set(conversationId, ++this.clock);
  }

  /**
   * One callback per waiting turn, so the turns are as many callbacks apart as before. A scan finds
   * the first: the channel queues a conversation's turns one after another, so no more turns wait
   * than conversations are active.
   */
  private readonly startOne = (): void => {
    const { waiting } = this;
    if (waiting.length === 0) return;
    let first = 0;
    for (let i = 1; i < waiting.length; i++) if (waiting[i]!.since < waiting[first]!.since) first = i;
    const [turn] = waiting.splice(first, 1);
    turn!.start();
  };
}
