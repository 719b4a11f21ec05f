/**
 * Which conversations have a customer activity on its way through the bot: from before it is
 * stored until the bot's turn for it is over. The stream holds what it would push for such a
 * conversation meanwhile (stream.ts), so the customer's own activity and the bot's answer to it go
 * out in one frame instead of two.
 */
export class TurnsUnderway {
  private readonly counts = new Map<string, number>();
  private readonly listeners = new Set<(conversationId: string) => void>();

  begin(conversationId: string): void {
    this.counts.set(conversationId, (this.counts.get(conversationId) ?? 0) + 1);
  }

  /** Once per `begin`; the last one tells the listeners the conversation has settled. */
  end(conversationId: string): void {
    const left = (this.counts.get(conversationId) ?? 1) - 1;
    if (left > 0) {
      this.counts.set(conversationId, left);
      return;
    }
    this.counts.delete(conversationId);
    for (const listener of this.listeners) listener(conversationId);
  }

  underway(conversationId: string): boolean {
    return this.counts.has(conversationId);
  }

  onSettled(listener: (conversationId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
