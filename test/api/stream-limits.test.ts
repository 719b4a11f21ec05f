import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, until } from './support/clients.js';
import { streamSocket, type StreamSocket } from './support/stream-socket.js';

// The review's outage: one supervisor opened hundreds of streams with `since=0`, each replaying the
// whole event log at once; the server stopped answering for minutes. Streams are now capped per user
// and per address, and a replay from far back replays only the recent window and says so.

describe('live streams per user and per address', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ app: { apiLimits: { streamsPerAddress: 8 } } });
  });
  afterAll(() => s?.close());

  it('opens five streams for one user and refuses the sixth with 429 until one closes', async () => {
    const sam = await signIn(s.url, 'supervisor_sam');
    const open: StreamSocket[] = [];
    for (let i = 0; i < 5; i++) {
      const socket = await streamSocket(s.url, sam.token);
      expect(socket.status).toBe(101);
      open.push(socket);
    }
    const sixth = await streamSocket(s.url, sam.token, { since: 0 });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.retryAfter)).toBeGreaterThan(0);
    // Another user is not held to Sam's count.
    const alex = await signIn(s.url, 'agent_alex');
    const alexStream = await streamSocket(s.url, alex.token);
    expect(alexStream.status).toBe(101);

    await open.pop()!.close();
    const again = await until('a stream once one closed', async () => {
      const socket = await streamSocket(s.url, sam.token);
      return socket.status === 101 ? socket : undefined;
    });
    open.push(again);
    // Eight from this address: two more fit (Alex has one), the ninth does not, whoever asks.
    const bianca = await signIn(s.url, 'agent_bianca');
    const b1 = await streamSocket(s.url, bianca.token);
    const b2 = await streamSocket(s.url, bianca.token);
    expect([b1.status, b2.status]).toEqual([101, 101]);
    expect((await streamSocket(s.url, bianca.token)).status).toBe(429);
    for (const socket of [...open, alexStream, b1, b2]) await socket.close();
  });
});

describe('a stream resumed from far back', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ app: { apiLimits: { replayEvents: 40 } } });
  });
  afterAll(() => s?.close());

  it('replays only the recent window, after a stream.resync frame naming the gap', async () => {
    const emma = await signIn(s.url, 'agent_emma');
    for (let i = 0; i < 60; i++) {
      const res = await emma.call('PUT', '/me/presence', { presence: i % 2 ? 'away' : 'busy' });
      expect(res.status).toBe(200);
    }
    const head = s.services.tail.position;
    const socket = await streamSocket(s.url, emma.token, { since: 0 });
    expect(socket.status).toBe(101);
    await until('the replay up to the head', () => socket.frames.find((f) => f.seq === head));
    const [first, ...rest] = socket.frames;
    expect(first).toEqual({
      seq: head - 40,
      type: 'stream.resync',
      missedAfter: 0,
      resumedAfter: head - 40,
    });
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((f) => (f.seq as number) > head - 40)).toBe(true);
    await socket.close();

    // Within the window: no resync, everything after `since`.
    const near = await streamSocket(s.url, emma.token, { since: head - 10 });
    await until('the replay up to the head', () => near.frames.find((f) => f.seq === head));
    expect(near.frames.some((f) => f.type === 'stream.resync')).toBe(false);
    expect(near.frames.every((f) => (f.seq as number) > head - 10)).toBe(true);
    await near.close();
  });
});
