import { describe, expect, it } from 'vitest';
import { LiveStream, streamUrl, type StreamOptions } from './stream.js';
import type { StreamEvent } from './types.js';

/** A WebSocket double: records the URLs asked for and lets the test drive open/message/close. */
class FakeSocket {
  static made: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  close(code = 1000) {
    this.onclose?.({ code });
  }
  frame(e: Partial<StreamEvent>) {
    this.onmessage?.({ data: JSON.stringify(e) });
  }
}

/** A stream on FakeSockets (none made yet) that reconnects at once. */
function onFakeSockets(extra: Partial<StreamOptions> = {}): LiveStream {
  FakeSocket.made = [];
  return new LiveStream({
    token: 'tok',
    origin: 'ws://h',
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    minDelay: 1,
    maxDelay: 1,
    ...extra,
  });
}

describe('live stream', () => {
  it('puts the token and the last seq in the URL', () => {
    expect(streamUrl('ws://h', 't k', 7)).toBe('ws://h/api/v1/stream?since=7&access_token=t+k');
    expect(streamUrl('ws://h', 't', undefined)).toBe('ws://h/api/v1/stream?access_token=t');
  });

  it('resumes from the last seq it applied, and applies a replayed frame once', async () => {
    const seen: number[] = [];
    const s = onFakeSockets();
    s.subscribe((e) => seen.push(e.seq));
    s.start();
    const first = FakeSocket.made[0]!;
    first.onopen?.();
    first.frame({ seq: 1, type: 'offer.created' });
    first.frame({ seq: 2, type: 'conversation.message' });
    first.onclose?.({ code: 1006 });
    await expect.poll(() => FakeSocket.made.length).toBe(2);
    const second = FakeSocket.made[1]!;
    expect(second.url).toContain('since=2');
    second.frame({ seq: 2, type: 'conversation.message' });
    second.frame({ seq: 3, type: 'offer.closed' });
    expect(seen).toEqual([1, 2, 3]);
    s.stop();
  });

  it('asks its owner to check the sign-in when the server turns it away, not when the line drops', async () => {
    let refused = 0;
    const s = onFakeSockets({ onRefused: () => refused++ });
    s.start();
    const live = FakeSocket.made[0]!;
    live.onopen?.();
    live.close(1006);
    expect(refused).toBe(0);
    await expect.poll(() => FakeSocket.made.length).toBe(2);
    FakeSocket.made[1]!.onopen?.();
    FakeSocket.made[1]!.close(4001);
    expect(refused).toBe(1);
    await expect.poll(() => FakeSocket.made.length).toBe(3);
    // Refused at the upgrade: the browser reports a close without an open.
    FakeSocket.made[2]!.close(1006);
    expect(refused).toBe(2);
    s.stop();
  });

  it("applies every frame of one event and the customer's typing, and a repeated frame once", () => {
    const s = new LiveStream({ token: 'tok', since: 4 });
    const seen: string[] = [];
    s.subscribe((e) => seen.push(`${e.seq} ${e.type}`));
    const accepted = { seq: 5, type: 'offer.closed', conversationId: 'c1', outcome: 'accepted' };
    expect(s.deliver(accepted)).toBe(true);
    // The same event's second frame for this user shares its seq.
    expect(s.deliver({ seq: 5, type: 'conversation.assigned', conversationId: 'c1' })).toBe(true);
    // Typing carries the stream's current seq, again and again.
    expect(s.deliver({ seq: 5, type: 'typing', conversationId: 'c1', author: 'customer' })).toBe(true);
    expect(s.deliver({ seq: 5, type: 'typing', conversationId: 'c1', author: 'customer' })).toBe(true);
    // A replay racing the live frames: the same frame again, and an older one.
    expect(s.deliver({ ...accepted })).toBe(false);
    expect(s.deliver({ seq: 4, type: 'conversation.message', conversationId: 'c1' })).toBe(false);
    expect(s.deliver({ seq: 6, type: 'offer.closed', conversationId: 'c1', outcome: 'accepted' })).toBe(true);
    expect(seen).toEqual([
      '5 offer.closed',
      '5 conversation.assigned',
      '5 typing',
      '5 typing',
      '6 offer.closed',
    ]);
  });
});
