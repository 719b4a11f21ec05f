import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

// A real deployment sits behind a TLS reverse proxy: every customer reaches the server from the
// proxy's address. With TRUST_PROXY naming it, the per-address limits count the address the proxy
// forwards, so the site is not capped at one address's 30 new chats in 10 minutes; a caller that
// is not the proxy cannot dodge its limit by writing X-Forwarded-For itself.

const SHOP = 'https://shop.example.com';
let trusting: TestServer;
let notTrusting: TestServer;

beforeAll(async () => {
  [trusting, notTrusting] = await Promise.all([
    startTestServer({ env: { ALLOWED_ORIGINS: SHOP, TRUST_PROXY: '127.0.0.1, ::1' } }),
    // Trusts a proxy the test is not: the header it writes is its own word and counts for nothing.
    startTestServer({ env: { ALLOWED_ORIGINS: SHOP, TRUST_PROXY: '10.0.0.0/8' } }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([trusting?.close(), notTrusting?.close()]);
});

async function widgetTokens(url: string, forwardedFor: (i: number) => string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 34; i++) {
    const res = await fetch(`${url}/widget/token`, {
      method: 'POST',
      headers: { Origin: SHOP, 'X-Forwarded-For': forwardedFor(i) },
    });
    statuses.push(res.status);
    await res.arrayBuffer();
  }
  return statuses;
}

describe('behind a trusted reverse proxy', () => {
  it('limits each customer the proxy forwards, not the proxy', async () => {
    // 34 customers, each from their own address: none is refused.
    const many = await widgetTokens(trusting.url, (i) => `203.0.113.${i + 1}`);
    expect(many.every((s) => s === 200)).toBe(true);
    // One customer behind the proxy (an address the client wrote first is theirs to make up; the
    // proxy's own entry, last, is what counts) still gets only their 30.
    const one = await widgetTokens(trusting.url, (i) => `198.51.100.${i + 1}, 192.0.2.7`);
    expect(one.filter((s) => s === 200)).toHaveLength(30);
    expect(one.at(-1)).toBe(429);
  });

  it('ignores X-Forwarded-For from a caller that is not a trusted proxy', async () => {
    const spoofed = await widgetTokens(notTrusting.url, (i) => `203.0.113.${i + 1}`);
    expect(spoofed.filter((s) => s === 200)).toHaveLength(30);
    expect(spoofed.at(-1)).toBe(429);
  });
});
