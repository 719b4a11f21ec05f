import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_API_LIMITS } from '../../services/http/api/limits.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn } from './support/clients.js';

// The review's first step: one agent sent 20,000 presence changes in 14 s, every one stored as an
// event. The agent API now counts each signed-in user's changes and reads (README, "Limits"): 600
// changes a minute out of the box; this server allows 100, to reach the limit quickly.

const CHANGES = 100;
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ app: { apiLimits: { writesPerUser: { points: CHANGES, seconds: 60 } } } });
});
afterAll(() => s?.close());

describe('rate limits per signed-in user', () => {
  it('answers 429 with Retry-After once one user has made their changes for the minute', async () => {
    const emma = await signIn(s.url, 'agent_emma');
    const before = s.services.tail.position;
    const codes: Record<number, number> = {};
    let limited: Awaited<ReturnType<typeof emma.call>> | undefined;
    let i = 0;
    // 20 at a time, as the review did, until the server says stop (or far past the limit).
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (!limited && i < 1000) {
          i++;
          const res = await emma.call('PUT', '/me/presence', { presence: i % 2 ? 'away' : 'busy' });
          codes[res.status] = (codes[res.status] ?? 0) + 1;
          if (res.status === 429) limited = res;
        }
      }),
    );
    expect(limited, JSON.stringify(codes)).toBeDefined();
    expect(codes[200]).toBe(CHANGES);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.body.error).toEqual({
      code: 'rate_limited',
      message: expect.stringContaining('changes'),
    });
    // Each change is one presence event (or none when the presence did not change).
    expect(s.services.tail.position - before).toBeLessThanOrEqual(CHANGES);

    // Reads have their own budget, and other agents their own.
    expect((await emma.call('GET', '/me')).status).toBe(200);
    const chen = await signIn(s.url, 'agent_chen');
    expect((await chen.call('PUT', '/me/presence', { presence: 'away' })).status).toBe(200);
  });

  it('ships with room for a busy agent and the tab’s own polling', () => {
    expect(DEFAULT_API_LIMITS.writesPerUser).toEqual({ points: 600, seconds: 60 });
    expect(DEFAULT_API_LIMITS.readsPerUser).toEqual({ points: 1200, seconds: 60 });
  });
});
